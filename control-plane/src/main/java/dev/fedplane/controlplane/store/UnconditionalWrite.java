package dev.fedplane.controlplane.store;

import io.micronaut.data.exceptions.OptimisticLockException;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs a write whose caller gave no {@code resource_version} (0: "no precondition") again when it
 * lost a race with a concurrent write.
 *
 * <p>The stores write rows with a compare-and-set on their version, and the admission lock (the
 * tenant's usage row) orders writes of one tenant. On H2 a write that waited for that lock can
 * still read a row version that a just-committed writer has already replaced (seen under load: a
 * scale without precondition answered ABORTED). A caller that set no precondition asked for "last
 * write wins", so such a collision is not theirs to retry: the whole transaction has been rolled
 * back, and it is run again, from a fresh read, a few times. A caller that did give a version still
 * gets ABORTED at once, as the API promises.
 */
public final class UnconditionalWrite {
    /** Attempts in all; each after the first follows a rolled-back transaction. */
    static final int ATTEMPTS = 5;

    private UnconditionalWrite() {}

    /**
     * {@code write} once when {@code resourceVersion} is a precondition, else up to {@link
     * #ATTEMPTS} times while it fails with a write conflict. {@code write} must run its own
     * transaction (a call through a {@code @Transactional} bean), so that each attempt starts
     * clean.
     */
    public static <T> T run(long resourceVersion, Supplier<T> write) {
        if (resourceVersion != 0) {
            return write.get();
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return write.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                pause(attempt);
            }
        }
    }

    /**
     * A lost compare-and-set, or a deadlock or serialization failure (SQLSTATE class 40): in both
     * cases nothing of the transaction was kept.
     */
    public static boolean isConflict(Throwable t) {
        return t instanceof OptimisticLockException || isTransactionConflict(t);
    }

    /** A deadlock or serialization failure (SQLSTATE class 40) anywhere in the causes. */
    public static boolean isTransactionConflict(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql
                    && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("40")) {
                return true;
            }
        }
        return false;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a write", e);
        }
    }
}
