package dev.fedplane.loadtest;

import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadKey;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Simulated agents at the protocol level (no Kubernetes behind them: they apply by recording and
 * acknowledge at once) to measure the control plane's propagation: the time from CreateApp
 * returning until every agent the app was placed on acknowledged a desired state holding its
 * share, and the time from a killed cluster's grace period expiring until its replicas are
 * acknowledged by the others.
 */
@CommandLine.Command(name = "agents", mixinStandardHelpOptions = true,
        description = "Propagation and failover latency with many simulated agents.")
final class AgentsLoad implements Callable<Integer> {
    @CommandLine.Mixin
    ControlPlaneOptions controlPlane;

    @CommandLine.Option(names = "--clusters", defaultValue = "100")
    int clusters;

    @CommandLine.Option(names = "--apps", defaultValue = "100", description = "apps created one after another")
    int apps;

    @CommandLine.Option(names = "--replicas", defaultValue = "10", description = "replicas per app")
    int replicas;

    @CommandLine.Option(names = "--kills", defaultValue = "5", description = "clusters killed one after another")
    int kills;

    @CommandLine.Option(names = "--lost-after", defaultValue = "40", description = "the control plane's grace period (s)")
    long lostAfterSeconds;

    private final Map<String, SimAgent> agents = new ConcurrentHashMap<>();
    private final ScheduledExecutorService beats = Executors.newScheduledThreadPool(2);

    @Override
    public Integer call() throws Exception {
        String secret = controlPlane.secret();
        ManagedChannel channel = controlPlane.channel();
        String run = "sim-" + UUID.randomUUID().toString().substring(0, 6);
        try {
            String boot = ControlPlaneOptions.withBearer(TokenServiceGrpc.newBlockingStub(channel), secret).createToken(CreateTokenRequest.newBuilder()
                    .setKind(TokenKind.BOOTSTRAP).setMaxUses(clusters).setTtlSeconds(3600)
                    .setDescription("loadtest agents").build()).getSecret();
            for (int i = 0; i < clusters; i++) {
                SimAgent a = new SimAgent(channel, String.format(Locale.ROOT, "%s-%03d", run, i));
                a.register(boot);
                a.connect();
                agents.put(a.name, a);
            }
            System.out.printf(Locale.ROOT, "%d agents registered and connected%n", clusters);
            ControlPlaneOptions.withBearer(TenantServiceGrpc.newBlockingStub(channel), secret).createTenant(CreateTenantRequest.newBuilder()
                    .setTenant(Tenant.newBuilder().setName(run)).build());
            var appStub = ControlPlaneOptions.withBearer(AppServiceGrpc.newBlockingStub(channel), secret);

            Histogram propagation = new Histogram(60_000_000_000L, 3);
            for (int k = 0; k < apps; k++) {
                String name = "app-" + k;
                appStub.createApp(CreateAppRequest.newBuilder().setApp(dev.fedplane.proto.v1.App.newBuilder()
                        .setTenant(run).setName(name).setSpec(spec(replicas))).build());
                long t0 = System.nanoTime();
                long done = awaitPlaced(List.of(run + "/" + name), t0);
                propagation.recordValue(Math.max(0, done - t0));
            }
            report("create-to-acked", propagation);

            Histogram failover = new Histogram(600_000_000_000L, 3);
            List<String> all = new ArrayList<>();
            for (int k = 0; k < apps; k++) {
                all.add(run + "/app-" + k);
            }
            for (int n = 0; n < kills; n++) {
                SimAgent victim = agents.values().stream().max((x, y) -> Integer.compare(x.total(), y.total())).orElseThrow();
                victim.kill();
                agents.remove(victim.name);
                long expires = victim.lastBeatNanos + TimeUnit.SECONDS.toNanos(lostAfterSeconds);
                long done = awaitPlaced(all, expires);
                failover.recordValue(Math.max(0, done - expires));
                System.out.printf(Locale.ROOT, "killed %s (%d replicas): acked elsewhere %.0f ms after its grace expired%n",
                        victim.name, victim.total(), (done - expires) / 1e6);
            }
            report("grace-expired-to-acked", failover);
            return 0;
        } finally {
            agents.values().forEach(SimAgent::kill);
            beats.shutdownNow();
            channel.shutdownNow();
        }
    }

