package dev.fedplane.cli.token;

import picocli.CommandLine.Command;

@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = "Create and revoke API and bootstrap tokens.",
        subcommands = {CreateToken.class, RevokeToken.class, GetTokens.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  fedctl token create --bootstrap --print-agent-command --cluster-name idc-gz-1 --label region=south",
            "  fedctl token create --role tenant-admin --tenant shop --description 'shop CI'",
            "  fedctl token revoke tok-3f9a1c0b7d2e"
        })
public final class TokenCommand {}
