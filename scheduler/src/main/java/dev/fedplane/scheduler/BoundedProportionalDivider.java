package dev.fedplane.scheduler;

import java.util.Arrays;

/**
 * Bounded proportional division of {@code units} replicas among {@code m} participants. Position k
 * (0..m-1) is cluster {@code c = idx[k]} of the snapshot (cluster k when {@code idx} is null); the
 * weight {@code w[c] > 0}, minimum {@code lo[c]} ({@code lo} null: all 0) and cap {@code hi[c]}
 * ({@code 0 <= lo <= hi}, {@code hi > 0}) are read, and the share written to {@code out[c]}, in the
 * caller's cluster-indexed arrays (nothing is copied per position).
 *
 * <p>The ideal share of participant k is {@code clamp(λ·w, lo, hi)} with λ chosen so the shares add
 * up to {@code units}. Integers: every participant gets the floor of its share; the units left go
 * one each by largest fractional part, ties by higher weight, then the {@link ClusterOrder cluster
 * order}, never past {@code hi} (a share with a fractional part is below its cap). Special cases:
 * when the minimums add up to {@code units} or more, minimums are given in order of higher weight,
 * then cluster order, until the units run out; when the caps add up to {@code units} or less, every
 * participant gets its cap and the rest is not placed.
 *
 * <p>Exact arithmetic: λ = P/Q with P = units left for the unclamped participants and Q = the sum
 * of their weights, so a share is {@code P·w/Q}; fractional parts compare as remainders {@code P·w
 * mod Q} over the common Q. Weights are at most 2^31-1 and units at most 2^31-1, so {@code P·w}
 * fits a long; comparisons against {@code lo·Q} and {@code hi·Q} use 128-bit products. λ is found
 * by water-filling: with the current free set, if the clamping errors at λ add up to a positive
 * amount (too many below their minimum) then λ* ≤ λ and every participant below its minimum stays
 * there, so fix those at lo; if negative, symmetrically fix those above their cap at hi; repeat.
 * Each round fixes at least one participant.
 *
 * <p>Cost: O(m) per water-filling round plus an expected O(m) selection of the remainders; it does
 * not grow with {@code units}. Allocates nothing but what {@link DivisionScratch} reuses.
 */
final class BoundedProportionalDivider {

    private BoundedProportionalDivider() {}

