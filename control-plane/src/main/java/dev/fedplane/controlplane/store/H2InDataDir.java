package dev.fedplane.controlplane.store;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanInitializedEventListener;
import io.micronaut.context.event.BeanInitializingEvent;
import jakarta.inject.Singleton;
import java.nio.file.Path;

/**
 * The default store: when {@code datasources.default.url} is not given ({@code FEDPLANE_DB_URL}
 * unset), the H2 file {@code <fedplane.data-dir>/fedplane} in PostgreSQL mode, so {@code
 * FEDPLANE_DATA_DIR} moves the database together with the admin token. Runs before the data source
 * configuration's own post-construct step, which derives the driver from this URL.
 *
 * <p>{@code WRITE_DELAY=0}: H2 otherwise writes committed transactions to its file up to half a
 * second later, and a killed process ({@code kill -9}, an OOM kill) loses them, acknowledged writes
 * included (seen: a restarted control plane whose agents had applied a desired-state generation the
 * store no longer had). With it every commit is in the file before the call returns.
 */
@Singleton
public class H2InDataDir implements BeanInitializedEventListener<DatasourceConfiguration> {
    static final String OPTIONS =
            ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";

    private final Path dataDir;

    public H2InDataDir(@Value("${fedplane.data-dir:fedplane-data}") String dataDir) {
        this.dataDir = Path.of(dataDir);
    }

    /** The H2 URL of the file store under {@code dataDir}. */
    public static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("fedplane").toAbsolutePath() + OPTIONS;
    }

    @Override
    public DatasourceConfiguration onInitialized(
            BeanInitializingEvent<DatasourceConfiguration> event) {
        DatasourceConfiguration config = event.getBean();
        String configured = config.getConfiguredUrl();
        if ("default".equals(config.getName()) && (configured == null || configured.isBlank())) {
            config.setUrl(url(dataDir));
        }
        return config;
    }
}
