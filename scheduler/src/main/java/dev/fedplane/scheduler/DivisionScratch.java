package dev.fedplane.scheduler;

import java.util.Arrays;

/**
 * Working arrays of one placement, shared by the steps that run one after another and never nest:
 * the {@link BoundedProportionalDivider} (state, remainders, candidates) and the {@link
 * StabilityAdjuster} (gaps, units at a level). Each array grows to the largest size asked and is
 * then reused, so a placement allocates them at most once however many divisions it runs (burst
 * tiers, spread redos). Not thread-safe: one per placement.
 */
final class DivisionScratch {

    private byte[] bytes = new byte[0];
    private long[] longs = new long[0];
    private int[] ints = new int[0];

    /** At least {@code m} bytes, the first {@code m} zero. */
    byte[] zeroedBytes(int m) {
        if (bytes.length < m) {
            bytes = new byte[m];
        } else {
            Arrays.fill(bytes, 0, m, (byte) 0);
        }
        return bytes;
    }

    /** At least {@code m} longs, contents undefined. */
    long[] longs(int m) {
        if (longs.length < m) {
            longs = new long[m];
        }
        return longs;
    }

    /** At least {@code m} ints, contents undefined. */
    int[] ints(int m) {
        if (ints.length < m) {
            ints = new int[m];
        }
        return ints;
    }
}
