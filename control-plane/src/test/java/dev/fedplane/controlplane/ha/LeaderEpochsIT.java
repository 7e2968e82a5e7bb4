package dev.fedplane.controlplane.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.testing.ControlPlaneHarness;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fence on leader-only writes ({@link LeaderEpochs#check}) on both stores: fenced writers of
 * one epoch do not wait for each other, a new epoch is recorded only after every write that passed
 * the check under the old one has committed, and after it the old epoch's writes are refused.
 * Waiting is observed in the store (a session blocked on a lock), not timed.
 */
class LeaderEpochsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private ControlPlaneHarness cp;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        if (cp != null) {
            cp.close();
        }
    }

    private LeaderEpochs epochs() {
        return cp.context().getBean(LeaderEpochs.class);
    }

    @SuppressWarnings("unchecked")
    private TransactionOperations<Connection> tx() {
        return cp.context().getBean(TransactionOperations.class);
    }

    /**
     * A fenced transaction of {@code epoch} that holds the fence from its check until {@code
     * release}, then commits; run it on a thread.
     */
    private Runnable heldFencedWrite(
            long epoch,
            CountDownLatch checked,
            CountDownLatch release,
            AtomicBoolean committed,
            CompletableFuture<Void> done) {
        return () -> {
            try {
                tx().executeWrite(
                                status -> {
                                    epochs().check(epoch);
                                    checked.countDown();
                                    try {
                                        if (!release.await(60, TimeUnit.SECONDS)) {
                                            throw new IllegalStateException("never released");
                                        }
                                    } catch (InterruptedException e) {
                                        Thread.currentThread().interrupt();
                                        throw new IllegalStateException(e);
                                    }
                                    return null;
                                });
                committed.set(true);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        };
    }

    /** A fenced transaction of {@code epoch} that commits at once; true when it did. */
    private Runnable fencedWrite(long epoch, CompletableFuture<Void> done) {
        return () -> {
            try {
                tx().executeWrite(
                                status -> {
                                    epochs().check(epoch);
                                    return null;
                                });
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        };
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName("fenced writes of the current epoch pass the fence while another one holds it")
    @EnumSource(ControlPlaneHarness.Store.class)
    void fencedWritesDoNotWaitForEachOther(ControlPlaneHarness.Store store) throws Exception {
        cp = ControlPlaneHarness.start(store, Map.of());
        long epoch = epochs().highest();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean firstCommitted = new AtomicBoolean();
        CompletableFuture<Void> first = new CompletableFuture<>();
        Thread holder = new Thread(heldFencedWrite(epoch, checked, release, firstCommitted, first));
        // On H2 the fence is striped by thread: the second writer runs on a thread of another
        // stripe (on PostgreSQL every thread takes the one shared lock).
        CompletableFuture<Void> second = new CompletableFuture<>();
        Thread writer = new Thread(fencedWrite(epoch, second));
        while (LeaderEpochs.stripeOf(writer) == LeaderEpochs.stripeOf(holder)) {
            writer = new Thread(fencedWrite(epoch, second));
        }
        holder.start();
        try {
            assertThat(checked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            writer.start();
            // The second write commits while the first still holds the fence.
            second.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(firstCommitted).isFalse();
        } finally {
            release.countDown();
        }
        first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(firstCommitted).isTrue();
    }

    @ParameterizedTest(name = "on {0}")
    @DisplayName(
            "a new epoch is recorded only after the old epoch's fenced write committed, and then the old epoch is refused")
    @EnumSource(ControlPlaneHarness.Store.class)
    void aNewEpochWaitsForFencedWritesAndThenFencesTheOldOne(ControlPlaneHarness.Store store)
            throws Exception {
        cp = ControlPlaneHarness.start(store, Map.of());
        long epoch = epochs().highest();
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean committed = new AtomicBoolean();
        CompletableFuture<Void> write = new CompletableFuture<>();
        threads.execute(heldFencedWrite(epoch, checked, release, committed, write));
        assertThat(checked.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> recordedAfterTheWrite =
                CompletableFuture.supplyAsync(
                        () -> {
                            boolean recorded = epochs().record(epoch + 1, "next-leader");
                            // Returned only once the held write was let go (it can commit only
                            // after that, and the recorder waits for its lock): the Java flag
                            // of the commit is set after the commit returns, too late to read here.
                            return recorded && release.getCount() == 0;
                        },
                        threads);
        try {
            // The recorder waits for the fenced write (a session of the store blocked on a lock).
            await().atMost(WAIT).until(() -> blockedSessions(store) > 0);
            assertThat(recordedAfterTheWrite).isNotDone();
        } finally {
            release.countDown();
        }
        write.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(committed).isTrue();
        assertThat(recordedAfterTheWrite.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        // The old epoch is refused from every thread (every stripe on H2); the new one passes.
        for (int i = 0; i < LeaderEpochs.STRIPES + 2; i++) {
            CompletableFuture<Void> late = new CompletableFuture<>();
            Thread t = new Thread(fencedWrite(epoch, late));
            t.start();
            assertThatThrownBy(() -> late.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(FedplaneException.class)
                    .hasMessageContaining("superseded by epoch " + (epoch + 1));
        }
        tx().executeWrite(
                        status -> {
                            epochs().check(epoch + 1);
                            return null;
                        });
        assertThat(epochs().highest()).isEqualTo(epoch + 1);
    }

    /** Sessions of this store waiting for a lock. */
    private int blockedSessions(ControlPlaneHarness.Store store) throws Exception {
        String sql =
                store == ControlPlaneHarness.Store.POSTGRES
                        ? "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                + "AND wait_event_type = 'Lock'"
                        : "SELECT count(*) FROM information_schema.sessions WHERE blocker_id IS NOT NULL";
        return tx().executeRead(
                        status -> {
                            try (Statement s = status.getConnection().createStatement();
                                    ResultSet r = s.executeQuery(sql)) {
                                r.next();
                                return r.getInt(1);
                            } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
    }
}
