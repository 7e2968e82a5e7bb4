package dev.fedplane.loadtest;

import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;

/**
 * Simulated agents at the protocol level (no Kubernetes behind them: they apply by recording and
 * acknowledge at once) to measure the control plane's propagation: the time from CreateApp
 * returning until every agent the app was placed on acknowledged a desired state holding its share,
 * and the time from a killed cluster's grace period expiring until its replicas are acknowledged by
 * the others.
 */
@CommandLine.Command(
        name = "agents",
        mixinStandardHelpOptions = true,
        description = "Propagation and failover latency with many simulated agents.")
final class AgentsLoad implements Callable<Integer> {
    @CommandLine.Mixin ControlPlaneOptions controlPlane;

    @CommandLine.Option(names = "--clusters", defaultValue = "100")
    int clusters;

    @CommandLine.Option(
            names = "--apps",
            defaultValue = "100",
            description = "apps created one after another")
    int apps;

    @CommandLine.Option(names = "--replicas", defaultValue = "10", description = "replicas per app")
    int replicas;

    @CommandLine.Option(
            names = "--kills",
            defaultValue = "5",
            description = "clusters killed one after another")
    int kills;

    @CommandLine.Option(
            names = "--lost-after",
            defaultValue = "40",
            description = "the control plane's grace period (s)")
    long lostAfterSeconds;

    private final ScheduledExecutorService beats = Executors.newScheduledThreadPool(2);

    @Override
    public Integer call() throws Exception {
        String secret = controlPlane.secret();
        ManagedChannel channel = controlPlane.channel();
        String run = "sim-" + UUID.randomUUID().toString().substring(0, 6);
        Fleet fleet = new Fleet(channel, beats);
        try {
            String boot =
                    ControlPlaneOptions.withBearer(
                                    TokenServiceGrpc.newBlockingStub(channel), secret)
                            .createToken(
                                    CreateTokenRequest.newBuilder()
                                            .setKind(TokenKind.BOOTSTRAP)
                                            .setMaxUses(clusters)
                                            .setTtlSeconds(3600)
                                            .setDescription("loadtest agents")
                                            .build())
                            .getSecret();
            for (int i = 0; i < clusters; i++) {
                SimAgent a =
                        fleet.add(
                                String.format(Locale.ROOT, "%s-%03d", run, i),
                                Map.of("region", "load", "tier", "idc"));
                a.register(boot);
                a.connect();
            }
            System.out.printf(Locale.ROOT, "%d agents registered and connected%n", clusters);
            ControlPlaneOptions.withBearer(TenantServiceGrpc.newBlockingStub(channel), secret)
                    .createTenant(
                            CreateTenantRequest.newBuilder()
                                    .setTenant(Tenant.newBuilder().setName(run))
                                    .build());
            var appStub =
                    ControlPlaneOptions.withBearer(AppServiceGrpc.newBlockingStub(channel), secret);

            Map<String, Integer> expected = new HashMap<>();
            Histogram propagation = new Histogram(60_000_000_000L, 3);
            for (int k = 0; k < apps; k++) {
                String name = "app-" + k;
                appStub.createApp(
                        CreateAppRequest.newBuilder()
                                .setApp(
                                        dev.fedplane.proto.v1.App.newBuilder()
                                                .setTenant(run)
                                                .setName(name)
                                                .setSpec(FleetLoad.spec(replicas)))
                                .build());
                long t0 = System.nanoTime();
                long done = placed(fleet, Map.of(run + "/" + name, replicas), t0);
                propagation.recordValue(Math.max(0, done - t0));
                expected.put(run + "/" + name, replicas);
            }
            report("create-to-acked", propagation);

            Histogram failover = new Histogram(600_000_000_000L, 3);
            for (int n = 0; n < kills; n++) {
                SimAgent victim =
                        fleet.live().stream()
                                .max((x, y) -> Integer.compare(x.total(), y.total()))
                                .orElseThrow();
                int held = victim.total();
                fleet.kill(victim);
                long expires = victim.lastBeatNanos + TimeUnit.SECONDS.toNanos(lostAfterSeconds);
                long done = placed(fleet, expected, expires);
                failover.recordValue(Math.max(0, done - expires));
                System.out.printf(
                        Locale.ROOT,
                        "killed %s (%d replicas): acked elsewhere %.0f ms after its grace expired%n",
                        victim.name,
                        held,
                        (done - expires) / 1e6);
            }
            report("grace-expired-to-acked", failover);
            return 0;
        } finally {
            fleet.agents.values().forEach(SimAgent::kill);
            beats.shutdownNow();
            channel.shutdownNow();
        }
    }

    /**
     * Waits until every app's replicas are on live agents; the time of the last acknowledgement
     * that made it so.
     */
    private long placed(Fleet fleet, Map<String, Integer> expected, long since)
            throws InterruptedException {
        long done =
                fleet.awaitTotals(
                        expected,
                        System.nanoTime() + TimeUnit.SECONDS.toNanos(lostAfterSeconds + 120));
        if (done < 0) {
            throw new IllegalStateException("not placed in time: " + expected.size() + " app(s)");
        }
        return Math.max(since, done);
    }

    private static void report(String what, Histogram h) {
        System.out.printf(
                Locale.ROOT,
                "%-24s n=%d  p50=%.1f ms  p99=%.1f ms  max=%.1f ms%n",
                what,
                h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6);
        System.out.printf(
                Locale.ROOT,
                "{\"metric\":\"%s\",\"n\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}%n",
                what,
                h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6,
                h.getMaxValue() / 1e6);
    }
}
