package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.capacity.CapacityService;
import dev.fedplane.controlplane.capacity.WhatIfService;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Water levels for the console ({@link CapacityService#waterLevels}, platform-admin only), grouped
 * by cluster, idc, region, tier, provider or zone; and the what-if questions of {@link
 * WhatIfService} (scale or create apps: platform-admin or a role of the apps' tenant; lose
 * clusters: platform-admin). What-if changes nothing, so like the gRPC {@code WhatIf*} calls it is
 * not audited.
 */
@Controller("/api/v1/capacity")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleCapacityController {
    private final ConsoleCallers callers;
    private final CapacityService capacity;
    private final WhatIfService whatIf;

    public ConsoleCapacityController(
            ConsoleCallers callers, CapacityService capacity, WhatIfService whatIf) {
        this.callers = callers;
        this.capacity = capacity;
        this.whatIf = whatIf;
    }

    /** {@code WhatIfApps}: existing apps at new counts and new apps, placed on a copy. */
    @Post("/what-if/apps")
    public ConsoleJson.WhatIf whatIfApps(
            HttpRequest<?> request, @Nullable @Body ConsoleJson.WhatIfAppsRequest body) {
        var caller = callers.caller(request);
        List<WhatIfService.Scale> scales = new ArrayList<>();
        List<WhatIfService.Create> creates = new ArrayList<>();
        if (body != null && body.scales() != null) {
            for (int i = 0; i < body.scales().size(); i++) {
                ConsoleJson.WhatIfScale s = body.scales().get(i);
                if (s == null || s.replicas() == null) {
                    throw FedplaneException.invalid("scales[" + i + "].replicas", "is required");
                }
                scales.add(
                        new WhatIfService.Scale(
                                s.tenant() == null ? "" : s.tenant().strip(),
                                s.name() == null ? "" : s.name().strip(),
                                s.replicas()));
            }
        }
        if (body != null && body.creates() != null) {
            for (int i = 0; i < body.creates().size(); i++) {
                ConsoleJson.CreateAppRequest c = body.creates().get(i);
                if (c == null) {
                    throw FedplaneException.invalid("creates[" + i + "]", "is required");
                }
                creates.add(
                        new WhatIfService.Create(
                                c.tenant() == null ? "" : c.tenant().strip(),
                                c.name() == null ? "" : c.name().strip(),
                                ConsoleAppController.spec(c, "creates[" + i + "].spec")));
            }
        }
        return ConsoleJson.WhatIf.of(whatIf.apps(caller, scales, creates));
    }

    /** {@code WhatIfClusterLoss}: the named clusters and every cluster of {@code idc} lost. */
    @Post("/what-if/cluster-loss")
    public ConsoleJson.WhatIf whatIfClusterLoss(
            HttpRequest<?> request, @Nullable @Body ConsoleJson.WhatIfClusterLossRequest body) {
        var caller = callers.caller(request);
        List<String> names = new ArrayList<>();
        if (body != null && body.clusters() != null) {
            for (String n : body.clusters()) {
                names.add(n == null ? "" : n.strip());
            }
        }
        String idc = body == null || body.idc() == null ? "" : body.idc().strip();
        return ConsoleJson.WhatIf.of(whatIf.clusterLoss(caller, names, idc));
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
