package dev.fedplane.scheduler;

import static dev.fedplane.scheduler.Fixtures.aCluster;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cluster order of DESIGN's Precise rules. The expected hashes were computed outside Java (a
 * 10-line Python script of FNV-1a 64 and the splitmix64 finalizer over UTF-8 bytes), so the test
 * does not check the code against itself.
 */
class ClusterOrderTest {

    static Stream<Arguments> fnvVectors() {
        return Stream.of(
                // the published FNV-1a 64 test vectors for "" and "a"
                arguments("", 0xcbf29ce484222325L),
                arguments("a", 0xaf63dc4c8601ec8cL),
                arguments("foobar", 0x85944171f73967e8L),
                // app keys are tenant + "/" + name
                arguments("t1/web", 0x31d27c0b9f420a03L),
                // non-ASCII names hash their UTF-8 bytes (é is c3 a9)
                arguments("idc-é", 0x78a21e6fa6b8246cL));
    }

    @ParameterizedTest(name = "fnv1a64(\"{0}\")")
    @MethodSource("fnvVectors")
    void fnv1a64HashesUtf8Bytes(String input, long expected) {
        assertThat(ClusterOrder.fnv1a64(input)).isEqualTo(expected);
    }

    @Test
    @DisplayName("mix is the splitmix64 finalizer")
    void mixIsSplitmix64Finalizer() {
        assertThat(ClusterOrder.mix(0)).isZero();
        assertThat(ClusterOrder.mix(1)).isEqualTo(0x5692161d100b05e5L);
        assertThat(ClusterOrder.mix(0xcbf29ce484222325L)).isEqualTo(0xf52a15e9a9b5e89bL);
    }

    @Test
    @DisplayName("the tie keys of t1/web over clusters a, b, c order them c, a, b")
    void tieKeysOfTheFixtureApp() {
        // mix(fnv1a64("t1/web") ^ fnv1a64(name)): a 0xab67c109d257b8f2, b 0xbda1675e4c4097bc, c
        // 0x5f2a44cb208020b6
        ClusterSnapshot snapshot =
                ClusterSnapshot.of(Fixtures.clusters(aCluster("a"), aCluster("b"), aCluster("c")));
        ClusterOrder order = ClusterOrder.of(snapshot, Fixtures.anApp().build());

        assertThat(order.tieKey(0)).isEqualTo(0xab67c109d257b8f2L);
        assertThat(order.tieKey(1)).isEqualTo(0xbda1675e4c4097bcL);
        assertThat(order.tieKey(2)).isEqualTo(0x5f2a44cb208020b6L);
        assertThat(sorted(order, 3)).containsExactly(2, 0, 1);
    }

    @Test
    @DisplayName("tie keys compare unsigned: a key with the top bit set comes after a small one")
    void tieKeysCompareUnsigned() {
        // b's key 0xbda1... is negative as a signed long; it still comes after a's 0xab67...
        ClusterSnapshot snapshot =
                ClusterSnapshot.of(Fixtures.clusters(aCluster("a"), aCluster("b")));
        ClusterOrder order = ClusterOrder.of(snapshot, Fixtures.anApp().build());

        assertThat(order.before(0, 1)).isTrue();
        assertThat(order.before(1, 0)).isFalse();
    }

    @Test
    @DisplayName("a higher score comes first whatever the tie keys")
    void scoreComesFirst() {
        // b is emptier (a and c have 1000m of 64000m requested): b, then c before a by tie key
        ClusterSnapshot snapshot =
                ClusterSnapshot.of(
                        Fixtures.clusters(
                                aCluster("a").withRequested(1000, 0, 0),
                                aCluster("b"),
                                aCluster("c").withRequested(1000, 0, 0)));
        ClusterOrder order = ClusterOrder.of(snapshot, Fixtures.anApp().build());

        assertThat(sorted(order, 3)).containsExactly(1, 2, 0);
    }

    @Test
    @DisplayName("another app orders the same equal clusters differently")
    void anotherAppOrdersDifferently() {
        // t1/api: a 0x0fa1cc7b063b7dd0, b 0x663249b3bb39ad88, c 0x920b81c979ffef2e -> a, b, c
        // (t1/web: c, a, b)
        ClusterSnapshot snapshot =
                ClusterSnapshot.of(Fixtures.clusters(aCluster("a"), aCluster("b"), aCluster("c")));
        ClusterOrder web = ClusterOrder.of(snapshot, Fixtures.anApp().build());
        ClusterOrder api = ClusterOrder.of(snapshot, Fixtures.anApp().withName("api").build());

        assertThat(sorted(api, 3)).containsExactly(0, 1, 2);
        assertThat(sorted(web, 3)).containsExactly(2, 0, 1);
    }

    @Test
    @DisplayName("a missing tenant hashes as the empty string")
    void missingTenantIsEmpty() {
        assertThat(ClusterOrder.appKey(null, "web")).isEqualTo("/web");
        assertThat(ClusterOrder.appKey("t1", "web")).isEqualTo("t1/web");
    }

    private static Integer[] sorted(ClusterOrder order, int n) {
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, order::compare);
        return idx;
    }
}
