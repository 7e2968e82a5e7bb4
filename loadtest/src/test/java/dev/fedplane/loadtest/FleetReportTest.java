package dev.fedplane.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FleetReportTest {

    @Test
    @DisplayName(
            "Prometheus text gives cores used, heap in use and GC totals summed over their labels")
    void parsesTheSeriesItNeeds() {
        String text =
                """
                # HELP process_cpu_usage The recent cpu usage for the JVM process
                process_cpu_usage 0.25
                system_cpu_count 2.0
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1048576.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999999.0
                jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 3
                jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.5
                jvm_gc_pause_seconds_count{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 1
                jvm_gc_pause_seconds_sum{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 0.25
                """;

        MetricsSampler.Sample s = MetricsSampler.parse(text, 7.0);

        assertThat(s.seconds()).isEqualTo(7.0);
        assertThat(s.cpuCores()).isEqualTo(0.5);
        assertThat(s.heapMiB()).isEqualTo(3.0);
        assertThat(s.gcPauses()).isEqualTo(4);
        assertThat(s.gcPauseSecondsTotal()).isEqualTo(0.75);
    }

    @Test
    @DisplayName("percentiles are in milliseconds with the count, and 0 for an empty histogram")
    void percentilesInMilliseconds() {
        Histogram h = new Histogram(60_000_000_000L, 3);
        for (int i = 1; i <= 100; i++) {
            h.recordValue(i * 1_000_000L);
        }

        Map<String, Object> p = FleetReport.percentiles(h);

        assertThat(p.get("n")).isEqualTo(100L);
        assertThat((double) p.get("p50_ms")).isBetween(49.9, 50.1);
        assertThat((double) p.get("max_ms")).isBetween(99.9, 100.1);
        assertThat(FleetReport.percentiles(new Histogram(3)).get("p99_ms")).isEqualTo(0.0);
    }

    @Test
    @DisplayName(
            "the summary names every phase that ran and the failures, and the page inlines ECharts and the data")
    void summaryAndPage() throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put(
                "config",
                Map.of(
                        "agents",
                        3,
                        "apps",
                        2,
                        "replicas",
                        1,
                        "store",
                        "h2",
                        "heartbeat",
                        "1s",
                        "lostAfter",
                        "5s"));
        result.put(
                "register",
                Map.of(
                        "registrationsPerSecond",
                        30.0,
                        "allConnectedSeconds",
                        0.1,
                        "apps",
                        2,
                        "appsPlacedSeconds",
                        0.2));
        result.put(
                "loss",
                Map.of("lost", 1, "replicasMoved", 2, "ackedElsewhereAfterGraceSeconds", 0.5));
        result.put("controlPlane", List.of(new MetricsSampler.Sample(1, 0.5, 100, 0.1, 2)));
        result.put("internalAnswers", 0);
        result.put("failures", List.of("writes: not every write converged"));

        String summary = FleetReport.summary(result);
        String page = FleetReport.html("{\"a\":\"</script>\"}", summary);

        assertThat(summary)
                .contains("30 registrations/s")
                .contains("1 clusters lost at once (2 replicas)")
                .contains("CPU peak 0.50 cores")
                .contains("failures: 1")
                .contains("writes: not every write converged");
        assertThat(page)
                .contains("echarts.init")
                .contains("<\\/script>")
                .doesNotContain("\"</script>\"");
    }
}
