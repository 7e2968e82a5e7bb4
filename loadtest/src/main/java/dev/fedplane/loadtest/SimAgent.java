package dev.fedplane.loadtest;

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
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadKey;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated cluster at the protocol level (no Kubernetes behind it): registers with a bootstrap
 * token, holds one Connect stream, heartbeats with a fixed capacity, records what it is sent
 * (workload key -> replicas, with the time it acknowledged it) and acknowledges at once.
 *
 * <p>Threading: gRPC callbacks apply messages; sends are serialised on this object. A {@link
 * Listener} learns of every change of a workload's replicas (for totals per app) and of every
 * acknowledged full state. {@link #kill()} stops it for good; {@link #drop()} ends the stream (a
 * reconnect storm) and {@link #connect()} opens a new one with the same credential.
 */
final class SimAgent {

    /** What the fleet wants to know as it happens. */
    interface Listener {
        /**
         * The agent acknowledged {@code key} at {@code replicas} (was {@code before}) at {@code
         * nanos}.
         */
        void changed(SimAgent agent, String key, int before, int replicas, long nanos);

        /** The agent acknowledged a full desired state at {@code nanos}. */
        default void fullAcked(SimAgent agent, long nanos) {}

        /** The stream ended other than by {@link #kill()} or {@link #drop()}. */
        default void streamEnded(SimAgent agent, Status status) {}
    }

    final String name;
    private final ManagedChannel channel;
    private final ScheduledExecutorService beats;
    private final Listener listener;
    private final Map<String, String> labels;
    final Map<String, Integer> applied = new ConcurrentHashMap<>();
    private String credential;
    private long heartbeatMillis;
    volatile long lastBeatNanos;
    volatile boolean dead;
    private volatile boolean dropping;
    private long lastGeneration;
    private long lastEpoch;
    private ClientCallStreamObserver<AgentMessage> out;
    private ScheduledFuture<?> beat;
    final AtomicLong acks = new AtomicLong();

    SimAgent(
            ManagedChannel channel,
            String name,
            Map<String, String> labels,
            ScheduledExecutorService beats,
            Listener listener) {
        this.channel = channel;
        this.name = name;
        this.labels = labels;
        this.beats = beats;
        this.listener = listener;
    }

    static ClusterCapacity capacity() {
        return ClusterCapacity.newBuilder()
                .setAllocatable(
                        Resources.newBuilder()
                                .setCpuMillis(64000)
                                .setMemoryMib(262144)
                                .setPods(1100))
                .setRequested(Resources.newBuilder())
                .build();
    }

    int total() {
        int sum = 0;
        for (int r : applied.values()) {
            sum += r;
        }
        return sum;
    }

    /**
     * Registers with the bootstrap token and starts heartbeating at the interval the control plane
     * gives.
     */
    void register(String bootstrapToken) {
        RegisterResponse r =
                ControlPlaneOptions.withBearer(
                                AgentServiceGrpc.newBlockingStub(channel), bootstrapToken)
                        .withDeadlineAfter(60, TimeUnit.SECONDS)
                        .register(
                                RegisterRequest.newBuilder()
                                        .setClusterName(name)
                                        .putAllLabels(labels)
                                        .setCapacity(capacity())
                                        .setAgentVersion("loadtest")
                                        .build());
        credential = r.getCredential();
        heartbeatMillis = Math.max(1, r.getHeartbeatIntervalSeconds()) * 1000L;
        // Spread the first beats over one interval so that N agents do not beat in lockstep.
        long first = (long) (Math.random() * heartbeatMillis);
        beat =
                beats.scheduleAtFixedRate(
                        this::heartbeat, first, heartbeatMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Opens a Connect stream: hello with the last applied generation and seen epoch, then a
     * heartbeat.
     */
    void connect() {
        connect(false);
    }

    /**
     * Opens a Connect stream. With {@code restarted} the agent says hello as a restarted agent
     * process does (nothing applied, generation 0), so the control plane sends its full state.
     */
    void connect(boolean restarted) {
        dropping = false;
        if (restarted) {
            synchronized (this) {
                lastGeneration = 0;
            }
        }
        ControlPlaneOptions.withBearer(AgentServiceGrpc.newStub(channel), credential)
                .connect(
                        new ClientResponseObserver<AgentMessage, ControlMessage>() {
                            private ClientCallStreamObserver<AgentMessage> stream;

                            @Override
                            public void beforeStart(
                                    ClientCallStreamObserver<AgentMessage> requestStream) {
                                stream = requestStream;
                                synchronized (SimAgent.this) {
                                    out = requestStream;
                                }
                            }

                            @Override
                            public void onNext(ControlMessage m) {
                                apply(m);
                            }

                            @Override
                            public void onError(Throwable t) {
                                ended(stream, Status.fromThrowable(t));
                            }

                            @Override
                            public void onCompleted() {
                                ended(stream, Status.OK);
                            }
                        });
        synchronized (this) {
            send(
                    AgentMessage.newBuilder()
                            .setHello(
                                    Hello.newBuilder()
                                            .setClusterName(name)
                                            .setLastAppliedGeneration(lastGeneration)
                                            .setLastSeenEpoch(lastEpoch)
                                            .setAgentVersion("loadtest"))
                            .build());
        }
        heartbeat();
    }

    private void ended(ClientCallStreamObserver<AgentMessage> stream, Status status) {
        synchronized (this) {
            if (out != stream) {
                return; // an older stream, already replaced
            }
            out = null;
        }
        if (!dead && !dropping) {
            listener.streamEnded(this, status);
        }
    }

    /** Whether a stream is open. */
    synchronized boolean connected() {
        return out != null;
    }

    private synchronized void send(AgentMessage m) {
        if (!dead && out != null) {
            out.onNext(m);
        }
    }

    void heartbeat() {
        send(
                AgentMessage.newBuilder()
                        .setHeartbeat(
                                Heartbeat.newBuilder()
                                        .setCapacity(capacity())
                                        .setSentUnixMillis(System.currentTimeMillis()))
                        .build());
        lastBeatNanos = System.nanoTime();
    }

    private void apply(ControlMessage m) {
        long now = System.nanoTime();
        synchronized (this) {
            if (dead) {
                return;
            }
            if (m.getEpoch() < lastEpoch) {
                return; // a deposed leader's message: refused, as a real agent does
            }
            lastEpoch = m.getEpoch();
            if (m.hasFull()) {
                Map<String, Integer> next = new HashMap<>();
                for (Workload w : m.getFull().getWorkloadsList()) {
                    next.put(w.getTenant() + "/" + w.getApp(), w.getReplicas());
                }
                for (String key : applied.keySet()) {
                    if (!next.containsKey(key)) {
                        set(key, 0, now);
                    }
                }
                next.forEach((k, n) -> set(k, n, now));
            } else {
                for (Workload w : m.getDelta().getUpsertWorkloadsList()) {
                    set(w.getTenant() + "/" + w.getApp(), w.getReplicas(), now);
                }
                for (WorkloadKey k : m.getDelta().getRemoveWorkloadsList()) {
                    set(k.getTenant() + "/" + k.getApp(), 0, now);
                }
            }
            lastGeneration = m.getGeneration();
            send(
                    AgentMessage.newBuilder()
                            .setAck(
                                    Ack.newBuilder()
                                            .setGeneration(m.getGeneration())
                                            .setSuccess(true))
                            .build());
        }
        acks.incrementAndGet();
        if (m.hasFull()) {
            listener.fullAcked(this, now);
        }
    }

    private void set(String key, int replicas, long now) {
        Integer before = replicas == 0 ? applied.remove(key) : applied.put(key, replicas);
        int was = before == null ? 0 : before;
        if (was != replicas) {
            listener.changed(this, key, was, replicas, now);
        }
    }

    /**
     * Ends the stream as a network drop would; heartbeats continue to be attempted (and go
     * nowhere).
     */
    void drop() {
        ClientCallStreamObserver<AgentMessage> stream;
        synchronized (this) {
            dropping = true;
            stream = out;
            out = null;
        }
        if (stream != null) {
            stream.cancel("dropped by the load test", null);
        }
    }

    /** Stops for good: no more heartbeats, stream cancelled. */
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
        ClientCallStreamObserver<AgentMessage> stream;
        synchronized (this) {
            stream = out;
            out = null;
        }
        if (stream != null) {
            stream.cancel("killed by the load test", null);
        }
    }
}
