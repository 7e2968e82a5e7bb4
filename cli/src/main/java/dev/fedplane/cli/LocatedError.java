package dev.fedplane.cli;

/** A failure already rendered as fedctl's one error line, with its exit status. */
public final class LocatedError extends RuntimeException {
    private final String line;
    private final int exitCode;

    public LocatedError(String line, int exitCode) {
        super(line);
        this.line = line;
        this.exitCode = exitCode;
    }

    public String line() {
        return line;
    }

    public int exitCode() {
        return exitCode;
    }
}
