package dev.fedplane.controlplane.api;

import dev.fedplane.controlplane.testing.ControlPlaneHarness;

/** The platform API contract on the embedded H2 file store. */
class PlatformApiH2IT extends PlatformApiContract {
    @Override
    ControlPlaneHarness.Store store() {
        return ControlPlaneHarness.Store.H2;
    }
}
