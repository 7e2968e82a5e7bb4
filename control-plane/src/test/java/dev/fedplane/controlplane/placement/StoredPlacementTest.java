package dev.fedplane.controlplane.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.controlplane.store.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StoredPlacementTest {

    /** A placement over {@code n} clusters: replicas on the first three, verdicts for every one. */
    private static StoredPlacement placement(int n) {
        List<Explanation.Decision> verdicts = new ArrayList<>();
        Map<String, Integer> shares = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            String name = String.format("idc-%c-%04d", 'a' + i % 4, i);
            int replicas = i < 3 ? 2 : 0;
            if (replicas > 0) {
                shares.put(name, replicas);
            }
            verdicts.add(
                    i % 7 == 0
                            ? new Explanation.Decision(
                                    name, false, "cluster is cordoned", 0, 0, 0.0, 0, null)
                            : new Explanation.Decision(
                                    name,
                                    true,
                                    null,
                                    1 + i % 10,
                                    i % 500,
                                    0.1 + i / 3.0 / n,
                                    replicas,
                                    replicas > 0
                                            ? null
                                            : "feasible; not needed: 6 replicas went to 3 better-ordered clusters"));
        }
        List<Explanation.Share> placed = new ArrayList<>();
        shares.forEach((c, r) -> placed.add(new Explanation.Share(c, r)));
        return new StoredPlacement(
                "policy-hash",
                7,
                shares,
                new Explanation(placed, 1, "1 replica fits nowhere", verdicts, 7, 123456789L));
    }

    @Test
    @DisplayName("a placement reads back equal from its stored form, verdict by verdict")
    void roundTrip() {
        for (int n : new int[] {0, 1, 12, 1000}) {
            StoredPlacement p = placement(n);
            assertThat(StoredPlacement.fromJson(p.toJson())).as("%d clusters", n).isEqualTo(p);
        }
        StoredPlacement none = new StoredPlacement("h", 1, Map.of(), null);
        assertThat(StoredPlacement.fromJson(none.toJson())).isEqualTo(none);
        assertThat(StoredPlacement.fromJson(null)).isNull();
        assertThat(StoredPlacement.fromJson("")).isNull();
    }

    @Test
    @DisplayName("the older stored form (verdicts as plain JSON in the explanation) is still read")
    void olderFormIsRead() {
        StoredPlacement p = placement(20);
        assertThat(StoredPlacement.fromJson(Json.write(p))).isEqualTo(p);
    }

    @Test
    @DisplayName(
            "the stored form keeps shares and the summary as plain JSON and is a small fraction of the plain form at 1,000 clusters")
    void storedFormIsSmallAndReadable() throws Exception {
        StoredPlacement p = placement(1000);
        String stored = p.toJson();
        String plain = Json.write(p);

        JsonNode tree = new ObjectMapper().readTree(stored);
        assertThat(tree.path("shares").path("idc-a-0000").asInt()).isEqualTo(2);
        assertThat(tree.path("policyHash").asText()).isEqualTo("policy-hash");
        assertThat(tree.path("explanation").path("unschedulable").asInt()).isEqualTo(1);
        assertThat(tree.path("explanation").path("clusters")).isEmpty();
        assertThat(stored.length()).isLessThan(plain.length() / 4);
    }

    @Test
    @DisplayName("verdicts that cannot be read are an error naming them, not an empty explanation")
    void unreadableVerdicts() {
        String broken =
                "{\"policyHash\":\"h\",\"generation\":1,\"shares\":{},"
                        + "\"explanation\":{\"placements\":[],\"clusters\":[]},\"verdicts\":\"not base64!\"}";
        assertThatThrownBy(() -> StoredPlacement.fromJson(broken))
                .hasMessageContaining("verdicts unreadable");
    }
}
