package dev.fedplane.loadtest;

import dev.fedplane.proto.v1.Ack;
import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.EnvVar;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.WorkloadStatus;
import dev.fedplane.proto.v1.WorkloadStatusReport;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bad and hostile input from a seeded {@link Random}, sent during the whole run: API requests with
 * random field values (names with any characters and lengths, negative and extreme replica counts,
 * odd images and env), requests over the size limit, and agent streams carrying malformed messages
 * (bytes that are no protobuf, messages before Hello, a Hello naming another cluster, acks of
 * generations never sent, status reports of unknown apps). Every answer is recorded; the checker
 * only requires that none is {@code INTERNAL}. Apps that a random request happens to create are
 * remembered so that the final checks include them.
 */
final class HostileInput {
    static final String TENANT = "hostile";

    private static final MethodDescriptor.Marshaller<byte[]> BYTES =
            new MethodDescriptor.Marshaller<>() {
                @Override
                public InputStream stream(byte[] value) {
                    return new ByteArrayInputStream(value);
                }

                @Override
                public byte[] parse(InputStream stream) {
                    try {
                        return stream.readAllBytes();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };

    private static final MethodDescriptor<byte[], byte[]> RAW_CONNECT =
            MethodDescriptor.<byte[], byte[]>newBuilder()
                    .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
                    .setFullMethodName(AgentServiceGrpc.getConnectMethod().getFullMethodName())
                    .setRequestMarshaller(BYTES)
                    .setResponseMarshaller(BYTES)
                    .build();

    private final Random random;
    private final FaultHistory history;
    private final String adminToken;
    private final String clusterName;
    private final String clusterCredential;
    private final String victimName;

    /** Apps a random CreateApp created (tenant/name). */
    final Set<String> created = ConcurrentHashMap.newKeySet();

    /**
     * @param clusterName a registered (and cordoned) cluster whose credential the malformed streams
     *     use, so that they get past authentication
     * @param victimName another cluster's name, for a Hello that claims to be it
     */
    HostileInput(
            long seed,
            FaultHistory history,
            String adminToken,
            String clusterName,
            String clusterCredential,
            String victimName) {
        this.random = new Random(seed);
        this.history = history;
        this.adminToken = adminToken;
        this.clusterName = clusterName;
        this.clusterCredential = clusterCredential;
        this.victimName = victimName;
    }

    /** Sends one hostile request, drawn from the seed, to {@code target} over {@code channel}. */
    void one(String target, ManagedChannel channel) {
        int kind = random.nextInt(8);
        switch (kind) {
            case 0, 1 -> randomCreate(target, channel);
            case 2 -> randomScale(target, channel);
            case 3 -> randomGet(target, channel);
            case 4 -> oversized(target, channel);
            case 5 -> garbageStream(target, channel);
            default -> badStream(target, channel, kind);
        }
    }

    // ------------------------------------------------------------------ random values

    private static final String ALPHABET =
            "abcdefghijklmnopqrstuvwxyz0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ_.:/ \u00e9\u4e2d\u0000%'\";";

    String randomString(int maxLength) {
        int n = random.nextInt(4) == 0 ? 0 : random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        boolean plain = random.nextBoolean();
        for (int i = 0; i < n; i++) {
            String alphabet = plain ? "abcdefghijklmnopqrstuvwxyz0123456789-" : ALPHABET;
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** A random bearer secret (printable ASCII, as HTTP/2 headers must be). */
    private String asciiToken() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(60);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('!' + random.nextInt(94)));
        }
        return sb.toString();
    }

    private int randomReplicas() {
        return switch (random.nextInt(6)) {
            case 0 -> -1 - random.nextInt(1000);
            case 1 -> Integer.MIN_VALUE;
            case 2 -> 0;
            default -> 1 + random.nextInt(3);
        };
    }

    private String randomTenant() {
        return switch (random.nextInt(4)) {
            case 0 -> randomString(80);
            case 1 -> "";
            default -> TENANT;
        };
    }

    private AppSpec.Builder randomSpec() {
        AppSpec.Builder b =
                AppSpec.newBuilder()
                        .setImage(random.nextInt(5) == 0 ? randomString(300) : "nginx:1.27")
                        .setReplicas(randomReplicas());
        if (random.nextInt(3) != 0) {
            b.setPlacement(FleetLoad.spec(1).getPlacement());
        }
        int env = random.nextInt(3);
        for (int i = 0; i < env; i++) {
            b.addEnv(EnvVar.newBuilder().setName(randomString(40)).setValue(randomString(100)));
        }
        if (random.nextBoolean()) {
            b.setResources(
                    dev.fedplane.proto.v1.Resources.newBuilder()
                            .setCpuMillis(random.nextInt(3) == 0 ? -random.nextInt(1000) : 10)
                            .setMemoryMib(random.nextInt(3) == 0 ? Long.MAX_VALUE : 16));
        }
        return b;
    }

    private <S extends io.grpc.stub.AbstractStub<S>> S admin(S stub) {
        return ControlPlaneOptions.withBearer(stub, adminToken)
                .withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    private void randomCreate(String target, ManagedChannel channel) {
        String tenant = randomTenant();
        String name = randomString(70);
        AppSpec.Builder spec = randomSpec();
        call(
                target,
                "hostile:CreateApp",
                tenant + "/" + name,
                () ->
                        admin(AppServiceGrpc.newBlockingStub(channel))
                                .createApp(
                                        CreateAppRequest.newBuilder()
                                                .setApp(
                                                        App.newBuilder()
                                                                .setTenant(tenant)
                                                                .setName(name)
                                                                .setSpec(spec))
                                                .build()),
                true);
    }

    private void randomScale(String target, ManagedChannel channel) {
        String tenant = randomTenant();
        String name = randomString(70);
        int replicas = randomReplicas();
        long rv = random.nextBoolean() ? 0 : random.nextLong();
        call(
                target,
                "hostile:ScaleApp",
                tenant + "/" + name,
                () ->
                        admin(AppServiceGrpc.newBlockingStub(channel))
                                .scaleApp(
                                        ScaleAppRequest.newBuilder()
                                                .setTenant(tenant)
                                                .setName(name)
                                                .setReplicas(replicas)
                                                .setResourceVersion(rv)
                                                .build()),
                false);
    }

    private void randomGet(String target, ManagedChannel channel) {
        String tenant = randomTenant();
        String name = randomString(70);
        String token = random.nextBoolean() ? adminToken : asciiToken();
        call(
                target,
                "hostile:GetApp",
                tenant + "/" + name,
                () ->
                        ControlPlaneOptions.withBearer(
                                        AppServiceGrpc.newBlockingStub(channel), token)
                                .withDeadlineAfter(5, TimeUnit.SECONDS)
                                .getApp(
                                        GetAppRequest.newBuilder()
                                                .setTenant(tenant)
                                                .setName(name)
                                                .build()),
                false);
    }

    /** A CreateApp over the server's 4 MiB message limit. */
    private void oversized(String target, ManagedChannel channel) {
        String name = "big-" + random.nextInt(1_000_000);
        String image = "x".repeat(5 * 1024 * 1024);
        call(
                target,
                "hostile:Oversized",
                TENANT + "/" + name,
                () ->
                        admin(AppServiceGrpc.newBlockingStub(channel))
                                .createApp(
                                        CreateAppRequest.newBuilder()
                                                .setApp(
                                                        App.newBuilder()
                                                                .setTenant(TENANT)
                                                                .setName(name)
                                                                .setSpec(
                                                                        AppSpec.newBuilder()
                                                                                .setImage(image)
                                                                                .setReplicas(1)))
                                                .build()),
                true);
    }

    private void call(String target, String op, String app, Supplier<Object> rpc, boolean creates) {
        long start = System.currentTimeMillis();
        String code;
        String detail = "";
        try {
            rpc.get();
            code = "OK";
            if (creates) {
                created.add(app);
            }
        } catch (StatusRuntimeException e) {
            code = e.getStatus().getCode().name();
            detail = String.valueOf(e.getStatus().getDescription());
        }
        history.calls.add(
                new FaultHistory.ApiCall(
                        start,
                        System.currentTimeMillis(),
                        op,
                        target,
                        app.length() > 80 ? app.substring(0, 80) : app,
                        0,
                        code,
                        detail.length() > 200 ? detail.substring(0, 200) : detail));
    }

    // ------------------------------------------------------------------ agent streams

    /**
     * A Connect stream with the cordoned cluster's credential carrying bytes that are no protobuf.
     */
    private void garbageStream(String target, ManagedChannel channel) {
        byte[] junk = new byte[1 + random.nextInt(64)];
        random.nextBytes(junk);
        junk[0] = (byte) 0xff; // field 31, wire type 7: never a valid protobuf tag
        Metadata md = new Metadata();
        md.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + clusterCredential);
        CompletableFuture<Status> done = new CompletableFuture<>();
        StreamObserver<byte[]> out =
                ClientCalls.asyncBidiStreamingCall(
                        io.grpc.ClientInterceptors.intercept(
                                        channel,
                                        io.grpc.stub.MetadataUtils.newAttachHeadersInterceptor(md))
                                .newCall(
                                        RAW_CONNECT,
                                        CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS)),
                        observer(done));
        long start = System.currentTimeMillis();
        out.onNext(junk);
        out.onCompleted();
        record(target, "hostile:GarbageStream", start, done);
    }

