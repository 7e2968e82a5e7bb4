package dev.fedplane.controlplane.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import dev.fedplane.controlplane.common.FedplaneException;
import dev.fedplane.controlplane.store.UnconditionalWrite;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.OptimisticLockException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a call threw into a gRPC status with {@code google.rpc.Status} details. Clients
 * see domain messages; anything unexpected becomes INTERNAL with no detail, logged here with its
 * stack.
 */
public final class StatusMapping {
    private static final Logger LOG = LoggerFactory.getLogger(StatusMapping.class);
    static final String DOMAIN = "fedplane.dev";

    private StatusMapping() {}

    public static StatusRuntimeException toStatus(Throwable t, String method) {
        if (t instanceof StatusRuntimeException sre) {
            return sre;
        }
        if (t instanceof FedplaneException fe) {
            return fromDomain(fe);
        }
        if (t instanceof OptimisticLockException) {
            return build(
                    Code.ABORTED,
                    "the object was changed by another write: read it again and retry",
                    "CONCURRENT_WRITE",
                    null);
        }
        if (UnconditionalWrite.isTransactionConflict(t)) {
            return build(
                    Code.ABORTED,
                    "the write collided with a concurrent one and was rolled back: retry it",
                    "CONCURRENT_WRITE",
                    null);
        }
        if (isUniqueViolation(t)) {
            return build(Code.ALREADY_EXISTS, "the object already exists", "ALREADY_EXISTS", null);
        }
        if (isStoreUnavailable(t)) {
            LOG.warn("{}: the store is unavailable: {}", method, rootMessage(t));
            return build(
                    Code.UNAVAILABLE,
                    "the store is unavailable: retry later (a write may or may not have been applied)",
                    "STORE_UNAVAILABLE",
                    null);
        }
        LOG.error("internal error in {}", method, t);
        return build(Code.INTERNAL, "internal error", "INTERNAL", null);
    }

    private static StatusRuntimeException fromDomain(FedplaneException e) {
        Code code =
                switch (e.code()) {
                    case INVALID_ARGUMENT -> Code.INVALID_ARGUMENT;
                    case NOT_FOUND -> Code.NOT_FOUND;
                    case ALREADY_EXISTS -> Code.ALREADY_EXISTS;
                    case ABORTED -> Code.ABORTED;
                    case RESOURCE_EXHAUSTED -> Code.RESOURCE_EXHAUSTED;
                    case FAILED_PRECONDITION -> Code.FAILED_PRECONDITION;
                    case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
                    case PERMISSION_DENIED -> Code.PERMISSION_DENIED;
                    case UNAVAILABLE -> Code.UNAVAILABLE;
                };
        BadRequest badRequest = null;
        if (!e.violations().isEmpty()) {
            BadRequest.Builder b = BadRequest.newBuilder();
            e.violations()
                    .forEach(
                            v ->
                                    b.addFieldViolations(
                                            BadRequest.FieldViolation.newBuilder()
                                                    .setField(v.field())
                                                    .setDescription(v.description())));
            badRequest = b.build();
        }
        return build(code, e.getMessage(), e.code().name(), badRequest);
    }

    private static StatusRuntimeException build(
            Code code, String message, String reason, BadRequest badRequest) {
        com.google.rpc.Status.Builder s =
                com.google.rpc.Status.newBuilder()
                        .setCode(code.getNumber())
                        .setMessage(message)
                        .addDetails(
                                Any.pack(
                                        ErrorInfo.newBuilder()
                                                .setDomain(DOMAIN)
                                                .setReason(reason)
                                                .build()));
        if (badRequest != null) {
            s.addDetails(Any.pack(badRequest));
        }
        return StatusProto.toStatusRuntimeException(s.build());
    }

    /**
     * The store could not be reached or dropped the connection: no connection from the pool in time
     * ({@link SQLTransientConnectionException}, {@link CannotGetJdbcConnectionException}, a pooled
     * connection found closed: {@link ConnectionException}), SQLSTATE class 08 (connection
     * exception), or the server shutting down or not accepting connections yet (57P01..57P03). A
     * restart or outage of the database, not a fault of the request.
     */
    static boolean isStoreUnavailable(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLTransientConnectionException
                    || c instanceof CannotGetJdbcConnectionException
                    || c instanceof ConnectionException) {
                return true;
            }
            if (c instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08")
                        || state.equals("57P01")
                        || state.equals("57P02")
                        || state.equals("57P03")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.toString();
    }

    private static boolean isUniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
