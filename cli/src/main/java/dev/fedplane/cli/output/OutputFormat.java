package dev.fedplane.cli.output;

/** {@code -o}: a table, a wider table, or the proto3 JSON of the messages, or the same as YAML. */
public enum OutputFormat {
    TABLE,
    WIDE,
    JSON,
    YAML;

    public boolean structured() {
        return this == JSON || this == YAML;
    }
}
