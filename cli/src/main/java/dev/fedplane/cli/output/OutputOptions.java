package dev.fedplane.cli.output;

import picocli.CommandLine.Option;

/** {@code -o} of the read commands. */
public final class OutputOptions {
    @Option(
            names = {"-o", "--output"},
            paramLabel = "FORMAT",
            defaultValue = "table",
            description = "table (default), wide, json (proto3 JSON) or yaml.")
    public OutputFormat format;
}
