package dev.fedplane.controlplane.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * Fresh databases for tests: a new PostgreSQL database per harness (dropped afterwards) on the
 * server named by {@code FEDPLANE_TEST_PG} (default {@code 127.0.0.1:5432}), logged in as {@code
 * FEDPLANE_TEST_PG_USER} (default {@code postgres}; {@code scripts/test} makes and uses its own
 * role {@code fedplane_test}) with {@code FEDPLANE_TEST_PG_PASSWORD} (default none), creating and
 * dropping databases from {@code FEDPLANE_TEST_PG_DATABASE} (default {@code postgres}); or a new H2
 * file in a temporary directory. A PostgreSQL that cannot be reached fails the test: the README's
 * test command starts PostgreSQL, so a skip would hide a broken set-up.
 */
public final class TestDatabases {
    private TestDatabases() {}

    public static String pgHostPort() {
        String v = System.getenv("FEDPLANE_TEST_PG");
        return v == null || v.isBlank() ? "127.0.0.1:5432" : v;
    }

    public static String pgUser() {
        String v = System.getenv("FEDPLANE_TEST_PG_USER");
        return v == null || v.isBlank() ? "postgres" : v;
    }

    public static String pgPassword() {
        String v = System.getenv("FEDPLANE_TEST_PG_PASSWORD");
        return v == null ? "" : v;
    }

    /** The database the tests connect to when they create and drop theirs. */
    public static String pgAdminDatabase() {
        String v = System.getenv("FEDPLANE_TEST_PG_DATABASE");
        return v == null || v.isBlank() ? "postgres" : v;
    }

    /** Creates an empty database and returns its name. */
    public static String createPostgres() {
        String name =
                "fedplane_test_"
                        + UUID.randomUUID()
                                .toString()
                                .replace("-", "")
                                .substring(0, 16)
                                .toLowerCase(Locale.ROOT);
        execOnAdmin("CREATE DATABASE " + name);
        return name;
    }

    public static String postgresUrl(String database) {
        return "jdbc:postgresql://" + pgHostPort() + "/" + database;
    }

    public static void dropPostgres(String name) {
        execOnAdmin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static String h2Url(java.nio.file.Path dir) {
        return "jdbc:h2:file:"
                + dir.resolve("fedplane").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
    }

    private static void execOnAdmin(String sql) {
        try (Connection c =
                        DriverManager.getConnection(
                                postgresUrl(pgAdminDatabase()), pgUser(), pgPassword());
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at "
                            + pgHostPort()
                            + " is needed by this test and failed: "
                            + e.getMessage()
                            + " (the README's test command starts it; see STACK notes)",
                    e);
        }
    }
}
