package dev.fedplane.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Bad options of the fleet command are refused before anything starts, with the option named. */
class FleetLoadOptionsTest {

    static Stream<Arguments> badOptions() {
        return Stream.of(
                arguments(new String[] {"--agents", "0"}, "--agents must be at least 1"),
                arguments(new String[] {"--rate", "0"}, "--rate, --writers"),
                arguments(
                        new String[] {"--loss-percent", "150"},
                        "--loss-percent must be between 1 and 100"),
                arguments(new String[] {"--lost-after", "soon"}, "--lost-after must be a duration"),
                arguments(new String[] {"--heartbeat", "0s"}, "--heartbeat must be a duration"),
                arguments(
                        new String[] {"--control-plane-jar", "/nonexistent/cp.jar"},
                        "--control-plane-jar: no such file"),
                arguments(new String[] {"--phases", "register,nap"}, "--phases"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badOptions")
    void badOptionsExitWithUsageAndNameTheOption(String[] args, String message) {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new FleetLoad()).setErr(new PrintWriter(err));

        int exit = cl.execute(args);

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains(message);
    }

    @ParameterizedTest(name = "{0} is {1} s")
    @MethodSource("durations")
    void durationsInSeconds(String text, long seconds) {
        assertThat(FleetLoad.parseSeconds(text)).isEqualTo(seconds);
    }

    static Stream<Arguments> durations() {
        return Stream.of(
                arguments("10s", 10L),
                arguments("2m", 120L),
                arguments("1500ms", 1L),
                arguments("30", 30L));
    }
}
