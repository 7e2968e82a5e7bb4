package dev.fedplane.cli.token;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.proto.v1.RevokeTokenRequest;
import dev.fedplane.proto.v1.Token;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "revoke",
        aliases = {"delete"},
        mixinStandardHelpOptions = true,
        description = "Revoke a token by its id.",
        footerHeading = "%nExamples:%n",
        footer = {"  fedctl token revoke tok-3f9a1c0b7d2e"})
public final class RevokeToken extends FedctlCommand {
    @Parameters(paramLabel = "ID")
    String id;

    @Override
    protected int run() {
        Token t =
                connection()
                        .tokens()
                        .revokeToken(RevokeTokenRequest.newBuilder().setId(id).build());
        out().println("token/" + t.getId() + " revoked");
        return 0;
    }
}
