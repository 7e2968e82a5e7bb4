package dev.fedplane.scheduler;

/** Only {@link ClusterState#READY} clusters take replicas. Reason: {@code state NOT_READY}. */
final class StateFilter implements ClusterFilter {

    static final String NAME = "state";

    private final ClusterState[] states;

    StateFilter(ClusterSnapshot snapshot) {
        this.states = snapshot.states;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void filter(Rejection[] rejections) {
        for (int i = 0; i < states.length; i++) {
            if (states[i] != ClusterState.READY && rejections[i] == null) {
                rejections[i] = Rejection.NotReady.of(states[i]);
            }
        }
    }
}
