package dev.fedplane.controlplane.ha;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.fedplane.controlplane.testing.ProtocolAgent;
import dev.fedplane.proto.v1.LeaderRedirect;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A protocol agent that finds the leader as the real agent does: it dials an address from its list;
 * a follower's FAILED_PRECONDITION carries a {@link LeaderRedirect} that it follows; any other
 * failure moves it to the next address. Its applied state survives reconnects (each stream is a
 * fresh {@link ProtocolAgent} that starts from the previous one's state).
 */
final class FollowingAgent implements AutoCloseable {
    final String cluster;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private ProtocolAgent current;

    /** How many redirects this agent followed. */
    int redirectsFollowed;

    FollowingAgent(ProtocolAgent registered) {
        this.cluster = registered.cluster;
        this.current = registered;
    }

    ProtocolAgent current() {
        return current;
    }

    boolean connected() {
        return current != null && current.closedWith == null && streamOpen;
    }

    private volatile boolean streamOpen;

    /**
     * Connects to the leader, starting from the addresses {@code candidates} gives; fails after
     * {@code timeout}.
     */
    void connect(Supplier<List<String>> candidates, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        current.disconnect();
        int next = 0;
        String target = null;
        while (System.nanoTime() < deadline) {
            List<String> list = candidates.get();
            if (target == null) {
                target = list.get(next++ % list.size());
            }
            ProtocolAgent a = fresh(target);
            a.connect();
            // A follower or a refusing instance answers at once; a stream still open after this is
            // served.
            long settle = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(400);
            while (a.closedWith == null && a.received.isEmpty() && System.nanoTime() < settle) {
                Thread.sleep(20);
            }
            if (a.closedWith == null) {
                current = a;
                streamOpen = true;
                return;
            }
            Optional<String> redirect = redirectOf(a.closedError);
            a.disconnect();
            if (redirect.isPresent()) {
                redirectsFollowed++;
                target = redirect.get();
            } else {
                target = null;
                Thread.sleep(100); // retry pacing, as the agent backs off
            }
        }
        throw new AssertionError(cluster + ": found no leader within " + timeout);
    }

    /**
     * Applies what the leader sends until {@code done} holds, reconnecting (and following
     * redirects) whenever the stream ends, as the agent does across a failover; fails after {@code
     * timeout}.
     */
    void applyUntil(
            Supplier<List<String>> candidates,
            java.util.function.BooleanSupplier done,
            Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        cluster
                                + ": state not reached within "
                                + timeout
                                + "; applied "
                                + current.workloads);
            }
            if (!connected()) {
                connect(candidates, Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
            ProtocolAgent a = current;
            var m = a.received.poll(50, TimeUnit.MILLISECONDS);
            if (m != null) {
                a.apply(m);
            }
        }
    }

    /** The leader address in a follower's answer. */
    static Optional<String> redirectOf(Throwable error) {
        if (error == null
                || Status.fromThrowable(error).getCode() != Status.Code.FAILED_PRECONDITION) {
            return Optional.empty();
        }
        com.google.rpc.Status s = StatusProto.fromThrowable(error);
        if (s == null) {
            return Optional.empty();
        }
        for (Any d : s.getDetailsList()) {
            if (d.is(LeaderRedirect.class)) {
                try {
                    return Optional.of(d.unpack(LeaderRedirect.class).getLeaderAddress());
                } catch (InvalidProtocolBufferException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private ProtocolAgent fresh(String address) {
        ManagedChannel ch =
                channels.computeIfAbsent(
                        address, a -> ManagedChannelBuilder.forTarget(a).usePlaintext().build());
        ProtocolAgent a = new ProtocolAgent(ch, cluster);
        ProtocolAgent before = current;
        a.useCredential(before.credential());
        a.appliedGeneration = before.appliedGeneration;
        a.seenEpoch = before.seenEpoch;
        a.namespaces.putAll(before.namespaces);
        a.workloads.putAll(before.workloads);
        a.capacity = before.capacity;
        streamOpen = false;
        return a;
    }

    @Override
    public void close() {
        if (current != null) {
            current.close();
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
    }
}
