package dev.fedplane.controlplane.testing;

import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.TenantNamespace;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadKey;
import dev.fedplane.proto.v1.WorkloadStatus;
import dev.fedplane.proto.v1.WorkloadStatusReport;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client of the real agent protocol, driven step by step by a test: it registers, opens the
 * stream, sends hellos, heartbeats, reports and acks, and keeps the desired state it was sent the
 * way an agent applies it (full replaces, delta patches). No Kubernetes behind it: the agent module
 * tests the applying side.
 */
public final class ProtocolAgent implements AutoCloseable {
    public final String cluster;
    private final Channel channel;
    private String credential;
    private StreamObserver<AgentMessage> requests;
    public final BlockingQueue<ControlMessage> received = new LinkedBlockingQueue<>();

    /**
     * Whether the next hello asks for heartbeat acks (off: the tests' apply helpers expect none).
     */
    public volatile boolean askHeartbeatAcks;

    public volatile Status closedWith;

    /**
     * The error that ended the stream (its trailers carry a follower's LeaderRedirect); null
     * otherwise.
     */
    public volatile Throwable closedError;

    /** Applied state: namespaces by tenant, workloads by tenant/app. */
    public final Map<String, TenantNamespace> namespaces = new TreeMap<>();

    public final Map<String, Workload> workloads = new TreeMap<>();
    public long appliedGeneration;
    public long seenEpoch;

    /** What heartbeats report; sent every 300 ms while connected. */
    public volatile ClusterCapacity capacity = capacity(8000, 32768, 110);

    private Thread pulse;

    public ProtocolAgent(Channel channel, String cluster) {
        this.channel = channel;
        this.cluster = cluster;
    }

    public static ClusterCapacity capacity(long cpuMillis, long memoryMib, long pods) {
        return ClusterCapacity.newBuilder()
                .setAllocatable(
                        Resources.newBuilder()
                                .setCpuMillis(cpuMillis)
                                .setMemoryMib(memoryMib)
                                .setPods(pods))
                .setRequested(Resources.newBuilder())
                .build();
    }

    public RegisterResponse register(
            String bearer, Map<String, String> labels, ClusterCapacity capacity) {
        RegisterResponse r =
                ControlPlaneHarness.withToken(AgentServiceGrpc.newBlockingStub(channel), bearer)
                        .register(
                                RegisterRequest.newBuilder()
                                        .setClusterName(cluster)
                                        .putAllLabels(labels)
                                        .setCapacity(capacity)
                                        .setAgentVersion("test")
                                        .setKubernetesVersion("v1.31.0")
                                        .build());
        if (!r.getCredential().isEmpty()) {
            credential = r.getCredential();
        }
        return r;
    }

    public String credential() {
        return credential;
    }

    public void useCredential(String c) {
        credential = c;
    }

    /** Opens a stream without saying hello (for tests of malformed streams). */
    public void connectWithoutHello() {
        openStream();
    }

