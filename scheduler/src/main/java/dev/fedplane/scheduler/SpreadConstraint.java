package dev.fedplane.scheduler;

/**
 * Spread over the values of a cluster label ({@code by}): at least one replica in at least {@code
 * minGroups} groups (when replicas allow), at most {@code maxGroups} groups (null: no limit),
 * best-scored groups first. A cluster without the label is infeasible.
 */
public record SpreadConstraint(String by, int minGroups, Integer maxGroups) {

    public SpreadConstraint {
        if (by == null || by.isEmpty()) {
            throw new IllegalArgumentException("a spread constraint needs a label ('by')");
        }
        if (minGroups < 0 || (maxGroups != null && maxGroups < 0)) {
            throw new IllegalArgumentException("spread group counts must not be negative");
        }
    }

    public static SpreadConstraint of(String by, int minGroups, Integer maxGroups) {
        return new SpreadConstraint(by, minGroups, maxGroups);
    }
}
