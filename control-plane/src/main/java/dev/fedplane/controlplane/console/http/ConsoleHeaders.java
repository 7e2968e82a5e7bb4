package dev.fedplane.controlplane.console.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Browser hardening of the console and its API: the page loads scripts, styles and data only from
 * this origin (no inline script), may not be framed, and API answers are never cached.
 */
@ServerFilter({"/ui/**", "/api/**"})
public class ConsoleHeaders {
    static final String CSP =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                    + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    @ResponseFilter
    public void secure(HttpRequest<?> request, MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
        if (request.getPath().startsWith("/ui")) {
            response.header("Content-Security-Policy", CSP);
        } else {
            response.header("Cache-Control", "no-store");
        }
    }
}
