package dev.fedplane.scheduler;

import java.nio.charset.StandardCharsets;

/**
 * The cluster order of one app (DESIGN, Precise rules, "Cluster order"), used wherever clusters are
 * ranked or a tie is broken: remainders and minimums of the division, stability deficits and
 * excesses, AGGREGATED's choice, the best cluster of a spread group, DUPLICATED copies under a
 * quota. A cluster comes first when it has
 *
 * <ol>
 *   <li>the higher {@link CapacityScorer score} (emptier, cheaper);
 *   <li>then the smaller <b>tie key</b>, {@code mix(fnv1a64(appKey) ^ fnv1a64(clusterName))}
 *       compared as an unsigned 64-bit number, where {@code appKey = tenant + "/" + name} (tenant
 *       "" when absent), {@code fnv1a64} is 64-bit FNV-1a over the UTF-8 bytes and {@code mix} the
 *       splitmix64 finalizer;
 *   <li>then the name (ascending; a cluster's index in the snapshot is its rank by name).
 * </ol>
 *
 * Removal uses the reverse order. The tie key spreads equal clusters differently for every app, so
 * many small apps do not pile onto the alphabetically first clusters, while one app lands the same
 * way every time.
 *
 * <p>Cost: the snapshot hashes every cluster name once ({@link ClusterSnapshot}); a placement
 * hashes its app key once, and a comparison that reaches the tie key mixes it with the two name
 * hashes (two multiplications each). Immutable; one instance serves one placement.
 */
final class ClusterOrder {

    private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private final double[] score;
    private final long[] nameHash;
    private final long appHash;

    /**
     * An order over clusters with these scores and name hashes, for the app whose key hashes to
     * {@code appHash}.
     */
    ClusterOrder(double[] score, long[] nameHash, long appHash) {
        this.score = score;
        this.nameHash = nameHash;
        this.appHash = appHash;
    }

    /**
     * The order of {@code app}'s placement over the snapshot's clusters (one hash of the app key;
     * nothing per cluster).
     */
    static ClusterOrder of(ClusterSnapshot snapshot, AppSpec app) {
        return new ClusterOrder(
                snapshot.score, snapshot.nameHash, fnv1a64(appKey(app.tenant(), app.name())));
    }

    /** {@code tenant + "/" + name}, tenant "" when absent. */
    static String appKey(String tenant, String name) {
        return (tenant == null ? "" : tenant) + "/" + name;
    }

    /** Whether cluster {@code a} comes before cluster {@code b} (indexes into the snapshot). */
    boolean before(int a, int b) {
        double sa = score[a];
        double sb = score[b];
        if (sa != sb) {
            return sa > sb;
        }
        long ta = tieKey(a);
        long tb = tieKey(b);
        if (ta != tb) {
            return Long.compareUnsigned(ta, tb) < 0;
        }
        return a < b;
    }

    /** A comparator's answer for {@link #before}: negative when {@code a} comes first. */
    int compare(int a, int b) {
        return a == b ? 0 : before(a, b) ? -1 : 1;
    }

    /**
     * The tie key of cluster {@code i} for this app. Computed when a comparison reaches it (equal
     * scores), from the name hash the snapshot keeps: a placement allocates nothing per cluster.
     */
    long tieKey(int i) {
        return mix(appHash ^ nameHash[i]);
    }

    /** 64-bit FNV-1a over the UTF-8 bytes of {@code s}. */
    static long fnv1a64(String s) {
        long h = FNV_OFFSET_BASIS;
        int len = s.length();
        for (int k = 0; k < len; k++) {
            char c = s.charAt(k);
            if (c >= 0x80) {
                return fnv1a64Bytes(s.getBytes(StandardCharsets.UTF_8));
            }
            h = (h ^ c) * FNV_PRIME;
        }
        return h;
    }

    private static long fnv1a64Bytes(byte[] bytes) {
        long h = FNV_OFFSET_BASIS;
        for (byte b : bytes) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    /** The splitmix64 finalizer (arithmetic mod 2^64). */
    static long mix(long x) {
        x ^= x >>> 30;
        x *= 0xbf58476d1ce4e5b9L;
        x ^= x >>> 27;
        x *= 0x94d049bb133111ebL;
        x ^= x >>> 31;
        return x;
    }
}
