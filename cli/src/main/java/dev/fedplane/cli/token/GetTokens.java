package dev.fedplane.cli.token;

import dev.fedplane.cli.FedctlCommand;
import dev.fedplane.cli.output.Documents;
import dev.fedplane.cli.output.OutputFormat;
import dev.fedplane.cli.output.OutputOptions;
import dev.fedplane.cli.output.WatchOptions;
import dev.fedplane.proto.v1.ListTokensRequest;
import dev.fedplane.proto.v1.ListTokensResponse;
import dev.fedplane.proto.v1.Token;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "tokens",
        aliases = {"token"},
        mixinStandardHelpOptions = true,
        description = "List API and bootstrap tokens (ids and metadata; secrets are never stored).",
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl get tokens",
            "  fedctl get tokens --tenant shop --include-revoked -o wide"
        })
public final class GetTokens extends FedctlCommand {
    @Option(
            names = {"-t", "--tenant"},
            paramLabel = "TENANT",
            description = "Only this tenant's tokens.")
    String tenant;

    @Option(names = "--include-revoked", description = "Also revoked tokens.")
    boolean includeRevoked;

    @Mixin OutputOptions output;

    @Mixin WatchOptions watch;

    @Override
    protected int run() {
        watch.run(
                out(),
                () -> {
                    List<Token> all = new ArrayList<>();
                    String page = "";
                    do {
                        ListTokensResponse r =
                                connection()
                                        .tokens()
                                        .listTokens(
                                                ListTokensRequest.newBuilder()
                                                        .setTenant(tenant == null ? "" : tenant)
                                                        .setIncludeRevoked(includeRevoked)
                                                        .setPageSize(1000)
                                                        .setPageToken(page)
                                                        .build());
                        all.addAll(r.getTokensList());
                        page = r.getNextPageToken();
                    } while (!page.isEmpty());
                    return switch (output.format) {
                        case JSON, YAML ->
                                Documents.render(
                                        ListTokensResponse.newBuilder().addAllTokens(all),
                                        output.format);
                        case TABLE, WIDE ->
                                TokenViews.table(
                                                all,
                                                output.format == OutputFormat.WIDE,
                                                env().clock())
                                        .render();
                    };
                });
        return 0;
    }
}
