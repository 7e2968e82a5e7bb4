package dev.fedplane.scheduler;

import java.util.List;

/**
 * One {@code matchExpressions} entry. {@code In}: the label is present with one of the values;
 * {@code NotIn}: the label is absent or has none of the values; {@code Exists} / {@code
 * DoesNotExist}: the label is present / absent (values ignored).
 */
public record LabelRequirement(String key, SelectorOperator operator, List<String> values) {

    public LabelRequirement {
        if (key == null || operator == null) {
            throw new IllegalArgumentException("a label requirement needs a key and an operator");
        }
        values = values == null ? List.of() : List.copyOf(values);
    }

    public static LabelRequirement in(String key, String... values) {
        return new LabelRequirement(key, SelectorOperator.In, List.of(values));
    }

    public static LabelRequirement notIn(String key, String... values) {
        return new LabelRequirement(key, SelectorOperator.NotIn, List.of(values));
    }

    public static LabelRequirement exists(String key) {
        return new LabelRequirement(key, SelectorOperator.Exists, List.of());
    }

    public static LabelRequirement doesNotExist(String key) {
        return new LabelRequirement(key, SelectorOperator.DoesNotExist, List.of());
    }

    /** {@code region In [east, west]}, {@code gpu Exists}. */
    @Override
    public String toString() {
        return switch (operator) {
            case In, NotIn -> key + " " + operator + " [" + String.join(", ", values) + "]";
            case Exists, DoesNotExist -> key + " " + operator;
        };
    }
}
