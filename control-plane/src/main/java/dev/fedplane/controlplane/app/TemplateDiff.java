package dev.fedplane.controlplane.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Field by field, what differs between two pod templates. */
public final class TemplateDiff {
    private TemplateDiff() {}

    /**
     * One differing field. Paths: {@code image}, {@code resources.cpu_millis}, {@code
     * resources.memory_mib}, {@code env[NAME]}, {@code ports[NAME]}; an absent side is "".
     */
    public record Change(String path, String from, String to) {}

    /** The changes from {@code a} to {@code b}, sorted by path; empty when they are equal. */
    public static List<Change> between(PodTemplate a, PodTemplate b) {
        List<Change> out = new ArrayList<>();
        add(out, "image", a.image(), b.image());
        add(
                out,
                "resources.cpu_millis",
                Long.toString(a.cpuMillis()),
                Long.toString(b.cpuMillis()));
        add(
                out,
                "resources.memory_mib",
                Long.toString(a.memoryMiB()),
                Long.toString(b.memoryMiB()));
        keyed(out, "env", envs(a.env()), envs(b.env()));
        keyed(out, "ports", ports(a.ports()), ports(b.ports()));
        out.sort(Comparator.comparing(Change::path));
        return List.copyOf(out);
    }

    private static Map<String, String> envs(List<App.EnvVar> env) {
        Map<String, String> m = new LinkedHashMap<>();
        for (App.EnvVar e : env) {
            m.put(e.name(), e.value());
        }
        return m;
    }

    private static Map<String, String> ports(List<App.Port> ports) {
        Map<String, String> m = new LinkedHashMap<>();
        for (App.Port p : ports) {
            String protocol = p.protocol() == null || p.protocol().isEmpty() ? "TCP" : p.protocol();
            m.put(p.name() == null ? "" : p.name(), p.containerPort() + "/" + protocol);
        }
        return m;
    }

    private static void keyed(
            List<Change> out, String field, Map<String, String> a, Map<String, String> b) {
        for (Map.Entry<String, String> e : a.entrySet()) {
            add(out, field + "[" + e.getKey() + "]", e.getValue(), b.getOrDefault(e.getKey(), ""));
        }
        for (Map.Entry<String, String> e : b.entrySet()) {
            if (!a.containsKey(e.getKey())) {
                add(out, field + "[" + e.getKey() + "]", "", e.getValue());
            }
        }
    }

    private static void add(List<Change> out, String path, String from, String to) {
        String f = from == null ? "" : from;
        String t = to == null ? "" : to;
        if (!Objects.equals(f, t)) {
            out.add(new Change(path, f, t));
        }
    }
}
