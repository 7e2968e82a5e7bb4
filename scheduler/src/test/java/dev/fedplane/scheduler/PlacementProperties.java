package dev.fedplane.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Properties of placements over random scenarios (up to 300 clusters). */
class PlacementProperties {

    private final Scheduler scheduler = new Scheduler();

    @Provide
    Arbitrary<Scenarios.Scenario> scenarios() {
        return Scenarios.any();
    }

    @Provide
    Arbitrary<Scenarios.Scenario> plain() {
        return Scenarios.plainDivisions();
    }

    @Property(tries = 300)
    @Label("replicas placed plus unschedulable equal the replicas requested")
    void conservation(@ForAll("scenarios") Scenarios.Scenario s) {
        Placement p = scheduler.place(s.request());

        if (s.mode() == Scenarios.Mode.DUPLICATED) {
            assertThat(p.placements())
                    .allSatisfy(c -> assertThat(c.replicas()).isEqualTo(s.replicas()));
            assertThat(p.unschedulable()).isIn(0, s.replicas());
            assertThat(p.unschedulable() == 0)
                    .isEqualTo(!p.placements().isEmpty() || s.replicas() == 0);
        } else {
            assertThat(p.placedReplicas() + p.unschedulable()).isEqualTo(s.replicas());
        }
        assertThat(p.unschedulableReason() != null).isEqualTo(p.unschedulable() > 0);
    }

    @Property(tries = 300)
    @Label("no infeasible cluster receives replicas, and every cluster is explained in name order")
    void infeasibleGetNothing(@ForAll("scenarios") Scenarios.Scenario s) {
        Placement p = scheduler.place(s.request());

        assertThat(p.clusters()).hasSize(s.clusters().size());
        for (ClusterDecision d : p.clusters()) {
            if (!d.feasible()) {
                assertThat(d.replicas()).as(d.cluster()).isZero();
            }
        }
        List<String> names = p.clusters().stream().map(ClusterDecision::cluster).toList();
        assertThat(names).isSorted();
    }

    @Property(tries = 300)
    @Label(
            "no cluster exceeds what fits or its max, and none falls below its min when the mins fit in the replicas")
    void capsAndMins(@ForAll("plain") Scenarios.Scenario s) {
        Placement p = scheduler.place(s.request());
        long sumMins = 0;
        for (int i = 0; i < s.clusters().size(); i++) {
            Scenarios.ClusterSpec c = s.clusters().get(i);
            ClusterDecision d = p.decisionOf(s.name(i));
            assertThat(d.replicas()).isLessThanOrEqualTo(c.fit());
            if (s.limits() && c.max() >= 0) {
                assertThat(d.replicas()).isLessThanOrEqualTo(c.max());
            }
            if (participatesWithMin(s, c, d)) {
                sumMins += effectiveMin(c);
            }
        }
        // (with burst, cloud minimums count only within the cloud's share of the overflow)
        if ((s.mode() == Scenarios.Mode.STATIC || s.mode() == Scenarios.Mode.DYNAMIC)
                && s.burst() == Scenarios.Burst.NONE) {
            if (sumMins <= s.replicas()) {
                for (int i = 0; i < s.clusters().size(); i++) {
                    Scenarios.ClusterSpec c = s.clusters().get(i);
                    ClusterDecision d = p.decisionOf(s.name(i));
                    if (participatesWithMin(s, c, d)) {
                        assertThat(d.replicas())
                                .as(d.cluster())
                                .isGreaterThanOrEqualTo(effectiveMin(c));
                    }
                }
            }
        }
    }

    private static boolean participatesWithMin(
            Scenarios.Scenario s, Scenarios.ClusterSpec c, ClusterDecision d) {
        return s.limits() && d.feasible() && d.weight() > 0 && c.min() > 0 && (c.max() != 0);
    }

    private static int effectiveMin(Scenarios.ClusterSpec c) {
        int min = c.min();
        if (c.max() >= 0) {
            min = Math.min(min, c.max());
        }
        return Math.min(min, c.fit());
    }