    /**
     * Writes {@code out[c]} for every participant and returns how many units were placed ({@code <=
     * units}).
     */
    static int divide(
            int units,
            int m,
            int[] idx,
            int[] w,
            int[] lo,
            int[] hi,
            int[] out,
            ClusterOrder order,
            DivisionScratch scratch) {
        for (int k = 0; k < m; k++) {
            out[idx == null ? k : idx[k]] = 0;
        }
        if (units <= 0 || m == 0) {
            return 0;
        }
        long sumLo = 0;
        long sumHi = 0;
        for (int k = 0; k < m; k++) {
            int c = idx == null ? k : idx[k];
            sumLo += lo == null ? 0 : lo[c];
            sumHi += hi[c];
        }
        if (sumLo >= units) {
            return giveMinimums(units, m, idx, w, lo, out, order);
        }
        if (sumHi <= units) {
            for (int k = 0; k < m; k++) {
                int c = idx == null ? k : idx[k];
                out[c] = hi[c];
            }
            return (int) sumHi;
        }
        // state: 0 free, 1 fixed at lo, 2 fixed at hi; 3/4 marks a free one violating lo/hi this
        // round.
        byte[] state = scratch.zeroedBytes(m);
        long fixed = 0;
        long q = 0;
        for (int k = 0; k < m; k++) {
            q += w[idx == null ? k : idx[k]];
        }
        long p;
        long[] acc = new long[2];
        while (q > 0) {
            p = units - fixed;
            // p and weights are below 2^31: with q below 2^32 every product fits a long.
            boolean small = q < (1L << 32);
            acc[0] = 0;
            acc[1] = 0;
            boolean violations = false;
            for (int k = 0; k < m; k++) {
                if (state[k] != 0) {
                    continue;
                }
                int c = idx == null ? k : idx[k];
                long wc = w[c];
                long loc = lo == null ? 0 : lo[c];
                long hic = hi[c];
                long pw = p * wc;
                if (loc > 0
                        && (small ? Long.compare(pw, loc * q) : compareProducts(p, wc, loc, q))
                                < 0) {
                    state[k] = 3;
                    violations = true;
                    add128(acc, loc, q);
                    sub128(acc, p, wc);
                } else if ((small ? Long.compare(pw, hic * q) : compareProducts(p, wc, hic, q))
                        > 0) {
                    state[k] = 4;
                    violations = true;
                    sub128(acc, p, wc);
                    add128(acc, hic, q);
                }
            }
            if (!violations) {
                break;
            }
            int sign = acc[0] != 0 ? Long.signum(acc[0]) : (acc[1] == 0 ? 0 : 1);
            for (int k = 0; k < m; k++) {
                int c = idx == null ? k : idx[k];
                if (state[k] == 3) {
                    if (sign >= 0) {
                        state[k] = 1;
                        fixed += lo[c];
                        q -= w[c];
                    } else {
                        state[k] = 0;
                    }
                } else if (state[k] == 4) {
                    if (sign <= 0) {
                        state[k] = 2;
                        fixed += hi[c];
                        q -= w[c];
                    } else {
                        state[k] = 0;
                    }
                }
            }
        }
        p = units - fixed;
        double inverse = q > 0 ? 1.0 / q : 0;
        long placed = 0;
        // Remainders r = P·w mod Q < Q. With Q below 2^32 (every weight fits 31 bits), r and the
        // weight pack into one key (r << 31 | w) that orders as "larger remainder, then higher
        // weight", so the selection compares one long before the cluster order.
        boolean packed = q < (1L << 32);
        long[] rem = null;
        int[] cand = null;
        int candidates = 0;
        for (int k = 0; k < m; k++) {
            int c = idx == null ? k : idx[k];
            if (state[k] == 1) {
                out[c] = lo[c];
            } else if (state[k] == 2) {
                out[c] = hi[c];
            } else {
                long num = p * w[c];
                long share = FitFilter.quotient(num, q, inverse);
                out[c] = (int) share;
                long r = num - share * q;
                if (r != 0) {
                    if (rem == null) {
                        rem = scratch.longs(m);
                        cand = scratch.ints(m);
                    }
                    rem[k] = packed ? (r << 31) | w[c] : r;
                    cand[candidates++] = k;
                }
            }
            placed += out[c];
        }
        int left = (int) (units - placed);
        if (left > 0 && candidates > 0) {
            int give = Math.min(left, candidates);
            RankSelect.selectBest(cand, candidates, give, rem, packed ? null : w, order, idx, true);
            for (int k = 0; k < give; k++) {
                out[idx == null ? cand[k] : idx[cand[k]]]++;
            }
            placed += give;
        }
        return (int) placed;
    }

    /** Minimums in order of higher weight, then cluster order, until the units run out. */
    private static int giveMinimums(
            int units, int m, int[] idx, int[] w, int[] lo, int[] out, ClusterOrder order) {
        Integer[] clusters = new Integer[m];
        for (int k = 0; k < m; k++) {
            clusters[k] = idx == null ? k : idx[k];
        }
        Arrays.sort(
                clusters,
                (a, b) -> w[a] != w[b] ? Integer.compare(w[b], w[a]) : order.compare(a, b));
        int left = units;
        for (int c : clusters) {
            int give = Math.min(lo[c], left);
            out[c] = give;
            left -= give;
        }
        return units - left;
    }

    /** Sign of {@code a·b - c·d} for non-negative longs, exact. */
    static int compareProducts(long a, long b, long c, long d) {
        long h1 = Math.multiplyHigh(a, b);
        long h2 = Math.multiplyHigh(c, d);
        if (h1 != h2) {
            return Long.compare(h1, h2);
        }
        return Long.compareUnsigned(a * b, c * d);
    }

    /** acc (signed 128-bit: [0] high, [1] low) += a·b, for non-negative a, b. */
    private static void add128(long[] acc, long a, long b) {
        long low = a * b;
        long high = Math.multiplyHigh(a, b);
        long sum = acc[1] + low;
        long carry = Long.compareUnsigned(sum, acc[1]) < 0 ? 1 : 0;
        acc[1] = sum;
        acc[0] += high + carry;
    }

    /** acc -= a·b, for non-negative a, b. */
    private static void sub128(long[] acc, long a, long b) {
        long low = a * b;
        long high = Math.multiplyHigh(a, b);
        long borrow = Long.compareUnsigned(acc[1], low) < 0 ? 1 : 0;
        acc[1] -= low;
        acc[0] -= high + borrow;
    }
}
