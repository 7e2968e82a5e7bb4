package dev.fedplane.controlplane.reconcile;

import dev.fedplane.controlplane.app.App;

/** An app, by tenant and name: the reconciler's queue key. */
public record AppKey(String tenant, String name) {

    public static AppKey of(App a) {
        return new AppKey(a.tenant(), a.name());
    }

    @Override
    public String toString() {
        return tenant + "/" + name;
    }
}