    @Property(tries = 300)
    @Label(
            "a fresh static division gives every unbounded cluster the floor or ceiling of its exact share")
    void staticSharesWithinFloorAndCeiling(@ForAll("plain") Scenarios.Scenario raw) {
        Scenarios.Scenario s =
                new Scenarios.Scenario(
                        raw.clusters(),
                        raw.replicas(),
                        Scenarios.Mode.STATIC,
                        false,
                        0,
                        null,
                        Scenarios.Burst.NONE,
                        null);
        Placement p = scheduler.place(s.request());
        // Unbounded: every participant (feasible, weight > 0) fits at least its ceiling share.
        long totalWeight = 0;
        for (ClusterDecision d : p.clusters()) {
            totalWeight += d.feasible() ? d.weight() : 0;
        }
        Assume.that(totalWeight > 0);
        for (ClusterDecision d : p.clusters()) {
            if (d.feasible() && d.weight() > 0) {
                long ceil = ceilDiv((long) s.replicas() * d.weight(), totalWeight);
                Assume.that(d.fit() >= ceil);
            }
        }
        for (ClusterDecision d : p.clusters()) {
            if (d.feasible() && d.weight() > 0) {
                long exactNumerator = (long) s.replicas() * d.weight();
                assertThat(d.replicas())
                        .as(d.cluster())
                        .isBetween(
                                (int) (exactNumerator / totalWeight),
                                (int) ceilDiv(exactNumerator, totalWeight));
            }
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    @Property(tries = 200)
    @Label("scale-up never lowers and scale-down never raises any cluster")
    void scaling(
            @ForAll("plain") Scenarios.Scenario s,
            @ForAll @IntRange(min = 0, max = 400) int newReplicas) {
        Placement before = scheduler.place(s.request());
        PlacementRequest next =
                s.withReplicas(newReplicas).request().withCurrentPlacement(before.asMap());
        Placement after = scheduler.place(next);

        for (ClusterDecision d : after.clusters()) {
            int old = before.replicasOf(d.cluster());
            if (newReplicas >= s.replicas()) {
                assertThat(d.replicas()).as(d.cluster()).isGreaterThanOrEqualTo(old);
            } else {
                assertThat(d.replicas()).as(d.cluster()).isLessThanOrEqualTo(old);
            }
        }
        assertThat(after.placedReplicas() + after.unschedulable()).isEqualTo(newReplicas);
    }

    @Property(tries = 200)
    @Label("failover moves only the replicas of clusters that became infeasible")
    void failover(@ForAll("plain") Scenarios.Scenario s, @ForAll long seed) {
        Placement before = scheduler.place(s.request());
        Random random = new Random(seed);
        List<Scenarios.ClusterSpec> changed = new ArrayList<>();
        for (Scenarios.ClusterSpec c : s.clusters()) {
            boolean lose = random.nextInt(4) == 0;
            changed.add(
                    lose
                            ? new Scenarios.ClusterSpec(
                                    c.fit(),
                                    ClusterState.LOST,
                                    c.weight(),
                                    c.idc(),
                                    c.tierDie(),
                                    c.min(),
                                    c.max())
                            : c);
        }
        Scenarios.Scenario failed =
                new Scenarios.Scenario(
                        changed, s.replicas(), s.mode(), s.limits(), 0, null, s.burst(), null);
        Placement after = scheduler.place(failed.request().withCurrentPlacement(before.asMap()));

        for (ClusterDecision d : after.clusters()) {
            if (d.feasible()) {
                assertThat(d.replicas())
                        .as(d.cluster())
                        .isGreaterThanOrEqualTo(before.replicasOf(d.cluster()));
            } else {
                assertThat(d.replicas()).isZero();
            }
        }
    }

    @Property(tries = 200)
    @Label("the same scenario gives the same placement whatever the order of the clusters")
    void determinism(@ForAll("scenarios") Scenarios.Scenario s, @ForAll long seed) {
        PlacementRequest request = s.request();
        List<ClusterInfo> shuffled = new ArrayList<>(s.clusterInfos());
        Collections.shuffle(shuffled, new Random(seed));
        PlacementRequest shuffledRequest =
                new PlacementRequest(
                        request.app(),
                        ClusterSnapshot.of(shuffled),
                        null,
                        null,
                        request.tenantQuota(),
                        null);

        Placement first = scheduler.place(request);
        assertThat(scheduler.place(request)).isEqualTo(first);
        assertThat(scheduler.place(shuffledRequest)).isEqualTo(first);
    }

    @Property(tries = 500)
    @Label(
            "bounded division puts every participant within floor/ceiling of its clamped exact share")
    void boundedDivisionMatchesReference(
            @ForAll("weights") List<Integer> raw,
            @ForAll @IntRange(min = 0, max = 2000) int units,
            @ForAll long seed) {
        int m = raw.size();
        Random random = new Random(seed);
        int[] w = new int[m];
        int[] lo = new int[m];
        int[] hi = new int[m];
        for (int k = 0; k < m; k++) {
            w[k] = raw.get(k);
            hi[k] = 1 + random.nextInt(60);
            lo[k] = random.nextInt(3) == 0 ? random.nextInt(hi[k] + 1) : 0;
        }
        int[] out = new int[m];
        int placed =
                BoundedProportionalDivider.divide(
                        units,
                        m,
                        null,
                        w,
                        lo,
                        hi,
                        out,
                        randomOrder(m, random),
                        new DivisionScratch());

        long sumLo = 0;
        long sumHi = 0;
        for (int k = 0; k < m; k++) {
            sumLo += lo[k];
            sumHi += hi[k];
            assertThat(out[k]).isBetween(0, hi[k]);
        }
        assertThat(placed).isEqualTo((int) Math.min(units, sumHi));
        int total = 0;
        for (int v : out) {
            total += v;
        }
        assertThat(total).isEqualTo(placed);
        if (sumLo <= units && units <= sumHi) {
            double[] share = referenceShares(units, w, lo, hi);
            for (int k = 0; k < m; k++) {
                assertThat(out[k]).isGreaterThanOrEqualTo(lo[k]);
                assertThat((double) out[k])
                        .isBetween(Math.floor(share[k] - 1e-9), Math.ceil(share[k] + 1e-9));
            }
        }
    }

    @Property(tries = 200)
    @Label(
            "bounded division with weights near 2^31 (sums past 2^32, unpacked remainders) matches the reference too")
    void boundedDivisionWithLargeWeightsMatchesReference(
            @ForAll("largeWeights") List<Integer> raw,
            @ForAll @IntRange(min = 0, max = 2000) int units,
            @ForAll long seed) {
        boundedDivisionMatchesReference(raw, units, seed);
    }

    @Provide
    Arbitrary<List<Integer>> largeWeights() {
        return Arbitraries.integers()
                .between((1 << 30) - 5, Integer.MAX_VALUE)
                .list()
                .ofMinSize(2)
                .ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<Integer>> weights() {
        return Arbitraries.integers().between(1, 1000).list().ofMinSize(1).ofMaxSize(60);
    }

    /** clamp(λ·w, lo, hi) with Σ = units, λ by bisection (reference, in doubles). */
    private static double[] referenceShares(int units, int[] w, int[] lo, int[] hi) {
        double low = 0;
        double high = 1;
        while (sum(high, w, lo, hi) < units) {
            high *= 2;
        }
        for (int it = 0; it < 200; it++) {
            double mid = (low + high) / 2;
            if (sum(mid, w, lo, hi) < units) {
                low = mid;
            } else {
                high = mid;
            }
        }
        double[] share = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            share[k] = Math.min(hi[k], Math.max(lo[k], high * w[k]));
        }
        return share;
    }

    private static double sum(double lambda, int[] w, int[] lo, int[] hi) {
        double s = 0;
        for (int k = 0; k < w.length; k++) {
            s += Math.min(hi[k], Math.max(lo[k], lambda * w[k]));
        }
        return s;
    }

    @Property(tries = 300)
    @Label("the level computation of stability equals adding and removing one unit at a time")
    void stabilityLevelsEqualOneAtATime(@ForAll("weights") List<Integer> raw, @ForAll long seed) {
        int m = raw.size();
        Random random = new Random(seed);
        int[] w = new int[m];
        int[] held = new int[m];
        int[] target = new int[m];
        for (int k = 0; k < m; k++) {
            w[k] = raw.get(k) % 4;
            held[k] = random.nextInt(20);
            target[k] = random.nextInt(20);
        }
        ClusterOrder order = randomOrder(m, random);
        int[] fast = held.clone();
        StabilityAdjuster.converge(m, null, fast, target, w, order, new DivisionScratch());
        int[] slow = oneAtATime(held.clone(), target, w, order);

        assertThat(fast).containsExactly(slow);
    }

    /**
     * A cluster order with few distinct scores and name hashes, so that every tie-break level is
     * exercised.
     */
    private static ClusterOrder randomOrder(int m, Random random) {
        double[] score = new double[m];
        long[] nameHash = new long[m];
        for (int k = 0; k < m; k++) {
            score[k] = random.nextInt(3) / 2.0;
            nameHash[k] = random.nextInt(3); // equal hashes give equal tie keys: the name decides
        }
        return new ClusterOrder(score, nameHash, random.nextLong());
    }

    /**
     * Deficit first, then higher weight, then cluster order; removals: excess, lower weight,
     * reverse order.
     */
    private static int[] oneAtATime(int[] held, int[] target, int[] w, ClusterOrder order) {
        long h = 0;
        long t = 0;
        for (int k = 0; k < held.length; k++) {
            h += held[k];
            t += target[k];
        }
        for (; h < t; h++) {
            int best = -1;
            for (int k = 0; k < held.length; k++) {
                int d = target[k] - held[k];
                if (best < 0
                        || d > target[best] - held[best]
                        || (d == target[best] - held[best] && w[k] > w[best])
                        || (d == target[best] - held[best]
                                && w[k] == w[best]
                                && order.before(k, best))) {
                    best = k;
                }
            }
            held[best]++;
        }
        for (; h > t; h--) {
            int best = -1;
            for (int k = held.length - 1; k >= 0; k--) {
                int e = held[k] - target[k];
                if (best < 0
                        || e > held[best] - target[best]
                        || (e == held[best] - target[best] && w[k] < w[best])
                        || (e == held[best] - target[best]
                                && w[k] == w[best]
                                && order.before(best, k))) {
                    best = k;
                }
            }
            held[best]--;
        }
        return held;
    }

    @Property(tries = 300)
    @Label("selecting the best k equals taking the first k of a sort")
    void rankSelectEqualsSort(@ForAll("weights") List<Integer> raw, @ForAll long seed) {
        int m = raw.size();
        Random random = new Random(seed);
        long[] primary = new long[m];
        int[] secondary = new int[m];
        for (int k = 0; k < m; k++) {
            primary[k] = raw.get(k) % 7;
            secondary[k] = random.nextInt(3);
        }
        int k = random.nextInt(m + 1);
        int[] cand = new int[m];
        for (int i = 0; i < m; i++) {
            cand[i] = i;
        }
        ClusterOrder order = randomOrder(m, random);
        boolean ascending = random.nextBoolean();
        RankSelect.selectBest(cand, m, k, primary, secondary, order, null, ascending);
        List<Integer> sorted = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            sorted.add(i);
        }
        sorted.sort(
                (a, b) ->
                        RankSelect.better(a, b, primary, secondary, order, null, ascending)
                                ? -1
                                : RankSelect.better(
                                                b, a, primary, secondary, order, null, ascending)
                                        ? 1
                                        : 0);
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            picked.add(cand[i]);
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(sorted.subList(0, k));
    }

    @Property(tries = 100)
    @Label(
            "selecting the best k of hundreds (bucketed by the primary key first) equals taking the first k of a sort")
    void bucketedRankSelectEqualsSort(
            @ForAll @IntRange(min = 256, max = 3000) int m,
            @ForAll @IntRange(min = 0, max = 62) int keyBits,
            @ForAll long seed) {
        Random random = new Random(seed);
        long[] primary = new long[m];
        int[] weight = new int[m];
        long bound = 1L << keyBits;
        for (int k = 0; k < m; k++) {
            primary[k] = (random.nextLong() >>> 1) % bound; // keyBits 0..3: many ties on the key
            weight[k] = random.nextInt(3);
        }
        int k = random.nextInt(m + 1);
        ClusterOrder order = randomOrder(m, random);
        boolean ascending = random.nextBoolean();
        int[] cand = new int[m];
        for (int i = 0; i < m; i++) {
            cand[i] = i;
        }
        RankSelect.selectBest(cand, m, k, primary, weight, order, null, ascending);
        List<Integer> sorted = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            sorted.add(i);
        }
        sorted.sort(
                (a, b) ->
                        RankSelect.better(a, b, primary, weight, order, null, ascending)
                                ? -1
                                : RankSelect.better(b, a, primary, weight, order, null, ascending)
                                        ? 1
                                        : 0);
        List<Integer> picked = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            picked.add(cand[i]);
        }
        assertThat(picked).containsExactlyInAnyOrderElementsOf(sorted.subList(0, k));
    }

    @Property(tries = 1000)
    @Label("the reciprocal quotient of the fit computation equals integer division")
    void quotientEqualsDivision(
            @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = Long.MAX_VALUE / 4) long a,
            @ForAll @net.jqwik.api.constraints.LongRange(min = 1, max = 4_000_000_000L) long b) {
        assertThat(FitFilter.quotient(a, b, 1.0 / b)).isEqualTo(a / b);
    }

    @Property(tries = 1000)
    @Label("the reciprocal quotient is exact below 2^52, where it does not divide")
    void quotientExactBelowTwoToThe52(
            @ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = (1L << 52) - 1) long a,
            @ForAll @net.jqwik.api.constraints.LongRange(min = 1, max = 1L << 40) long b) {
        assertThat(FitFilter.quotient(a, b, 1.0 / b)).isEqualTo(a / b);
        assertThat(FitFilter.quotient(a - a % b, b, 1.0 / b)).isEqualTo(a / b);
    }
}
