package dev.fedplane.scheduler;

/**
 * Minimal movement toward a target. Starting from what each participant holds, units to add go one
 * at a time to the participant with the largest deficit (target minus held; ties: higher weight,
 * then {@link ClusterOrder cluster order}) and units to remove come off the largest excess (held
 * minus target; ties: lower weight, then reverse cluster order), until the total equals the
 * target's total. A deficit or excess is positive for the participant that gets the unit, so adding
 * never passes a target (hence never a cap) and removing never goes below one (hence never below a
 * minimum the target respects); scale-up never lowers anyone, scale-down never raises anyone.
 *
 * <p>The one-at-a-time rule is computed by levels: adding u units lowers every deficit above some
 * level L to L, and the r units left over go to the first r (by the tie order) of those now at L. L
 * is the smallest level whose "cost" {@code Σ max(0, d - L)} is at most u (binary search).
 *
 * <p>Position k (0..m-1) is cluster {@code idx[k]} (cluster k when {@code idx} is null); held,
 * target and weights are the caller's cluster-indexed arrays, and {@code held} is updated in place.
 */
final class StabilityAdjuster {

    private StabilityAdjuster() {}

    /**
     * Moves {@code held} toward {@code target} over the m participants so that their totals are
     * equal.
     */
    static void converge(
            int m,
            int[] idx,
            int[] held,
            int[] target,
            int[] w,
            ClusterOrder order,
            DivisionScratch scratch) {
        long h = 0;
        long t = 0;
        for (int k = 0; k < m; k++) {
            int c = idx == null ? k : idx[k];
            h += held[c];
            t += target[c];
        }
        if (h < t) {
            move(m, idx, held, target, w, t - h, true, order, scratch);
        } else if (h > t) {
            move(m, idx, held, target, w, h - t, false, order, scratch);
        }
    }

    private static void move(
            int m,
            int[] idx,
            int[] held,
            int[] target,
            int[] w,
            long units,
            boolean add,
            ClusterOrder order,
            DivisionScratch scratch) {
        long[] gap = scratch.longs(m);
        long maxGap = 0;
        for (int k = 0; k < m; k++) {
            int c = idx == null ? k : idx[k];
            gap[k] = add ? (long) target[c] - held[c] : (long) held[c] - target[c];
            maxGap = Math.max(maxGap, gap[k]);
        }
        long lowL = 0;
        long highL = maxGap;
        while (lowL < highL) {
            long mid = (lowL + highL) >>> 1;
            if (cost(gap, m, mid) <= units) {
                highL = mid;
            } else {
                lowL = mid + 1;
            }
        }
        long level = lowL;
        long used = 0;
        int[] atLevel = scratch.ints(m);
        int count = 0;
        for (int k = 0; k < m; k++) {
            int c = idx == null ? k : idx[k];
            if (gap[k] > level) {
                long d = gap[k] - level;
                used += d;
                held[c] += add ? (int) d : -(int) d;
                gap[k] = level;
            }
            if (level > 0 && gap[k] == level) {
                atLevel[count++] = k;
            }
        }
        int rest = (int) (units - used);
        if (rest > 0) {
            // Every candidate's gap is now the level: reuse the gaps as the selection's key, the
            // weight (adding: higher first) or its complement (removing: lower first), so that the
            // bucketed selection sorts out the weights and compares the cluster order only within
            // one.
            for (int r = 0; r < count; r++) {
                int k = atLevel[r];
                long weight = w[idx == null ? k : idx[k]];
                gap[k] = add ? weight : ClusterWeight.MAX_WEIGHT - weight;
            }
            RankSelect.selectBest(atLevel, count, rest, gap, null, order, idx, add);
            for (int r = 0; r < rest && r < count; r++) {
                int k = atLevel[r];
                held[idx == null ? k : idx[k]] += add ? 1 : -1;
            }
        }
    }

    private static long cost(long[] gap, int m, long level) {
        long sum = 0;
        for (int k = 0; k < m; k++) {
            if (gap[k] > level) {
                sum += gap[k] - level;
            }
        }
        return sum;
    }
}
