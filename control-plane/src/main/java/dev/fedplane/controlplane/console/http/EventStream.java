package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.common.DaemonThreads;
import dev.fedplane.controlplane.console.ConsoleEvents;
import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * One caller's event stream, as a Reactive Streams publisher: subscribing registers with {@link
 * ConsoleEvents}; events wait in a bounded queue until the HTTP connection asks for them (a slow
 * reader that falls {@value #MAX_QUEUED} behind gets its queue replaced by one {@code resync}
 * event: it refetches everything instead of replaying). Cancelling (the client went away)
 * unregisters. Thread-safe: events arrive on any thread; delivery is serialised by a drain loop.
 */
final class EventStream implements Publisher<Event<Object>> {
    static final int MAX_QUEUED = 256;
    private static final ScheduledExecutorService PINGS =
            DaemonThreads.single("fedplane-console-sse-ping");

    private final ConsoleEvents events;
    private final Principal caller;
    private final Duration ping;

    EventStream(ConsoleEvents events, Principal caller, Duration ping) {
        this.events = events;
        this.caller = caller;
        this.ping = ping;
    }

    @Override
    public void subscribe(Subscriber<? super Event<Object>> subscriber) {
        Sub sub = new Sub(subscriber);
        subscriber.onSubscribe(sub);
        sub.offer(
                Event.<Object>of(
                                Map.of(
                                        "tokenId", caller.tokenId(),
                                        "role", caller.role().wireName()))
                        .name("hello"));
        sub.registration = new ConsoleEvents.Subscription(caller, e -> sub.offer(change(e)));
        events.subscribe(sub.registration);
        if (!ping.isZero() && !ping.isNegative()) {
            sub.pinger =
                    PINGS.scheduleWithFixedDelay(
                            () -> sub.offer(Event.<Object>of(Map.of()).name("ping")),
                            ping.toMillis(),
                            ping.toMillis(),
                            TimeUnit.MILLISECONDS);
        }
        if (sub.cancelled.get()) {
            sub.cancel();
        }
    }

    private static Event<Object> change(ConsoleEvents.Event e) {
        return Event.<Object>of(e).name("change");
    }

    private final class Sub implements Subscription {
        private final Subscriber<? super Event<Object>> downstream;
        private final Queue<Event<Object>> queue = new ConcurrentLinkedQueue<>();
        private final AtomicInteger queued = new AtomicInteger();
        private final AtomicLong requested = new AtomicLong();
        private final AtomicInteger wip = new AtomicInteger();
        private final AtomicBoolean cancelled = new AtomicBoolean();
        volatile ConsoleEvents.Subscription registration;
        volatile ScheduledFuture<?> pinger;

        Sub(Subscriber<? super Event<Object>> downstream) {
            this.downstream = downstream;
        }

        void offer(Event<Object> e) {
            if (cancelled.get()) {
                return;
            }
            if (queued.incrementAndGet() > MAX_QUEUED) {
                queue.clear();
                queued.set(1);
                queue.add(Event.<Object>of(Map.of("reason", "too many events")).name("resync"));
            } else {
                queue.add(e);
            }
            drain();
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                cancel();
                downstream.onError(
                        new IllegalArgumentException("§3.9: request must be positive, got " + n));
                return;
            }
            requested.accumulateAndGet(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
            drain();
        }

        @Override
        public void cancel() {
            cancelled.set(true);
            ConsoleEvents.Subscription r = registration;
            if (r != null) {
                events.unsubscribe(r);
            }
            ScheduledFuture<?> p = pinger;
            if (p != null) {
                p.cancel(false);
            }
            queue.clear();
        }

        private void drain() {
            if (wip.getAndIncrement() != 0) {
                return;
            }
            do {
                long r = requested.get();
                long sent = 0;
                while (sent < r && !cancelled.get()) {
                    Event<Object> e = queue.poll();
                    if (e == null) {
                        break;
                    }
                    queued.decrementAndGet();
                    downstream.onNext(e);
                    sent++;
                }
                if (sent > 0) {
                    requested.addAndGet(-sent);
                }
            } while (wip.decrementAndGet() != 0);
        }
    }
}
