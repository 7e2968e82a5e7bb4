package dev.fedplane.scheduler;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Selects clusters: every part given must match ({@code names}, {@code matchLabels}, {@code
 * matchExpressions}); an empty selector matches every cluster. Null parts are absent.
 */
public record ClusterSelector(
        List<String> names,
        Map<String, String> matchLabels,
        List<LabelRequirement> matchExpressions) {

    /** Matches every cluster. */
    public static final ClusterSelector ALL = new ClusterSelector(null, null, null);

    public ClusterSelector {
        names = names == null ? null : List.copyOf(names);
        // Sorted so that reasons and iteration are deterministic.
        matchLabels =
                matchLabels == null || matchLabels.isEmpty()
                        ? Map.of()
                        : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(matchLabels));
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public static ClusterSelector names(String... names) {
        return new ClusterSelector(List.of(names), null, null);
    }

    public static ClusterSelector labels(Map<String, String> matchLabels) {
        return new ClusterSelector(null, matchLabels, null);
    }

    public static ClusterSelector label(String key, String value) {
        return new ClusterSelector(null, Map.of(key, value), null);
    }

    public static ClusterSelector expressions(LabelRequirement... requirements) {
        return new ClusterSelector(null, null, List.of(requirements));
    }

    /** Whether this selector has no part and so matches every cluster. */
    public boolean isEmpty() {
        return names == null && matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** Whether the selector matches this cluster (a slow path; the scheduler pre-resolves). */
    public boolean matches(ClusterInfo cluster) {
        if (names != null && !names.contains(cluster.name())) {
            return false;
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(cluster.labels().get(e.getKey()))) {
                return false;
            }
        }
        for (LabelRequirement r : matchExpressions) {
            String v = cluster.labels().get(r.key());
            boolean ok =
                    switch (r.operator()) {
                        case In -> v != null && r.values().contains(v);
                        case NotIn -> v == null || !r.values().contains(v);
                        case Exists -> v != null;
                        case DoesNotExist -> v == null;
                    };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
