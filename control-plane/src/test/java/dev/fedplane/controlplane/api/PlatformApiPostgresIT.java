package dev.fedplane.controlplane.api;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;

/** The platform API contract on a fresh database of the real local PostgreSQL. */
class PlatformApiPostgresIT extends PlatformApiContract {
    @Override
    ControlPlaneHarness.Store store() {
        return ControlPlaneHarness.Store.POSTGRES;
    }
}
