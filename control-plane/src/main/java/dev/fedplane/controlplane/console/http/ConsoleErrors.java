package dev.fedplane.controlplane.console.http;

import dev.fedplane.controlplane.common.FedplaneException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/**
 * Domain errors as HTTP answers: the status by Google's gRPC-to-HTTP mapping, the body an {@link
 * ConsoleJson.ApiError} with the code's name, the service's message (never a stack trace) and the
 * invalid fields.
 */
@Produces
@Singleton
@Requires(classes = {FedplaneException.class, ExceptionHandler.class})
public class ConsoleErrors
        implements ExceptionHandler<FedplaneException, HttpResponse<ConsoleJson.ApiError>> {

    @Override
    public HttpResponse<ConsoleJson.ApiError> handle(HttpRequest request, FedplaneException e) {
        return HttpResponse.<ConsoleJson.ApiError>status(status(e))
                .body(new ConsoleJson.ApiError(e.code().name(), e.getMessage(), e.violations()));
    }

    static HttpStatus status(FedplaneException e) {
        return switch (e.code()) {
            case INVALID_ARGUMENT, FAILED_PRECONDITION -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, ABORTED -> HttpStatus.CONFLICT;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
    }
}
