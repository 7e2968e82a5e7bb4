package dev.fedplane.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process killed right after its commits returned loses none of them with the default H2 store's
 * URL: a child JVM commits rows one by one on {@link H2InDataDir#url} and halts (as {@code kill -9}
 * would stop it, no shutdown, no close); the rows are all there when the file is opened again.
 * Without {@code WRITE_DELAY=0} H2 keeps the last half second of commits in memory and this fails.
 */
class H2CrashDurabilityIT {
    static final int ROWS = 50;

    @Test
    void committedRowsSurviveAKilledProcess(@TempDir Path dir) throws Exception {
        Process child =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                CommitThenHalt.class.getName(),
                                H2InDataDir.url(dir))
                        .redirectErrorStream(true)
                        .start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as("the child's output").contains("committed " + ROWS);
        assertThat(child.exitValue()).as("halted, not closed").isEqualTo(9);

        try (Connection c = DriverManager.getConnection(H2InDataDir.url(dir));
                ResultSet r =
                        c.createStatement().executeQuery("SELECT COUNT(*) FROM crash_probe")) {
            r.next();
            assertThat(r.getInt(1)).isEqualTo(ROWS);
        }
        assertThat(new File(dir.toFile(), "fedplane.mv.db")).exists();
    }

    /** The child: commits {@link #ROWS} rows one transaction each, says so, and halts. */
    public static final class CommitThenHalt {
        public static void main(String[] args) throws Exception {
            Connection c = DriverManager.getConnection(args[0]);
            c.createStatement().execute("CREATE TABLE crash_probe (id INT PRIMARY KEY)");
            c.setAutoCommit(false);
            for (int i = 0; i < ROWS; i++) {
                c.createStatement().execute("INSERT INTO crash_probe VALUES (" + i + ")");
                c.commit();
            }
            System.out.println("committed " + ROWS);
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }
}
