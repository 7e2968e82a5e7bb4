package dev.fedplane.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What fedctl reads from and writes to outside its arguments: environment variables, the home
 * directory (for {@code ~/.fedplane/config}), the working directory (relative file names), the
 * clock (ages in tables), and the standard streams. Tests pass their own.
 */
public record FedctlEnvironment(
        Map<String, String> env,
        Path home,
        Path workingDir,
        Clock clock,
        InputStream in,
        PrintWriter out,
        PrintWriter err) {

    /**
     * The process's: the home directory is $HOME when set (as kubectl does), else Java's user.home.
     */
    public static FedctlEnvironment system() {
        String home = System.getenv("HOME");
        return new FedctlEnvironment(
                System.getenv(),
                Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")),
                Path.of("").toAbsolutePath(),
                Clock.systemUTC(),
                System.in,
                new PrintWriter(System.out, true),
                new PrintWriter(System.err, true));
    }

    public String env(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** {@code file} against the working directory unless absolute; "-" stays "-". */
    public Path resolve(String file) {
        return workingDir.resolve(file);
    }
}
