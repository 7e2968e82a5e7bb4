package dev.fedplane.controlplane.rollout;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;

/** {@link RolloutIT} on PostgreSQL: schema V12, the rollouts' compare-and-set and fenced writes. */
class RolloutPostgresIT extends RolloutIT {
    @Override
    ControlPlaneHarness.Store store() {
        return ControlPlaneHarness.Store.POSTGRES;
    }
}
