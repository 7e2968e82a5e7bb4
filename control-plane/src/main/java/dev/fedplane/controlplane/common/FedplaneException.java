package dev.fedplane.controlplane.common;

import java.util.List;

/**
 * The one domain exception of the control plane. Carries an {@link ErrorCode}, a message safe to
 * show to clients (never a stack trace or SQL), and for {@link ErrorCode#INVALID_ARGUMENT} the
 * offending fields.
 */
public final class FedplaneException extends RuntimeException {
    /**
     * One invalid field: its path as the client wrote it (e.g. {@code app.spec.replicas}) and why.
     */
    public record FieldViolation(String field, String description) {}

    private final ErrorCode code;
    private final List<FieldViolation> violations;

    private FedplaneException(ErrorCode code, String message, List<FieldViolation> violations) {
        super(message, null, false, false);
        this.code = code;
        this.violations = List.copyOf(violations);
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    public static FedplaneException invalid(String field, String description) {
        return new FedplaneException(
                ErrorCode.INVALID_ARGUMENT,
                field + ": " + description,
                List.of(new FieldViolation(field, description)));
    }

    public static FedplaneException invalid(List<FieldViolation> violations) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations");
        }
        FieldViolation first = violations.get(0);
        String more = violations.size() > 1 ? " (and " + (violations.size() - 1) + " more)" : "";
        return new FedplaneException(
                ErrorCode.INVALID_ARGUMENT,
                first.field() + ": " + first.description() + more,
                violations);
    }

    public static FedplaneException notFound(String kind, String name) {
        return new FedplaneException(
                ErrorCode.NOT_FOUND, kind + " " + name + " not found", List.of());
    }

    public static FedplaneException alreadyExists(String kind, String name) {
        return new FedplaneException(
                ErrorCode.ALREADY_EXISTS, kind + " " + name + " already exists", List.of());
    }

    public static FedplaneException staleVersion(
            String kind, String name, long given, long current) {
        return new FedplaneException(
                ErrorCode.ABORTED,
                kind
                        + " "
                        + name
                        + " is at resource_version "
                        + current
                        + ", not "
                        + given
                        + ": read it again and retry",
                List.of());
    }

    public static FedplaneException concurrentWrite(String kind, String name) {
        return new FedplaneException(
                ErrorCode.ABORTED,
                kind + " " + name + " was changed by another write: read it again and retry",
                List.of());
    }

    public static FedplaneException quotaExceeded(String message) {
        return new FedplaneException(ErrorCode.RESOURCE_EXHAUSTED, message, List.of());
    }

    public static FedplaneException failedPrecondition(String message) {
        return new FedplaneException(ErrorCode.FAILED_PRECONDITION, message, List.of());
    }

    public static FedplaneException unauthenticated(String message) {
        return new FedplaneException(ErrorCode.UNAUTHENTICATED, message, List.of());
    }

    public static FedplaneException permissionDenied(String message) {
        return new FedplaneException(ErrorCode.PERMISSION_DENIED, message, List.of());
    }

    public static FedplaneException unavailable(String message) {
        return new FedplaneException(ErrorCode.UNAVAILABLE, message, List.of());
    }
}
