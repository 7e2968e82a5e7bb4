package dev.fedplane.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.loadtest.FaultHistory.ApiCall;
import dev.fedplane.loadtest.FaultHistory.Fault;
import dev.fedplane.loadtest.HistoryChecker.Property;
import dev.fedplane.loadtest.HistoryChecker.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outputs of a fault run: {@code history.json} (everything recorded), {@code result.json} (the
 * numbers), {@code report.txt} (one page: the checker's verdict per property, and per fault kind
 * the recovery time and the API error rate while it lasted) and {@code report.html} (the same page
 * with charts drawn by Apache ECharts, inlined from its WebJar).
 */
final class FaultReport {
    private static final String ECHARTS =
            "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
    private static final ObjectMapper JSON = new ObjectMapper();

    private FaultReport() {}

    static void write(
            Path dir,
            Map<String, Object> result,
            FaultHistory history,
            List<Violation> violations,
            long runStartMs)
            throws IOException {
        Map<String, Object> r = summarize(result, history, violations, runStartMs);
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("calls", history.calls);
        h.put("messages", history.messages);
        h.put("replicas", history.replicas);
        h.put("storeEpochs", history.storeEpochs);
        h.put("statuses", history.statuses);
        h.put("faults", history.faults);
        h.put("finalApps", history.finalApps);
        h.put("finalAgents", history.finalAgents);
        JSON.writeValue(dir.resolve("history.json").toFile(), h);
        Files.writeString(
                dir.resolve("result.json"),
                JSON.writerWithDefaultPrettyPrinter().writeValueAsString(r));
        String text = text(r);
        Files.writeString(dir.resolve("report.txt"), text);
        Files.writeString(dir.resolve("report.html"), html(r, text));
    }

    /** The numbers of the run: checker counts, API answers, per fault kind, series for charts. */
    static Map<String, Object> summarize(
            Map<String, Object> result,
            FaultHistory history,
            List<Violation> violations,
            long runStartMs) {
        Map<String, Object> r = new LinkedHashMap<>(result);
        Map<String, Integer> counts = new LinkedHashMap<>();
        HistoryChecker.counts(violations).forEach((p, n) -> counts.put(p.name(), n));
        r.put("violations", counts);
        r.put("violationSample", HistoryChecker.sample(violations));
        List<ApiCall> calls;
        synchronized (history.calls) {
            calls = new ArrayList<>(history.calls);
        }
        List<Fault> faults;
        synchronized (history.faults) {
            faults = new ArrayList<>(history.faults);
        }
        Map<String, Integer> codes = new TreeMap<>();
        Map<String, Integer> hostileCodes = new TreeMap<>();
        long writes = 0;
        long writesOk = 0;
        for (ApiCall c : calls) {
            if (HistoryChecker.WRITES.contains(c.op())) {
                writes++;
                writesOk += c.ok() ? 1 : 0;
                codes.merge(c.code(), 1, Integer::sum);
            } else {
                hostileCodes.merge(c.op() + " " + c.code(), 1, Integer::sum);
            }
        }
        r.put("writes", writes);
        r.put("writesAcknowledged", writesOk);
        r.put("writeAnswers", codes);
        r.put("hostileAnswers", hostileCodes);
        r.put("internalAnswers", calls.stream().filter(c -> "INTERNAL".equals(c.code())).count());
        r.put("unknownAnswers", calls.stream().filter(c -> "UNKNOWN".equals(c.code())).count());
        long messages;
        long refused;
        synchronized (history.messages) {
            messages = history.messages.size();
            refused = history.messages.stream().filter(m -> !m.applied()).count();
        }
        r.put("agentMessages", messages);
        r.put("agentMessagesRefusedAsStale", refused);
        // Per fault kind: recovery (from heal) median and max, and the write error rate while the
        // fault lasted (injection until recovery, or until the bound when it did not recover).
        Map<String, Map<String, Object>> kinds = new TreeMap<>();
        Map<String, List<Long>> recovery = new TreeMap<>();
        Map<String, long[]> during = new TreeMap<>();
        List<Map<String, Object>> perFault = new ArrayList<>();
        for (Fault f : faults) {
            recovery.computeIfAbsent(f.kind(), k -> new ArrayList<>());
            during.computeIfAbsent(f.kind(), k -> new long[3]);
            long end = f.recoveredMs() > 0 ? f.recoveredMs() : f.healMs() + 90_000;
            long[] d = during.get(f.kind());
            d[2]++;
            if (f.recoveredMs() > 0) {
                recovery.get(f.kind()).add(f.recoveredMs() - f.healMs());
            }
            long n = 0;
            long failed = 0;
            for (ApiCall c : calls) {
                if (HistoryChecker.WRITES.contains(c.op())
                        && c.startMs() >= f.injectMs()
                        && c.startMs() <= end) {
                    n++;
                    failed += c.ok() ? 0 : 1;
                }
            }
            d[0] += n;
            d[1] += failed;
            Map<String, Object> pf = new LinkedHashMap<>();
            pf.put("index", f.index());
            pf.put("kind", f.kind());
            pf.put("detail", f.detail());
            pf.put("atSeconds", (f.injectMs() - runStartMs) / 1e3);
            pf.put("heldMs", f.healMs() - f.injectMs());
            pf.put("recoveryMs", f.recoveredMs() > 0 ? f.recoveredMs() - f.healMs() : null);
            pf.put("endSeconds", (end - runStartMs) / 1e3);
            pf.put("writes", n);
            pf.put("writesFailed", failed);
            perFault.add(pf);
        }
        for (Map.Entry<String, List<Long>> e : recovery.entrySet()) {
            List<Long> l = e.getValue();
            l.sort(null);
            long[] d = during.get(e.getKey());
            Map<String, Object> k = new LinkedHashMap<>();
            k.put("faults", d[2]);
            k.put("recovered", l.size());
            k.put("recoveryMedianMs", l.isEmpty() ? null : median(l));
            k.put("recoveryMaxMs", l.isEmpty() ? null : l.get(l.size() - 1));
            k.put("writesDuring", d[0]);
            k.put("writeErrorRate", d[0] == 0 ? 0.0 : (double) d[1] / d[0]);
            kinds.put(e.getKey(), k);
        }
        r.put("faultKinds", kinds);
        r.put("faultList", perFault);
        // Writes per second, acknowledged and failed.
        Map<Long, long[]> perSecond = new TreeMap<>();
        for (ApiCall c : calls) {
            if (HistoryChecker.WRITES.contains(c.op())) {
                long[] b =
                        perSecond.computeIfAbsent(
                                (c.startMs() - runStartMs) / 1000, k -> new long[2]);
                b[c.ok() ? 0 : 1]++;
            }
        }
        List<long[]> series = new ArrayList<>();
        perSecond.forEach((s, b) -> series.add(new long[] {s, b[0], b[1]}));
        r.put("writesPerSecond", series);
        return r;
    }

