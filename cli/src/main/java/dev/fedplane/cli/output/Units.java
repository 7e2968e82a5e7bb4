package dev.fedplane.cli.output;

import dev.fedplane.cli.UsageException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Kubernetes-style quantities and ages, both ways. */
public final class Units {
    private Units() {}

    /** CPU millicores as Kubernetes writes them: whole cores as "8", else "500m". */
    public static String cpu(long millis) {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }

    /** Memory in MiB: "16Gi" when whole GiB, else "512Mi". */
    public static String memory(long mib) {
        if (mib != 0 && mib % (1024 * 1024) == 0) {
            return mib / (1024 * 1024) + "Ti";
        }
        return mib != 0 && mib % 1024 == 0 ? mib / 1024 + "Gi" : mib + "Mi";
    }

    /** "500m", "2", "0.5" (cores) to millicores. */
    public static long parseCpu(String option, String s) {
        try {
            String v = s.strip();
            BigDecimal m =
                    v.endsWith("m")
                            ? new BigDecimal(v.substring(0, v.length() - 1))
                            : new BigDecimal(v).multiply(BigDecimal.valueOf(1000));
            if (m.signum() < 0 || m.stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException();
            }
            return m.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(
                    option + ": \"" + s + "\" is not a CPU quantity (e.g. 500m, 2, 0.5)");
        }
    }

    /** "512Mi", "16Gi", "1Ti", or a plain number of MiB, to MiB. */
    public static long parseMemory(String option, String s) {
        String v = s.strip();
        long factor = 1;
        if (v.endsWith("Mi")) {
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("Gi")) {
            v = v.substring(0, v.length() - 2);
            factor = 1024;
        } else if (v.endsWith("Ti")) {
            v = v.substring(0, v.length() - 2);
            factor = 1024 * 1024;
        }
        try {
            BigDecimal m = new BigDecimal(v).multiply(BigDecimal.valueOf(factor));
            if (m.signum() < 0 || m.stripTrailingZeros().scale() > 0) {
                throw new NumberFormatException();
            }
            return m.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException(
                    option
                            + ": \""
                            + s
                            + "\" is not a memory quantity in whole MiB (e.g. 512Mi, 16Gi)");
        }
    }

    /** How long ago {@code unixMillis} was, kubectl-like: "45s", "12m", "5h", "3d"; "-" for 0. */
    public static String age(Clock clock, long unixMillis) {
        if (unixMillis <= 0) {
            return "-";
        }
        long s = Math.max(0, (clock.millis() - unixMillis) / 1000);
        if (s < 120) {
            return s + "s";
        }
        if (s < 2 * 3600) {
            return s / 60 + "m";
        }
        if (s < 48 * 3600) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    public static String instant(long unixMillis) {
        return unixMillis <= 0 ? "-" : Instant.ofEpochMilli(unixMillis).toString();
    }

    /** "k1=v1,k2=v2" in key order. */
    public static String labels(Map<String, String> labels) {
        return new TreeMap<>(labels)
                .entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(","));
    }

    /**
     * A bar of {@code width} cells filled in proportion: "[#####-----] 50%"; total 0 gives no
     * percent.
     */
    public static String bar(long used, long total, int width) {
        if (total <= 0) {
            return "[" + "-".repeat(width) + "]    -";
        }
        double f = Math.min(1.0, Math.max(0.0, (double) used / total));
        int filled = (int) Math.round(f * width);
        return "["
                + "#".repeat(filled)
                + "-".repeat(width - filled)
                + "] "
                + String.format("%3d%%", Math.round(f * 100));
    }
}