    /** A Connect stream with well-formed messages that make no sense. */
    private void badStream(String target, ManagedChannel channel, int kind) {
        CompletableFuture<Status> done = new CompletableFuture<>();
        StreamObserver<AgentMessage> out =
                ControlPlaneOptions.withBearer(
                                AgentServiceGrpc.newStub(channel),
                                kind == 6 ? clusterCredential : asciiToken())
                        .withDeadlineAfter(5, TimeUnit.SECONDS)
                        .connect(observer(done));
        long start = System.currentTimeMillis();
        List<AgentMessage> messages =
                switch (random.nextInt(5)) {
                    case 0 ->
                            List.of(
                                    AgentMessage.newBuilder()
                                            .setHeartbeat(
                                                    Heartbeat.newBuilder().setSentUnixMillis(-1))
                                            .build());
                    case 1 ->
                            List.of(
                                    AgentMessage.newBuilder()
                                            .setHello(
                                                    Hello.newBuilder()
                                                            .setClusterName(victimName)
                                                            .setLastAppliedGeneration(
                                                                    random.nextLong())
                                                            .setLastSeenEpoch(random.nextLong()))
                                            .build());
                    case 2 ->
                            List.of(
                                    hello(),
                                    AgentMessage.newBuilder()
                                            .setAck(
                                                    Ack.newBuilder()
                                                            .setGeneration(
                                                                    1_000_000
                                                                            + random.nextInt(
                                                                                    1_000_000))
                                                            .setSuccess(random.nextBoolean())
                                                            .setError(randomString(200)))
                                            .build());
                    case 3 -> List.of(hello(), AgentMessage.getDefaultInstance());
                    default ->
                            List.of(
                                    hello(),
                                    AgentMessage.newBuilder()
                                            .setStatus(
                                                    WorkloadStatusReport.newBuilder()
                                                            .addWorkloads(
                                                                    WorkloadStatus.newBuilder()
                                                                            .setTenant(
                                                                                    randomString(
                                                                                            70))
                                                                            .setApp(
                                                                                    randomString(
                                                                                            70))
                                                                            .setDesiredReplicas(
                                                                                    randomReplicas())
                                                                            .setReadyReplicas(
                                                                                    randomReplicas())))
                                            .build());
                };
        try {
            messages.forEach(out::onNext);
            out.onCompleted();
        } catch (RuntimeException e) {
            // the stream already ended; its status is recorded below
        }
        record(target, "hostile:BadStream", start, done);
    }

    private AgentMessage hello() {
        return AgentMessage.newBuilder()
                .setHello(
                        Hello.newBuilder()
                                .setClusterName(clusterName)
                                .setLastAppliedGeneration(random.nextInt(3))
                                .setLastSeenEpoch(random.nextInt(3)))
                .build();
    }

    private static <T> StreamObserver<T> observer(CompletableFuture<Status> done) {
        return new StreamObserver<>() {
            @Override
            public void onNext(T value) {}

            @Override
            public void onError(Throwable t) {
                done.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                done.complete(Status.OK);
            }
        };
    }

    private void record(String target, String op, long start, CompletableFuture<Status> done) {
        Status s;
        try {
            s = done.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            s = Status.DEADLINE_EXCEEDED.withDescription("no answer within 10 s");
        }
        history.calls.add(
                new FaultHistory.ApiCall(
                        start,
                        System.currentTimeMillis(),
                        op,
                        target,
                        clusterName,
                        0,
                        s.getCode().name(),
                        String.valueOf(s.getDescription())));
    }
}
