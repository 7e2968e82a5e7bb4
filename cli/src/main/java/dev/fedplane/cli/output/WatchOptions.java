package dev.fedplane.cli.output;

import dev.fedplane.cli.UsageException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code -w}: poll and print again whenever the output changed. Bounded by {@code --watch-count}
 * polls (0: until interrupted); one poll every {@code --interval}.
 */
public final class WatchOptions {
    @Option(
            names = {"-w", "--watch"},
            description = "After printing, poll and print again whenever the output changes.")
    public boolean watch;

    @Option(
            names = "--interval",
            paramLabel = "DURATION",
            defaultValue = "2s",
            description =
                    "Time between two polls with -w: 500ms, 2s, 1m (default: ${DEFAULT-VALUE}).")
    public String interval;

    @Option(
            names = "--watch-count",
            paramLabel = "N",
            defaultValue = "0",
            description = "With -w, stop after N polls; 0 (default) polls until interrupted.")
    public int count;

    public static Duration parseDuration(String option, String s) {
        String v = s.strip();
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.parse(v);
        } catch (RuntimeException e) {
            throw new UsageException(
                    option + ": \"" + s + "\" is not a duration (e.g. 500ms, 2s, 1m, PT10S)");
        }
    }

    /**
     * Prints {@code render}'s output once and, with {@code -w}, again after every poll whose output
     * differs from the last printed (each printed block is flushed at once). Returns when the count
     * is reached or the thread is interrupted.
     */
    public void run(PrintWriter out, Supplier<String> render) {
        Duration every = parseDuration("--interval", interval);
        if (every.isNegative() || every.isZero()) {
            throw new UsageException("--interval must be positive, got " + interval);
        }
        if (count < 0) {
            throw new UsageException("--watch-count must be 0 or more, got " + count);
        }
        String last = render.get();
        out.print(last);
        out.flush();
        if (!watch) {
            return;
        }
        for (int polls = 0; count == 0 || polls < count; polls++) {
            try {
                Thread.sleep(every.toMillis()); // the polling interval, not a wait for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            String now = render.get();
            if (!now.equals(last)) {
                out.print(now);
                out.flush();
                last = now;
            }
        }
    }
}
