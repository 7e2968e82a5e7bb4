package dev.fedplane.loadtest;

import picocli.CommandLine;

/** {@code fedplane-loadtest}: load generators against a running control plane. */
@CommandLine.Command(
        name = "fedplane-loadtest",
        mixinStandardHelpOptions = true,
        subcommands = {ApiLoad.class, AgentsLoad.class, FleetLoad.class, FaultSuite.class},
        description = "Load generators against a running Fedplane control plane.")
public final class LoadTest {
    public static void main(String[] args) {
        System.exit(new CommandLine(new LoadTest()).execute(args));
    }
}
