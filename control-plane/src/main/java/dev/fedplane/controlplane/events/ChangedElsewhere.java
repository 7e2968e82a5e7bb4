package dev.fedplane.controlplane.events;

/**
 * A committed platform-API write served by another instance, read back from the change feed by the
 * leader. Its own type so that the feed does not record it a second time. Published outside any
 * transaction; listeners run on the publishing thread.
 */
public record ChangedElsewhere(Changed change) {}
