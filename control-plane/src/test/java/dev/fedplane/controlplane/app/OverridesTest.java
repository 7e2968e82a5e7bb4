package dev.fedplane.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.controlplane.common.ClusterSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The override resolution rule (docs/overrides.md) field by field: each row is one sentence, the
 * overrides of an app, the cluster it is resolved for, the field looked at and what it must be.
 */
class OverridesTest {
    static final String IMAGE = "registry.example/team/web:1.4";
    static final Map<String, String> BJ = Map.of("idc", "bj", "tier", "idc");

    /** A test builder of one override; every field empty until set. */
    static final class Ov {
        final String name;
        ClusterSelector selector = new ClusterSelector(List.of(), Map.of("idc", "bj"), List.of());
        String registry = "";
        String prefix = "";
        final List<App.EnvVar> env = new ArrayList<>();
        final List<String> remove = new ArrayList<>();
        long cpu;
        long memory;
        final Map<String, String> labels = new LinkedHashMap<>();
        final Map<String, String> annotations = new LinkedHashMap<>();
        int floor;

        Ov(String name) {
            this.name = name;
        }

        Ov on(ClusterSelector s) {
            selector = s;
            return this;
        }

        Ov onLabel(String k, String v) {
            return on(new ClusterSelector(List.of(), Map.of(k, v), List.of()));
        }

        Ov onName(String cluster) {
            return on(new ClusterSelector(List.of(cluster), Map.of(), List.of()));
        }

        Ov registry(String r) {
            registry = r;
            return this;
        }

        Ov prefix(String p) {
            prefix = p;
            return this;
        }

        Ov env(String k, String v) {
            env.add(new App.EnvVar(k, v));
            return this;
        }

        Ov remove(String k) {
            remove.add(k);
            return this;
        }

        Ov cpu(long c) {
            cpu = c;
            return this;
        }

        Ov memory(long m) {
            memory = m;
            return this;
        }

        Ov label(String k, String v) {
            labels.put(k, v);
            return this;
        }

        Ov annotation(String k, String v) {
            annotations.put(k, v);
            return this;
        }

        Ov floor(int f) {
            floor = f;
            return this;
        }

        App.ClusterOverride build() {
            return new App.ClusterOverride(
                    name,
                    selector,
                    registry,
                    prefix,
                    env,
                    remove,
                    cpu,
                    memory,
                    labels,
                    annotations,
                    floor);
        }
    }

    static Ov ov(String name) {
        return new Ov(name);
    }

    static App.Spec spec(String image, Ov... overrides) {
        return new App.Spec(
                image,
                6,
                500,
                512,
                List.of(),
                List.of(
                        new App.EnvVar("A", "1"),
                        new App.EnvVar("B", "2"),
                        new App.EnvVar("C", "3")),
                App.Policy.DEFAULT,
                Stream.of(overrides).map(Ov::build).toList(),
                null);
    }

    static Arguments row(
            String sentence,
            App.Spec spec,
            String cluster,
            Map<String, String> labels,
            Function<Overrides.Effective, Object> field,
            Object expected) {
        return Arguments.of(sentence, spec, cluster, labels, field, expected);
    }

    static Function<Overrides.Effective, Object> image() {
        return Overrides.Effective::image;
    }

    static Function<Overrides.Effective, Object> env() {
        return e -> e.env().stream().map(v -> v.name() + "=" + v.value()).toList();
    }

