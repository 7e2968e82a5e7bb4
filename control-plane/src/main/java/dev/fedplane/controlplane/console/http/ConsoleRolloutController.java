package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.rollout.RolloutService;
import dev.fedplane.controlplane.store.UnconditionalWrite;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * An app's staged rollout for the console, over {@link RolloutService} as {@code
 * fedplane.v1.RolloutService} is: read it (readers of the app's tenant), and pause, resume,
 * approve, abort and roll back (writers of the tenant), each write audited under the gRPC method's
 * name with the target {@code rollout/<tenant>/<app>}, refused ones included. The optional {@code
 * rolloutId} of a write is the precondition of the gRPC {@code rollout_id}.
 */
@Controller("/api/v1/apps/{tenant}/{name}/rollout")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleRolloutController {
    private static final String SERVICE = "fedplane.v1.RolloutService/";

    private final ConsoleCallers callers;
    private final RolloutService rollouts;

    public ConsoleRolloutController(ConsoleCallers callers, RolloutService rollouts) {
        this.callers = callers;
        this.rollouts = rollouts;
    }

    /** The app's latest rollout ({@code GetRollout}); NOT_FOUND when it never had one. */
    @Get
    public ConsoleJson.RolloutJson get(
            HttpRequest<?> request, @PathVariable String tenant, @PathVariable String name) {
        return ConsoleJson.RolloutJson.of(rollouts.get(callers.caller(request), tenant, name));
    }

    @Post("/pause")
    public ConsoleJson.RolloutJson pause(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.RolloutActionRequest body) {
        return act(
                request,
                "PauseRollout",
                tenant,
                name,
                p -> rollouts.pause(p, tenant, name, rolloutId(body)));
    }

    @Post("/resume")
    public ConsoleJson.RolloutJson resume(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.RolloutActionRequest body) {
        return act(
                request,
                "ResumeRollout",
                tenant,
                name,
                p -> rollouts.resume(p, tenant, name, rolloutId(body)));
    }

    /** Passes a MANUAL gate; {@code stage} (optional) must be the stage the rollout waits at. */
    @Post("/approve")
    public ConsoleJson.RolloutJson approve(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.RolloutActionRequest body) {
        String stage = body == null || body.stage() == null ? "" : body.stage().strip();
        return act(
                request,
                "ApproveRolloutStage",
                tenant,
                name,
                p -> rollouts.approve(p, tenant, name, rolloutId(body), stage));
    }

    @Post("/abort")
    public ConsoleJson.RolloutJson abort(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.RolloutActionRequest body) {
        return act(
                request,
                "AbortRollout",
                tenant,
                name,
                p -> rollouts.abort(p, tenant, name, rolloutId(body)));
    }

    /**
     * A new revision with revision {@code toRevision}'s template (0 or absent: the previous one),
     * rolled out by the stages or, with {@code immediate}, everywhere at once ({@code
     * RollbackApp}).
     */
    @Post("/rollback")
    public ConsoleJson.RolledBackJson rollback(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.RollbackRequest body) {
        long to = body == null || body.toRevision() == null ? 0 : body.toRevision();
        boolean immediate = body != null && Boolean.TRUE.equals(body.immediate());
        long rv = body == null || body.resourceVersion() == null ? 0 : body.resourceVersion();
        RolloutService.RolledBack done =
                callers.write(
                        request,
                        SERVICE + "RollbackApp",
                        tenant,
                        target(tenant, name),
                        p ->
                                UnconditionalWrite.run(
                                        rv,
                                        () ->
                                                rollouts.rollback(
                                                        p, tenant, name, to, immediate, rv)));
        return new ConsoleJson.RolledBackJson(
                done.revision(),
                ConsoleJson.AppJson.of(done.app()),
                done.rollout().map(ConsoleJson.RolloutJson::of).orElse(null));
    }

    private ConsoleJson.RolloutJson act(
            HttpRequest<?> request,
            String method,
            String tenant,
            String name,
            java.util.function.Function<Principal, RolloutService.View> action) {
        return ConsoleJson.RolloutJson.of(
                callers.write(request, SERVICE + method, tenant, target(tenant, name), action));
    }

    private static long rolloutId(@Nullable ConsoleJson.RolloutActionRequest body) {
        return body == null || body.rolloutId() == null ? 0 : body.rolloutId();
    }

    /** As the gRPC audit names a RolloutService call's target. */
    private static String target(String tenant, String name) {
        return "rollout/" + tenant + "/" + name;
    }
}
