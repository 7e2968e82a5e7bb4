package dev.fedplane.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.data.exceptions.OptimisticLockException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UnconditionalWriteTest {

    @Test
    void aWriteWithoutPreconditionIsRunAgainAfterALostCompareAndSet() {
        AtomicInteger calls = new AtomicInteger();
        String result =
                UnconditionalWrite.run(
                        0,
                        () -> {
                            if (calls.incrementAndGet() < 3) {
                                throw new OptimisticLockException("changed");
                            }
                            return "written";
                        });
        assertThat(result).isEqualTo("written");
        assertThat(calls).hasValue(3);
    }

    @Test
    void aWriteWithAPreconditionIsRunOnceAndItsConflictReachesTheCaller() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                UnconditionalWrite.run(
                                        7,
                                        () -> {
                                            calls.incrementAndGet();
                                            throw new OptimisticLockException("changed");
                                        }))
                .isInstanceOf(OptimisticLockException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void itGivesUpAfterItsAttemptsWithTheLastConflict() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                UnconditionalWrite.run(
                                        0,
                                        () -> {
                                            calls.incrementAndGet();
                                            throw new RuntimeException(
                                                    "wrapped",
                                                    new SQLException("deadlock", "40001"));
                                        }))
                .hasRootCauseInstanceOf(SQLException.class);
        assertThat(calls).hasValue(UnconditionalWrite.ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                UnconditionalWrite.run(
                                        0,
                                        () -> {
                                            calls.incrementAndGet();
                                            throw FedplaneException.quotaExceeded("over");
                                        }))
                .isInstanceOf(FedplaneException.class);
        assertThat(calls).hasValue(1);
        assertThatThrownBy(
                        () ->
                                UnconditionalWrite.run(
                                        0,
                                        () -> {
                                            throw new RuntimeException(
                                                    new SQLException("unique", "23505"));
                                        }))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void conflictsAreLostCompareAndSetsAndClass40Failures() {
        assertThat(UnconditionalWrite.isConflict(new OptimisticLockException("x"))).isTrue();
        assertThat(
                        UnconditionalWrite.isConflict(
                                new IllegalStateException(new SQLException("x", "40P01"))))
                .isTrue();
        assertThat(UnconditionalWrite.isConflict(new SQLException("x", "23505"))).isFalse();
        assertThat(UnconditionalWrite.isConflict(new SQLException("x"))).isFalse();
    }
}
