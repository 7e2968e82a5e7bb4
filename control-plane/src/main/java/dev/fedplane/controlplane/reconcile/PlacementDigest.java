package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.placement.Explanation;
import dev.fedplane.controlplane.placement.StoredPlacement;
import java.util.Map;

/**
 * What the leader keeps in memory of an app's stored placement: enough to decide whether a new
 * decision differs from it (policy hash, generation, shares, and a hash of the explanation's
 * decision: its shares and what was not placed, see {@link #withoutTime}), without keeping or
 * re-reading the explanation itself (at 1,000 clusters it holds a verdict per cluster, about 190 KB
 * of JSON per app, 6 KB as stored). A stored placement that could not be read is kept as such:
 * placing its app fails the same way every time, as reading it would.
 */
public record PlacementDigest(
        String policyHash,
        long generation,
        Map<String, Integer> shares,
        boolean explained,
        int explanationHash,
        long computedAt,
        String unreadable) {

    public PlacementDigest {
        shares = shares == null ? Map.of() : Map.copyOf(shares);
    }

    /** The digest of {@code p}; null for null (no placement yet). */
    public static PlacementDigest of(StoredPlacement p) {
        if (p == null) {
            return null;
        }
        Explanation e = p.explanation();
        return new PlacementDigest(
                p.policyHash(),
                p.generation(),
                p.shares(),
                e != null,
                e == null ? 0 : withoutTime(e).hashCode(),
                e == null ? 0 : e.computedAt(),
                null);
    }

    /** The digest of stored JSON; an unreadable one when it does not parse. */
    public static PlacementDigest ofJson(String json) {
        try {
            return of(StoredPlacement.fromJson(json));
        } catch (RuntimeException e) {
            return new PlacementDigest("", 0, Map.of(), false, 0, 0, e.toString());
        }
    }

    /** Throws when the stored placement could not be read. */
    public void throwIfUnreadable() {
        if (unreadable != null) {
            throw new IllegalStateException("stored placement unreadable: " + unreadable);
        }
    }

    /**
     * True when {@code next} is the same decision: same policy, generation, shares and explanation
     * (its time aside).
     */
    public boolean sameDecision(StoredPlacement next) {
        return unreadable == null
                && policyHash.equals(next.policyHash())
                && generation == next.generation()
                && shares.equals(next.shares())
                && explained
                && next.explanation() != null
                && explanationHash == withoutTime(next.explanation()).hashCode();
    }

    /**
     * {@code same} (the same decision) with the stored explanation's time. Its per-cluster verdicts
     * are today's, not necessarily the stored ones: it is written only with a status change.
     */
    public StoredPlacement withTimeOf(StoredPlacement same) {
        Explanation e = same.explanation();
        return new StoredPlacement(
                same.policyHash(),
                same.generation(),
                same.shares(),
                new Explanation(
                        e.placements(),
                        e.unschedulable(),
                        e.unschedulableReason(),
                        e.clusters(),
                        e.generation(),
                        computedAt));
    }

    /**
     * What of an explanation makes a different decision: the shares, what could not be placed and
     * why, the generation. The per-cluster verdicts (scores, fits, the reasons of clusters that got
     * nothing) are stored with each decision but do not by themselves make one: they move whenever
     * any cluster's use or health moves, and rewriting every app's verdicts for that (a verdict per
     * cluster per app) was the control plane's largest cost at 1,000 clusters. {@code ExplainApp}
     * shows the verdicts as of the decision ({@code computedAt}).
     */
    static Explanation withoutTime(Explanation e) {
        return new Explanation(
                e.placements(),
                e.unschedulable(),
                e.unschedulableReason(),
                java.util.List.of(),
                e.generation(),
                0);
    }
}