    static Stream<Arguments> rows() {
        return Stream.of(
                row(
                        "an override whose selector does not match the cluster changes nothing",
                        spec(IMAGE, ov("bj").registry("harbor.bj.example").label("x", "1")),
                        "sh-1",
                        Map.of("idc", "sh"),
                        e -> List.of(e.image(), e.labels(), e.appliedOverrides()),
                        List.of(IMAGE, Map.of(), List.of())),
                row(
                        "image_registry replaces the registry host and keeps path and tag",
                        spec(IMAGE, ov("bj").registry("harbor.bj.example")),
                        "bj-1",
                        BJ,
                        image(),
                        "harbor.bj.example/team/web:1.4"),
                row(
                        "image_registry with a port replaces a registry host with a port",
                        spec("localhost:5000/web:1", ov("bj").registry("harbor.bj:5443")),
                        "bj-1",
                        BJ,
                        image(),
                        "harbor.bj:5443/web:1"),
                row(
                        "image_registry goes in front of an image that names no registry host",
                        spec("team/web:1", ov("bj").registry("harbor.bj.example")),
                        "bj-1",
                        BJ,
                        image(),
                        "harbor.bj.example/team/web:1"),
                row(
                        "a one-part image name is Docker Hub's library repository",
                        spec("nginx:1.25", ov("bj").registry("mirror.example")),
                        "bj-1",
                        BJ,
                        image(),
                        "mirror.example/library/nginx:1.25"),
                row(
                        "image_prefix replaces everything before the last path component",
                        spec(IMAGE, ov("bj").prefix("mirror.bj.example/cache")),
                        "bj-1",
                        BJ,
                        image(),
                        "mirror.bj.example/cache/web:1.4"),
                row(
                        "image_prefix keeps a digest",
                        spec(
                                "registry.example/team/web@sha256:0123abcd",
                                ov("bj").prefix("mirror.example/x")),
                        "bj-1",
                        BJ,
                        image(),
                        "mirror.example/x/web@sha256:0123abcd"),
                row(
                        "image rewrites of two overrides apply in order, each to the previous result",
                        spec(
                                IMAGE,
                                ov("cache").prefix("m.example/cache"),
                                ov("bj").registry("r2.example")),
                        "bj-1",
                        BJ,
                        image(),
                        "r2.example/cache/web:1.4"),
                row(
                        "a later image_registry wins over an earlier one",
                        spec(IMAGE, ov("a").registry("a.example"), ov("b").registry("b.example")),
                        "bj-1",
                        BJ,
                        image(),
                        "b.example/team/web:1.4"),
                row(
                        "env adds a new variable at the end",
                        spec(IMAGE, ov("bj").env("D", "4")),
                        "bj-1",
                        BJ,
                        env(),
                        List.of("A=1", "B=2", "C=3", "D=4")),
                row(
                        "env replaces a variable in its place",
                        spec(IMAGE, ov("bj").env("B", "x")),
                        "bj-1",
                        BJ,
                        env(),
                        List.of("A=1", "B=x", "C=3")),
                row(
                        "a later override's env wins per variable name",
                        spec(IMAGE, ov("a").env("B", "x").env("D", "1"), ov("b").env("B", "y")),
                        "bj-1",
                        BJ,
                        env(),
                        List.of("A=1", "B=y", "C=3", "D=1")),
                row(
                        "remove_env drops a variable",
                        spec(IMAGE, ov("bj").remove("A")),
                        "bj-1",
                        BJ,
                        env(),
                        List.of("B=2", "C=3")),
                row(
                        "a variable an earlier override removed and a later one sets comes last",
                        spec(IMAGE, ov("a").remove("A"), ov("b").env("A", "9")),
                        "bj-1",
                        BJ,
                        env(),
                        List.of("B=2", "C=3", "A=9")),
                row(
                        "a later override removes a variable an earlier one set",
                        spec(IMAGE, ov("a").env("D", "4"), ov("b").remove("D")),
                        "bj-1",
                        BJ,
                        env(),
                        List.of("A=1", "B=2", "C=3")),
                row(
                        "resources replace the cpu request and a zero memory keeps the spec's",
                        spec(IMAGE, ov("bj").cpu(250)),
                        "bj-1",
                        BJ,
                        e -> List.of(e.cpuMillis(), e.memoryMiB()),
                        List.of(250L, 512L)),
                row(
                        "a later override's request wins per field",
                        spec(IMAGE, ov("a").cpu(100).memory(100), ov("b").cpu(200)),
                        "bj-1",
                        BJ,
                        e -> List.of(e.cpuMillis(), e.memoryMiB()),
                        List.of(200L, 100L)),
                row(
                        "labels merge per key and a later override wins",
                        spec(
                                IMAGE,
                                ov("a").label("team", "x").label("zone", "1"),
                                ov("b").label("zone", "2")),
                        "bj-1",
                        BJ,
                        Overrides.Effective::labels,
                        Map.of("team", "x", "zone", "2")),
                row(
                        "annotations merge per key and a later override wins",
                        spec(
                                IMAGE,
                                ov("a").annotation("example.com/a", "1").annotation("b", "1"),
                                ov("b").annotation("example.com/a", "2")),
                        "bj-1",
                        BJ,
                        Overrides.Effective::annotations,
                        Map.of("example.com/a", "2", "b", "1")),
                row(
                        "a later override's floor wins even when it is smaller",
                        spec(IMAGE, ov("a").floor(3), ov("b").floor(1)),
                        "bj-1",
                        BJ,
                        Overrides.Effective::replicasFloor,
                        1),
                row(
                        "a later override without a floor leaves an earlier floor",
                        spec(IMAGE, ov("a").floor(3), ov("b").label("x", "y")),
                        "bj-1",
                        BJ,
                        Overrides.Effective::replicasFloor,
                        3),
                row(
                        "applied_overrides lists the matching overrides in list order",
                        spec(
                                IMAGE,
                                ov("first").label("a", "1"),
                                ov("other-idc").onLabel("idc", "sh").label("a", "2"),
                                ov("by-name").onName("bj-1").label("a", "3")),
                        "bj-1",
                        BJ,
                        e -> List.of(e.appliedOverrides(), e.labels()),
                        List.of(List.of("first", "by-name"), Map.of("a", "3"))),
                row(
                        "a selector by name does not match another cluster with the same labels",
                        spec(IMAGE, ov("one").onName("bj-1").cpu(100)),
                        "bj-2",
                        BJ,
                        Overrides.Effective::cpuMillis,
                        500L),
                row(
                        "a match expression selects clusters by a label's absence",
                        spec(
                                IMAGE,
                                ov("no-gpu")
                                        .on(
                                                new ClusterSelector(
                                                        List.of(),
                                                        Map.of(),
                                                        List.of(
                                                                new ClusterSelector.Requirement(
                                                                        "gpu",
                                                                        ClusterSelector.Operator
                                                                                .DOES_NOT_EXIST,
                                                                        List.of()))))
                                        .memory(256)),
                        "bj-1",
                        BJ,
                        Overrides.Effective::memoryMiB,
                        256L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void resolves(
            String sentence,
            App.Spec spec,
            String cluster,
            Map<String, String> labels,
            Function<Overrides.Effective, Object> field,
            Object expected) {
        Overrides.Effective e = Overrides.resolve(spec, cluster, labels);

        assertThat(field.apply(e)).as(sentence).isEqualTo(expected);
        assertThat(Overrides.floor(spec, cluster, labels))
                .as("the scheduler's floor agrees with the effective spec")
                .isEqualTo(e.replicasFloor());
    }

    @org.junit.jupiter.api.Test
    void an_app_without_overrides_runs_its_own_spec_everywhere() {
        App.Spec s = spec(IMAGE);
        Overrides.Effective e = Overrides.resolve(s, "bj-1", BJ);

        assertThat(e.image()).isEqualTo(IMAGE);
        assertThat(e.cpuMillis()).isEqualTo(500);
        assertThat(e.memoryMiB()).isEqualTo(512);
        assertThat(e.env()).isEqualTo(s.env());
        assertThat(e.labels()).isEmpty();
        assertThat(e.annotations()).isEmpty();
        assertThat(e.replicasFloor()).isZero();
        assertThat(e.appliedOverrides()).isEmpty();
        assertThat(Overrides.hasFloors(s)).isFalse();
    }
}
