package dev.fedplane.agent.capacity;

/** Compute quantities in Fedplane's units: CPU in millicores, memory in MiB, pods as a count. */
public record Amounts(long cpuMillis, long memoryMib, long pods) {

    public static final Amounts ZERO = new Amounts(0, 0, 0);

    public Amounts plus(Amounts other) {
        return new Amounts(
                cpuMillis + other.cpuMillis, memoryMib + other.memoryMib, pods + other.pods);
    }

    /** {@code this - other}, each part floored at 0. */
    public Amounts minusFloorZero(Amounts other) {
        return new Amounts(
                Math.max(0, cpuMillis - other.cpuMillis),
                Math.max(0, memoryMib - other.memoryMib),
                Math.max(0, pods - other.pods));
    }
}
