package dev.fedplane.controlplane.capacity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Water levels as Prometheus gauges, for every grouping ({@code group_by} = cluster, idc, region,
 * tier, provider, zone) and resource (cpu, memory, pods):
 *
 * <ul>
 *   <li>{@code fedplane_water_level_ratio{group_by,key,resource}}: requested / allocatable;
 *   <li>{@code fedplane_water_level_state{group_by,key,resource}}: 0 OK, 1 WARN, 2 CRITICAL;
 *   <li>{@code fedplane_water_level_threshold{level="warn"|"critical"}}: the thresholds.
 * </ul>
 *
 * <p>{@link #refresh()} recomputes them from the stored clusters (one read for every grouping); the
 * {@code /metrics} endpoint calls it before each scrape. A refresh less than {@code
 * fedplane.metrics.water-level-max-age} (default 5 s) after the previous one keeps its figures: at
 * 10,000 clusters a refresh reads and groups every cluster, and a scraper polling every second made
 * that most of the control plane's CPU. So a scrape shows the store's figures as of at most that
 * long ago, and a group that no longer exists disappears within it. Thread-safe (refreshes are
 * serialised).
 */
@Singleton
public class CapacityMetrics {
    private final CapacityService capacity;
    private final Map<CapacityService.GroupBy, MultiGauge> ratios =
            new EnumMap<>(CapacityService.GroupBy.class);
    private final Map<CapacityService.GroupBy, MultiGauge> states =
            new EnumMap<>(CapacityService.GroupBy.class);
    private final Map<String, Value> values = new HashMap<>();
    private final long maxAgeNanos;
    private long refreshedAt;
    private boolean refreshed;

    public CapacityMetrics(
            CapacityService capacity,
            MeterRegistry meters,
            @io.micronaut.context.annotation.Value("${fedplane.metrics.water-level-max-age:5s}")
                    java.time.Duration maxAge) {
        this.capacity = capacity;
        this.maxAgeNanos = maxAge.toNanos();
        for (CapacityService.GroupBy g : CapacityService.GroupBy.values()) {
            ratios.put(
                    g,
                    MultiGauge.builder("fedplane_water_level_ratio")
                            .description(
                                    "Requested / allocatable of a resource, per cluster or label group")
                            .register(meters));
            states.put(
                    g,
                    MultiGauge.builder("fedplane_water_level_state")
                            .description("Water level by the thresholds: 0 OK, 1 WARN, 2 CRITICAL")
                            .register(meters));
        }
        CapacityThresholds th = capacity.thresholds();
        Gauge.builder("fedplane_water_level_threshold", th, CapacityThresholds::warnRatio)
                .description("The used ratio from which a water level is WARN or CRITICAL")
                .tag("level", "warn")
                .register(meters);
        Gauge.builder("fedplane_water_level_threshold", th, CapacityThresholds::criticalRatio)
                .description("The used ratio from which a water level is WARN or CRITICAL")
                .tag("level", "critical")
                .register(meters);
    }

    /**
     * Recomputes every gauge from the store. Gauges that existed before keep their meter and read
     * the new value from their holder; only groups that appeared are registered and only those that
     * went away removed (re-registering every row on each scrape took over 20 s at 10,000 clusters,
     * 60,000 series, and the scrape timed out).
     */
    public synchronized void refresh() {
        long now = System.nanoTime();
        if (refreshed && now - refreshedAt < maxAgeNanos) {
            return;
        }
        Map<CapacityService.GroupBy, CapacityService.Levels> all = capacity.levelsForMetrics();
        Map<String, Value> next = new HashMap<>();
        for (CapacityService.GroupBy g : CapacityService.GroupBy.values()) {
            String groupBy = g.name().toLowerCase(Locale.ROOT);
            List<MultiGauge.Row<?>> ratioRows = new ArrayList<>();
            List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
            for (WaterLevel w : all.get(g).levels()) {
                for (ResourceLevel r : w.resources()) {
                    Tags tags =
                            Tags.of("group_by", groupBy, "key", w.key(), "resource", r.resource());
                    String id = groupBy + '\u0000' + w.key() + '\u0000' + r.resource();
                    Value ratio = next.computeIfAbsent("r" + id, k -> held(k));
                    ratio.value = r.usedRatio();
                    Value state = next.computeIfAbsent("s" + id, k -> held(k));
                    state.value = r.level().ordinal();
                    ratioRows.add(MultiGauge.Row.of(tags, ratio, Value::get));
                    stateRows.add(MultiGauge.Row.of(tags, state, Value::get));
                }
            }
            ratios.get(g).register(ratioRows, false);
            states.get(g).register(stateRows, false);
        }
        values.clear();
        values.putAll(next);
        refreshed = true;
        refreshedAt = System.nanoTime();
    }

    /** The holder a gauge of {@code id} reads: the one it was registered with, if any. */
    private Value held(String id) {
        Value v = values.get(id);
        return v != null ? v : new Value();
    }

    /**
     * A gauge's value, set by {@link #refresh}; held strongly here (gauges keep only a weak
     * reference).
     */
    private static final class Value {
        volatile double value;

        double get() {
            return value;
        }
    }
}
