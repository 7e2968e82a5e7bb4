package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.cluster.Cluster;
import dev.fedplane.controlplane.cluster.ClusterService;
import dev.fedplane.controlplane.console.CapacityHistory;
import dev.fedplane.controlplane.console.ConsoleQueries;
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
import java.util.Comparator;
import java.util.List;

/**
 * Clusters for the console: the whole fleet in one answer (the console virtualises the list, so
 * 1,000 clusters are one request), one cluster with its capacity history and apps, and the operator
 * marks (cordon, uncordon, drain) through {@link ClusterService}, audited.
 */
@Controller("/api/v1/clusters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleClusterController {
    private final ConsoleCallers callers;
    private final ClusterService clusters;
    private final CapacityHistory history;
    private final ConsoleQueries queries;

    public ConsoleClusterController(
            ConsoleCallers callers,
            ClusterService clusters,
            CapacityHistory history,
            ConsoleQueries queries) {
        this.callers = callers;
        this.clusters = clusters;
        this.history = history;
        this.queries = queries;
    }

    @Get
    public ConsoleJson.ClusterList list(HttpRequest<?> request) {
        callers.caller(request);
        List<ConsoleJson.ClusterJson> out =
                clusters.all().stream()
                        .sorted(Comparator.comparing(Cluster::name))
                        .map(ConsoleJson.ClusterJson::of)
                        .toList();
        return new ConsoleJson.ClusterList(out);
    }

    @Get("/{name}")
    public ConsoleJson.ClusterDetail get(HttpRequest<?> request, @PathVariable String name) {
        Principal caller = callers.caller(request);
        Cluster c = clusters.get(caller, name);
        return new ConsoleJson.ClusterDetail(
                ConsoleJson.ClusterJson.of(c), history.of(name), queries.appsOn(caller, name));
    }

    @Post("/{name}/cordon")
    public ConsoleJson.ClusterJson cordon(
            HttpRequest<?> request,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.MarkRequest body) {
        return mark(request, name, body, "CordonCluster", clusters::cordon);
    }

    @Post("/{name}/uncordon")
    public ConsoleJson.ClusterJson uncordon(
            HttpRequest<?> request,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.MarkRequest body) {
        return mark(request, name, body, "UncordonCluster", clusters::uncordon);
    }

    @Post("/{name}/drain")
    public ConsoleJson.ClusterJson drain(
            HttpRequest<?> request,
            @PathVariable String name,
            @Nullable @Body ConsoleJson.MarkRequest body) {
        return mark(request, name, body, "DrainCluster", clusters::drain);
    }

    /** One of ClusterService's marks, audited under its gRPC method's name. */
    private interface Mark {
        Cluster apply(Principal caller, String name, long resourceVersion);
    }

    private ConsoleJson.ClusterJson mark(
            HttpRequest<?> request,
            String name,
            ConsoleJson.MarkRequest body,
            String rpc,
            Mark mark) {
        long version = version(body);
        return ConsoleJson.ClusterJson.of(
                callers.write(
                        request,
                        "fedplane.v1.ClusterService/" + rpc,
                        null,
                        "cluster/" + name,
                        p -> UnconditionalWrite.run(version, () -> mark.apply(p, name, version))));
    }

    private static long version(ConsoleJson.MarkRequest body) {
        return body == null || body.resourceVersion() == null ? 0 : body.resourceVersion();
    }
}
