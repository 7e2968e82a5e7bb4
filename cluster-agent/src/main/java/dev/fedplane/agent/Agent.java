package dev.fedplane.agent;

import dev.fedplane.agent.apply.ApplyResult;
import dev.fedplane.agent.apply.DesiredChange;
import dev.fedplane.agent.apply.DesiredModel;
import dev.fedplane.agent.apply.DesiredStateApplier;
import dev.fedplane.agent.capacity.CapacityCalculator;
import dev.fedplane.agent.capacity.CapacitySnapshot;
import dev.fedplane.agent.credential.CredentialStore;
import dev.fedplane.agent.credential.FileCredentialStore;
import dev.fedplane.agent.credential.SecretCredentialStore;
import dev.fedplane.agent.drift.DriftReporter;
import dev.fedplane.agent.grpc.ExponentialBackoff;
import dev.fedplane.agent.grpc.GrpcAgentConverters;
import dev.fedplane.agent.grpc.LeaderRedirects;
import dev.fedplane.agent.status.WorkloadStatusWatcher;
import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cluster's agent: registers with the control plane, keeps one {@code Connect} stream open,
 * reports capacity and workload status, and applies the desired state it is sent.
 *
 * <p>Threading: every piece of mutable state belongs to one single-threaded loop ({@code
 * fedplane-agent-<cluster>}); gRPC and informer callbacks only post work to it. Applying desired
 * state and registering block that loop, so heartbeats wait while an apply runs.
 *
 * <p>Failures: any failed attempt (register, stream refused, stream broken) is retried on the next
 * address of the list after a capped exponential backoff with full jitter; a follower's redirect is
 * followed at once (up to {@value #MAX_REDIRECTS_IN_A_ROW} times in a row). While disconnected the
 * agent leaves workloads as they are.
 *
 * <p>Several agents may run in one JVM, each with its own client and config.
 */
public final class Agent implements AutoCloseable {

    static final int MAX_REDIRECTS_IN_A_ROW = 3;
    static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);
    static final Duration REGISTER_DEADLINE = Duration.ofSeconds(10);

    /**
     * A stream still open this long after Hello counts as accepted. A control plane sends nothing
     * on a new stream when the agent already applied the current generation, and gRPC sends no
     * response headers before the first message, so silence is the only sign of acceptance;
     * refusals (wrong credential, follower, not leading yet) close the stream within a round trip.
     */
    static final Duration CONNECT_SETTLE = Duration.ofMillis(500);

    /**
     * Heartbeat intervals without any answer after which a control plane that answered heartbeats
     * before counts as gone (30 s at the default 10 s heartbeats).
     */
    static final int LEADER_SILENCE_INTERVALS = 3;

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Logger log = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final KubernetesClient client;
    private final CredentialStore credentials;
    private final Clock clock;
    private final ScheduledExecutorService loop;
    private final DesiredStateApplier applier;
    private final DriftReporter drift;
    private final WorkloadStatusWatcher statusWatcher;
    private final DesiredStateSequencer sequencer = new DesiredStateSequencer();
    private final DesiredModel desired = new DesiredModel();
    private final ExponentialBackoff backoff;

    // Loop-thread state.
    private final Map<String, ManagedChannel> channels = new LinkedHashMap<>();
    private int addressIndex;
    private boolean watcherStarted;
    private String credential;
    private boolean registered;
    private Duration heartbeatInterval = DEFAULT_HEARTBEAT;
    private Session session;
    private ScheduledFuture<?> heartbeats;
    private ScheduledFuture<?> resyncs;
    private ScheduledFuture<?> pendingStatus;
    private long lastStatusNanos;
    private int redirectsInARow;

    private volatile ConnectionState state = ConnectionState.NEW;
    private volatile String connectedAddress;
    private volatile boolean closed;

    /**
     * An agent keeping its credential where {@code config} says (file, or Secret in the cluster).
     */
    public Agent(AgentConfig config, KubernetesClient client) {
        this(config, client, defaultStore(config, client), Clock.systemUTC());
    }

    public Agent(
            AgentConfig config, KubernetesClient client, CredentialStore credentials, Clock clock) {
        this.config = config;
        this.client = client;
        this.credentials = credentials;
        this.clock = clock;
        this.loop =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "fedplane-agent-" + config.clusterName());
                            t.setDaemon(true);
                            return t;
                        });
        this.applier = new DesiredStateApplier(client);
        this.drift = new DriftReporter(client, config.clusterName(), clock);
        this.statusWatcher = new WorkloadStatusWatcher(client, () -> post(this::statusChanged));
        this.backoff =
                new ExponentialBackoff(config.initialBackoff(), config.maxBackoff(), new Random());
    }

    private static CredentialStore defaultStore(AgentConfig config, KubernetesClient client) {
        return config.credentialFile() != null
                ? new FileCredentialStore(config.credentialFile())
                : new SecretCredentialStore(client, config.credentialNamespace());
    }

    /** Starts registering and connecting in the background; returns at once. Call once. */
    public void start() {
        if (state != ConnectionState.NEW) {
            throw new IllegalStateException("agent already started");
        }
        state = ConnectionState.DISCONNECTED;
        log.info(
                "agent for cluster {} starting; control plane at {}",
                config.clusterName(),
                config.controlPlaneAddresses());
        post(() -> attempt(config.controlPlaneAddresses().get(0)));
    }

    /** The last desired-state generation applied successfully; 0 before the first. */
    public long lastAppliedGeneration() {
        return sequencer.lastAppliedGeneration();
    }

    /** The highest leader epoch seen in a control message; 0 before the first. */
    public long highestEpochSeen() {
        return sequencer.highestEpoch();
    }

    /**
     * NetworkPolicies and ResourceQuotas the drift resync restored or removed since the agent
     * started.
     */
    public long driftCorrectionsTotal() {
        return drift.total();
    }

    public ConnectionState connectionState() {
        return state;
    }

    /**
     * The address of the control plane the agent is connected to; {@code null} when not connected.
     */
    public String connectedAddress() {
        return state == ConnectionState.CONNECTED ? connectedAddress : null;
    }

    public AgentConfig config() {
        return config;
    }

    /**
     * Ends the stream, stops the informer and closes the channels. Leaves workloads and the client
     * alone.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            loop.submit(() -> endSession("agent closing")).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("closing the stream: {}", e.toString());
        }
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        statusWatcher.close();
        for (ManagedChannel channel : List.copyOf(channels.values())) {
            channel.shutdownNow();
        }
        for (ManagedChannel channel : List.copyOf(channels.values())) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        state = ConnectionState.CLOSED;
        log.info("agent for cluster {} closed", config.clusterName());
    }

    // ---------------------------------------------------------------- connection (loop thread)

    private void post(Runnable task) {
        if (closed) {
            return;
        }
        try {
            loop.execute(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            log.error("agent loop task failed", e);
                        }
                    });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    private void attempt(String address) {
        if (closed) {
            return;
        }
        try {
            startWatcherOnce();
            if (!registered) {
                state = ConnectionState.REGISTERING;
                register(address);
            }
            openStream(address);
        } catch (StatusRuntimeException e) {
            state = ConnectionState.DISCONNECTED;
            Optional<String> leader = LeaderRedirects.leaderAddress(e);
            if (leader.isPresent() && redirectsInARow < MAX_REDIRECTS_IN_A_ROW) {
                followRedirect(address, leader.get());
                return;
            }
            log.warn("control plane {}: {}", address, describe(e));
            retryLater();
        } catch (RuntimeException e) {
            state = ConnectionState.DISCONNECTED;
            log.warn("control plane {}: {}", address, e.toString());
            retryLater();
        }
    }

    private void startWatcherOnce() {
        if (!watcherStarted) {
            statusWatcher.start();
            watcherStarted = true;
        }
    }

    private void register(String address) {
        RegisterRequest request = registerRequest();
        Optional<String> stored = credentials.load();
        if (stored.isPresent()) {
            try {
                RegisterResponse response = registerStub(address, stored.get()).register(request);
                credential =
                        response.getCredential().isEmpty()
                                ? stored.get()
                                : storeCredential(response.getCredential());
                registered(response, "the stored credential");
                return;
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.UNAUTHENTICATED) {
                    throw e;
                }
                log.error(
                        "control plane {} refused the stored credential of cluster {} ({}): {}",
                        address,
                        config.clusterName(),
                        credentials.describe(),
                        e.getStatus().getDescription());
                if (config.bootstrapToken().isEmpty()) {
                    throw e;
                }
                log.warn(
                        "registering cluster {} again with the bootstrap token",
                        config.clusterName());
            }
        } else if (config.bootstrapToken().isEmpty()) {
            throw new IllegalStateException(
                    "no stored credential in "
                            + credentials.describe()
                            + " and no bootstrap token");
        }
        RegisterResponse response =
                registerStub(address, config.bootstrapToken()).register(request);
        if (response.getCredential().isEmpty()) {
            throw new IllegalStateException(
                    "the control plane registered the cluster but sent no credential");
        }
        credential = storeCredential(response.getCredential());
        registered(response, "the bootstrap token");
    }

    private String storeCredential(String value) {
        credentials.store(value);
        log.info(
                "stored the credential of cluster {} in {}",
                config.clusterName(),
                credentials.describe());
        return value;
    }

    private void registered(RegisterResponse response, String how) {
        registered = true;
        if (config.heartbeatInterval() != null) {
            heartbeatInterval = config.heartbeatInterval();
        } else {
            heartbeatInterval =
                    response.getHeartbeatIntervalSeconds() > 0
                            ? Duration.ofSeconds(response.getHeartbeatIntervalSeconds())
                            : DEFAULT_HEARTBEAT;
        }
        log.info(
                "cluster {} registered with {} as {}; heartbeat every {}",
                config.clusterName(),
                how,
                response.getClusterName(),
                heartbeatInterval);
    }

    private RegisterRequest registerRequest() {
        RegisterRequest.Builder request =
                RegisterRequest.newBuilder()
                        .setClusterName(config.clusterName())
                        .putAllLabels(config.labels())
                        .setAgentVersion(config.agentVersion())
                        .setKubernetesVersion(kubernetesVersion())
                        .setCostPerCpuHour(config.costPerCpuHour());
        config.taints().forEach(t -> request.addTaints(GrpcAgentConverters.toGrpc(t)));
        try {
            request.setCapacity(GrpcAgentConverters.toGrpc(CapacityCalculator.collect(client)));
        } catch (RuntimeException e) {
            log.warn("cannot read capacity for registration: {}", e.toString());
        }
        return request.build();
    }

    private String kubernetesVersion() {
        try {
            var version = client.getKubernetesVersion();
            return version == null || version.getGitVersion() == null
                    ? ""
                    : version.getGitVersion();
        } catch (RuntimeException e) {
            return "";
        }
    }

    private void openStream(String address) {
        Session s = new Session(address);
        session = s;
        state = ConnectionState.CONNECTING;
        s.out =
                AgentServiceGrpc.newStub(channel(address))
                        .withInterceptors(bearer(credential))
                        .connect(s);
        s.send(
                AgentMessage.newBuilder()
                        .setHello(
                                Hello.newBuilder()
                                        .setClusterName(config.clusterName())
                                        .setLastAppliedGeneration(sequencer.lastAppliedGeneration())
                                        .setLastSeenEpoch(sequencer.highestEpoch())
                                        .setAgentVersion(config.agentVersion())
                                        .setHeartbeatAcks(true))
                        .build());
        long period = Math.max(1, heartbeatInterval.toMillis());
        heartbeats =
                loop.scheduleAtFixedRate(
                        () -> {
                            try {
                                heartbeat(s);
                            } catch (RuntimeException e) {
                                log.warn("heartbeat failed: {}", e.toString());
                            }
                        },
                        0,
                        period,
                        TimeUnit.MILLISECONDS);
        loop.schedule(
                () -> {
                    if (session == s) {
                        markConnected(s);
                    }
                },
                CONNECT_SETTLE.toMillis(),
                TimeUnit.MILLISECONDS);
        Duration resync = config.resyncInterval();
        if (resync != null && !resync.isZero() && !resync.isNegative()) {
            resyncs =
                    loop.scheduleWithFixedDelay(
                            () -> resync(s),
                            resync.toMillis(),
                            resync.toMillis(),
                            TimeUnit.MILLISECONDS);
        }
        log.info("cluster {} opened its stream to {}", config.clusterName(), address);
    }

    private void streamEnded(Session s, Throwable error) {
        if (session != s) {
            return;
        }
        endSession(null);
        state = ConnectionState.DISCONNECTED;
        if (closed) {
            return;
        }
        if (error == null) {
            log.warn("control plane {} ended the stream", s.address);
            retryLater();
            return;
        }
        Optional<String> leader = LeaderRedirects.leaderAddress(error);
        if (leader.isPresent() && redirectsInARow < MAX_REDIRECTS_IN_A_ROW) {
            followRedirect(s.address, leader.get());
            return;
        }
        if (Status.fromThrowable(error).getCode() == Status.Code.UNAUTHENTICATED) {
            log.error(
                    "control plane {} refused the credential of cluster {} on Connect: {}; registering again",
                    s.address,
                    config.clusterName(),
                    Status.fromThrowable(error).getDescription());
            registered = false;
        } else {
            log.warn("stream to control plane {} ended: {}", s.address, describe(error));
        }
        retryLater();
    }

    private void followRedirect(String from, String leader) {
        redirectsInARow++;
        log.info("control plane {} is a follower; following it to the leader at {}", from, leader);
        post(() -> attempt(leader));
    }

    private void retryLater() {
        redirectsInARow = 0;
        List<String> addresses = config.controlPlaneAddresses();
        addressIndex = (addressIndex + 1) % addresses.size();
        String next = addresses.get(addressIndex);
        Duration delay = backoff.nextDelay();
        log.info("cluster {} retries {} in {} ms", config.clusterName(), next, delay.toMillis());
        try {
            loop.schedule(() -> post(() -> attempt(next)), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Ends the current session, if any; {@code reason} non-null also half-closes our side. */
    private void endSession(String reason) {
        Session s = session;
        session = null;
        if (heartbeats != null) {
            heartbeats.cancel(false);
            heartbeats = null;
        }
        if (resyncs != null) {
            resyncs.cancel(false);
            resyncs = null;
        }
        if (pendingStatus != null) {
            pendingStatus.cancel(false);
            pendingStatus = null;
        }
        if (s != null && s.out != null) {
            try {
                if (reason != null) {
                    s.out.onError(Status.CANCELLED.withDescription(reason).asRuntimeException());
                } else {
                    s.out.onCompleted();
                }
            } catch (RuntimeException e) {
                log.debug("ending the stream: {}", e.toString());
            }
        }
    }

    // ---------------------------------------------------------------- messages (loop thread)

    private void received(Session s, ControlMessage message) {
        if (session != s) {
            return;
        }
        markConnected(s);
        Optional<DesiredChange> change = GrpcAgentConverters.toCore(message);
        if (change.isEmpty()) {
            log.warn(
                    "ignoring a control message with neither full nor delta state (generation {})",
                    message.getGeneration());
            return;
        }
        boolean full = change.get() instanceof DesiredChange.Full;
        switch (sequencer.admit(message.getEpoch(), message.getGeneration(), full)) {
            case REFUSE_STALE_EPOCH ->
                    log.warn(
                            "refusing generation {} from epoch {}: epoch {} has been seen (a deposed leader?)",
                            message.getGeneration(),
                            message.getEpoch(),
                            sequencer.highestEpoch());
            case REJECT_GAP -> {
                String error =
                        "delta to generation "
                                + message.getGeneration()
                                + " does not follow the last applied generation "
                                + sequencer.lastAppliedGeneration()
                                + "; send the full state";
                log.warn(error);
                ack(s, message.getGeneration(), false, error);
            }
            case APPLY -> {
                desired.update(change.get());
                ApplyResult result = applier.apply(change.get());
                if (result.success()) {
                    sequencer.applied(message.getGeneration());
                    log.info(
                            "applied generation {} ({}) of epoch {}",
                            message.getGeneration(),
                            full ? "full" : "delta",
                            message.getEpoch());
                } else {
                    log.warn(
                            "generation {} applied with errors: {}",
                            message.getGeneration(),
                            result.summary());
                }
                ack(s, message.getGeneration(), result.success(), result.summary());
            }
        }
    }

    /**
     * Applies the last desired state again, correcting drift. Only while connected (disconnected,
     * the agent leaves workloads alone) and only once a full state has been seen. Sends no ack;
     * each NetworkPolicy or ResourceQuota it had to restore or remove is reported (log, Event,
     * counter in the next heartbeats).
     */
    private void resync(Session s) {
        if (session != s || state != ConnectionState.CONNECTED) {
            return;
        }
        desired.asFull()
                .ifPresent(
                        full -> {
                            ApplyResult result = applier.resync(full);
                            result.driftCorrections().forEach(drift::report);
                            if (!result.success()) {
                                log.warn("drift resync: {}", result.summary());
                            }
                        });
    }

    /**
     * The control plane accepted the stream: it sent a message, or the stream stayed open {@link
     * #CONNECT_SETTLE}.
     */
    private void markConnected(Session s) {
        if (state != ConnectionState.CONNECTED) {
            state = ConnectionState.CONNECTED;
            connectedAddress = s.address;
            backoff.reset();
            redirectsInARow = 0;
            log.info("cluster {} connected to control plane {}", config.clusterName(), s.address);
        }
    }

    private void ack(Session s, long generation, boolean success, String error) {
        s.send(
                AgentMessage.newBuilder()
                        .setAck(
                                Ack.newBuilder()
                                        .setGeneration(generation)
                                        .setSuccess(success)
                                        .setError(error))
                        .build());
    }

    private void heartbeat(Session s) {
        if (session != s) {
            return;
        }
        long now = System.nanoTime();
        long unanswered = s.unansweredSinceNanos;
        long silence = LEADER_SILENCE_INTERVALS * heartbeatInterval.toNanos();
        if (s.answersHeartbeats && unanswered != 0 && now - unanswered >= silence) {
            // A leader that acked heartbeats before and stopped (paused, or the connection is
            // half-open) cannot be told from a slow one; after this long the agent goes back to
            // its address list, where a follower redirects it to whoever leads now.
            log.warn(
                    "control plane {} answered no heartbeat for {} ms; reconnecting",
                    s.address,
                    TimeUnit.NANOSECONDS.toMillis(now - unanswered));
            endSession("the control plane stopped answering heartbeats");
            state = ConnectionState.DISCONNECTED;
            retryLater();
            return;
        }
        CapacitySnapshot capacity;
        try {
            capacity = CapacityCalculator.collect(client);
        } catch (RuntimeException e) {
            log.warn("cannot read capacity from the cluster, heartbeat skipped: {}", e.toString());
            return;
        }
        if (unanswered == 0) {
            s.unansweredSinceNanos = now; // before the send: its answer clears it
        }
        s.send(
                AgentMessage.newBuilder()
                        .setHeartbeat(
                                Heartbeat.newBuilder()
                                        .setCapacity(GrpcAgentConverters.toGrpc(capacity))
                                        .setSentUnixMillis(clock.millis())
                                        .setDriftCorrectionsTotal(drift.total()))
                        .build());
        sendStatus(s);
    }

    private void statusChanged() {
        Session s = session;
        if (s == null || pendingStatus != null) {
            return;
        }
        long waitNanos =
                Math.max(
                        0, lastStatusNanos + config.statusInterval().toNanos() - System.nanoTime());
        pendingStatus =
                loop.schedule(
                        () -> {
                            pendingStatus = null;
                            if (session == s) {
                                sendStatus(s);
                            }
                        },
                        waitNanos,
                        TimeUnit.NANOSECONDS);
    }

    private void sendStatus(Session s) {
        lastStatusNanos = System.nanoTime();
        s.send(
                AgentMessage.newBuilder()
                        .setStatus(GrpcAgentConverters.toGrpc(statusWatcher.snapshot()))
                        .build());
    }

    // ---------------------------------------------------------------- gRPC plumbing (loop thread)

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(
                address, a -> Grpc.newChannelBuilder(a, channelCredentials()).build());
    }

    private ChannelCredentials channelCredentials() {
        if (config.plaintext()) {
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        try {
            if (config.trustCertificates() != null) {
                tls.trustManager(config.trustCertificates().toFile());
            }
            if (config.clientCertificate() != null) {
                tls.keyManager(config.clientCertificate().toFile(), config.clientKey().toFile());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read the TLS files "
                            + config.trustCertificates()
                            + ", "
                            + config.clientCertificate()
                            + ", "
                            + config.clientKey(),
                    e);
        }
        return tls.build();
    }

    private AgentServiceGrpc.AgentServiceBlockingStub registerStub(String address, String token) {
        return AgentServiceGrpc.newBlockingStub(channel(address))
                .withInterceptors(bearer(token))
                .withDeadlineAfter(REGISTER_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static String describe(Throwable error) {
        Status status = Status.fromThrowable(error);
        return status.getCode()
                + (status.getDescription() == null ? "" : ": " + status.getDescription());
    }

    /** One Connect stream. Callbacks arrive on gRPC threads and are posted to the loop. */
    private final class Session implements StreamObserver<ControlMessage> {
        final String address;
        StreamObserver<AgentMessage> out;

        /**
         * When the oldest heartbeat nobody has answered since was sent (0: none); any message from
         * the control plane clears it. Written on gRPC threads as messages arrive (not queued
         * behind the loop, so a long apply does not look like silence).
         */
        volatile long unansweredSinceNanos;

        /** The control plane answers heartbeats on this stream (it knows HeartbeatAck). */
        volatile boolean answersHeartbeats;

        Session(String address) {
            this.address = address;
        }

        /** Loop thread only. A failed send ends nothing by itself: the stream's own error does. */
        void send(AgentMessage message) {
            try {
                out.onNext(message);
            } catch (RuntimeException e) {
                log.debug("send on a closed stream: {}", e.toString());
            }
        }

        @Override
        public void onNext(ControlMessage message) {
            unansweredSinceNanos = 0;
            if (message.hasHeartbeatAck()) {
                answersHeartbeats = true;
                return;
            }
            post(() -> received(this, message));
        }

        @Override
        public void onError(Throwable error) {
            post(() -> streamEnded(this, error));
        }

        @Override
        public void onCompleted() {
            post(() -> streamEnded(this, null));
        }
    }
}
