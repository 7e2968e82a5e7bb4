package dev.fedplane.controlplane.common;

/**
 * What went wrong, independent of transport; {@code grpc.StatusMapping} turns each into a gRPC
 * code.
 */
public enum ErrorCode {
    INVALID_ARGUMENT,
    NOT_FOUND,
    ALREADY_EXISTS,
    /** A stale {@code resource_version}: someone else wrote first. */
    ABORTED,
    /** Tenant quota exceeded. */
    RESOURCE_EXHAUSTED,
    /**
     * The object is in a state that forbids the call (e.g. deleting a tenant that still has apps).
     */
    FAILED_PRECONDITION,
    UNAUTHENTICATED,
    PERMISSION_DENIED,
    /** The store refused a write (e.g. fenced by a newer leader) or failed. */
    UNAVAILABLE
}
