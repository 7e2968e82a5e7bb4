package dev.fedplane.cli.app;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.proto.v1.ApproveRolloutStageRequest;
import dev.fedplane.proto.v1.RolloutActionRequest;
import dev.fedplane.proto.v1.RolloutServiceGrpc;
import dev.fedplane.proto.v1.RolloutStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fedctl rollout pause|resume|approve|abort}: one call each on the app's latest rollout. */
public final class RolloutActions {
    private RolloutActions() {}

    abstract static class Action extends FedctlCommand {
        @Parameters(index = "0", paramLabel = "app", description = "The kind: app.")
        String kind;

        @Parameters(index = "1", paramLabel = "NAME", description = "NAME or TENANT/NAME.")
        String name;

        @Option(
                names = {"-t", "--tenant"},
                paramLabel = "TENANT",
                description = "The tenant (default: the context's).")
        String tenant;

        @Option(
                names = "--rollout-id",
                paramLabel = "ID",
                description = "Act only if the app's latest rollout is this one.")
        long rolloutId;

        @Mixin OutputOptions output;

        abstract String verb();

        abstract RolloutStatus call(
                RolloutServiceGrpc.RolloutServiceBlockingStub stub, String tenant, String name);

        @Override
        protected int run() {
            RolloutHistory.requireApp(kind);
            String[] tn = tenantAndName(name, tenant);
            RolloutStatus s = call(connection().rollouts(), tn[0], tn[1]);
            out().print(
                            output.format.structured()
                                    ? Documents.render(s, output.format)
                                    : "rollout "
                                            + s.getRolloutId()
                                            + " of app/"
                                            + tn[0]
                                            + "/"
                                            + tn[1]
                                            + " "
                                            + verb()
                                            + ": "
                                            + s.getState().name()
                                            + (s.getMessage().isEmpty()
                                                    ? ""
                                                    : " (" + s.getMessage() + ")")
                                            + "\n");
            return 0;
        }

        RolloutActionRequest request(String tenant, String name) {
            return RolloutActionRequest.newBuilder()
                    .setTenant(tenant)
                    .setName(name)
                    .setRolloutId(rolloutId)
                    .build();
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pause an app's rollout: no cluster gets the new revision until resumed.",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl rollout pause app shop/web"})
    public static final class Pause extends Action {
        @Override
        String verb() {
            return "paused";
        }

        @Override
        RolloutStatus call(
                RolloutServiceGrpc.RolloutServiceBlockingStub stub, String tenant, String name) {
            return stub.pauseRollout(request(tenant, name));
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description =
                    "Resume a paused rollout (also one a failed stage paused: its clusters get a"
                            + " fresh deadline).",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl rollout resume app shop/web"})
    public static final class Resume extends Action {
        @Override
        String verb() {
            return "resumed";
        }

        @Override
        RolloutStatus call(
                RolloutServiceGrpc.RolloutServiceBlockingStub stub, String tenant, String name) {
            return stub.resumeRollout(request(tenant, name));
        }
    }

    @Command(
            name = "approve",
            mixinStandardHelpOptions = true,
            description = "Pass the manual gate of the stage the rollout waits at.",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl rollout approve app shop/web --stage bj"})
    public static final class Approve extends Action {
        @Option(
                names = "--stage",
                paramLabel = "STAGE",
                description = "Approve only if the rollout waits at this stage.")
        String stage = "";

        @Override
        String verb() {
            return "approved";
        }

        @Override
        RolloutStatus call(
                RolloutServiceGrpc.RolloutServiceBlockingStub stub, String tenant, String name) {
            return stub.approveRolloutStage(
                    ApproveRolloutStageRequest.newBuilder()
                            .setTenant(tenant)
                            .setName(name)
                            .setRolloutId(rolloutId)
                            .setStage(stage)
                            .build());
        }
    }

    @Command(
            name = "abort",
            mixinStandardHelpOptions = true,
            description =
                    "Abort an app's rollout: every cluster runs the old revision again (the spec"
                            + " keeps the new template; undo or update to go on).",
            footerHeading = "%nExamples:%n",
            footer = {"  fedctl rollout abort app shop/web"})
    public static final class Abort extends Action {
        @Override
        String verb() {
            return "aborted";
        }

        @Override
        RolloutStatus call(
                RolloutServiceGrpc.RolloutServiceBlockingStub stub, String tenant, String name) {
            return stub.abortRollout(request(tenant, name));
        }
    }
}
