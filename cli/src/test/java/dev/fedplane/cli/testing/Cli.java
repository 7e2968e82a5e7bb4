package dev.fedplane.cli.testing;

import dev.fedplane.cli.Fedctl;
import dev.fedplane.cli.FedctlEnvironment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs fedctl in this JVM with a home directory, a working directory, an environment and a clock of
 * its own (never the user's ~/.fedplane/config), capturing both streams.
 */
public final class Cli {
    private final Path home;
    private final Path workDir;
    private final Map<String, String> env = new HashMap<>();
    private Clock clock = Clock.systemUTC();

    public Cli(Path dir) {
        try {
            this.home = Files.createDirectories(dir.resolve("home"));
            this.workDir = Files.createDirectories(dir.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CLI whose environment points at {@code cp} with the platform-admin token. */
    public static Cli against(ControlPlane cp, Path dir) {
        return new Cli(dir)
                .env("FEDCTL_SERVER", cp.address())
                .env("FEDCTL_TOKEN", ControlPlane.ADMIN_TOKEN);
    }

    public Cli env(String name, String value) {
        if (value == null) {
            env.remove(name);
        } else {
            env.put(name, value);
        }
        return this;
    }

    public Cli clockAt(Instant now) {
        this.clock = Clock.fixed(now, ZoneOffset.UTC);
        return this;
    }

    public Path home() {
        return home;
    }

    public Path workDir() {
        return workDir;
    }

    /** Writes {@code text} to {@code name} in the working directory. */
    public Path file(String name, String text) {
        try {
            return Files.writeString(workDir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FedctlEnvironment e =
                new FedctlEnvironment(
                        Map.copyOf(env),
                        home,
                        workDir,
                        clock,
                        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        int status = Fedctl.run(e, args);
        return new Result(status, out.toString(), err.toString());
    }

    /** Runs fedctl on another thread (for {@code -w}); its output is readable while it runs. */
    public Running start(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        FedctlEnvironment e =
                new FedctlEnvironment(
                        Map.copyOf(env),
                        home,
                        workDir,
                        clock,
                        new ByteArrayInputStream(new byte[0]),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        Running r =
                new Running(
                        out,
                        err,
                        new Thread(() -> Fedctl.run(e, args), "fedctl-" + String.join("-", args)));
        r.thread.setDaemon(true);
        r.thread.start();
        return r;
    }

    /** A fedctl run on its own thread. */
    public static final class Running {
        private final StringWriter out;
        private final StringWriter err;
        private final Thread thread;

        Running(StringWriter out, StringWriter err, Thread thread) {
            this.out = out;
            this.err = err;
            this.thread = thread;
        }

        /** What it printed on standard output so far (StringWriter is synchronized). */
        public String output() {
            return out.toString();
        }

        public String errors() {
            return err.toString();
        }

        /** Interrupts the run (a watch stops at its next poll) and waits for it to end. */
        public void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(30_000);
            if (thread.isAlive()) {
                throw new AssertionError("fedctl did not stop within 30 s of an interrupt");
            }
        }
    }

    /** What one run printed and its exit status. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
