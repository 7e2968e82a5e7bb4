package dev.fedplane.scheduler;

/**
 * A feasibility filter. Filters run in the order the {@link SchedulingPipeline} lists them; each
 * looks only at clusters no earlier filter rejected and records its {@link Rejection} for those it
 * rejects, so a cluster carries the reason of the first filter that rejected it. A filter is
 * prepared for one placement (selectors resolved against the snapshot) and then discarded.
 */
interface ClusterFilter {

    /** The filter's name, as in {@link Rejection#filter()}. */
    String name();

    /**
     * Sets {@code rejections[i]} for every cluster {@code i} still null there that this filter
     * rejects.
     */
    void filter(Rejection[] rejections);
}
