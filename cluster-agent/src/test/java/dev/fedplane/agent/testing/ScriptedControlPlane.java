package dev.fedplane.agent.testing;

import com.google.protobuf.Any;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.HeartbeatAck;
import dev.fedplane.proto.v1.LeaderRedirect;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.RegisterResponse;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A scripted stand-in for the control plane's agent endpoint on a real gRPC server (Netty, free
 * loopback port). Registration accepts {@link #BOOTSTRAP_TOKEN} and any credential it issued;
 * Connect accepts issued credentials, records what the agent sends, and lets the test send control
 * messages. As a follower it answers Connect with a redirect to {@link #redirectTo}.
 */
public final class ScriptedControlPlane implements AutoCloseable {

    public static final String BOOTSTRAP_TOKEN = "bootstrap-secret";
    private static final Context.Key<String> AUTH = Context.key("authorization");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    public record Registration(RegisterRequest request, String bearer) {}

    public final List<Registration> registrations = new CopyOnWriteArrayList<>();
    public final List<AgentMessage> received = new CopyOnWriteArrayList<>();
    public final Set<String> credentials;
    public final AtomicInteger connects = new AtomicInteger();
    public final AtomicInteger refusedConnects = new AtomicInteger();

    /**
     * Answer each heartbeat with a HeartbeatAck (epoch 7) when the hello asked for it, as the
     * control plane does; false models a leader that stopped answering with its stream still open.
     */
    public volatile boolean answerHeartbeats;

    private final AtomicInteger issued = new AtomicInteger();
    private volatile StreamObserver<ControlMessage> stream;
    private volatile String redirectTo;
    private volatile Server server;
    private int port;

    private ScriptedControlPlane(Set<String> credentials) {
        this.credentials = credentials;
    }

    public static ScriptedControlPlane start() {
        return start(ConcurrentHashMap.newKeySet());
    }

    /** A replica sharing its known credentials with others (as replicas share a store). */
    public static ScriptedControlPlane start(Set<String> sharedCredentials) {
        ScriptedControlPlane cp = new ScriptedControlPlane(sharedCredentials);
        cp.listen(0);
        return cp;
    }

    /** Answer Connect as a follower that names {@code leaderAddress}. */
    public ScriptedControlPlane followerOf(String leaderAddress) {
        this.redirectTo = leaderAddress;
        return this;
    }

    public String address() {
        return "localhost:" + port;
    }

    public int port() {
        return port;
    }

    /** Sends on the current stream. */
    public void send(ControlMessage message) {
        StreamObserver<ControlMessage> s = stream;
        if (s == null) {
            throw new IllegalStateException("no agent stream");
        }
        synchronized (s) {
            s.onNext(message);
        }
    }

    public boolean hasStream() {
        return stream != null;
    }

    public <T> Stream<T> receivedOf(Class<T> kind) {
        return received.stream()
                .map(
                        m ->
                                switch (m.getKindCase()) {
                                    case HELLO -> m.getHello();
                                    case HEARTBEAT -> m.getHeartbeat();
                                    case STATUS -> m.getStatus();
                                    case ACK -> m.getAck();
                                    case KIND_NOT_SET -> null;
                                })
                .filter(kind::isInstance)
                .map(kind::cast);
    }

    /**
     * Forgets every issued credential and ends the stream with UNAUTHENTICATED (a revoked cluster).
     */
    public void revokeCredentialsAndDisconnect() {
        credentials.clear();
        StreamObserver<ControlMessage> s = stream;
        stream = null;
        if (s != null) {
            synchronized (s) {
                s.onError(
                        Status.UNAUTHENTICATED
                                .withDescription("credential revoked")
                                .asRuntimeException());
            }
        }
    }

    /** Stops the server, dropping every stream. */
    public void stop() {
        Server s = server;
        stream = null;
        s.shutdownNow();
        try {
            s.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Listens again on the same port. */
    public void restart() {
        listen(port);
    }

    @Override
    public void close() {
        stop();
    }

    private void listen(int onPort) {
        ServerInterceptor auth =
                new ServerInterceptor() {
                    @Override
                    public <Q, R> ServerCall.Listener<Q> interceptCall(
                            ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                        String header = headers.get(AUTHORIZATION);
                        String bearer =
                                header != null && header.startsWith("Bearer ")
                                        ? header.substring(7)
                                        : "";
                        return Contexts.interceptCall(
                                Context.current().withValue(AUTH, bearer), call, headers, next);
                    }
                };
        try {
            server =
                    Grpc.newServerBuilderForPort(onPort, InsecureServerCredentials.create())
                            .addService(ServerInterceptors.intercept(new Service(), auth))
                            .build()
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getPort();
    }

    private final class Service extends AgentServiceGrpc.AgentServiceImplBase {

        @Override
        public void register(RegisterRequest request, StreamObserver<RegisterResponse> responses) {
            String bearer = AUTH.get();
            registrations.add(new Registration(request, bearer));
            RegisterResponse.Builder response =
                    RegisterResponse.newBuilder()
                            .setClusterName(request.getClusterName())
                            .setHeartbeatIntervalSeconds(1);
            if (BOOTSTRAP_TOKEN.equals(bearer)) {
                String credential = "credential-" + issued.incrementAndGet();
                credentials.add(credential);
                response.setCredential(credential);
            } else if (!credentials.contains(bearer)) {
                responses.onError(
                        Status.UNAUTHENTICATED
                                .withDescription("unknown token")
                                .asRuntimeException());
                return;
            }
            responses.onNext(response.build());
            responses.onCompleted();
        }

        @Override
        public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responses) {
            connects.incrementAndGet();
            String leader = redirectTo;
            if (leader != null) {
                refusedConnects.incrementAndGet();
                com.google.rpc.Status status =
                        com.google.rpc.Status.newBuilder()
                                .setCode(Status.Code.FAILED_PRECONDITION.value())
                                .setMessage("not the leader")
                                .addDetails(
                                        Any.pack(
                                                LeaderRedirect.newBuilder()
                                                        .setLeaderId("leader")
                                                        .setLeaderAddress(leader)
                                                        .setEpoch(7)
                                                        .build()))
                                .build();
                responses.onError(StatusProto.toStatusRuntimeException(status));
                return new Ignoring();
            }
            if (!credentials.contains(AUTH.get())) {
                responses.onError(
                        Status.UNAUTHENTICATED
                                .withDescription("unknown credential")
                                .asRuntimeException());
                return new Ignoring();
            }
            stream = responses;
            return new StreamObserver<>() {
                private boolean acksAsked;

                @Override
                public void onNext(AgentMessage message) {
                    received.add(message);
                    if (message.hasHello()) {
                        acksAsked = message.getHello().getHeartbeatAcks();
                    }
                    if (message.hasHeartbeat() && acksAsked && answerHeartbeats) {
                        synchronized (responses) {
                            responses.onNext(
                                    ControlMessage.newBuilder()
                                            .setEpoch(7)
                                            .setHeartbeatAck(
                                                    HeartbeatAck.newBuilder()
                                                            .setSentUnixMillis(
                                                                    message.getHeartbeat()
                                                                            .getSentUnixMillis()))
                                            .build());
                        }
                    }
                }

                @Override
                public void onError(Throwable t) {
                    if (stream == responses) {
                        stream = null;
                    }
                }

                @Override
                public void onCompleted() {
                    if (stream == responses) {
                        stream = null;
                    }
                    synchronized (responses) {
                        responses.onCompleted();
                    }
                }
            };
        }
    }

    private static final class Ignoring implements StreamObserver<AgentMessage> {
        @Override
        public void onNext(AgentMessage value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
    }
}
