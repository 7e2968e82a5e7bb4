package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fedplane.scheduler.Fixtures.AppBuilder;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tenant quota: the app uses at most quota minus the tenant's other apps' usage. */
class TenantQuotaTest {

    /**
     * Cluster a has 1000m requested, b nothing: b scores higher, so b is first in cluster order and
     * takes odd units.
     */
    static Stream<Arguments> cases() {
        AppBuilder five = anApp().withReplicas(5).withResources(1000, 1024);
        return Stream.of(
                arguments(
                        "a replicas quota leaves the rest unschedulable",
                        five,
                        new TenantQuota(null, null, 10L),
                        new TenantUsage(0, 0, 7),
                        Map.of("a", 1, "b", 2),
                        2,
                        "2 replicas exceed the tenant quota (replicas quota 10, used by the tenant's other apps 7)"),
                arguments(
                        "a CPU quota counts per-replica CPU",
                        five,
                        new TenantQuota(4000L, null, null),
                        new TenantUsage(1500, 0, 0),
                        Map.of("a", 1, "b", 1),
                        3,
                        "3 replicas exceed the tenant quota (cpuMillis quota 4000, used by the tenant's other apps 1500, 1000 per replica)"),
                arguments(
                        "a memory quota counts per-replica memory",
                        five,
                        new TenantQuota(null, 4096L, null),
                        TenantUsage.NONE,
                        Map.of("a", 2, "b", 2),
                        1,
                        null),
                arguments(
                        "fields missing from the quota are no limit",
                        five,
                        new TenantQuota(null, null, null),
                        new TenantUsage(99_000, 99_000, 99),
                        Map.of("a", 2, "b", 3),
                        0,
                        null),
                arguments(
                        "without a quota the usage changes nothing",
                        five,
                        null,
                        new TenantUsage(99_000, 99_000, 99),
                        Map.of("a", 2, "b", 3),
                        0,
                        null),
                arguments(
                        "usage above the quota leaves everything unschedulable",
                        five,
                        new TenantQuota(null, null, 3L),
                        new TenantUsage(0, 0, 5),
                        Map.of(),
                        5,
                        null),
                arguments(
                        "a DUPLICATED app uses fewer clusters, best-scored first",
                        anApp().withReplicas(2).duplicated(),
                        new TenantQuota(null, null, 3L),
                        TenantUsage.NONE,
                        Map.of("b", 2),
                        0,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void limits(
            String behaviour,
            AppBuilder app,
            TenantQuota quota,
            TenantUsage usage,
            Map<String, Integer> expected,
            int unschedulable,
            String reason) {
        PlacementRequest request =
                PlacementRequest.of(
                                app.build(),
                                Fixtures.clusters(
                                        aCluster("a").withRequested(1000, 0, 0), aCluster("b")))
                        .withTenantQuota(quota)
                        .withTenantUsage(usage);

        Placement p = new Scheduler().place(request);

        assertThat(p.asMap()).isEqualTo(expected);
        assertThat(p.unschedulable()).isEqualTo(unschedulable);
        if (reason != null) {
            assertThat(p.unschedulableReason()).isEqualTo(reason);
        }
    }
}
