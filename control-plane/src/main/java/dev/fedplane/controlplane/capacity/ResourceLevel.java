package dev.fedplane.controlplane.capacity;

/**
 * How full one resource is: {@code usedRatio} = used / limit (0 when the limit is 0) and its level
 * by the {@link CapacityThresholds}. Immutable.
 */
public record ResourceLevel(String resource, double usedRatio, Level level) {
    public enum Level {
        OK,
        WARN,
        CRITICAL
    }

    /** The worse of two levels. */
    public static Level worst(Level a, Level b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
