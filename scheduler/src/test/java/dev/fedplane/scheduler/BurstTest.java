package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static dev.fedplane.scheduler.Fixtures.anApp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.fedplane.scheduler.Fixtures.AppBuilder;
import dev.fedplane.scheduler.Fixtures.ClusterBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** IDC-first bursting into cloud clusters. */
class BurstTest {

    private static List<ClusterBuilder> idc6Cloud10() {
        return List.of(
                aCluster("cloud-1").inCloud().fitting(10), aCluster("idc-1").inIdc("a").fitting(6));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                arguments(
                        "IDC clusters are filled first and cloud takes only the overflow",
                        anApp().withReplicas(8).withBurst(true, null),
                        null,
                        idc6Cloud10(),
                        Map.of("idc-1", 6, "cloud-1", 2),
                        0,
                        null),
                arguments(
                        "nothing goes to cloud while IDC has room",
                        anApp().withReplicas(5).withBurst(true, null),
                        null,
                        idc6Cloud10(),
                        Map.of("idc-1", 5),
                        0,
                        null),
                arguments(
                        "cloud takes at most maxCloudReplicas",
                        anApp().withReplicas(20).withBurst(true, 5),
                        null,
                        idc6Cloud10(),
                        Map.of("idc-1", 6, "cloud-1", 5),
                        9,
                        "9 replicas fit nowhere: idc-1 is full (fits 6); cloud is limited to maxCloudReplicas 5"),
                arguments(
                        "cloud takes nothing when allowCloud is false",
                        anApp().withReplicas(8).withBurst(false, null),
                        null,
                        idc6Cloud10(),
                        Map.of("idc-1", 6),
                        2,
                        "2 replicas fit nowhere: idc-1 is full (fits 6); cloud clusters are not allowed (burst.allowCloud is false)"),
                arguments(
                        "without burst the tier is not special",
                        anApp().withReplicas(8),
                        null,
                        idc6Cloud10(),
                        Map.of("idc-1", 4, "cloud-1", 4),
                        0,
                        null),
                arguments(
                        "a cluster without a tier label counts as IDC",
                        anApp().withReplicas(8).withBurst(true, null),
                        null,
                        List.of(
                                aCluster("cloud-1").inCloud().fitting(10),
                                aCluster("plain").fitting(6)),
                        Map.of("plain", 6, "cloud-1", 2),
                        0,
                        null),
                // replicas fall from 10 to 7: target idc 6 + cloud 1; cloud goes first
                arguments(
                        "on scale-down cloud replicas go first",
                        anApp().withReplicas(7).withBurst(true, null),
                        Map.of("idc-1", 6, "cloud-1", 4),
                        idc6Cloud10(),
                        Map.of("idc-1", 6, "cloud-1", 1),
                        0,
                        null),
                // IDC grew to fit 10: target idc 10, cloud 0: cloud replicas move back to IDC
                arguments(
                        "when IDC room returns cloud replicas move back to IDC",
                        anApp().withReplicas(10).withBurst(true, null),
                        Map.of("idc-1", 6, "cloud-1", 4),
                        List.of(
                                aCluster("cloud-1").inCloud().fitting(10),
                                aCluster("idc-1").inIdc("a").fitting(10)),
                        Map.of("idc-1", 10),
                        0,
                        null),
                arguments(
                        "cloud holds at most the overflow even with a current placement",
                        anApp().withReplicas(8).withBurst(true, null),
                        Map.of("cloud-1", 8),
                        idc6Cloud10(),
                        Map.of("idc-1", 6, "cloud-1", 2),
                        0,
                        null),
                arguments(
                        "cloud minimums do not pull replicas out of IDC",
                        anApp().withReplicas(4)
                                .withBurst(true, null)
                                .withLimit(ClusterSelector.names("cloud-1"), 2, null),
                        null,
                        idc6Cloud10(),
                        Map.of("idc-1", 4),
                        0,
                        null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void bursts(
            String behaviour,
            AppBuilder app,
            Map<String, Integer> current,
            List<ClusterBuilder> clusters,
            Map<String, Integer> expected,
            int unschedulable,
            String reason) {
        ClusterBuilder[] array = clusters.toArray(new ClusterBuilder[0]);
        Placement p =
                current == null ? Fixtures.place(app, array) : Fixtures.place(app, current, array);

        assertThat(p.asMap()).isEqualTo(expected);
        assertThat(p.unschedulable()).isEqualTo(unschedulable);
        if (reason != null) {
            assertThat(p.unschedulableReason()).isEqualTo(reason);
        }
    }
}
