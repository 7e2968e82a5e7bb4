package dev.fedplane.controlplane.burst;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;

/** {@link BurstIT} on PostgreSQL: schema V6, the plan's compare-and-set writes and its events. */
class BurstPostgresIT extends BurstIT {
    @Override
    ControlPlaneHarness.Store store() {
        return ControlPlaneHarness.Store.POSTGRES;
    }
}
