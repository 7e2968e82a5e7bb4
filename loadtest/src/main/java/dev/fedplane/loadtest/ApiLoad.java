package dev.fedplane.loadtest;

import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantQuota;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * Platform-API load: CreateApp at a fixed rate into one fresh tenant (each call runs the tenant
 * lock, quota admission and the audit write), then GetApp at a fixed rate over the created apps.
 * Prints latency percentiles per operation, as text and as one JSON line per operation.
 */
@CommandLine.Command(
        name = "api",
        mixinStandardHelpOptions = true,
        description = "Open-loop CreateApp then GetApp load against the platform API.")
final class ApiLoad implements Callable<Integer> {
    @CommandLine.Mixin ControlPlaneOptions controlPlane;

    @CommandLine.Option(
            names = "--rate",
            defaultValue = "500",
            description = "calls per second of each phase")
    double rate;

    @CommandLine.Option(
            names = "--duration",
            defaultValue = "30",
            description = "seconds of each measured phase")
    long durationSeconds;

    @CommandLine.Option(
            names = "--warmup",
            defaultValue = "10",
            description = "seconds of unmeasured warm-up per phase")
    long warmupSeconds;

    @CommandLine.Option(names = "--max-in-flight", defaultValue = "512")
    int maxInFlight;

    @CommandLine.Option(
            names = "--tenants",
            defaultValue = "1",
            description =
                    "tenants the apps are spread over, round robin; 1 serialises every write on one tenant's admission lock")
    int tenantCount;

    @CommandLine.Option(
            names = "--label",
            defaultValue = "",
            description = "free text printed with the results (e.g. the store)")
    String label;

    @Override
    public Integer call() throws Exception {
        String secret = controlPlane.secret();
        ManagedChannel channel = controlPlane.channel();
        try {
            var tenants =
                    ControlPlaneOptions.withBearer(
                            TenantServiceGrpc.newBlockingStub(channel), secret);
            var apps =
                    ControlPlaneOptions.withBearer(AppServiceGrpc.newFutureStub(channel), secret);
            String run = "lt-" + UUID.randomUUID().toString().substring(0, 8);
            String[] tenantNames = new String[tenantCount];
            for (int k = 0; k < tenantCount; k++) {
                tenantNames[k] = run + "-" + k;
                // A quota large enough never to refuse, so every CreateApp pays for the full
                // admission check.
                tenants.createTenant(
                        CreateTenantRequest.newBuilder()
                                .setTenant(
                                        Tenant.newBuilder()
                                                .setName(tenantNames[k])
                                                .setQuota(
                                                        TenantQuota.newBuilder()
                                                                .setCpuMillis(Long.MAX_VALUE / 4)
                                                                .setMemoryMib(Long.MAX_VALUE / 4)
                                                                .setReplicas(Long.MAX_VALUE / 4)))
                                .build());
            }
            java.util.function.LongFunction<String> tenant =
                    i -> tenantNames[(int) (i % tenantCount)];
            AppSpec spec =
                    AppSpec.newBuilder()
                            .setImage("registry.example/web:1.0")
                            .setReplicas(3)
                            .setResources(
                                    Resources.newBuilder().setCpuMillis(250).setMemoryMib(256))
                            .setPlacement(
                                    PlacementPolicy.newBuilder()
                                            .setReplicaScheduling(
                                                    ReplicaScheduling.newBuilder()
                                                            .setType(
                                                                    ReplicaScheduling.Type
                                                                            .DIVIDED)))
                            .build();

            long warm = (long) (rate * warmupSeconds);
            OpenLoop.run(
                    "CreateApp(warm-up)",
                    rate,
                    Duration.ofSeconds(warmupSeconds),
                    maxInFlight,
                    i ->
                            apps.createApp(
                                    CreateAppRequest.newBuilder()
                                            .setApp(
                                                    App.newBuilder()
                                                            .setTenant(tenant.apply(i))
                                                            .setName("w-" + i)
                                                            .setSpec(spec))
                                            .build()));
            OpenLoop.Result create =
                    OpenLoop.run(
                            "CreateApp",
                            rate,
                            Duration.ofSeconds(durationSeconds),
                            maxInFlight,
                            i ->
                                    apps.createApp(
                                            CreateAppRequest.newBuilder()
                                                    .setApp(
                                                            App.newBuilder()
                                                                    .setTenant(tenant.apply(i))
                                                                    .setName("a-" + i)
                                                                    .setSpec(spec))
                                                    .build()));
            long created = create.sent();
            OpenLoop.run(
                    "GetApp(warm-up)",
                    rate,
                    Duration.ofSeconds(warmupSeconds),
                    maxInFlight,
                    i -> {
                        long w = i % Math.max(1, warm);
                        return apps.getApp(
                                GetAppRequest.newBuilder()
                                        .setTenant(tenant.apply(w))
                                        .setName("w-" + w)
                                        .build());
                    });
            OpenLoop.Result get =
                    OpenLoop.run(
                            "GetApp",
                            rate,
                            Duration.ofSeconds(durationSeconds),
                            maxInFlight,
                            i -> {
                                long a = i % created;
                                return apps.getApp(
                                        GetAppRequest.newBuilder()
                                                .setTenant(tenant.apply(a))
                                                .setName("a-" + a)
                                                .build());
                            });
            System.out.println(
                    "# fedplane api load "
                            + label
                            + ": target "
                            + controlPlane.target
                            + ", "
                            + rate
                            + " calls/s per phase, "
                            + durationSeconds
                            + " s measured after "
                            + warmupSeconds
                            + " s warm-up, "
                            + tenantCount
                            + " tenant(s); latency from each call's due time");
            System.out.println(
                    String.format(
                            Locale.ROOT,
                            "%-10s %8s %7s %9s %8s %8s %8s %8s %8s",
                            "op",
                            "calls",
                            "errors",
                            "calls/s",
                            "p50 ms",
                            "p90 ms",
                            "p99 ms",
                            "p99.9 ms",
                            "max ms"));
            for (OpenLoop.Result r : new OpenLoop.Result[] {create, get}) {
                System.out.println(text(r));
            }
            for (OpenLoop.Result r : new OpenLoop.Result[] {create, get}) {
                System.out.println(json(r));
            }
            return create.failed() + get.failed() == 0 ? 0 : 1;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    static String text(OpenLoop.Result r) {
        var h = r.latencyNanos();
        String line =
                String.format(
                        Locale.ROOT,
                        "%-10s %8d %7d %9.1f %8.2f %8.2f %8.2f %8.2f %8.2f",
                        r.op(),
                        r.sent(),
                        r.failed(),
                        r.achievedRate(),
                        ms(h.getValueAtPercentile(50)),
                        ms(h.getValueAtPercentile(90)),
                        ms(h.getValueAtPercentile(99)),
                        ms(h.getValueAtPercentile(99.9)),
                        ms(h.getMaxValue()));
        return r.firstError() == null ? line : line + "   first error: " + r.firstError();
    }

    static String json(OpenLoop.Result r) {
        var h = r.latencyNanos();
        return String.format(
                Locale.ROOT,
                "{\"op\":\"%s\",\"calls\":%d,\"errors\":%d,\"callsPerSecond\":%.1f,"
                        + "\"p50Ms\":%.3f,\"p90Ms\":%.3f,\"p99Ms\":%.3f,\"p999Ms\":%.3f,\"maxMs\":%.3f}",
                r.op(),
                r.sent(),
                r.failed(),
                r.achievedRate(),
                ms(h.getValueAtPercentile(50)),
                ms(h.getValueAtPercentile(90)),
                ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)),
                ms(h.getMaxValue()));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
