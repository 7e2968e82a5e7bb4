package dev.fedplane.scheduler;

/**
 * The app to place: {@code replicas} of {@code resources} each (one pod per replica) under a
 * placement policy. {@code tenant} is informational here (quota and allowed clusters come in the
 * {@link PlacementRequest}).
 */
public record AppSpec(
        String tenant, String name, int replicas, Resources resources, PlacementPolicy placement) {

    public AppSpec {
        if (name == null) {
            throw new IllegalArgumentException("an app needs a name");
        }
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must not be negative: " + replicas);
        }
        resources = resources == null ? Resources.NONE : resources;
        if (placement == null) {
            throw new IllegalArgumentException("an app needs a placement policy");
        }
    }

    public AppSpec withReplicas(int value) {
        return new AppSpec(tenant, name, value, resources, placement);
    }

    public AppSpec withPlacement(PlacementPolicy value) {
        return new AppSpec(tenant, name, replicas, resources, value);
    }
}
