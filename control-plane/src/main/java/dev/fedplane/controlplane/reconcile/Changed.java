package dev.fedplane.controlplane.reconcile;

/**
 * A committed change the reconciler must look at: an app (tenant and name), a tenant (its quota or
 * allowed clusters; name null), or a cluster (labels, marks, capacity, health; tenant null).
 * Published inside the writing transaction and delivered after it commits.
 */
public record Changed(Kind kind, String tenant, String name) {

    public enum Kind { APP, TENANT, CLUSTER }

    public static Changed app(String tenant, String name) {
        return new Changed(Kind.APP, tenant, name);
    }

    public static Changed tenant(String tenant) {
        return new Changed(Kind.TENANT, tenant, null);
    }

    public static Changed cluster(String name) {
        return new Changed(Kind.CLUSTER, null, name);
    }
}
