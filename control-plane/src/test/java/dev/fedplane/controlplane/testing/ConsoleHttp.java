package dev.fedplane.controlplane.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The console's HTTP API as its integration tests call it: JSON requests with a bearer token to
 * {@code http://127.0.0.1:<port>}, and the server-sent event stream read line by line. The port is
 * asked for at each call (the control plane may start after this is made).
 */
public final class ConsoleHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: its status, its body as JSON (null when empty or not JSON) and the response. */
    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        public String text() {
            return raw.body();
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final IntSupplier port;
    private final Duration wait;

    /** {@code wait} bounds each request and each wait for an event. */
    public ConsoleHttp(IntSupplier port, Duration wait) {
        this.port = port;
        this.wait = wait;
    }

    public Answer get(String path, String token) {
        return call("GET", path, token, null);
    }

    public Answer post(String path, String token, String body) {
        return call("POST", path, token, body);
    }

    public Answer call(String method, String path, String token, String body) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.getAsInt() + path))
                        .timeout(wait)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), parse(r.body()), r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            return null;
        }
    }

    /** Puts "event-name data" lines of the caller's event stream into {@code out}. */
    public CompletableFuture<?> follow(String token, BlockingQueue<String> out) {
        HttpRequest r =
                HttpRequest.newBuilder(
                                URI.create(
                                        "http://127.0.0.1:" + port.getAsInt() + "/api/v1/events"))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "text/event-stream")
                        .build();
        return http.sendAsync(r, HttpResponse.BodyHandlers.ofLines())
                .thenAccept(
                        resp -> {
                            String[] name = {"message"};
                            resp.body()
                                    .forEach(
                                            line -> {
                                                if (line.startsWith("event:")) {
                                                    name[0] = line.substring(6).strip();
                                                } else if (line.startsWith("data:")) {
                                                    out.add(
                                                            name[0]
                                                                    + " "
                                                                    + line.substring(5).strip());
                                                } else if (line.isEmpty()) {
                                                    name[0] = "message";
                                                }
                                            });
                        });
    }

    /** The next event named {@code name} (waiting at most the wait), as "name data". */
    public String next(BlockingQueue<String> q, String name) throws InterruptedException {
        return nextMatching(q, name, "");
    }

    /** The next "change" event whose data contains {@code containing}. */
    public String nextChange(BlockingQueue<String> q, String containing)
            throws InterruptedException {
        return nextMatching(q, "change", containing);
    }

    private String nextMatching(BlockingQueue<String> q, String name, String containing)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            String e = q.poll(1, TimeUnit.SECONDS);
            if (e != null && e.startsWith(name + " ") && e.contains(containing)) {
                return e;
            }
        }
        throw new AssertionError(
                "no "
                        + name
                        + " event"
                        + (containing.isEmpty() ? "" : " with " + containing)
                        + " within "
                        + wait);
    }
}
