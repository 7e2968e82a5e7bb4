package dev.fedplane.scheduler;

/**
 * Tenant quota: with a quota, the app may use at most quota minus what the tenant's other apps use,
 * in replicas, CPU and memory (a quota field that is null is no limit). The allowance is the number
 * of replicas that leaves room for; replicas beyond it are unschedulable.
 */
final class TenantQuotaLimiter {

    static final String NAME = "tenantQuota";

    /** How many replicas the quota allows, and which quota dimension binds (null: no limit). */
    record Allowance(long replicas, String dimension, long quota, long used, long perReplica) {

        static final Allowance UNLIMITED = new Allowance(Long.MAX_VALUE, null, 0, 0, 0);

        String describe() {
            return switch (dimension) {
                case "replicas" ->
                        "replicas quota " + quota + ", used by the tenant's other apps " + used;
                case "cpuMillis" ->
                        "cpuMillis quota "
                                + quota
                                + ", used by the tenant's other apps "
                                + used
                                + ", "
                                + perReplica
                                + " per replica";
                default ->
                        "memoryMiB quota "
                                + quota
                                + ", used by the tenant's other apps "
                                + used
                                + ", "
                                + perReplica
                                + " per replica";
            };
        }
    }

    private TenantQuotaLimiter() {}

    static Allowance allowance(TenantQuota quota, TenantUsage usage, Resources perReplica) {
        if (quota == null) {
            return Allowance.UNLIMITED;
        }
        Allowance best = Allowance.UNLIMITED;
        if (quota.replicas() != null) {
            long left = Math.max(0, quota.replicas() - usage.replicas());
            best = new Allowance(left, "replicas", quota.replicas(), usage.replicas(), 1);
        }
        if (quota.cpuMillis() != null && perReplica.cpuMillis() > 0) {
            long left = Math.max(0, quota.cpuMillis() - usage.cpuMillis()) / perReplica.cpuMillis();
            if (left < best.replicas()) {
                best =
                        new Allowance(
                                left,
                                "cpuMillis",
                                quota.cpuMillis(),
                                usage.cpuMillis(),
                                perReplica.cpuMillis());
            }
        }
        if (quota.memoryMiB() != null && perReplica.memoryMiB() > 0) {
            long left = Math.max(0, quota.memoryMiB() - usage.memoryMiB()) / perReplica.memoryMiB();
            if (left < best.replicas()) {
                best =
                        new Allowance(
                                left,
                                "memoryMiB",
                                quota.memoryMiB(),
                                usage.memoryMiB(),
                                perReplica.memoryMiB());
            }
        }
        return best;
    }
}
