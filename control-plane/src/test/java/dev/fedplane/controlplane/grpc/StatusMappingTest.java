package dev.fedplane.controlplane.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import dev.fedplane.controlplane.common.FedplaneException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.data.exceptions.OptimisticLockException;
import java.sql.SQLException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class StatusMappingTest {
    @Test
    @DisplayName("an invalid field becomes INVALID_ARGUMENT with a BadRequest naming it")
    void invalidField() throws Exception {
        StatusRuntimeException e =
                StatusMapping.toStatus(
                        FedplaneException.invalid("app.spec.replicas", "must not be negative"),
                        "m");
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        com.google.rpc.Status s = StatusProto.fromThrowable(e);
        BadRequest bad =
                s.getDetailsList().stream()
                        .filter(d -> d.is(BadRequest.class))
                        .findFirst()
                        .orElseThrow()
                        .unpack(BadRequest.class);
        assertThat(bad.getFieldViolations(0).getField()).isEqualTo("app.spec.replicas");
        ErrorInfo info =
                s.getDetailsList().stream()
                        .filter(d -> d.is(ErrorInfo.class))
                        .findFirst()
                        .orElseThrow()
                        .unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("INVALID_ARGUMENT");
        assertThat(info.getDomain()).isEqualTo("fedplane.dev");
    }

    @Test
    @DisplayName("a lost optimistic-lock race becomes ABORTED")
    void optimisticLock() {
        assertThat(
                        StatusMapping.toStatus(new OptimisticLockException("x"), "m")
                                .getStatus()
                                .getCode())
                .isEqualTo(Status.Code.ABORTED);
    }

    @Test
    @DisplayName("a unique-key violation from the database becomes ALREADY_EXISTS")
    void uniqueViolation() {
        RuntimeException wrapped = new RuntimeException(new SQLException("dup", "23505"));
        assertThat(StatusMapping.toStatus(wrapped, "m").getStatus().getCode())
                .isEqualTo(Status.Code.ALREADY_EXISTS);
    }

    @Test
    @DisplayName(
            "a store that cannot be reached (no pooled connection in time) becomes UNAVAILABLE, not INTERNAL")
    void noConnectionFromThePool() {
        RuntimeException wrapped =
                new CannotGetJdbcConnectionException(
                        "Failed to obtain JDBC Connection",
                        new java.sql.SQLTransientConnectionException(
                                "HikariPool-1 - Connection is not available, request timed out"));
        StatusRuntimeException e = StatusMapping.toStatus(wrapped, "m");
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(e.getStatus().getDescription()).startsWith("the store is unavailable");
        RuntimeException closed =
                new io.micronaut.data.connection.exceptions.ConnectionException(
                        "Could not set JDBC Connection read-only: Connection is closed");
        assertThat(StatusMapping.toStatus(closed, "m").getStatus().getCode())
                .isEqualTo(Status.Code.UNAVAILABLE);
    }

    @Test
    @DisplayName(
            "a connection cut by the database (terminated backend, SQLSTATE 57P01, or class 08) becomes UNAVAILABLE")
    void connectionCutByTheServer() {
        for (String state : new String[] {"57P01", "57P03", "08006", "08003"}) {
            RuntimeException wrapped =
                    new RuntimeException(new SQLException("terminating connection", state));
            assertThat(StatusMapping.toStatus(wrapped, "m").getStatus().getCode())
                    .as(state)
                    .isEqualTo(Status.Code.UNAVAILABLE);
        }
        assertThat(
                        StatusMapping.toStatus(
                                        new RuntimeException(new SQLException("syntax", "42601")),
                                        "m")
                                .getStatus()
                                .getCode())
                .isEqualTo(Status.Code.INTERNAL);
    }

    @Test
    @DisplayName("anything unexpected becomes INTERNAL without leaking its message")
    void unexpected() {
        StatusRuntimeException e =
                StatusMapping.toStatus(new IllegalStateException("SELECT secret FROM x"), "m");
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(e.getStatus().getDescription()).isEqualTo("internal error");
    }
}
