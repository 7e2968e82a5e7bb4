package dev.fedplane.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link ClusterSelector} resolved against one {@link ClusterSnapshot}: label keys become the
 * snapshot's per-key value arrays and names become a membership array, so that matching a
 * cluster is a few array reads and string compares. Built per placement; not shared.
 */
final class CompiledSelector {

    private final boolean all;
    private final boolean[] named;          // null when the selector has no names part
    private final String namesText;
    private final Part[] parts;

    private record Part(String[] column, SelectorOperator op, String[] values, String text) {
        boolean matches(int i) {
            String v = column == null ? null : column[i];
            return switch (op) {
                case In -> v != null && contains(values, v);
                case NotIn -> v == null || !contains(values, v);
                case Exists -> v != null;
                case DoesNotExist -> v == null;
            };
        }

        private static boolean contains(String[] values, String v) {
            for (String x : values) {
                if (x.equals(v)) {
                    return true;
                }
            }
            return false;
        }
    }

    private CompiledSelector(boolean[] named, String namesText, Part[] parts) {
        this.named = named;
        this.namesText = namesText;
        this.parts = parts;
        this.all = named == null && parts.length == 0;
    }

    static CompiledSelector compile(ClusterSelector selector, ClusterSnapshot snapshot) {
        boolean[] named = null;
        String namesText = null;
        if (selector.names() != null) {
            named = new boolean[snapshot.size()];
            for (String name : selector.names()) {
                int i = snapshot.indexOf(name);
                if (i >= 0) {
                    named[i] = true;
                }
            }
            namesText = "names [" + String.join(", ", selector.names()) + "]";
        }
        List<Part> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : selector.matchLabels().entrySet()) {
            parts.add(new Part(snapshot.labelColumn(e.getKey()), SelectorOperator.In, new String[] {e.getValue()},
                    e.getKey() + "=" + e.getValue()));
        }
        for (LabelRequirement r : selector.matchExpressions()) {
            parts.add(new Part(snapshot.labelColumn(r.key()), r.operator(), r.values().toArray(new String[0]),
                    r.toString()));
        }
        return new CompiledSelector(named, namesText, parts.toArray(new Part[0]));
    }

    boolean matchesAll() {
        return all;
    }

    boolean matches(int i) {
        if (all) {
            return true;
        }
        if (named != null && !named[i]) {
            return false;
        }
        for (Part p : parts) {
            if (!p.matches(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first part of the selector the cluster fails, in words, or null when it matches. */
    String firstMismatch(int i) {
        if (named != null && !named[i]) {
            return namesText;
        }
        for (Part p : parts) {
            if (!p.matches(i)) {
                return p.text();
            }
        }
        return null;
    }
}