    /** Waits until every app's replicas are on live agents; the time of the last acknowledgement that made it so. */
    private long awaitPlaced(List<String> keys, long since) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(lostAfterSeconds + 120);
        while (System.nanoTime() < deadline) {
            long last = since;
            boolean complete = true;
            for (String key : keys) {
                int sum = 0;
                for (SimAgent a : agents.values()) {
                    Applied w = a.applied.get(key);
                    if (w != null && w.replicas > 0) {
                        sum += w.replicas;
                        last = Math.max(last, w.ackedAt);
                    }
                }
                if (sum != replicas) {
                    complete = false;
                    break;
                }
            }
            if (complete) {
                return last;
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("not placed in time: " + keys.size() + " app(s)");
    }

    private static void report(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%-24s n=%d  p50=%.1f ms  p99=%.1f ms  max=%.1f ms%n", what, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
        System.out.printf(Locale.ROOT, "{\"metric\":\"%s\",\"n\":%d,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}%n", what,
                h.getTotalCount(), h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
    }

    private static AppSpec spec(int replicas) {
        return AppSpec.newBuilder().setImage("registry.example/load:1").setReplicas(replicas)
                .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryMib(128))
                .setPlacement(PlacementPolicy.newBuilder().setReplicaScheduling(ReplicaScheduling.newBuilder()
                        .setType(ReplicaScheduling.Type.DIVIDED).setDivision(ReplicaScheduling.Division.STATIC_WEIGHTS)))
                .build();
    }

    private record Applied(int replicas, long ackedAt) {
    }

    /** One simulated cluster: records what it is sent and acknowledges at once. */
    private final class SimAgent {
        final String name;
        final ManagedChannel channel;
        final Map<String, Applied> applied = new ConcurrentHashMap<>();
        String credential;
        volatile long lastBeatNanos;
        volatile boolean dead;
        ClientCallStreamObserver<AgentMessage> out;
        java.util.concurrent.ScheduledFuture<?> beat;

        SimAgent(ManagedChannel channel, String name) {
            this.channel = channel;
            this.name = name;
        }

        int total() {
            return applied.values().stream().mapToInt(Applied::replicas).sum();
        }

        ClusterCapacity capacity() {
            return ClusterCapacity.newBuilder()
                    .setAllocatable(Resources.newBuilder().setCpuMillis(64000).setMemoryMib(262144).setPods(1100))
                    .setRequested(Resources.newBuilder()).build();
        }

        void register(String boot) {
            RegisterResponse r = ControlPlaneOptions.withBearer(AgentServiceGrpc.newBlockingStub(channel), boot).register(RegisterRequest.newBuilder()
                    .setClusterName(name).putLabels("region", "load").putLabels("tier", "idc").setCapacity(capacity())
                    .setAgentVersion("loadtest").build());
            credential = r.getCredential();
            long every = Math.max(1, r.getHeartbeatIntervalSeconds()) * 1000L;
            beat = beats.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
        }

        void connect() {
            ControlPlaneOptions.withBearer(AgentServiceGrpc.newStub(channel), credential).connect(new ClientResponseObserver<AgentMessage, ControlMessage>() {
                @Override
                public void beforeStart(ClientCallStreamObserver<AgentMessage> requestStream) {
                    out = requestStream;
                }

                @Override
                public void onNext(ControlMessage m) {
                    apply(m);
                }

                @Override
                public void onError(Throwable t) {
                    if (!dead) {
                        System.err.println(name + ": stream failed: " + t);
                    }
                }

                @Override
                public void onCompleted() {
                }
            });
            send(AgentMessage.newBuilder().setHello(Hello.newBuilder().setClusterName(name)).build());
            heartbeat();
        }

        synchronized void send(AgentMessage m) {
            if (!dead) {
                out.onNext(m);
            }
        }

        void heartbeat() {
            send(AgentMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder().setCapacity(capacity())
                    .setSentUnixMillis(System.currentTimeMillis())).build());
            lastBeatNanos = System.nanoTime();
        }

        void apply(ControlMessage m) {
            long now = System.nanoTime();
            if (m.hasFull()) {
                Map<String, Integer> next = new java.util.HashMap<>();
                for (Workload w : m.getFull().getWorkloadsList()) {
                    next.put(w.getTenant() + "/" + w.getApp(), w.getReplicas());
                }
                applied.keySet().removeIf(k -> !next.containsKey(k));
                next.forEach((k, n) -> set(k, n, now));
            } else {
                for (Workload w : m.getDelta().getUpsertWorkloadsList()) {
                    set(w.getTenant() + "/" + w.getApp(), w.getReplicas(), now);
                }
                for (WorkloadKey k : m.getDelta().getRemoveWorkloadsList()) {
                    applied.remove(k.getTenant() + "/" + k.getApp());
                }
            }
            send(AgentMessage.newBuilder().setAck(Ack.newBuilder().setGeneration(m.getGeneration()).setSuccess(true)).build());
        }

        private void set(String key, int n, long now) {
            Applied before = applied.get(key);
            if (before == null || before.replicas != n) {
                applied.put(key, new Applied(n, now));
            }
        }

        void kill() {
            synchronized (this) {
                if (dead) {
                    return;
                }
                dead = true;
            }
            if (beat != null) {
                beat.cancel(false);
            }
            if (out != null) {
                out.cancel("killed by the load test", null);
            }
        }
    }
}
