package dev.fedplane.cli.testing;

import dev.fedplane.proto.v1.AgentMessage;
import dev.fedplane.proto.v1.AgentServiceGrpc;
import dev.fedplane.proto.v1.ClusterCapacity;
import dev.fedplane.proto.v1.ControlMessage;
import dev.fedplane.proto.v1.Heartbeat;
import dev.fedplane.proto.v1.Hello;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.Resources;
import io.grpc.Channel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;

/**
 * A cluster agent on the real agent protocol, just enough to make a READY cluster: it registers
 * with a bootstrap token, opens the Connect stream, says hello and sends one heartbeat with its
 * capacity. It keeps the stream open (and ignores the desired state it is sent) until closed.
 */
public final class TestAgent implements AutoCloseable {
    private final Channel channel;
    private final String cluster;
    private StreamObserver<AgentMessage> requests;

    private TestAgent(Channel channel, String cluster) {
        this.channel = channel;
        this.cluster = cluster;
    }

    public static ClusterCapacity capacity(long cpuMillis, long memoryMib, long pods) {
        return capacity(cpuMillis, memoryMib, pods, 0, 0, 0);
    }

    /** Allocatable and what other workloads already request (free is the difference). */
    public static ClusterCapacity capacity(
            long cpuMillis,
            long memoryMib,
            long pods,
            long requestedCpuMillis,
            long requestedMemoryMib,
            long requestedPods) {
        return ClusterCapacity.newBuilder()
                .setAllocatable(
                        Resources.newBuilder()
                                .setCpuMillis(cpuMillis)
                                .setMemoryMib(memoryMib)
                                .setPods(pods))
                .setRequested(
                        Resources.newBuilder()
                                .setCpuMillis(requestedCpuMillis)
                                .setMemoryMib(requestedMemoryMib)
                                .setPods(requestedPods))
                .setFree(
                        Resources.newBuilder()
                                .setCpuMillis(cpuMillis - requestedCpuMillis)
                                .setMemoryMib(memoryMib - requestedMemoryMib)
                                .setPods(pods - requestedPods))
                .build();
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S bearer(S stub, String token) {
        Metadata md = new Metadata();
        md.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    /** Registers {@code cluster} with {@code bootstrapSecret} and connects it. */
    public static TestAgent join(
            Channel channel,
            String bootstrapSecret,
            String cluster,
            Map<String, String> labels,
            ClusterCapacity capacity,
            double costPerCpuHour) {
        TestAgent a = new TestAgent(channel, cluster);
        String credential =
                bearer(AgentServiceGrpc.newBlockingStub(channel), bootstrapSecret)
                        .register(
                                RegisterRequest.newBuilder()
                                        .setClusterName(cluster)
                                        .putAllLabels(labels)
                                        .setCapacity(capacity)
                                        .setCostPerCpuHour(costPerCpuHour)
                                        .setAgentVersion("test")
                                        .setKubernetesVersion("v1.31.0")
                                        .build())
                        .getCredential();
        a.requests =
                bearer(AgentServiceGrpc.newStub(channel), credential)
                        .connect(
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(ControlMessage m) {}

                                    @Override
                                    public void onError(Throwable t) {}

                                    @Override
                                    public void onCompleted() {}
                                });
        synchronized (a) {
            a.requests.onNext(
                    AgentMessage.newBuilder()
                            .setHello(
                                    Hello.newBuilder()
                                            .setClusterName(cluster)
                                            .setAgentVersion("test"))
                            .build());
            a.requests.onNext(
                    AgentMessage.newBuilder()
                            .setHeartbeat(
                                    Heartbeat.newBuilder()
                                            .setCapacity(capacity)
                                            .setSentUnixMillis(System.currentTimeMillis()))
                            .build());
        }
        return a;
    }

    public String cluster() {
        return cluster;
    }

    @Override
    public synchronized void close() {
        try {
            requests.onCompleted();
        } catch (RuntimeException ignored) {
            // the stream may already be gone with the server
        }
    }
}
