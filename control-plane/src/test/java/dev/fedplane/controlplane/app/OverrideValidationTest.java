package dev.fedplane.controlplane.app;

import static dev.fedplane.controlplane.app.OverridesTest.ov;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.common.ClusterSelector;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.common.Violations;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad override is refused naming its field; good ones pass. */
class OverrideValidationTest {

    static List<FedplaneException.FieldViolation> violations(App.Spec spec) {
        Violations v = new Violations();
        AppValidator.validateSpec(spec, "app.spec", v);
        try {
            v.throwIfAny();
            return List.of();
        } catch (FedplaneException e) {
            return e.violations();
        }
    }

    static App.Spec spec(OverridesTest.Ov... overrides) {
        return OverridesTest.spec(OverridesTest.IMAGE, overrides);
    }

    static Stream<Arguments> bad() {
        return Stream.of(
                Arguments.of(
                        "an override without a name",
                        spec(new OverridesTest.Ov("").label("a", "1")),
                        "app.spec.overrides[0].name",
                        "is required"),
                Arguments.of(
                        "a name that is no DNS-1123 label",
                        spec(ov("Beijing_1")),
                        "app.spec.overrides[0].name",
                        "DNS-1123"),
                Arguments.of(
                        "two overrides with the same name",
                        spec(ov("bj"), ov("sh").onLabel("idc", "sh"), ov("bj")),
                        "app.spec.overrides[2].name",
                        "repeats override bj"),
                Arguments.of(
                        "an empty selector",
                        spec(ov("all").on(ClusterSelector.ALL)),
                        "app.spec.overrides[0].selector",
                        "must select clusters"),
                Arguments.of(
                        "a selector with a bad label value",
                        spec(ov("bj").onLabel("idc", "b j")),
                        "app.spec.overrides[0].selector.match_labels[idc]",
                        "not a valid label value"),
                Arguments.of(
                        "a registry with no dot, colon or localhost (a path, not a host)",
                        spec(ov("bj").registry("harbor")),
                        "app.spec.overrides[0].image_registry",
                        "registry host"),
                Arguments.of(
                        "a registry with a path",
                        spec(ov("bj").registry("harbor.example/team")),
                        "app.spec.overrides[0].image_registry",
                        "registry host"),
                Arguments.of(
                        "a registry with a bad port",
                        spec(ov("bj").registry("harbor.example:http")),
                        "app.spec.overrides[0].image_registry",
                        "registry host"),
                Arguments.of(
                        "both image_registry and image_prefix in one override",
                        spec(ov("bj").registry("a.example").prefix("b.example/c")),
                        "app.spec.overrides[0].image_prefix",
                        "must be empty when image_registry is set"),
                Arguments.of(
                        "a prefix with upper-case path components",
                        spec(ov("bj").prefix("mirror.example/Cache")),
                        "app.spec.overrides[0].image_prefix",
                        "registry host followed by lower-case path"),
                Arguments.of(
                        "a prefix ending in a slash",
                        spec(ov("bj").prefix("mirror.example/cache/")),
                        "app.spec.overrides[0].image_prefix",
                        "registry host followed by lower-case path"),
                Arguments.of(
                        "a bad env name",
                        spec(ov("bj").env("1=A", "x")),
                        "app.spec.overrides[0].env[0].name",
                        "identifier"),
                Arguments.of(
                        "an env name twice in one override",
                        spec(ov("bj").env("A", "x").env("A", "y")),
                        "app.spec.overrides[0].env[1].name",
                        "repeats A"),
                Arguments.of(
                        "a bad name to remove",
                        spec(ov("bj").remove("")),
                        "app.spec.overrides[0].remove_env[0]",
                        "identifier"),
                Arguments.of(
                        "a variable both set and removed by one override",
                        spec(ov("bj").env("A", "x").remove("A")),
                        "app.spec.overrides[0].remove_env[0]",
                        "also set in env"),
                Arguments.of(
                        "a negative cpu request",
                        spec(ov("bj").cpu(-1)),
                        "app.spec.overrides[0].resources.cpu_millis",
                        "must not be negative"),
                Arguments.of(
                        "a negative memory request",
                        spec(ov("bj").memory(-5)),
                        "app.spec.overrides[0].resources.memory_mib",
                        "must not be negative"),
                Arguments.of(
                        "a request above the spec's (quota and placement charge the spec's)",
                        spec(ov("bj").memory(1024)),
                        "app.spec.overrides[0].resources.memory_mib",
                        "must not exceed spec.resources.memory_mib (512)"),
                Arguments.of(
                        "a bad label key",
                        spec(ov("bj").label("-team", "x")),
                        "app.spec.overrides[0].labels[-team]",
                        "not a valid label key"),
                Arguments.of(
                        "a label value over 63 characters",
                        spec(ov("bj").label("team", "x".repeat(64))),
                        "app.spec.overrides[0].labels[team]",
                        "not a valid label value"),
                Arguments.of(
                        "a label under fedplane.dev/",
                        spec(ov("bj").label("fedplane.dev/app", "x")),
                        "app.spec.overrides[0].labels[fedplane.dev/app]",
                        "reserved prefix fedplane.dev/"),
                Arguments.of(
                        "a label under a subdomain of kubernetes.io/",
                        spec(ov("bj").label("node.kubernetes.io/x", "y")),
                        "app.spec.overrides[0].labels[node.kubernetes.io/x]",
                        "reserved prefix kubernetes.io/"),
                Arguments.of(
                        "an annotation under fedplane.dev/",
                        spec(ov("bj").annotation("fedplane.dev/app-generation", "9")),
                        "app.spec.overrides[0].annotations[fedplane.dev/app-generation]",
                        "reserved prefix"),
                Arguments.of(
                        "an annotation with a bad key",
                        spec(ov("bj").annotation("a b", "9")),
                        "app.spec.overrides[0].annotations[a b]",
                        "not a valid annotation key"),
                Arguments.of(
                        "annotations over Kubernetes' 256 KiB",
                        spec(ov("bj").annotation("example.com/big", "x".repeat(256 * 1024))),
                        "app.spec.overrides[0].annotations",
                        "at most 262144"),
                Arguments.of(
                        "a negative floor",
                        spec(ov("bj").floor(-1)),
                        "app.spec.overrides[0].replicas_floor",
                        "must not be negative"),
                Arguments.of(
                        "a floor above the replicas bound",
                        spec(ov("bj").floor(100_001)),
                        "app.spec.overrides[0].replicas_floor",
                        "at most 100000"),
                Arguments.of(
                        "more than 32 overrides",
                        spec(
                                IntStream.range(0, 33)
                                        .mapToObj(i -> ov("o" + i))
                                        .toArray(OverridesTest.Ov[]::new)),
                        "app.spec.overrides",
                        "at most 32"));
    }

