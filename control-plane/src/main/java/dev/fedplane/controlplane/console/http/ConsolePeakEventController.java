package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.burst.BurstPlan;
import dev.fedplane.controlplane.burst.BurstPlanService;
import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * Peak events for the console: burst plans through {@link BurstPlanService} (every call needs
 * platform-admin, as the gRPC API). Creating and cancelling are audited under the gRPC method names
 * ({@code fedplane.v1.BurstPlanService/CreateBurstPlan}, {@code .../CancelBurstPlan}), target
 * {@code burstplan/<name>}, refused calls included; the dry run changes nothing and, like {@code
 * DryRunBurstPlan}, is not audited. A plan starts when its window starts (the leader's runner):
 * there is no separate start call, the console's form offers a window that starts now. Progress is
 * pushed as {@code change} events of kind {@code burst} on {@code /api/v1/events}.
 */
@Controller("/api/v1/peak-events")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsolePeakEventController {
    private static final String SERVICE = "fedplane.v1.BurstPlanService/";

    private final ConsoleCallers callers;
    private final BurstPlanService plans;

    public ConsolePeakEventController(ConsoleCallers callers, BurstPlanService plans) {
        this.callers = callers;
        this.plans = plans;
    }

    @Get
    public ConsoleJson.PlanList list(
            HttpRequest<?> request,
            @Nullable @QueryValue Integer pageSize,
            @Nullable @QueryValue String pageToken) {
        Principal caller = callers.caller(request);
        BurstPlanService.Page page =
                plans.list(
                        caller,
                        pageSize == null ? 0 : pageSize,
                        pageToken == null ? "" : pageToken);
        return new ConsoleJson.PlanList(
                page.plans().stream().map(ConsoleJson.PlanJson::of).toList(), page.nextPageToken());
    }

    /** One plan with its progress and its events, oldest first. */
    @Get("/{name}")
    public ConsoleJson.PlanDetail get(HttpRequest<?> request, @PathVariable String name) {
        Principal caller = callers.caller(request);
        BurstPlan p = plans.get(caller, name);
        return new ConsoleJson.PlanDetail(ConsoleJson.PlanJson.of(p), plans.events(caller, name));
    }

    @Post
    public HttpResponse<ConsoleJson.PlanJson> create(
            HttpRequest<?> request, @Nullable @Body ConsoleJson.PlanRequest body) {
        String name = body == null || body.name() == null ? "" : body.name().strip();
        BurstPlan created =
                callers.write(
                        request,
                        SERVICE + "CreateBurstPlan",
                        null,
                        "burstplan/" + name,
                        p ->
                                plans.create(
                                        p,
                                        name,
                                        body == null || body.spec() == null
                                                ? null
                                                : body.spec().toCore()));
        return HttpResponse.created(ConsoleJson.PlanJson.of(created));
    }

    /**
     * What a plan would do now, at its peak: a stored plan ({@code name}) or an inline {@code
     * spec}, whose window may lie in the past. Changes nothing.
     */
    @Post("/dry-run")
    public ConsoleJson.DryRun dryRun(
            HttpRequest<?> request, @Nullable @Body ConsoleJson.PlanRequest body) {
        Principal caller = callers.caller(request);
        String name = body == null || body.name() == null ? "" : body.name().strip();
        BurstPlan.Spec spec = body == null || body.spec() == null ? null : body.spec().toCore();
        if (name.isEmpty() && spec == null) {
            throw FedplaneException.invalid("spec", "is required when name is empty");
        }
        return ConsoleJson.DryRun.of(plans.dryRun(caller, name, spec));
    }

    @Post("/{name}/cancel")
    public ConsoleJson.PlanJson cancel(HttpRequest<?> request, @PathVariable String name) {
        return ConsoleJson.PlanJson.of(
                callers.write(
                        request,
                        SERVICE + "CancelBurstPlan",
                        null,
                        "burstplan/" + name,
                        p -> plans.cancel(p, name)));
    }
}