    /** Opens a stream and says hello with what this agent applied. */
    public ProtocolAgent connect() {
        openStream();
        send(
                AgentMessage.newBuilder()
                        .setHello(
                                Hello.newBuilder()
                                        .setClusterName(cluster)
                                        .setLastAppliedGeneration(appliedGeneration)
                                        .setLastSeenEpoch(seenEpoch)
                                        .setAgentVersion("test")
                                        .setHeartbeatAcks(askHeartbeatAcks))
                        .build());
        pulse =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted() && closedWith == null) {
                                try {
                                    heartbeat(capacity);
                                    Thread.sleep(300);
                                } catch (InterruptedException e) {
                                    return;
                                } catch (RuntimeException e) {
                                    return;
                                }
                            }
                        },
                        "heartbeats-" + cluster);
        pulse.setDaemon(true);
        pulse.start();
        return this;
    }

    private void openStream() {
        closedWith = null;
        closedError = null;
        requests =
                ControlPlaneHarness.withToken(AgentServiceGrpc.newStub(channel), credential)
                        .connect(
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(ControlMessage m) {
                                        received.add(m);
                                    }

                                    @Override
                                    public void onError(Throwable t) {
                                        closedError = t;
                                        closedWith = Status.fromThrowable(t);
                                    }

                                    @Override
                                    public void onCompleted() {
                                        closedWith = Status.OK;
                                    }
                                });
    }

    public void send(AgentMessage m) {
        synchronized (this) {
            if (requests == null) {
                throw new IllegalStateException(cluster + " is not connected");
            }
            requests.onNext(m);
        }
    }

    public void heartbeat(ClusterCapacity c) {
        send(
                AgentMessage.newBuilder()
                        .setHeartbeat(
                                Heartbeat.newBuilder()
                                        .setCapacity(c)
                                        .setSentUnixMillis(System.currentTimeMillis()))
                        .build());
    }

    /**
     * Reports every applied workload with {@code ready} ready replicas (its desired count when -1).
     */
    public void reportAllReady() {
        WorkloadStatusReport.Builder r = WorkloadStatusReport.newBuilder();
        for (Workload w : workloads.values()) {
            r.addWorkloads(
                    WorkloadStatus.newBuilder()
                            .setTenant(w.getTenant())
                            .setApp(w.getApp())
                            .setDesiredReplicas(w.getReplicas())
                            .setReadyReplicas(w.getReplicas()));
        }
        send(AgentMessage.newBuilder().setStatus(r).build());
    }

    /** Waits for the next control message. */
    public ControlMessage next(Duration timeout) throws InterruptedException {
        ControlMessage m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            throw new AssertionError(
                    cluster
                            + ": no control message within "
                            + timeout
                            + " (stream "
                            + closedWith
                            + ")");
        }
        return m;
    }

    /** Applies a message as an agent would, and acknowledges it. */
    public void apply(ControlMessage m) {
        if (m.getEpoch() < seenEpoch) {
            throw new AssertionError(
                    "a message of epoch " + m.getEpoch() + " after epoch " + seenEpoch);
        }
        seenEpoch = m.getEpoch();
        if (m.hasFull()) {
            namespaces.clear();
            workloads.clear();
            m.getFull().getNamespacesList().forEach(n -> namespaces.put(n.getTenant(), n));
            m.getFull()
                    .getWorkloadsList()
                    .forEach(w -> workloads.put(w.getTenant() + "/" + w.getApp(), w));
        } else {
            if (m.getGeneration() != appliedGeneration + 1) {
                throw new AssertionError(
                        "delta to generation " + m.getGeneration() + " after " + appliedGeneration);
            }
            m.getDelta().getUpsertNamespacesList().forEach(n -> namespaces.put(n.getTenant(), n));
            m.getDelta().getRemoveNamespacesList().forEach(namespaces::remove);
            m.getDelta()
                    .getUpsertWorkloadsList()
                    .forEach(w -> workloads.put(w.getTenant() + "/" + w.getApp(), w));
            for (WorkloadKey k : m.getDelta().getRemoveWorkloadsList()) {
                workloads.remove(k.getTenant() + "/" + k.getApp());
            }
        }
        appliedGeneration = m.getGeneration();
        send(
                AgentMessage.newBuilder()
                        .setAck(Ack.newBuilder().setGeneration(m.getGeneration()).setSuccess(true))
                        .build());
    }

    /** Applies and acknowledges everything received until nothing comes for {@code quiet}. */
    public void applyUntilQuiet(Duration quiet) throws InterruptedException {
        ControlMessage m;
        while ((m = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null) {
            apply(m);
        }
    }

    /**
     * Applies and acknowledges what arrives until {@code done} holds; fails after {@code timeout}.
     */
    public void applyUntil(java.util.function.BooleanSupplier done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            ControlMessage m =
                    left <= 0
                            ? null
                            : received.poll(Math.min(left, 100_000_000L), TimeUnit.NANOSECONDS);
            if (m != null) {
                apply(m);
            } else if (System.nanoTime() >= deadline) {
                throw new AssertionError(
                        cluster
                                + ": state not reached within "
                                + timeout
                                + "; applied "
                                + workloads);
            }
        }
    }

    /** Replicas of tenant/app in the applied state; 0 when absent. */
    public int replicasOf(String tenantSlashApp) {
        Workload w = workloads.get(tenantSlashApp);
        return w == null ? 0 : w.getReplicas();
    }

    /** Ends the stream as a crashed agent would (no more heartbeats). */
    public void disconnect() {
        if (pulse != null) {
            pulse.interrupt();
            try {
                pulse.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            pulse = null;
        }
        synchronized (this) {
            if (requests != null) {
                try {
                    requests.onCompleted();
                } catch (RuntimeException ignored) {
                    // already closed
                }
                requests = null;
            }
        }
    }

    @Override
    public void close() {
        disconnect();
    }
}
