package dev.fedplane.loadtest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Samples the control plane's own Prometheus metrics once a second: CPU (cores used, from {@code
 * process_cpu_usage} x {@code system_cpu_count}), heap in use (sum of {@code
 * jvm_memory_used_bytes{area="heap"}}), and GC pause time and count (sums over {@code
 * jvm_gc_pause_seconds}). A scrape that fails (the process is restarting) leaves a gap.
 */
final class MetricsSampler {

    /** One scrape, at {@code seconds} since the run started. */
    record Sample(
            double seconds,
            double cpuCores,
            double heapMiB,
            double gcPauseSecondsTotal,
            double gcPauses) {}

    private final URI uri;
    private final long startNanos;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    final List<Sample> samples = new ArrayList<>();
    private ScheduledFuture<?> task;

    MetricsSampler(URI uri, long startNanos) {
        this.uri = uri;
        this.startNanos = startNanos;
    }

    void start(ScheduledExecutorService scheduler) {
        task = scheduler.scheduleAtFixedRate(this::scrape, 0, 1, TimeUnit.SECONDS);
    }

    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void scrape() {
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
                Sample s = parse(r.body(), (System.nanoTime() - startNanos) / 1e9);
                synchronized (samples) {
                    samples.add(s);
                }
            }
        } catch (IOException e) {
            // restarting or overloaded: a gap in the series
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<Sample> snapshot() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** Reads the few series this report needs from Prometheus text format. */
    static Sample parse(String text, double seconds) {
        double cpuUsage = 0;
        double cpuCount = 1;
        double heap = 0;
        double gcSum = 0;
        double gcCount = 0;
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String series = line.substring(0, space);
            double value;
            try {
                value = Double.parseDouble(line.substring(space + 1));
            } catch (NumberFormatException e) {
                continue;
            }
            String name =
                    series.indexOf('{') < 0 ? series : series.substring(0, series.indexOf('{'));
            switch (name) {
                case "process_cpu_usage" -> cpuUsage = value;
                case "system_cpu_count" -> cpuCount = value;
                case "jvm_memory_used_bytes" -> {
                    if (series.contains("area=\"heap\"")) {
                        heap += value;
                    }
                }
                case "jvm_gc_pause_seconds_sum" -> gcSum += value;
                case "jvm_gc_pause_seconds_count" -> gcCount += value;
                default -> {}
            }
        }
        return new Sample(
                seconds,
                Double.isNaN(cpuUsage) ? 0 : cpuUsage * cpuCount,
                heap / (1024 * 1024),
                gcSum,
                gcCount);
    }
}
