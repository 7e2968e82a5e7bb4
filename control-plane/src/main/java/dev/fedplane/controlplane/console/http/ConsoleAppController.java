package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.app.App;
import dev.fedplane.controlplane.app.AppRevisionService;
import dev.fedplane.controlplane.app.AppService;
import dev.fedplane.controlplane.app.AppStore;
import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Violations;
import dev.fedplane.controlplane.placement.PlacementService;
import dev.fedplane.controlplane.rollout.RolloutService;
import dev.fedplane.controlplane.store.UnconditionalWrite;
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
import java.util.List;
import java.util.Locale;

/**
 * Apps for the console: pages of apps (a tenant role sees its tenant's only), one app with every
 * cluster's verdict and effective spec from {@link PlacementService#explainWithEffective} and its
 * latest staged rollout (as {@code GetApp} carries it), and the writes the console makes (create,
 * scale) through {@link AppService}, audited.
 */
@Controller("/api/v1/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleAppController {
    private final ConsoleCallers callers;
    private final AppService apps;
    private final PlacementService placements;
    private final AppRevisionService revisions;
    private final RolloutService rollouts;

    public ConsoleAppController(
            ConsoleCallers callers,
            AppService apps,
            PlacementService placements,
            AppRevisionService revisions,
            RolloutService rollouts) {
        this.callers = callers;
        this.apps = apps;
        this.placements = placements;
        this.revisions = revisions;
        this.rollouts = rollouts;
    }

    /** The app's kept revisions, newest (current) first ({@code ListAppRevisions}). */
    @Get("/{tenant}/{name}/revisions")
    public ConsoleJson.RevisionList revisions(
            HttpRequest<?> request, @PathVariable String tenant, @PathVariable String name) {
        return ConsoleJson.RevisionList.of(revisions.list(callers.caller(request), tenant, name));
    }

    /**
     * What changed from revision {@code from} to {@code to} (0 or absent: the current one), field
     * by field ({@code GetAppRevisionDiff}).
     */
    @Get("/{tenant}/{name}/revisions/diff")
    public ConsoleJson.RevisionDiff revisionDiff(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @QueryValue String from,
            @Nullable @QueryValue String to) {
        Principal caller = callers.caller(request);
        Violations v = new Violations();
        long f = revisionNumber(from, "from_revision", v);
        long t = revisionNumber(to, "to_revision", v);
        v.throwIfAny();
        return ConsoleJson.RevisionDiff.of(revisions.diff(caller, tenant, name, f, t));
    }

    private static long revisionNumber(String value, String field, Violations v) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            v.add(field, "must be a revision number, got \"" + value + "\"");
            return 0;
        }
    }

    @Get
    public ConsoleJson.AppList list(
            HttpRequest<?> request,
            @Nullable @QueryValue String tenant,
            @Nullable @QueryValue Integer pageSize,
            @Nullable @QueryValue String pageToken) {
        Principal caller = callers.caller(request);
        AppService.Page page =
                apps.list(
                        caller,
                        tenant == null ? "" : tenant,
                        pageSize == null ? 0 : pageSize,
                        pageToken == null ? "" : pageToken);
        return new ConsoleJson.AppList(
                page.apps().stream().map(ConsoleJson.AppJson::of).toList(), page.nextPageToken());
    }

    @Get("/{tenant}/{name}")
    public ConsoleJson.AppDetail get(
            HttpRequest<?> request, @PathVariable String tenant, @PathVariable String name) {
        Principal caller = callers.caller(request);
        AppStore.Stored stored = apps.getStored(caller, tenant, name);
        PlacementService.Explained e = placements.explainWithEffective(caller, tenant, name);
        return new ConsoleJson.AppDetail(
                ConsoleJson.AppJson.of(stored.app()),
                ConsoleJson.ExplanationJson.of(e.explanation(), e.effective()),
                rollouts.latestOf(stored.id(), stored.app())
                        .map(ConsoleJson.RolloutJson::of)
                        .orElse(null));
    }

    @Post
    public HttpResponse<ConsoleJson.AppJson> create(
            HttpRequest<?> request, @Nullable @Body ConsoleJson.CreateAppRequest body) {
        ConsoleJson.CreateAppRequest b =
                body == null
                        ? new ConsoleJson.CreateAppRequest(null, null, null, null, null, null, null)
                        : body;
        String tenant = b.tenant() == null ? "" : b.tenant();
        String name = b.name() == null ? "" : b.name();
        App created =
                callers.write(
                        request,
                        "fedplane.v1.AppService/CreateApp",
                        tenant,
                        "app/" + tenant + "/" + name,
                        p -> apps.create(p, tenant, name, spec(b, "app.spec")));
        return HttpResponse.created(ConsoleJson.AppJson.of(created));
    }

    @Post("/{tenant}/{name}/scale")
    public ConsoleJson.AppJson scale(
            HttpRequest<?> request,
            @PathVariable String tenant,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.ScaleRequest body) {
        return ConsoleJson.AppJson.of(
                callers.write(
                        request,
                        "fedplane.v1.AppService/ScaleApp",
                        tenant,
                        "app/" + tenant + "/" + name,
                        p -> {
                            if (body == null || body.replicas() == null) {
                                throw FedplaneException.invalid("replicas", "is required");
                            }
                            long rv = body.resourceVersion() == null ? 0 : body.resourceVersion();
                            return UnconditionalWrite.run(
                                    rv, () -> apps.scale(p, tenant, name, rv, body.replicas()));
                        }));
    }

    /**
     * The spec of a console-created app: the default policy with the chosen type. {@code field}
     * names the spec in violations ({@code app.spec}, {@code creates[0].spec}).
     */
    static App.Spec spec(ConsoleJson.CreateAppRequest b, String field) {
        Violations v = new Violations();
        if (b.replicas() == null) {
            v.add(field + ".replicas", "is required");
        }
        App.Type type = App.Type.DIVIDED;
        if (b.type() != null && !b.type().isBlank()) {
            try {
                type = App.Type.valueOf(b.type().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.add(
                        field + ".placement.replicaScheduling.type",
                        "must be DUPLICATED, DIVIDED or AGGREGATED, got " + b.type());
            }
        }
        v.throwIfAny();
        return new App.Spec(
                b.image() == null ? "" : b.image(),
                b.replicas(),
                b.cpuMillis() == null ? 0 : b.cpuMillis(),
                b.memoryMiB() == null ? 0 : b.memoryMiB(),
                List.of(),
                List.of(),
                new App.Policy(
                        ClusterSelector.ALL,
                        List.of(),
                        type,
                        App.Division.STATIC_WEIGHTS,
                        List.of(),
                        List.of(),
                        List.of(),
                        null,
                        false),
                List.of(),
                null);
    }
}
