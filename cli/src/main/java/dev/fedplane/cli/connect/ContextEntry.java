package dev.fedplane.cli.connect;

import java.nio.file.Path;

/**
 * One named context of the config file: a server, a token (inline or in a file), a default tenant
 * for app commands, and the TLS settings. Null fields are unset.
 */
public record ContextEntry(
        String server,
        String token,
        Path tokenFile,
        String tenant,
        Boolean plaintext,
        Path tlsCaFile) {
    public static final ContextEntry EMPTY = new ContextEntry(null, null, null, null, null, null);

    /** This entry with every non-null field of {@code update} replacing its own. */
    public ContextEntry merge(ContextEntry update) {
        return new ContextEntry(
                update.server != null ? update.server : server,
                update.token != null ? update.token : (update.tokenFile != null ? null : token),
                update.tokenFile != null
                        ? update.tokenFile
                        : (update.token != null ? null : tokenFile),
                update.tenant != null ? update.tenant : tenant,
                update.plaintext != null ? update.plaintext : plaintext,
                update.tlsCaFile != null ? update.tlsCaFile : tlsCaFile);
    }
}
