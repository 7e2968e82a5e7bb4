package dev.fedplane.cli.token;

import dev.fedplane.cli.output.Table;
import dev.fedplane.cli.output.Units;
import dev.fedplane.proto.v1.Role;
import dev.fedplane.proto.v1.Token;
import dev.fedplane.proto.v1.TokenKind;
import java.time.Clock;
import java.util.List;
import java.util.Locale;

/** Tokens as tables (never their secrets: the server does not keep them). */
public final class TokenViews {
    private TokenViews() {}

    static String role(Role r) {
        return r == Role.ROLE_UNSPECIFIED || r == Role.UNRECOGNIZED
                ? ""
                : r.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String kind(TokenKind k) {
        return k == TokenKind.TOKEN_KIND_UNSPECIFIED || k == TokenKind.UNRECOGNIZED
                ? ""
                : k.name().toLowerCase(Locale.ROOT);
    }

    static String expires(Token t) {
        return t.getExpireTimeUnixMillis() == 0
                ? "never"
                : Units.instant(t.getExpireTimeUnixMillis());
    }

    public static Table table(List<Token> tokens, boolean wide, Clock clock) {
        Table t =
                wide
                        ? new Table(
                                "ID",
                                "KIND",
                                "ROLE",
                                "TENANT",
                                "USES",
                                "EXPIRES",
                                "REVOKED",
                                "AGE",
                                "DESCRIPTION",
                                "CREATED BY")
                        : new Table(
                                "ID", "KIND", "ROLE", "TENANT", "USES", "EXPIRES", "REVOKED",
                                "AGE");
        for (Token x : tokens) {
            String uses =
                    x.getKind() == TokenKind.BOOTSTRAP ? x.getUses() + "/" + x.getMaxUses() : "";
            Object[] base = {
                x.getId(),
                kind(x.getKind()),
                role(x.getRole()),
                x.getTenant(),
                uses,
                expires(x),
                x.getRevoked() ? "yes" : "no",
                Units.age(clock, x.getCreateTimeUnixMillis())
            };
            if (wide) {
                t.row(
                        base[0],
                        base[1],
                        base[2],
                        base[3],
                        base[4],
                        base[5],
                        base[6],
                        base[7],
                        x.getDescription(),
                        x.getCreatedBy());
            } else {
                t.row(base);
            }
        }
        return t;
    }
}
