package dev.fedplane.controlplane.app;

/**
 * One numbered revision of an app: the spec it was made with (its {@link #template()} defines it),
 * the generation that introduced it, when and by whom. Immutable.
 */
public record AppRevision(
        long revision, long generation, App.Spec spec, long createdAt, String createdBy) {

    public PodTemplate template() {
        return PodTemplate.of(spec);
    }
}
