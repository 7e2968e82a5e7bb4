package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.capacity.CapacityService;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.Locale;

/**
 * Water levels for the console ({@link CapacityService#waterLevels}, platform-admin only), grouped
 * by cluster, idc, region, tier, provider or zone. What-if and peak-event endpoints join this
 * controller's path ({@code /api/v1/capacity/...}) when their services exist.
 */
@Controller("/api/v1/capacity")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleCapacityController {
    private final ConsoleCallers callers;
    private final CapacityService capacity;

    public ConsoleCapacityController(ConsoleCallers callers, CapacityService capacity) {
        this.callers = callers;
        this.capacity = capacity;
    }

    @Get
    public ConsoleJson.Capacity levels(HttpRequest<?> request, @Nullable @QueryValue String by) {
        var caller = callers.caller(request);
        String b = by == null || by.isBlank() ? "region" : by.strip().toLowerCase(Locale.ROOT);
        CapacityService.GroupBy groupBy;
        try {
            groupBy = CapacityService.GroupBy.valueOf(b.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw FedplaneException.invalid(
                    "by", "must be cluster, idc, region, tier, provider or zone, got " + by);
        }
        CapacityService.Levels levels =
                capacity.waterLevels(caller, groupBy, ClusterSelector.ALL, false);
        return new ConsoleJson.Capacity(b, levels.levels(), levels.total());
    }
}
