package dev.fedplane.controlplane.common;

/** Compute quantities: CPU millicores, memory MiB, pods. Immutable. */
public record Quantities(long cpuMillis, long memoryMiB, long pods) {
    public static final Quantities ZERO = new Quantities(0, 0, 0);

    public Quantities plus(Quantities o) {
        return new Quantities(cpuMillis + o.cpuMillis, memoryMiB + o.memoryMiB, pods + o.pods);
    }

    /** {@code this - o}, each component floored at 0. */
    public Quantities minusFloored(Quantities o) {
        return new Quantities(
                Math.max(0, cpuMillis - o.cpuMillis),
                Math.max(0, memoryMiB - o.memoryMiB),
                Math.max(0, pods - o.pods));
    }

    public Quantities times(long n) {
        return new Quantities(
                Math.multiplyExact(cpuMillis, n),
                Math.multiplyExact(memoryMiB, n),
                Math.multiplyExact(pods, n));
    }
}
