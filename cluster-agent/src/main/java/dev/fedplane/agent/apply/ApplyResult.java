package dev.fedplane.agent.apply;

import java.util.List;

/** The outcome of applying one change: every object is tried; {@code errors} lists what failed. */
public record ApplyResult(List<String> errors) {

  public ApplyResult {
    errors = List.copyOf(errors);
  }

  public boolean success() {
    return errors.isEmpty();
  }

  /** The errors as one line for an Ack. */
  public String summary() {
    return String.join("; ", errors);
  }
}
