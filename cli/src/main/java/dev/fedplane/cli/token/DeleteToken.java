package dev.fedplane.cli.token;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.RevokeTokenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Revoke a token (tokens are kept, revoked, for the audit).",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl delete token tok-3f9a1c0b7d2e"})
public final class DeleteToken extends FedctlCommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected int run() {
        connection().tokens().revokeToken(RevokeTokenRequest.newBuilder().setId(id).build());
        out().println("token/" + id + " revoked");
        return 0;
    }
}
