package dev.fedplane.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.cli.UsageException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnitsTest {

    @ParameterizedTest(name = "{0} millicores print as {1}")
    @CsvSource({"0, 0", "500, 500m", "1000, 1", "8000, 8", "1500, 1500m"})
    void cpuPrintsWholeCoresWithoutUnit(long millis, String text) {
        assertThat(Units.cpu(millis)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} MiB print as {1}")
    @CsvSource({"0, 0Mi", "512, 512Mi", "1024, 1Gi", "16384, 16Gi", "1536, 1536Mi", "1048576, 1Ti"})
    void memoryPrintsInTheLargestWholeUnit(long mib, String text) {
        assertThat(Units.memory(mib)).isEqualTo(text);
    }

    @ParameterizedTest(name = "CPU \"{0}\" is {1} millicores")
    @CsvSource({"500m, 500", "2, 2000", "0.5, 500", "8000m, 8000", "0, 0"})
    void cpuQuantitiesParse(String text, long millis) {
        assertThat(Units.parseCpu("--cpu", text)).isEqualTo(millis);
    }

    @ParameterizedTest(name = "memory \"{0}\" is {1} MiB")
    @CsvSource({"512Mi, 512", "16Gi, 16384", "1Ti, 1048576", "256, 256", "1.5Gi, 1536"})
    void memoryQuantitiesParse(String text, long mib) {
        assertThat(Units.parseMemory("--memory", text)).isEqualTo(mib);
    }

    @ParameterizedTest(name = "\"{1}\" is refused for {0}")
    @CsvSource({
        "--cpu, eight",
        "--cpu, -1",
        "--cpu, 0.0005",
        "--memory, 16GB",
        "--memory, 0.5Mi",
        "--memory, -2Gi"
    })
    void badQuantitiesAreUsageErrorsNamingTheOption(String option, String text) {
        assertThatThrownBy(
                        () -> {
                            if (option.equals("--cpu")) {
                                Units.parseCpu(option, text);
                            } else {
                                Units.parseMemory(option, text);
                            }
                        })
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith(option + ": \"" + text + "\" is not");
    }

    @ParameterizedTest(name = "{0} seconds ago prints as {1}")
    @CsvSource({
        "0, 0s",
        "59, 59s",
        "119, 119s",
        "120, 2m",
        "7199, 119m",
        "7200, 2h",
        "172799, 47h",
        "172800, 2d"
    })
    void agesArePrintedInOneUnit(long secondsAgo, String text) {
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T12:00:00Z"), ZoneOffset.UTC);
        assertThat(Units.age(clock, clock.millis() - secondsAgo * 1000)).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0} of {1} is {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0 | 100 | [----------]   0%",
                "50 | 100 | [#####-----]  50%",
                "100 | 100 | [##########] 100%",
                "150 | 100 | [##########] 100%",
                "1 | 3 | [###-------]  33%",
                "5 | 0 | [----------]    -"
            })
    void barsFillInProportionAndNeverOverflow(long used, long total, String bar) {
        assertThat(Units.bar(used, total, 10)).isEqualTo(bar);
    }
}
