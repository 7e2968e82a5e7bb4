package dev.fedplane.scheduler.simulate;

/**
 * A malformed scenario: {@code path} names the field ({@code clusters[1].allocatable.cpuMillis}).
 */
public final class ScenarioException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String path;

    public ScenarioException(String path, String problem) {
        super(path.isEmpty() ? problem : path + ": " + problem);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
