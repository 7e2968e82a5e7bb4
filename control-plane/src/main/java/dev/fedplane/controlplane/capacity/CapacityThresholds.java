package dev.fedplane.controlplane.capacity;

import dev.fedplane.controlplane.common.Quantities;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The water-level thresholds ({@code fedplane.capacity.warn-ratio}, default 0.8, and {@code
 * critical-ratio}, default 0.9): a used ratio from {@code criticalRatio} up is CRITICAL, from
 * {@code warnRatio} up WARN, below OK. Both must lie in (0, 1], warn not above critical; anything
 * else fails the start naming the setting. Immutable.
 */
@Singleton
public final class CapacityThresholds {
    private final double warnRatio;
    private final double criticalRatio;

    public CapacityThresholds(
            @Value("${fedplane.capacity.warn-ratio:0.8}") double warnRatio,
            @Value("${fedplane.capacity.critical-ratio:0.9}") double criticalRatio) {
        if (!(warnRatio > 0 && warnRatio <= 1)) {
            throw new IllegalArgumentException(
                    "fedplane.capacity.warn-ratio must be in (0, 1], not " + warnRatio);
        }
        if (!(criticalRatio > 0 && criticalRatio <= 1)) {
            throw new IllegalArgumentException(
                    "fedplane.capacity.critical-ratio must be in (0, 1], not " + criticalRatio);
        }
        if (warnRatio > criticalRatio) {
            throw new IllegalArgumentException(
                    "fedplane.capacity.warn-ratio ("
                            + warnRatio
                            + ") must not be above fedplane.capacity.critical-ratio ("
                            + criticalRatio
                            + ")");
        }
        this.warnRatio = warnRatio;
        this.criticalRatio = criticalRatio;
    }

    public double warnRatio() {
        return warnRatio;
    }

    public double criticalRatio() {
        return criticalRatio;
    }

    /** The level of a used ratio. */
    public ResourceLevel.Level classify(double ratio) {
        if (ratio >= criticalRatio) {
            return ResourceLevel.Level.CRITICAL;
        }
        if (ratio >= warnRatio) {
            return ResourceLevel.Level.WARN;
        }
        return ResourceLevel.Level.OK;
    }

    /** {@code used} of {@code limit} of {@code resource}; a limit of 0 or less gives ratio 0. */
    public ResourceLevel level(String resource, long used, long limit) {
        double ratio = limit <= 0 ? 0 : (double) used / (double) limit;
        return new ResourceLevel(resource, ratio, classify(ratio));
    }

    /** Requested of allocatable, for cpu, memory and pods in that order. */
    public List<ResourceLevel> levels(Quantities requested, Quantities allocatable) {
        return List.of(
                level("cpu", requested.cpuMillis(), allocatable.cpuMillis()),
                level("memory", requested.memoryMiB(), allocatable.memoryMiB()),
                level("pods", requested.pods(), allocatable.pods()));
    }

    /** The worst level of {@code levels} (OK when empty). */
    public static ResourceLevel.Level worst(List<ResourceLevel> levels) {
        ResourceLevel.Level w = ResourceLevel.Level.OK;
        for (ResourceLevel l : levels) {
            w = ResourceLevel.worst(w, l.level());
        }
        return w;
    }
}
