package dev.fedplane.controlplane.capacity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * <p>{@link #refresh()} recomputes them from the stored clusters; the {@code /metrics} endpoint
 * calls it before each scrape, so a scrape always shows the store's figures and a group that no
 * longer exists disappears. Thread-safe (refreshes are serialised).
 */
@Singleton
public class CapacityMetrics {
    private final CapacityService capacity;
    private final Map<CapacityService.GroupBy, MultiGauge> ratios =
            new EnumMap<>(CapacityService.GroupBy.class);
    private final Map<CapacityService.GroupBy, MultiGauge> states =
            new EnumMap<>(CapacityService.GroupBy.class);

    public CapacityMetrics(CapacityService capacity, MeterRegistry meters) {
        this.capacity = capacity;
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

    /** Recomputes every gauge from the store. */
    public synchronized void refresh() {
        for (CapacityService.GroupBy g : CapacityService.GroupBy.values()) {
            String groupBy = g.name().toLowerCase(Locale.ROOT);
            List<MultiGauge.Row<?>> ratioRows = new ArrayList<>();
            List<MultiGauge.Row<?>> stateRows = new ArrayList<>();
            for (WaterLevel w : capacity.levelsForMetrics(g).levels()) {
                for (ResourceLevel r : w.resources()) {
                    Tags tags =
                            Tags.of("group_by", groupBy, "key", w.key(), "resource", r.resource());
                    ratioRows.add(MultiGauge.Row.of(tags, r.usedRatio()));
                    stateRows.add(MultiGauge.Row.of(tags, r.level().ordinal()));
                }
            }
            ratios.get(g).register(ratioRows, true);
            states.get(g).register(stateRows, true);
        }
    }
}
