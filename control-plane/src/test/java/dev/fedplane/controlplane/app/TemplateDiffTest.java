package dev.fedplane.controlplane.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TemplateDiffTest {

    private static PodTemplate template(
            String image, long cpu, List<App.Port> ports, List<App.EnvVar> env) {
        return new PodTemplate(image, cpu, 512, ports, env);
    }

    @Test
    void equalTemplatesHaveNoChanges() {
        PodTemplate a =
                template(
                        "web:1",
                        500,
                        List.of(new App.Port("http", 8080, "TCP")),
                        List.of(new App.EnvVar("A", "1")));
        assertThat(TemplateDiff.between(a, a)).isEmpty();
    }

    @Test
    void everyDifferingFieldIsOneChangeSortedByPath() {
        PodTemplate a =
                template(
                        "web:1",
                        500,
                        List.of(new App.Port("http", 8080, "TCP")),
                        List.of(new App.EnvVar("A", "1"), new App.EnvVar("B", "2")));
        PodTemplate b =
                template(
                        "web:2",
                        750,
                        List.of(
                                new App.Port("http", 8080, ""),
                                new App.Port("metrics", 9100, "TCP")),
                        List.of(new App.EnvVar("A", "one"), new App.EnvVar("C", "3")));
        assertThat(TemplateDiff.between(a, b))
                .containsExactly(
                        new TemplateDiff.Change("env[A]", "1", "one"),
                        new TemplateDiff.Change("env[B]", "2", ""),
                        new TemplateDiff.Change("env[C]", "", "3"),
                        new TemplateDiff.Change("image", "web:1", "web:2"),
                        new TemplateDiff.Change("ports[metrics]", "", "9100/TCP"),
                        new TemplateDiff.Change("resources.cpu_millis", "500", "750"));
    }

    @Test
    void theOtherDirectionSwapsBothSides() {
        PodTemplate a = template("web:1", 500, List.of(), List.of(new App.EnvVar("A", "1")));
        PodTemplate b = template("web:1", 500, List.of(), List.of());
        assertThat(TemplateDiff.between(b, a))
                .containsExactly(new TemplateDiff.Change("env[A]", "", "1"));
    }

    @Test
    void replicasAndPlacementAreNotPartOfTheTemplate() {
        App.Spec spec =
                new App.Spec(
                        "web:1",
                        3,
                        500,
                        512,
                        List.of(),
                        List.of(new App.EnvVar("A", "1")),
                        App.Policy.DEFAULT,
                        List.of(),
                        null);
        assertThat(PodTemplate.of(spec.withReplicas(30))).isEqualTo(PodTemplate.of(spec));
    }
}
