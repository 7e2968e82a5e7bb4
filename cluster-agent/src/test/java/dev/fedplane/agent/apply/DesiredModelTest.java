package dev.fedplane.agent.apply;

import static dev.fedplane.agent.testing.Fixtures.aNamespaceSpec;
import static dev.fedplane.agent.testing.Fixtures.aWorkloadSpec;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DesiredModelTest {

    @Test
    void before_any_full_state_there_is_nothing_to_resync() {
        DesiredModel model = new DesiredModel();
        model.update(
                new DesiredChange.Delta(
                        List.of(), List.of(), List.of(aWorkloadSpec("shop", "web", 1)), List.of()));

        assertThat(model.asFull()).isEmpty();
    }

    @Test
    void deltas_change_the_last_full_state() {
        DesiredModel model = new DesiredModel();
        model.update(
                new DesiredChange.Full(
                        List.of(aNamespaceSpec("shop"), aNamespaceSpec("blog")),
                        List.of(
                                aWorkloadSpec("shop", "web", 1),
                                aWorkloadSpec("shop", "api", 1),
                                aWorkloadSpec("blog", "site", 1))));

        model.update(
                new DesiredChange.Delta(
                        List.of(),
                        List.of("blog"),
                        List.of(aWorkloadSpec("shop", "web", 4)),
                        List.of(new WorkloadKey("shop", "api"))));

        DesiredChange.Full full = model.asFull().orElseThrow();
        assertThat(full.namespaces()).extracting(NamespaceSpec::tenant).containsExactly("shop");
        assertThat(full.workloads())
                .extracting(w -> w.app() + "=" + w.replicas())
                .containsExactly("web=4");
    }
}
