package dev.fedplane.controlplane.ha;

import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * {@code /health} (and {@code /health/readiness}) detail {@code leadership}: this instance's role
 * ({@code leader} / {@code follower}), epoch and the leader it knows. Always UP: a follower serves
 * the platform API and redirects agents, so it is ready too.
 */
@Singleton
@Readiness
public class LeadershipHealthIndicator implements HealthIndicator {
    private final Leadership leadership;

    public LeadershipHealthIndicator(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", leadership.mode());
        details.put("instanceId", leadership.self().id());
        details.put("advertiseAddress", leadership.self().address());
        details.put("role", leadership.isLeader() ? "leader" : "follower");
        details.put("epoch", leadership.epoch());
        leadership
                .leader()
                .ifPresent(
                        l -> {
                            details.put("leaderId", l.id());
                            details.put("leaderAddress", l.address());
                            details.put("leaderEpoch", l.epoch());
                        });
        return Publishers.just(
                HealthResult.builder("leadership", HealthStatus.UP).details(details).build());
    }
}
