package dev.fedplane.controlplane.console;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.events.BurstPlanChanged;
import dev.fedplane.controlplane.events.Changed;
import dev.fedplane.controlplane.events.ChangedElsewhere;
import dev.fedplane.controlplane.events.ClusterConditionChanged;
import dev.fedplane.controlplane.events.RolloutChanged;
import dev.fedplane.controlplane.events.WorkloadReadyChanged;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.annotation.TransactionalEventListener;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;

/**
 * What the console's live view hears: committed writes (after their commit), cluster condition
 * changes, ready-replica changes and capacity samples, fanned out to every open event stream whose
 * caller may see them (an app's or tenant's event only to callers that may read that tenant).
 * Listeners run on the publishing thread; {@link Subscription#deliver} must not block.
 */
@Singleton
public class ConsoleEvents {

    /**
     * One change the console shows: {@code kind} app, tenant, cluster, capacity, burst (a peak
     * event's plan: {@code name} the plan, {@code reason} its state; platform-admins only) or
     * rollout (an app's staged rollout: {@code tenant}, {@code name} the app, {@code reason} the
     * rollout's state).
     */
    public record Event(String kind, String tenant, String name, String reason, long at) {
        static Event of(Changed c) {
            return new Event(
                    c.kind().name().toLowerCase(java.util.Locale.ROOT),
                    c.tenant(),
                    c.name(),
                    "changed",
                    0);
        }

        static Event capacitySampled(long at) {
            return new Event("capacity", null, null, "sampled", at);
        }

        /**
         * Whether the caller may see this event: tenant-bound events need read access; burst plans
         * span tenants and are shown to platform-admins only.
         */
        public boolean visibleTo(Principal p) {
            if ("burst".equals(kind)) {
                return p.isPlatformAdmin();
            }
            return tenant == null || p.canRead(tenant);
        }
    }

    /** An open stream: a caller and where its events go. */
    public record Subscription(Principal caller, Consumer<Event> deliver) {}

    private final Set<Subscription> subscriptions = new CopyOnWriteArraySet<>();

    public void subscribe(Subscription s) {
        subscriptions.add(s);
    }

    public void unsubscribe(Subscription s) {
        subscriptions.remove(s);
    }

    public int subscriberCount() {
        return subscriptions.size();
    }

    public void publish(Event e) {
        for (Subscription s : subscriptions) {
            if (e.visibleTo(s.caller())) {
                s.deliver().accept(e);
            }
        }
    }

    @TransactionalEventListener
    public void onChanged(Changed c) {
        publish(Event.of(c));
    }

    @EventListener
    public void onChangedElsewhere(ChangedElsewhere e) {
        publish(Event.of(e.change()));
    }

    @TransactionalEventListener
    public void onBurstPlanChanged(BurstPlanChanged c) {
        publish(new Event("burst", null, c.name(), c.state(), 0));
    }

    @TransactionalEventListener
    public void onRolloutChanged(RolloutChanged c) {
        publish(new Event("rollout", c.tenant(), c.app(), c.state(), 0));
    }

    @EventListener
    public void onClusterCondition(ClusterConditionChanged e) {
        publish(new Event("cluster", null, e.cluster(), e.reason(), 0));
    }

    @EventListener
    public void onWorkloadReady(WorkloadReadyChanged e) {
        publish(new Event("app", e.tenant(), e.app(), "ready replicas changed", 0));
    }
}
