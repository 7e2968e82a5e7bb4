package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Many small apps over identical clusters spread over the whole fleet (the tie key differs per
 * app), instead of piling onto the alphabetically first clusters as a by-name tie-break did: there,
 * an app of R < N replicas always took the first R names, and the last cluster got none.
 */
class FairSpreadProperties {

    private final Scheduler scheduler = new Scheduler();

    @Property(tries = 30)
    @Label(
            "400 apps of fewer replicas than clusters, over N identical clusters, load every cluster within 2x of every other")
    void identicalClustersShareTheLoad(
            @ForAll @IntRange(min = 5, max = 60) int n, @ForAll long seed) {
        List<ClusterInfo> fleet = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            fleet.add(aCluster(String.format("member-%03d", i)).build());
        }
        ClusterSnapshot snapshot = ClusterSnapshot.of(fleet);
        Random random = new Random(seed);
        long[] total = new long[n];
        for (int a = 0; a < 400; a++) {
            // Mean load per cluster: 400 apps x (n/2 replicas on average) / n clusters = 200
            // replicas,
            // binomial-like with a standard deviation near 10: a 2x spread is tens of deviations
            // away.
            int replicas = 1 + random.nextInt(n - 1);
            AppSpec app =
                    anApp().withName("app-" + Long.toHexString(random.nextLong()))
                            .withReplicas(replicas)
                            .build();
            for (ClusterReplicas c :
                    scheduler.place(PlacementRequest.of(app, snapshot)).placements()) {
                total[snapshot.indexOf(c.cluster())] += c.replicas();
            }
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long t : total) {
            min = Math.min(min, t);
            max = Math.max(max, t);
        }
        assertThat(min).isPositive();
        assertThat((double) max / min).isLessThanOrEqualTo(2.0);
    }
}
