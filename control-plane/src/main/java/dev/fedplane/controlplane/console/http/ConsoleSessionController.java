package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.auth.Principal;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/** Who the bearer token is: the console's login checks a token with this call. */
@Controller("/api/v1/session")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ConsoleSessionController {
    private final ConsoleCallers callers;

    public ConsoleSessionController(ConsoleCallers callers) {
        this.callers = callers;
    }

    @Get
    public ConsoleJson.Session get(HttpRequest<?> request) {
        Principal p = callers.caller(request);
        return new ConsoleJson.Session(p.tokenId(), p.role().wireName(), p.tenant());
    }
}
