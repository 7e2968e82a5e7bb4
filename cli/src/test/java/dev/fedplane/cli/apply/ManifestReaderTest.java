package dev.fedplane.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.cli.UsageException;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestReaderTest {
    static final String APP =
            """
            kind: App
            tenant: shop
            name: web
            spec:
              image: registry.example/web:1.0
              replicas: 4
              resources: {cpu_millis: 500, memoryMib: "512"}
              ports:
                - {name: http, containerPort: 8080}
              placement:
                replicaScheduling: {type: DIVIDED}
                burst: {allowCloud: true}
            """;

    @Test
    void anAppDocumentBecomesTheAppMessageWithCamelOrSnakeCaseKeys() {
        List<Manifest> m = ManifestReader.read("app.yaml", APP);
        assertThat(m).hasSize(1);
        App a = (App) m.get(0).message();
        assertThat(a.getTenant()).isEqualTo("shop");
        assertThat(a.getSpec().getReplicas()).isEqualTo(4);
        assertThat(a.getSpec().getResources().getCpuMillis()).isEqualTo(500);
        assertThat(a.getSpec().getResources().getMemoryMib()).isEqualTo(512);
        assertThat(a.getSpec().getPorts(0).getContainerPort()).isEqualTo(8080);
        assertThat(a.getSpec().getPlacement().getReplicaScheduling().getType())
                .isEqualTo(ReplicaScheduling.Type.DIVIDED);
        assertThat(a.getSpec().getPlacement().getBurst().getAllowCloud()).isTrue();
    }

    @Test
    void everyFieldRemembersItsLineSoServerErrorsCanNameIt() {
        Manifest m = ManifestReader.read("app.yaml", APP).get(0);
        assertThat(m.locate("app.spec.replicas")).isEqualTo("app.yaml:6");
        assertThat(m.locate("app.spec.ports[0].container_port")).isEqualTo("app.yaml:9");
        assertThat(m.locate("app.spec.env")).as("absent: its parent").isEqualTo("app.yaml:4");
        assertThat(m.locate("app")).as("the document").isEqualTo("app.yaml:1");
    }

    @Test
    void manyDocumentsComeFromYamlSeparatorsOrAJsonList() {
        List<Manifest> yaml =
                ManifestReader.read(
                        "m.yaml", "name: a\n---\nname: b\nquota: {replicas: 3}\n---\n" + APP);
        assertThat(yaml).extracting(Manifest::kind).containsExactly("Tenant", "Tenant", "App");
        assertThat(((Tenant) yaml.get(1).message()).getQuota().getReplicas()).isEqualTo(3);
        assertThat(yaml.get(2).line()).isEqualTo(6);
        List<Manifest> json =
                ManifestReader.read(
                        "m.json",
                        """
                [{"kind": "Tenant", "name": "a"},
                 {"tenant": "a", "name": "x", "spec": {"replicas": 1}}]
                """);
        assertThat(json).extracting(Manifest::kind).containsExactly("Tenant", "App");
        assertThat(json.get(1).line()).isEqualTo(2);
    }

    @Test
    void nullsAreTheSameAsAbsent() {
        App a =
                (App)
                        ManifestReader.read(
                                        "a.yaml",
                                        "tenant: t\nname: n\nspec:\n  image: ~\n  replicas: null\n")
                                .get(0)
                                .message();
        assertThat(a.getSpec().getReplicas()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "an unknown field is named with its line | tenant: t\\nname: n\\nspec:\\n  replicaz: 3 | "
                        + "a.yaml:4: spec.replicaz: unknown field of AppSpec (known: image, replicas, resources, ports, env, placement, overrides, rollout)",
                "a word where an integer belongs | tenant: t\\nname: n\\nspec:\\n  replicas: four | "
                        + "a.yaml:4: spec.replicas: must be an integer (got \"four\")",
                "an integer too large for int32 | name: n\\nspec:\\n  replicas: 3000000000 | "
                        + "a.yaml:3: spec.replicas: is out of range (got 3000000000)",
                "an enum name that does not exist | name: n\\nspec:\\n  placement:\\n    replicaScheduling: {type: SPREAD} | "
                        + "a.yaml:4: spec.placement.replicaScheduling.type: \"SPREAD\" is not one of DUPLICATED, DIVIDED, AGGREGATED",
                "a list where a mapping belongs | name: n\\nspec:\\n  resources: [1, 2] | "
                        + "a.yaml:3: spec.resources: expected a mapping (Resources)",
                "a mapping where a list belongs | name: n\\nspec:\\n  ports: {name: http} | a.yaml:3: spec.ports: expected a list",
                "a bad boolean | name: n\\nspec:\\n  placement: {failback: maybe} | "
                        + "a.yaml:3: spec.placement.failback: must be true or false (got \"maybe\")",
                "an unknown kind | kind: Cluster\\nname: x | a.yaml:1: kind: must be App or Tenant",
                "a key given twice | name: n\\nname: m | a.yaml:2: name: given twice",
                "broken YAML | name: [unclosed | a.yaml:1: not valid YAML or JSON: expected ',' or ']', but got <stream end>",
                "a document that is not a mapping | just a string | a.yaml:1: expected a mapping (an App or a Tenant)",
                "an empty file | '' | a.yaml: no documents (expected an App or a Tenant)"
            })
    void malformedDocumentsAreRefusedWithTheLineAndField(String why, String text, String message) {
        assertThatThrownBy(() -> ManifestReader.read("a.yaml", text.replace("\\n", "\n")))
                .isInstanceOf(UsageException.class)
                .hasMessage(message);
    }
}
