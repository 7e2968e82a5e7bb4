package dev.fedplane.controlplane.store;

/**
 * The API's {@code resource_version} and the row's {@code @Version} column. Micronaut Data starts a
 * row's version at 0 and raises it by one in the same UPDATE that checks it (an atomic
 * compare-and-set); the API counts from 1 so that 0 can mean "no precondition". This is the one
 * place that knows the offset.
 */
public final class ResourceVersions {
    private ResourceVersions() {
    }

    public static long toRow(long apiVersion) {
        return Math.max(0, apiVersion - 1);
    }

    public static long toApi(long rowVersion) {
        return rowVersion + 1;
    }

    /**
     * Runs a compare-and-set UPDATE ({@code update} returns the rows it changed) and, when it
     * changed none although the row is still at the expected version ({@code stillExpected}), runs
     * it again: H2 can miss a row that a concurrent transaction holds for a write that does not
     * touch the version. PostgreSQL waits for the lock and re-checks instead. Only clusters still
     * need it (agents' heartbeats write the cluster row); apps keep the leader's writes in
     * {@code app_status}, so their compare-and-set is a single UPDATE. True when the row was written; false when the version really moved.
     */
    public static boolean compareAndSet(java.util.function.LongSupplier update, java.util.function.BooleanSupplier stillExpected) {
        for (int attempt = 0; attempt < 5; attempt++) {
            if (update.getAsLong() == 1) {
                return true;
            }
            if (!stillExpected.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(2L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