    @ParameterizedTest(name = "{0} is refused naming {2}")
    @MethodSource("bad")
    void refuses(String sentence, App.Spec spec, String field, String message) {
        assertThat(violations(spec))
                .as(sentence)
                .anySatisfy(
                        f -> {
                            assertThat(f.field()).isEqualTo(field);
                            assertThat(f.description()).contains(message);
                        });
    }

    @Test
    void a_full_set_of_good_overrides_passes() {
        App.Spec s =
                spec(
                        ov("bj").registry("harbor.bj.example:5000")
                                .env("REGION", "bj")
                                .remove("B")
                                .cpu(250)
                                .memory(512)
                                .label("team", "checkout")
                                .label("example.com/zone", "a")
                                .annotation("example.com/owner", "ops bj, on call")
                                .floor(2),
                        ov("edge").onName("edge-1").prefix("mirror.example/cache/team"),
                        ov("localhost").onLabel("dev", "true").registry("localhost"));

        assertThat(violations(s)).isEmpty();
    }

    @Test
    void every_violation_of_every_override_is_reported_at_once() {
        App.Spec s = spec(ov("a").registry("x"), ov("b").cpu(-1).label("fedplane.dev/x", "1"));

        assertThat(violations(s))
                .extracting(FedplaneException.FieldViolation::field)
                .contains(
                        "app.spec.overrides[0].image_registry",
                        "app.spec.overrides[1].resources.cpu_millis",
                        "app.spec.overrides[1].labels[fedplane.dev/x]");
    }
}
