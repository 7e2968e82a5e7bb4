package dev.fedplane.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Renders a failed gRPC call as fedctl's one error line: {@code error: NOT_FOUND: app shop/web not
 * found (field: name)}. The field names come from the {@code google.rpc.BadRequest} detail of the
 * status when the server sent one.
 */
public final class ServerError {
    private ServerError() {}

    /** The field paths of the status's BadRequest detail, in order; empty when there is none. */
    public static List<String> fields(StatusRuntimeException e) {
        List<String> fields = new ArrayList<>();
        Status s = StatusProto.fromThrowable(e);
        if (s == null) {
            return fields;
        }
        for (com.google.protobuf.Any any : s.getDetailsList()) {
            if (any.is(BadRequest.class)) {
                try {
                    any.unpack(BadRequest.class)
                            .getFieldViolationsList()
                            .forEach(v -> fields.add(v.getField()));
                } catch (InvalidProtocolBufferException ignored) {
                    // a detail we cannot read adds nothing to the line
                }
            }
        }
        return fields;
    }

    public static String line(StatusRuntimeException e) {
        return line(e, f -> null);
    }

    /**
     * The error line; {@code locate} may add where a field came from (e.g. {@code app.yaml:7}) or
     * answer null.
     */
    public static String line(StatusRuntimeException e, Function<String, String> locate) {
        io.grpc.Status status = e.getStatus();
        StringBuilder b = new StringBuilder("error: ").append(status.getCode().name());
        String message = status.getDescription();
        if (message == null || message.isBlank()) {
            message = status.getCause() != null ? status.getCause().getMessage() : null;
        }
        if (message != null && !message.isBlank()) {
            b.append(": ").append(message.strip().replace('\n', ' '));
        }
        // Transport failures (UNAVAILABLE "io exception") say why only in their cause.
        Throwable cause = status.getCause();
        if (cause != null
                && cause.getMessage() != null
                && (message == null || !message.contains(cause.getMessage()))) {
            b.append(": ").append(cause.getMessage().strip().replace('\n', ' '));
        }
        List<String> fields = fields(e);
        if (!fields.isEmpty()) {
            List<String> parts = new ArrayList<>();
            for (String f : fields) {
                String where = locate.apply(f);
                parts.add(where == null ? f : f + " at " + where);
            }
            b.append(" (field")
                    .append(parts.size() > 1 ? "s" : "")
                    .append(": ")
                    .append(String.join(", ", parts))
                    .append(')');
        }
        return b.toString();
    }
}
