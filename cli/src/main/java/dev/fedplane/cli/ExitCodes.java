package dev.fedplane.cli;

import io.grpc.Status;

/**
 * fedctl's exit statuses, one per kind of failure, so that scripts can branch on them. The README
 * lists the same table.
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = 0;

    /** The server failed or could not be reached, or anything not listed below. */
    public static final int ERROR = 1;

    /**
     * Bad flags or arguments, an unreadable or malformed file, or the server's INVALID_ARGUMENT.
     */
    public static final int USAGE = 2;

    /** NOT_FOUND: the object does not exist. */
    public static final int NOT_FOUND = 3;

    /** UNAUTHENTICATED or PERMISSION_DENIED: no, bad or too weak a token. */
    public static final int DENIED = 4;

    /** ALREADY_EXISTS, or ABORTED (someone else wrote first: read again and retry). */
    public static final int CONFLICT = 5;

    /**
     * RESOURCE_EXHAUSTED (tenant quota) or FAILED_PRECONDITION (e.g. a tenant that still has apps).
     */
    public static final int REFUSED = 6;

    private ExitCodes() {}

    public static int of(Status.Code code) {
        return switch (code) {
            case OK -> OK;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case UNAUTHENTICATED, PERMISSION_DENIED -> DENIED;
            case ALREADY_EXISTS, ABORTED -> CONFLICT;
            case RESOURCE_EXHAUSTED, FAILED_PRECONDITION -> REFUSED;
            default -> ERROR;
        };
    }
}
