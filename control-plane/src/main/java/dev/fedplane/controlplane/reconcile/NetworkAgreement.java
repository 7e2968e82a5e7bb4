package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.tenant.Tenant;
import java.util.List;
import java.util.function.Function;

/**
 * Which of a tenant's cross-tenant rules take effect: an EGRESS rule of A naming B's app and port
 * only when B holds the INGRESS rule naming A with the same app and port, and the other way round.
 * Both tenants' admins must agree; one side alone allows nothing.
 */
public final class NetworkAgreement {
    private NetworkAgreement() {}

    /**
     * {@code t}'s rules with the one-sided cross-tenant rules left out; {@code tenants} finds a
     * peer (null: gone).
     */
    public static Tenant.NetworkRules effective(Tenant t, Function<String, Tenant> tenants) {
        List<Tenant.CrossTenantRule> agreed =
                t.network().crossTenant().stream()
                        .filter(r -> agreed(t.name(), r, tenants.apply(r.peerTenant())))
                        .toList();
        return new Tenant.NetworkRules(t.network().egress(), agreed);
    }

    static boolean agreed(String self, Tenant.CrossTenantRule r, Tenant peer) {
        if (peer == null || r.direction() == null) {
            return false;
        }
        Tenant.Direction opposite =
                r.direction() == Tenant.Direction.EGRESS
                        ? Tenant.Direction.INGRESS
                        : Tenant.Direction.EGRESS;
        return peer.network().crossTenant().stream()
                .anyMatch(
                        o ->
                                o.direction() == opposite
                                        && self.equals(o.peerTenant())
                                        && r.app().equals(o.app())
                                        && r.port() == o.port());
    }
}
