package dev.fedplane.scheduler;

/**
 * Only clusters the tenant's allowed-cluster selector matches. Reason: {@code not allowed for
 * tenant}.
 */
final class TenantFilter implements ClusterFilter {

    static final String NAME = "tenant";

    private final CompiledSelector allowed;

    TenantFilter(CompiledSelector allowed) {
        this.allowed = allowed;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(Rejection[] rejections) {
        if (allowed.matchesAll()) {
            return;
        }
        for (int i = 0; i < rejections.length; i++) {
            if (rejections[i] == null && !allowed.matches(i)) {
                rejections[i] = Rejection.NotAllowedForTenant.INSTANCE;
            }
        }
    }
}
