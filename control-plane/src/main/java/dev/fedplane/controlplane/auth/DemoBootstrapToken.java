package dev.fedplane.controlplane.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the demo of the README's run command: with {@code fedplane.demo.bootstrap-token-file} set
 * ({@code FEDPLANE_DEMO_BOOTSTRAP_TOKEN_FILE}), each start creates a bootstrap token (24 hours, 32
 * uses) and writes its secret to that file (mode 0600), where the script starting the simulated
 * clusters' agents reads it. Unset in production: agents then register with tokens an admin made.
 */
@Singleton
@Requires(property = "fedplane.demo.bootstrap-token-file")
public class DemoBootstrapToken {
    private static final Logger LOG = LoggerFactory.getLogger(DemoBootstrapToken.class);

    private final TokenService tokens;
    private final String file;

    public DemoBootstrapToken(
            TokenService tokens, @Value("${fedplane.demo.bootstrap-token-file}") String file) {
        this.tokens = tokens;
        this.file = file;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (file.isBlank()) {
            return;
        }
        TokenService.Created created =
                tokens.create(
                        Principal.SYSTEM,
                        new TokenService.CreateRequest(
                                Token.Kind.BOOTSTRAP,
                                null,
                                "",
                                "demo: the simulated clusters' agents",
                                86_400,
                                32));
        Path path = Path.of(file).toAbsolutePath();
        AdminTokenBootstrap.write(path, created.secret());
        LOG.info(
                "demo: bootstrap token {} for simulated clusters written to {} (mode 0600)",
                created.token().id(),
                path);
    }
}
