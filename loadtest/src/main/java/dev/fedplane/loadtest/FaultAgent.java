package dev.fedplane.loadtest;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.LeaderRedirect;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import dev.fedplane.proto.v1.Workload;
import dev.fedplane.proto.v1.WorkloadKey;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A protocol-level agent for the fault suite that finds the leader as the real agent does: it dials
 * an address from its list; a follower's FAILED_PRECONDITION carries a {@link LeaderRedirect} that
 * it follows; any other failure moves it to the next address after a capped, jittered backoff. It
 * refuses a message whose epoch is lower than one it has seen, acknowledges the others at once, and
 * records every message (epoch, generation, applied or refused) and every change of its replicas in
 * the {@link FaultHistory}. What it applied survives reconnects, as a cluster's workloads do.
 */
final class FaultAgent {
    final String name;
    private final List<String> addresses;
    private final Function<String, ManagedChannel> channels;
    private final ScheduledExecutorService scheduler;
    private final FaultHistory history;
    final Map<String, Integer> applied = new ConcurrentHashMap<>();
    private String credential;
    private long heartbeatMillis = 1000;
    private long lastGeneration;
    private long lastEpoch;
    private String target;
    private int nextAddress;
    private int backoffMillis;
    private volatile boolean dropped;
    private volatile boolean stopped;
    private ClientCallStreamObserver<AgentMessage> out;
    private volatile String connectedTo;

    /**
     * When the oldest heartbeat not answered since was sent (0: none), and whether this stream's
     * control plane answers heartbeats at all; as the real agent, a stream whose control plane
     * stopped answering for 3 heartbeat intervals is dropped for the next address.
     */
    private long unansweredSince;

    private boolean answersHeartbeats;

    FaultAgent(
            String name,
            List<String> addresses,
            Function<String, ManagedChannel> channels,
            ScheduledExecutorService scheduler,
            FaultHistory history) {
        this.name = name;
        this.addresses = addresses;
        this.channels = channels;
        this.scheduler = scheduler;
        this.history = history;
        this.nextAddress = Math.floorMod(name.hashCode(), addresses.size());
    }

