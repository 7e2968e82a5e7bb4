package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import dev.fedplane.controlplane.console.ConsoleEvents;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Duration;
import org.reactivestreams.Publisher;

/**
 * Live updates as server-sent events: {@code hello} first, then {@code change} events ({@link
 * ConsoleEvents.Event}) the caller may see, and a {@code ping} comment-like event every {@code
 * fedplane.console.ping-interval} so proxies keep the stream open. The console reads it with {@code
 * fetch} (so the bearer header goes with it) and refetches the page it shows.
 */
@Controller("/api/v1/events")
public class ConsoleEventController {
    private final ConsoleCallers callers;
    private final ConsoleEvents events;
    private final Duration ping;

    public ConsoleEventController(
            ConsoleCallers callers,
            ConsoleEvents events,
            @Value("${fedplane.console.ping-interval:15s}") Duration ping) {
        this.callers = callers;
        this.events = events;
        this.ping = ping;
    }

    @Get
    @Produces(MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.BLOCKING)
    public Publisher<Event<Object>> stream(HttpRequest<?> request) {
        Principal caller = callers.caller(request);
        return new EventStream(events, caller, ping);
    }
}
