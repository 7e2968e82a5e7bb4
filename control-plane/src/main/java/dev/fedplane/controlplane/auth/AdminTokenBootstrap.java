package dev.fedplane.controlplane.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On start: with {@code FEDPLANE_ADMIN_TOKEN} set, that secret is the platform-admin token; else,
 * on an empty store, a new platform-admin token is written to {@code <data-dir>/admin.token} (mode
 * 0600) and only the file's path is logged, never the secret.
 */
@Singleton
public class AdminTokenBootstrap {
    static final String ENV_TOKEN_ID = "tok-admin-env";
    private static final Logger LOG = LoggerFactory.getLogger(AdminTokenBootstrap.class);

    private final TokenService tokens;
    private final String configuredSecret;
    private final Path dataDir;

    public AdminTokenBootstrap(
            TokenService tokens,
            @Value("${fedplane.admin-token:}") String configuredSecret,
            @Value("${fedplane.data-dir:fedplane-data}") String dataDir) {
        this.tokens = tokens;
        this.configuredSecret = configuredSecret;
        this.dataDir = Path.of(dataDir);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!configuredSecret.isBlank()) {
            tokens.ensureAdminSecret(ENV_TOKEN_ID, configuredSecret.strip());
            LOG.info("platform-admin token {} set from FEDPLANE_ADMIN_TOKEN", ENV_TOKEN_ID);
            return;
        }
        Path file = dataDir.resolve("admin.token").toAbsolutePath();
        tokens.createFirstAdminToken(created -> write(file, created.secret()))
                .ifPresent(
                        created ->
                                LOG.info(
                                        "first start: platform-admin token {} written to {} (mode 0600)",
                                        created.token().id(),
                                        file));
    }

    static void write(Path file, String secret) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(
                    file,
                    PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, secret + "\n", StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the admin token to " + file, e);
        }
    }
}