    /** Registers through the first address that answers, then heartbeats at the given interval. */
    void register(String bootstrapToken) {
        StatusRuntimeException last = null;
        for (int attempt = 0; attempt < addresses.size() * 3; attempt++) {
            String a = addresses.get((nextAddress + attempt) % addresses.size());
            try {
                RegisterResponse r =
                        ControlPlaneOptions.withBearer(
                                        AgentServiceGrpc.newBlockingStub(channels.apply(a)),
                                        bootstrapToken)
                                .withDeadlineAfter(30, TimeUnit.SECONDS)
                                .register(
                                        RegisterRequest.newBuilder()
                                                .setClusterName(name)
                                                .putLabels("region", "r" + (name.hashCode() & 3))
                                                .setCapacity(SimAgent.capacity())
                                                .setAgentVersion("faults")
                                                .build());
                credential = r.getCredential();
                heartbeatMillis = Math.max(1, r.getHeartbeatIntervalSeconds()) * 1000L;
                long first = ThreadLocalRandom.current().nextLong(heartbeatMillis);
                scheduler.scheduleAtFixedRate(
                        this::heartbeat, first, heartbeatMillis, TimeUnit.MILLISECONDS);
                return;
            } catch (StatusRuntimeException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Whether a stream is open and was accepted (it received a message or stayed open). */
    boolean connected() {
        return connectedTo != null;
    }

    /** The address of the instance serving this agent's stream, null when none. */
    String connectedTo() {
        return connectedTo;
    }

    /** Opens a stream to the current target (the last leader known, or the next address). */
    void connect() {
        if (stopped) {
            return;
        }
        dropped = false;
        String to;
        synchronized (this) {
            if (target == null) {
                target = addresses.get(nextAddress++ % addresses.size());
            }
            to = target;
        }
        ControlPlaneOptions.withBearer(AgentServiceGrpc.newStub(channels.apply(to)), credential)
                .connect(
                        new ClientResponseObserver<AgentMessage, ControlMessage>() {
                            private ClientCallStreamObserver<AgentMessage> stream;

                            @Override
                            public void beforeStart(ClientCallStreamObserver<AgentMessage> s) {
                                stream = s;
                                synchronized (FaultAgent.this) {
                                    out = s;
                                    unansweredSince = 0;
                                    answersHeartbeats = false;
                                }
                            }

                            @Override
                            public void onNext(ControlMessage m) {
                                connectedTo = to;
                                synchronized (FaultAgent.this) {
                                    if (out == stream) {
                                        unansweredSince = 0;
                                        answersHeartbeats |= m.hasHeartbeatAck();
                                    }
                                }
                                if (!m.hasHeartbeatAck()) {
                                    apply(m);
                                }
                            }

                            @Override
                            public void onError(Throwable t) {
                                ended(stream, to, Status.fromThrowable(t), t);
                            }

                            @Override
                            public void onCompleted() {
                                ended(stream, to, Status.UNAVAILABLE, null);
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
                                            .setAgentVersion("faults")
                                            .setHeartbeatAcks(true))
                            .build());
        }
        heartbeat();
        // A refusal (follower, not leading) closes the stream within a round trip; a stream still
        // open after this counts as accepted even when nothing needed sending.
        scheduler.schedule(
                () -> {
                    synchronized (this) {
                        if (out != null && to.equals(target) && !dropped) {
                            connectedTo = to;
                        }
                    }
                },
                500,
                TimeUnit.MILLISECONDS);
    }

    private void ended(
            ClientCallStreamObserver<AgentMessage> stream,
            String from,
            Status status,
            Throwable t) {
        String redirect = null;
        synchronized (this) {
            if (out != stream) {
                return; // an older stream, already replaced
            }
            out = null;
            connectedTo = null;
            if (dropped || stopped) {
                return;
            }
            redirect = redirectOf(t);
            if (redirect != null && !redirect.equals(from)) {
                target = redirect;
                backoffMillis = 0;
            } else {
                target = null; // try the next address
                backoffMillis = Math.min(2_000, Math.max(100, backoffMillis * 2));
            }
        }
        long delay =
                redirect != null
                        ? 20
                        : backoffMillis / 2
                                + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
        scheduler.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private static String redirectOf(Throwable t) {
        if (t == null) {
            return null;
        }
        com.google.rpc.Status s = StatusProto.fromThrowable(t);
        if (s == null) {
            return null;
        }
        for (Any d : s.getDetailsList()) {
            if (d.is(LeaderRedirect.class)) {
                try {
                    String a = d.unpack(LeaderRedirect.class).getLeaderAddress();
                    return a.isEmpty() ? null : a;
                } catch (InvalidProtocolBufferException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private synchronized void send(AgentMessage m) {
        if (out != null) {
            try {
                out.onNext(m);
            } catch (RuntimeException e) {
                // the stream is ending; ended() reconnects
            }
        }
    }

    void heartbeat() {
        if (stopped) {
            return;
        }
        ClientCallStreamObserver<AgentMessage> silent = null;
        synchronized (this) {
            long now = System.currentTimeMillis();
            if (out != null
                    && answersHeartbeats
                    && unansweredSince != 0
                    && now - unansweredSince >= 3 * heartbeatMillis) {
                silent = out;
            } else if (out != null && unansweredSince == 0) {
                unansweredSince = now;
            }
        }
        if (silent != null) {
            // ended() sees the cancellation and moves on to the next address
            silent.cancel("the control plane stopped answering heartbeats", null);
            return;
        }
        send(
                AgentMessage.newBuilder()
                        .setHeartbeat(
                                Heartbeat.newBuilder()
                                        .setCapacity(SimAgent.capacity())
                                        .setSentUnixMillis(System.currentTimeMillis()))
                        .build());
    }

    private void apply(ControlMessage m) {
        long now = System.currentTimeMillis();
        synchronized (this) {
            if (stopped) {
                return;
            }
            boolean stale = m.getEpoch() < lastEpoch;
            history.messages.add(
                    new FaultHistory.AgentMessage(
                            now, name, m.getEpoch(), m.getGeneration(), m.hasFull(), !stale));
            if (stale) {
                return; // a deposed leader's message: refused, as the real agent does
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
    }

    private void set(String key, int replicas, long now) {
        Integer before = replicas == 0 ? applied.remove(key) : applied.put(key, replicas);
        if ((before == null ? 0 : before) != replicas) {
            history.replicas.add(new FaultHistory.AgentReplicas(now, name, key, replicas));
        }
    }

    /**
     * Ends the stream as a network drop would, and reconnects after {@code afterMillis}; with
     * {@code restarted} it says hello as a restarted agent process does (nothing applied).
     */
    void drop(long afterMillis, boolean restarted) {
        ClientCallStreamObserver<AgentMessage> stream;
        synchronized (this) {
            dropped = true;
            stream = out;
            out = null;
            connectedTo = null;
            if (restarted) {
                lastGeneration = 0;
            }
        }
        if (stream != null) {
            stream.cancel("dropped by the fault suite", null);
        }
        scheduler.schedule(this::connect, afterMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops for good: no more heartbeats or reconnects; what it applied stays as it is. */
    void stop() {
        ClientCallStreamObserver<AgentMessage> stream;
        synchronized (this) {
            stopped = true;
            stream = out;
            out = null;
            connectedTo = null;
        }
        if (stream != null) {
            stream.cancel("the fault run ended", null);
        }
    }
}
