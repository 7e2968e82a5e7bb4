package dev.fedplane.controlplane.events;

/**
 * A committed platform-API write the reconciler must look at: an app (tenant and name), a tenant
 * (its quota, allowed clusters or network rules; name null), or a cluster (labels, marks, capacity;
 * tenant null). Published inside the writing transaction: the change feed records it there, the
 * reconciler receives it after the commit (nothing of a rolled-back write reaches it).
 */
public record Changed(Kind kind, String tenant, String name) {

    public enum Kind {
        APP,
        TENANT,
        CLUSTER
    }

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
