package dev.fedplane.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The outputs of a fleet run: {@code result.json} (every number, and the series behind the charts),
 * a one-screen text summary, and {@code report.html}: one self-contained page whose charts (API
 * latency over time, latency and convergence percentiles, control plane CPU and heap, GC) are drawn
 * by Apache ECharts, inlined from its WebJar so that the page needs no network.
 */
final class FleetReport {

    private static final String ECHARTS =
            "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FleetReport() {}

    /** p50, p99, p99.9 and max of a histogram of nanoseconds, in milliseconds, with the count. */
    static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", h.getTotalCount());
        m.put("p50_ms", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1e6);
        m.put("p99_ms", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1e6);
        m.put("p999_ms", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99.9) / 1e6);
        m.put("max_ms", h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6);
        return m;
    }

    static void write(Path dir, Map<String, Object> result) throws IOException {
        String json = JSON.writeValueAsString(result);
        Files.writeString(dir.resolve("result.json"), json);
        Files.writeString(dir.resolve("report.html"), html(json, summary(result)));
    }

    /** The one-screen summary. */
    @SuppressWarnings("unchecked")
    static String summary(Map<String, Object> result) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> config = (Map<String, Object>) result.get("config");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "fleet run: %s agents, %s apps x %s replicas, store %s, heartbeat %s, lost after %s%n",
                        config.get("agents"),
                        config.get("apps"),
                        config.get("replicas"),
                        config.get("store"),
                        config.get("heartbeat"),
                        config.get("lostAfter")));
        Map<String, Object> reg = (Map<String, Object>) result.get("register");
        if (reg != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  register   %.0f registrations/s; all connected after %s s; %s apps acked after %s s%n",
                            num(reg.get("registrationsPerSecond")),
                            fmt(reg.get("allConnectedSeconds")),
                            reg.get("apps"),
                            fmt(reg.get("appsPlacedSeconds"))));
        }
        Map<String, Object> writes = (Map<String, Object>) result.get("writes");
        if (writes != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  writes     %s sent at %.0f/s, %s failed%n",
                            writes.get("sent"),
                            num(writes.get("achievedRate")),
                            writes.get("failed")));
            Map<String, Object> latency = (Map<String, Object>) writes.get("latency");
            for (Map.Entry<String, Object> e : latency.entrySet()) {
                sb.append("    ")
                        .append(line(e.getKey(), (Map<String, Object>) e.getValue()))
                        .append('\n');
            }
            sb.append("    ")
                    .append(line("converged", (Map<String, Object>) writes.get("convergence")))
                    .append('\n');
        }
        Map<String, Object> storm = (Map<String, Object>) result.get("storm");
        if (storm != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  storm      all %s agents back after %s s; %s%n",
                            storm.get("agents"),
                            fmt(storm.get("allResyncedSeconds")),
                            line(
                                    "per agent",
                                    (Map<String, Object>) storm.get("reconnectToFullAck"))));
        }
        Map<String, Object> restart = (Map<String, Object>) result.get("restart");
        if (restart != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  restart    process up in %s s; %s apps over %s agents resynced and acked %s s later%n",
                            fmt(restart.get("startSeconds")),
                            restart.get("apps"),
                            restart.get("agents"),
                            fmt(restart.get("resyncedAfterStartSeconds"))));
        }
        Map<String, Object> loss = (Map<String, Object>) result.get("loss");
        if (loss != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  loss       %s clusters lost at once (%s replicas): acked elsewhere %s s after the grace period%n",
                            loss.get("lost"),
                            loss.get("replicasMoved"),
                            fmt(loss.get("ackedElsewhereAfterGraceSeconds"))));
        }
        List<MetricsSampler.Sample> samples =
                (List<MetricsSampler.Sample>) result.get("controlPlane");
        if (samples != null && !samples.isEmpty()) {
            double cpu = 0;
            double heap = 0;
            for (MetricsSampler.Sample s : samples) {
                cpu = Math.max(cpu, s.cpuCores());
                heap = Math.max(heap, s.heapMiB());
            }
            MetricsSampler.Sample last = samples.get(samples.size() - 1);
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "  control plane: CPU peak %.2f cores, heap peak %.0f MiB, GC %.0f pauses, %.2f s in all (since its last start)%n",
                            cpu,
                            heap,
                            last.gcPauses(),
                            last.gcPauseSecondsTotal()));
        }
        List<String> failures = (List<String>) result.get("failures");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  INTERNAL answers: %s; failures: %s%n",
                        result.get("internalAnswers"),
                        failures == null || failures.isEmpty() ? "none" : failures.size()));
        if (failures != null) {
            for (String f : failures.subList(0, Math.min(5, failures.size()))) {
                sb.append("    ").append(f).append('\n');
            }
        }
        return sb.toString();
    }

    private static String line(String what, Map<String, Object> p) {
        return String.format(
                Locale.ROOT,
                "%-10s n=%s p50=%.1f ms p99=%.1f ms p99.9=%.1f ms max=%.1f ms",
                what,
                p.get("n"),
                num(p.get("p50_ms")),
                num(p.get("p99_ms")),
                num(p.get("p999_ms")),
                num(p.get("max_ms")));
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static String fmt(Object seconds) {
        return seconds instanceof Number n
                ? String.format(Locale.ROOT, "%.2f", n.doubleValue())
                : "never";
    }

    static String html(String json, String summary) throws IOException {
        String echarts;
        try (InputStream in = FleetReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IOException("ECharts is missing from the class path (" + ECHARTS + ")");
            }
            echarts = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String escapedSummary =
                summary.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Fedplane fleet run</title>\n"
                + "<style>body{font-family:sans-serif;margin:16px}pre{background:#f4f4f4;padding:8px}"
                + ".chart{width:100%;height:320px;margin-bottom:16px}</style>\n"
                + "<script>"
                + echarts.replace("</script", "<\\/script")
                + "</script>\n</head><body>\n"
                + "<h1>Fedplane fleet run</h1>\n<pre>"
                + escapedSummary
                + "</pre>\n"
                + "<div id=\"latency\" class=\"chart\"></div><div id=\"percentiles\" class=\"chart\"></div>\n"
                + "<div id=\"cpu\" class=\"chart\"></div><div id=\"heap\" class=\"chart\"></div><div id=\"gc\" class=\"chart\"></div>\n"
                + "<script>const result = "
                + json.replace("</", "<\\/")
                + ";\n"
                + CHARTS
                + "</script>\n</body></html>\n";
    }

    /** The charts, from the result object embedded in the page. */
    private static final String CHARTS =
            """
            function chart(id, option) { echarts.init(document.getElementById(id)).setOption(option); }
            const w = result.writes || {};
            const points = (w.latencyOverTime || []);
            chart('latency', { title: { text: 'API write latency over time (ms, from when each call was due)' },
              tooltip: {}, legend: { top: 24 }, xAxis: { type: 'value', name: 's' }, yAxis: { type: 'log', name: 'ms' },
              series: [
                { name: 'ScaleApp', type: 'scatter', symbolSize: 3, data: points.filter(p => p[2] === 0).map(p => [p[0], Math.max(p[1], 0.01)]) },
                { name: 'CreateApp', type: 'scatter', symbolSize: 3, data: points.filter(p => p[2] === 1).map(p => [p[0], Math.max(p[1], 0.01)]) }] });
            const rows = Object.entries(w.latency || {});
            if (w.convergence) rows.push(['convergence', w.convergence]);
            chart('percentiles', { title: { text: 'Percentiles (ms)' }, tooltip: {}, legend: { top: 24 },
              xAxis: { type: 'category', data: rows.map(r => r[0]) }, yAxis: { type: 'value', name: 'ms' },
              series: ['p50_ms', 'p99_ms', 'p999_ms', 'max_ms'].map(k => ({ name: k, type: 'bar', data: rows.map(r => r[1][k]) })) });
            const cp = result.controlPlane || [];
            chart('cpu', { title: { text: 'Control plane CPU (cores)' }, tooltip: { trigger: 'axis' }, xAxis: { type: 'value', name: 's' },
              yAxis: { type: 'value' }, series: [{ type: 'line', showSymbol: false, data: cp.map(s => [s.seconds, s.cpuCores]) }] });
            chart('heap', { title: { text: 'Control plane heap in use (MiB)' }, tooltip: { trigger: 'axis' }, xAxis: { type: 'value', name: 's' },
              yAxis: { type: 'value' }, series: [{ type: 'line', showSymbol: false, data: cp.map(s => [s.seconds, s.heapMiB]) }] });
            chart('gc', { title: { text: 'Control plane GC pause time since start (s)' }, tooltip: { trigger: 'axis' }, xAxis: { type: 'value', name: 's' },
              yAxis: { type: 'value' }, series: [{ type: 'line', showSymbol: false, data: cp.map(s => [s.seconds, s.gcPauseSecondsTotal]) }] });
            """;
}
