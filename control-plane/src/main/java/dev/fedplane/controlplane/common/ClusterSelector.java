package dev.fedplane.controlplane.common;

import java.util.List;
import java.util.Map;

/**
 * Selects clusters by name and labels. Every part given must match; an empty selector matches every
 * cluster (DESIGN "Precise rules", Selectors).
 */
public record ClusterSelector(
        List<String> names, Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    public static final ClusterSelector ALL = new ClusterSelector(List.of(), Map.of(), List.of());

    public enum Operator {
        IN,
        NOT_IN,
        EXISTS,
        DOES_NOT_EXIST
    }

    public record Requirement(String key, Operator operator, List<String> values) {
        public Requirement {
            values = values == null ? List.of() : List.copyOf(values);
        }

        boolean matches(Map<String, String> labels) {
            String v = labels.get(key);
            return switch (operator) {
                case IN -> v != null && values.contains(v);
                case NOT_IN -> v == null || !values.contains(v);
                case EXISTS -> v != null;
                case DOES_NOT_EXIST -> v == null;
            };
        }
    }

    public ClusterSelector {
        names = names == null ? List.of() : List.copyOf(names);
        matchLabels = matchLabels == null ? Map.of() : Map.copyOf(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public boolean isEmpty() {
        return names.isEmpty() && matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    public boolean matches(String clusterName, Map<String, String> labels) {
        if (!names.isEmpty() && !names.contains(clusterName)) {
            return false;
        }
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Adds a violation for every malformed part, under {@code field}. */
    public void validate(String field, Violations v) {
        for (int i = 0; i < names.size(); i++) {
            if (!Violations.isDns1123Label(names.get(i))) {
                v.add(field + ".names[" + i + "]", "must be a cluster name (DNS-1123 label)");
            }
        }
        v.checkLabels(field + ".match_labels", matchLabels);
        for (int i = 0; i < matchExpressions.size(); i++) {
            Requirement r = matchExpressions.get(i);
            String f = field + ".match_expressions[" + i + "]";
            if (!Violations.isLabelKey(r.key())) {
                v.add(f + ".key", "is not a valid label key");
            }
            if (r.operator() == null) {
                v.add(f + ".operator", "must be one of IN, NOT_IN, EXISTS, DOES_NOT_EXIST");
            } else if ((r.operator() == Operator.IN || r.operator() == Operator.NOT_IN)
                    && r.values().isEmpty()) {
                v.add(f + ".values", "must not be empty for " + r.operator());
            } else if ((r.operator() == Operator.EXISTS || r.operator() == Operator.DOES_NOT_EXIST)
                    && !r.values().isEmpty()) {
                v.add(f + ".values", "must be empty for " + r.operator());
            }
        }
    }
}
