package dev.fedplane.scheduler;

/**
 * Picks the best {@code k} of a set of candidate positions under a strict total order, in expected
 * linear time (Wirth's selection; no sorting). Position p stands for cluster {@code clusterOf[p]}
 * (or cluster p when {@code clusterOf} is null). When {@code ascending}, "better" is: larger {@code
 * primary[p]} (position-indexed; null: all equal), then higher {@code weight} of the cluster
 * (cluster-indexed; null when the primary key already holds the weight in its low bits), then
 * earlier in the {@link ClusterOrder cluster order}. When not ascending (removals): larger primary,
 * then lower weight, then later in the cluster order. Since the order is total, the set picked is
 * fully determined by the inputs: deterministic whatever the pivot choices.
 */
final class RankSelect {

    private RankSelect() {}

    /** Below this many candidates the comparison selection alone is as fast as bucketing first. */
    private static final int BUCKETING_THRESHOLD = 256;

    private static final int BUCKET_BITS = 11;

    /**
     * Reorders {@code cand[0..len)} so that its best {@code k} come first (in no particular order).
     */
    static void selectBest(
            int[] cand,
            int len,
            int k,
            long[] primary,
            int[] weight,
            ClusterOrder order,
            int[] clusterOf,
            boolean ascending) {
        if (k <= 0 || k >= len) {
            return;
        }
        if (primary != null && len >= BUCKETING_THRESHOLD) {
            selectByBuckets(cand, len, k, primary, weight, order, clusterOf, ascending);
        } else {
            quickselect(cand, 0, len - 1, k - 1, primary, weight, order, clusterOf, ascending);
        }
    }

    /**
     * A radix step first: candidates are bucketed by the high bits of their (non-negative) primary
     * key, every candidate in a bucket above the one holding the k-th best is better than every
     * candidate at or below it, so only that one bucket needs the full comparison. Two linear
     * passes and a few comparisons instead of a comparison per candidate and round.
     */
    private static void selectByBuckets(
            int[] cand,
            int len,
            int k,
            long[] primary,
            int[] weight,
            ClusterOrder order,
            int[] clusterOf,
            boolean ascending) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < len; i++) {
            long key = primary[cand[i]];
            min = Math.min(min, key);
            max = Math.max(max, key);
        }
        long span = max - min;
        if (span < 0) {
            quickselect(cand, 0, len - 1, k - 1, primary, weight, order, clusterOf, ascending);
            return;
        }
        int shift = Math.max(0, 64 - Long.numberOfLeadingZeros(span) - BUCKET_BITS);
        int[] count = new int[(int) (span >>> shift) + 1];
        for (int i = 0; i < len; i++) {
            count[(int) ((primary[cand[i]] - min) >>> shift)]++;
        }
        // The bucket holding the k-th best, counting from the highest bucket down.
        int above = 0;
        int b = count.length - 1;
        while (above + count[b] < k) {
            above += count[b--];
        }
        // Partition: buckets above b first, then bucket b, then the rest.
        int front = 0;
        for (int i = 0; i < len; i++) {
            int c = cand[i];
            if ((int) ((primary[c] - min) >>> shift) > b) {
                cand[i] = cand[front];
                cand[front++] = c;
            }
        }
        int mid = front;
        for (int i = front; i < len; i++) {
            int c = cand[i];
            if ((int) ((primary[c] - min) >>> shift) == b) {
                cand[i] = cand[mid];
                cand[mid++] = c;
            }
        }
        if (above < k) {
            quickselect(cand, front, mid - 1, k - 1, primary, weight, order, clusterOf, ascending);
        }
    }

    /**
     * Wirth's selection on {@code cand[l..r]}: afterwards the best up to position {@code kth} come
     * first.
     */
    private static void quickselect(
            int[] cand,
            int l,
            int r,
            int kth,
            long[] primary,
            int[] weight,
            ClusterOrder order,
            int[] clusterOf,
            boolean ascending) {
        while (l < r) {
            int x = cand[kth];
            int i = l;
            int j = r;
            do {
                while (better(cand[i], x, primary, weight, order, clusterOf, ascending)) {
                    i++;
                }
                while (better(x, cand[j], primary, weight, order, clusterOf, ascending)) {
                    j--;
                }
                if (i <= j) {
                    int t = cand[i];
                    cand[i] = cand[j];
                    cand[j] = t;
                    i++;
                    j--;
                }
            } while (i <= j);
            if (j < kth) {
                l = i;
            }
            if (kth < i) {
                r = j;
            }
        }
    }

    static boolean better(
            int a,
            int b,
            long[] primary,
            int[] weight,
            ClusterOrder order,
            int[] clusterOf,
            boolean ascending) {
        if (primary != null && primary[a] != primary[b]) {
            return primary[a] > primary[b];
        }
        int ca = clusterOf == null ? a : clusterOf[a];
        int cb = clusterOf == null ? b : clusterOf[b];
        if (weight != null) {
            int wa = weight[ca];
            int wb = weight[cb];
            if (wa != wb) {
                return ascending ? wa > wb : wa < wb;
            }
        }
        return ascending ? order.before(ca, cb) : order.before(cb, ca);
    }
}
