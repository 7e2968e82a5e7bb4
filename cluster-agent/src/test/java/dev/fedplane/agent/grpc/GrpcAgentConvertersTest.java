package dev.fedplane.agent.grpc;

import static dev.fedplane.agent.testing.Fixtures.aGuardedTenantNamespace;
import static dev.fedplane.agent.testing.Fixtures.aTenantNamespace;
import static org.assertj.core.api.Assertions.assertThat;

import dev.fedplane.agent.apply.NamespaceSpec;
import dev.fedplane.agent.apply.NamespaceSpec.CrossTenantRule.Direction;
import dev.fedplane.proto.v1.CrossTenantRule;
import dev.fedplane.proto.v1.NetworkRules;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GrpcAgentConvertersTest {

    @Test
    void a_tenant_namespace_brings_its_quota_egress_list_and_cross_tenant_rules() {
        NamespaceSpec spec = GrpcAgentConverters.toCore(aGuardedTenantNamespace("shop"));

        assertThat(spec.tenant()).isEqualTo("shop");
        assertThat(spec.labels()).containsEntry("team", "shop-team");
        assertThat(spec.quota()).isEqualTo(new NamespaceSpec.QuotaSpec(4000, 8192, 20));
        assertThat(spec.network().egress())
                .containsExactly(new NamespaceSpec.EgressRule("10.0.32.0/24", 5978, "TCP"));
        assertThat(spec.network().crossTenant())
                .containsExactly(
                        new NamespaceSpec.CrossTenantRule(Direction.EGRESS, "billing", "api", 8443),
                        new NamespaceSpec.CrossTenantRule(Direction.INGRESS, "ops", "web", 8080));
    }

    @Test
    void
            a_tenant_namespace_without_quota_or_rules_has_none_and_rules_without_a_direction_are_dropped() {
        NamespaceSpec spec =
                GrpcAgentConverters.toCore(
                        aTenantNamespace("shop").toBuilder()
                                .setNetwork(
                                        NetworkRules.newBuilder()
                                                .addCrossTenant(
                                                        CrossTenantRule.newBuilder()
                                                                .setPeerTenant("x")
                                                                .setApp("y")
                                                                .setPort(1)))
                                .build());

        assertThat(spec.quota().isSet()).isFalse();
        assertThat(spec.network()).isEqualTo(NamespaceSpec.NetworkSpec.NONE);
    }
}