    static long median(List<Long> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    @SuppressWarnings("unchecked")
    static String text(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> c = (Map<String, Object>) r.get("config");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "fault run: profile %s, seed %s, %s faults; %s agents, %s apps, %s writes/s, %s hostile/s; %.0f s%n",
                        c.get("profile"),
                        c.get("seed"),
                        c.get("faults"),
                        c.get("agents"),
                        c.get("apps"),
                        c.get("rate"),
                        c.get("hostileRate"),
                        ((Number) r.getOrDefault("seconds", 0)).doubleValue()));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "writes: %s sent, %s acknowledged; answers %s%n",
                        r.get("writes"),
                        r.get("writesAcknowledged"),
                        r.get("writeAnswers")));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "INTERNAL answers: %s; UNKNOWN answers: %s; agent messages %s (%s refused as stale)%n",
                        r.get("internalAnswers"),
                        r.get("unknownAnswers"),
                        r.get("agentMessages"),
                        r.get("agentMessagesRefusedAsStale")));
        sb.append("\nchecker (violations per property):\n");
        Map<String, Integer> v = (Map<String, Integer>) r.get("violations");
        for (Property p : Property.values()) {
            int n = v.getOrDefault(p.name(), 0);
            sb.append(
                    String.format(
                            Locale.ROOT, "  %-24s %6d  %s%n", p.name(), n, n == 0 ? "ok" : "FAIL"));
        }
        sb.append(
                "\nper fault kind (recovery counted from the heal; error rate of writes from injection to recovery):\n");
        sb.append(
                String.format(
                        Locale.ROOT,
                        "  %-18s %6s %9s %12s %10s %8s %10s%n",
                        "kind",
                        "faults",
                        "recovered",
                        "median ms",
                        "max ms",
                        "writes",
                        "error rate"));
        Map<String, Map<String, Object>> kinds =
                (Map<String, Map<String, Object>>) r.get("faultKinds");
        kinds.forEach(
                (k, m) ->
                        sb.append(
                                String.format(
                                        Locale.ROOT,
                                        "  %-18s %6s %9s %12s %10s %8s %9.1f%%%n",
                                        k,
                                        m.get("faults"),
                                        m.get("recovered"),
                                        m.get("recoveryMedianMs"),
                                        m.get("recoveryMaxMs"),
                                        m.get("writesDuring"),
                                        100 * ((Number) m.get("writeErrorRate")).doubleValue())));
        List<Violation> sample = (List<Violation>) r.get("violationSample");
        if (!sample.isEmpty()) {
            sb.append("\nviolations (at most 20 per property):\n");
            for (Violation x : sample) {
                sb.append("  ").append(x.property()).append(": ").append(x.detail()).append('\n');
            }
        }
        List<String> notes = (List<String>) r.getOrDefault("notes", List.of());
        for (String n : notes) {
            sb.append("note: ").append(n).append('\n');
        }
        sb.append(
                "verdict: "
                        + (sample.isEmpty() && Boolean.TRUE.equals(r.get("allRecovered"))
                                ? "PASS"
                                : "FAIL")
                        + "\n");
        return sb.toString();
    }

    static String html(Map<String, Object> r, String text) throws IOException {
        String echarts;
        try (InputStream in = FaultReport.class.getResourceAsStream(ECHARTS)) {
            if (in == null) {
                throw new IOException("ECharts is missing from the class path (" + ECHARTS + ")");
            }
            echarts = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("faultList", r.get("faultList"));
        data.put("faultKinds", r.get("faultKinds"));
        data.put("writesPerSecond", r.get("writesPerSecond"));
        String json = JSON.writeValueAsString(data);
        return "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Fedplane fault run</title>\n"
                + "<style>body{font-family:sans-serif;margin:16px}pre{background:#f4f4f4;padding:8px}"
                + ".chart{width:100%;height:300px;margin-bottom:12px}</style>\n<script>"
                + echarts.replace("</script", "<\\/script")
                + "</script>\n</head><body>\n<h1>Fedplane fault run</h1>\n<pre>"
                + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                + "</pre>\n"
                + "<div id=\"writes\" class=\"chart\"></div><div id=\"recovery\" class=\"chart\"></div>"
                + "<div id=\"errors\" class=\"chart\"></div>\n<script>const result = "
                + json.replace("</", "<\\/")
                + ";\n"
                + CHARTS
                + "</script>\n</body></html>\n";
    }

    private static final String CHARTS =
            """
            function chart(id, option) { echarts.init(document.getElementById(id)).setOption(option); }
            const ws = result.writesPerSecond || [];
            const faults = result.faultList || [];
            chart('writes', { title: { text: 'API writes per second (faults shaded)' }, tooltip: { trigger: 'axis' },
              legend: { top: 24 }, xAxis: { type: 'value', name: 's' }, yAxis: { type: 'value' },
              series: [
                { name: 'acknowledged', type: 'line', showSymbol: false, data: ws.map(p => [p[0], p[1]]),
                  markArea: { silent: true, itemStyle: { color: 'rgba(255,120,120,0.15)' },
                    data: faults.map(f => [{ name: f.kind, xAxis: f.atSeconds }, { xAxis: f.endSeconds }]) } },
                { name: 'failed', type: 'line', showSymbol: false, data: ws.map(p => [p[0], p[2]]) }] });
            const kinds = [...new Set(faults.map(f => f.kind))];
            chart('recovery', { title: { text: 'Recovery after each fault (ms from the heal)' }, tooltip: {}, legend: { top: 24 },
              xAxis: { type: 'value', name: 'fault #' }, yAxis: { type: 'value', name: 'ms' },
              series: kinds.map(k => ({ name: k, type: 'scatter',
                data: faults.filter(f => f.kind === k && f.recoveryMs !== null).map(f => [f.index + 1, f.recoveryMs]) })) });
            const fk = Object.entries(result.faultKinds || {});
            chart('errors', { title: { text: 'Write error rate during each fault kind (%), recovery median and max (s)' }, tooltip: {}, legend: { top: 24 },
              xAxis: { type: 'category', data: fk.map(e => e[0]) }, yAxis: { type: 'value' },
              series: [
                { name: 'error rate %', type: 'bar', data: fk.map(e => (100 * e[1].writeErrorRate).toFixed(1)) },
                { name: 'recovery median s', type: 'bar', data: fk.map(e => (e[1].recoveryMedianMs || 0) / 1000) },
                { name: 'recovery max s', type: 'bar', data: fk.map(e => (e[1].recoveryMaxMs || 0) / 1000) }] });
            """;
}
