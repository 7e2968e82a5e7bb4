package dev.fedplane.agent.apply;

import java.util.List;

/**
 * The outcome of applying one change: every object is tried; {@code errors} lists what failed, and
 * {@code driftCorrections} what a drift resync found changed and put back (always empty for a
 * change the control plane sent, whose writes are intended).
 */
public record ApplyResult(List<String> errors, List<DriftCorrection> driftCorrections) {

    public ApplyResult {
        errors = List.copyOf(errors);
        driftCorrections = List.copyOf(driftCorrections);
    }

    public ApplyResult(List<String> errors) {
        this(errors, List.of());
    }

    public boolean success() {
        return errors.isEmpty();
    }

    /** The errors as one line for an Ack. */
    public String summary() {
        return String.join("; ", errors);
    }
}
