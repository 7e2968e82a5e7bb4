package dev.fedplane.scheduler;

/**
 * Picks the best {@code k} of a set of candidate positions under a strict total order, in
 * expected linear time (Wirth's selection; no sorting). "Better" is: larger {@code primary}, then
 * larger {@code secondary}, then the {@link ClusterOrder cluster order} of the positions' clusters
 * ({@code clusterOf[position]}, or the position itself when {@code clusterOf} is null): earlier
 * first when {@code ascending}, else later first (the reverse order, for removals). Since the
 * order is total, the set picked is fully determined by the inputs: deterministic whatever the
 * pivot choices.
 */
final class RankSelect {

    private RankSelect() {
    }

    /** Reorders {@code cand[0..len)} so that its best {@code k} come first (in no particular order). */
    static void selectBest(int[] cand, int len, int k, long[] primary, long[] secondary, ClusterOrder order,
                           int[] clusterOf, boolean ascending) {
        if (k <= 0 || k >= len) {
            return;
        }
        int l = 0;
        int r = len - 1;
        int kth = k - 1;
        while (l < r) {
            int x = cand[kth];
            int i = l;
            int j = r;
            do {
                while (better(cand[i], x, primary, secondary, order, clusterOf, ascending)) {
                    i++;
                }
                while (better(x, cand[j], primary, secondary, order, clusterOf, ascending)) {
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

    static boolean better(int a, int b, long[] primary, long[] secondary, ClusterOrder order, int[] clusterOf,
                          boolean ascending) {
        if (primary[a] != primary[b]) {
            return primary[a] > primary[b];
        }
        if (secondary[a] != secondary[b]) {
            return secondary[a] > secondary[b];
        }
        int ca = clusterOf == null ? a : clusterOf[a];
        int cb = clusterOf == null ? b : clusterOf[b];
        return ascending ? order.before(ca, cb) : order.before(cb, ca);
    }
}
