package dev.fedplane.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fedplane.loadtest.FaultSchedule.Kind;
import dev.fedplane.loadtest.FaultSchedule.Step;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.ClusterServiceGrpc;
import dev.fedplane.proto.v1.CordonClusterRequest;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.GetAppRequest;
import dev.fedplane.proto.v1.RegisterRequest;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;

/**
 * The fault suite: a real deployment on this machine (a fresh PostgreSQL database, a three-member
 * etcd cluster and three control-plane processes on free loopback ports, a few hundred
 * protocol-level agents, a steady API write load and hostile input), faults injected from a seeded
 * schedule, everything recorded in a {@link FaultHistory} and judged by the {@link HistoryChecker}.
 * Writes {@code history.json}, {@code result.json}, {@code report.txt} and {@code report.html}
 * (ECharts) to {@code --out}. Bounded: every wait has a limit, and the run stops by itself.
 */
@CommandLine.Command(
        name = "faults",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fault suite: kills, pauses, etcd and store outages, agent storms and hostile input",
            "against 3 control planes on PostgreSQL + a 3-member etcd; checks that nothing is lost.",
            "Example: fedplane-loadtest faults --profile long --faults 100 --seed 7"
        },
        footer = {
            "",
            "Exit status: 0 when the checker found no violation and every fault recovered, 1 otherwise."
        })
final class FaultSuite implements Callable<Integer> {

    enum Profile {
        /** One leader kill, one leader pause, one etcd member loss (CI). */
        SHORT,
        /** {@code --faults} faults of every kind drawn from the seed. */
        LONG
    }

    @CommandLine.Option(
            names = "--profile",
            defaultValue = "SHORT",
            description =
                    "SHORT (3 faults) or LONG (--faults of every kind); default ${DEFAULT-VALUE}")
    Profile profile;

    @CommandLine.Option(
            names = "--faults",
            defaultValue = "100",
            description = "faults in the LONG profile (default ${DEFAULT-VALUE})")
    int faultCount;

    @CommandLine.Option(
            names = "--kinds",
            split = ",",
            description =
                    "fault kinds of the LONG profile (default: all): ${COMPLETION-CANDIDATES}")
    List<Kind> kinds;

    @CommandLine.Option(
            names = "--max-minutes",
            defaultValue = "120",
            description =
                    "no new fault after this many minutes of faults (default ${DEFAULT-VALUE})")
    int maxMinutes;

    @CommandLine.Option(
            names = "--seed",
            defaultValue = "1",
            description =
                    "seed of the schedule, the writes and the hostile input (default ${DEFAULT-VALUE})")
    long seed;

    @CommandLine.Option(
            names = "--agents",
            defaultValue = "300",
            description = "protocol-level agents (default ${DEFAULT-VALUE})")
    int agentCount;

    @CommandLine.Option(
            names = "--apps",
            defaultValue = "150",
            description = "apps created before the faults (default ${DEFAULT-VALUE})")
    int appCount;

    @CommandLine.Option(
            names = "--writers",
            defaultValue = "6",
            description =
                    "API writers, each owning its share of the apps (default ${DEFAULT-VALUE})")
    int writers;

    @CommandLine.Option(
            names = "--rate",
            defaultValue = "20",
            description = "API writes per second over all writers (default ${DEFAULT-VALUE})")
    double rate;

    @CommandLine.Option(
            names = "--hostile-rate",
            defaultValue = "4",
            description = "hostile requests per second (default ${DEFAULT-VALUE})")
    double hostileRate;

    @CommandLine.Option(
            names = "--recovery-timeout",
            defaultValue = "90",
            description = "seconds a fault may take to recover (default ${DEFAULT-VALUE})")
    int recoveryTimeout;

    @CommandLine.Option(
            names = "--heartbeat",
            defaultValue = "2s",
            description = "agents' heartbeat interval (default ${DEFAULT-VALUE})")
    String heartbeat;

    @CommandLine.Option(
            names = "--lost-after",
            defaultValue = "30s",
            description = "grace period until a silent cluster is LOST (default ${DEFAULT-VALUE})")
    String lostAfter;

    @CommandLine.Option(
            names = "--resync",
            defaultValue = "10s",
            description = "the reconciler's resync interval (default ${DEFAULT-VALUE})")
    String resync;

    @CommandLine.Option(
            names = "--lease-ttl",
            defaultValue = "5s",
            description = "the leader's etcd lease TTL (default ${DEFAULT-VALUE})")
    String leaseTtl;

    @CommandLine.Option(
            names = "--control-plane-jar",
            defaultValue = "control-plane/target/fedplane-control-plane.jar",
            description = "the control plane to start (default ${DEFAULT-VALUE})")
    Path jar;

    @CommandLine.Option(
            names = "--cp-heap",
            defaultValue = "384m",
            description = "each control plane's -Xmx (default ${DEFAULT-VALUE})")
    String heap;

    @CommandLine.Option(
            names = "--pg",
            defaultValue = "127.0.0.1:5432",
            description = "PostgreSQL host:port (loopback; default ${DEFAULT-VALUE})")
    String pg;

    @CommandLine.Option(
            names = "--pg-user",
            description =
                    "a role that may create databases (default: $FEDPLANE_TEST_PG_USER or fedplane_test)")
    String pgUser;

    @CommandLine.Option(
            names = "--pg-password",
            description = "its password (default: $FEDPLANE_TEST_PG_PASSWORD or fedplane-test)")
    String pgPassword;

    @CommandLine.Option(
            names = "--pg-database",
            description =
                    "a database it may log in to, to create the run's (default: $FEDPLANE_TEST_PG_DATABASE or fedplane_test)")
    String pgDatabase;

    @CommandLine.Option(
            names = "--keep-db",
            description = "keep the run's database afterwards (default: dropped)")
    boolean keepDb;

    @CommandLine.Option(
            names = "--out",
            description =
                    "directory for the history, reports and logs (default: loadtest/target/faults-<time>)")
    Path out;

    static final String TENANT = "faults";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FaultHistory history = new FaultHistory();
    private final List<ManagedControlPlane> cps = new ArrayList<>();
    private final List<String> addresses = new ArrayList<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, FaultAgent> agents = new ConcurrentHashMap<>();
    private final Map<String, WriteState> apps = new ConcurrentHashMap<>();
    private final Set<Integer> paused = ConcurrentHashMap.newKeySet();
    private final List<String> notes = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicInteger restarts = new AtomicInteger();
    private String token;
    private String dbName;
    private String dbUrl;
    private EtcdCluster etcd;
    private ScheduledExecutorService scheduler;
    private ExecutorService background;

    /**
     * An app's writes as its owning writer sees them: the replicas of the last acknowledged write,
     * and those of later writes with unknown outcome (any may be what the store holds).
     */
    static final class WriteState {
        final String key;
        volatile int acked;
        volatile long lastWriteMs = System.currentTimeMillis();
        final Set<Integer> maybe = ConcurrentHashMap.newKeySet();

        WriteState(String key, int acked) {
            this.key = key;
            this.acked = acked;
        }

        boolean allows(int replicas) {
            return replicas == acked || maybe.contains(replicas);
        }
    }

    @Override
    public Integer call() throws Exception {
        validate();
        if (out == null) {
            out =
                    Path.of(
                            "loadtest",
                            "target",
                            "faults-"
                                    + LocalDateTime.now()
                                            .format(
                                                    DateTimeFormatter.ofPattern(
                                                            "yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(out);
        pgUser = pgUser != null ? pgUser : env("FEDPLANE_TEST_PG_USER", "fedplane_test");
        pgPassword =
                pgPassword != null ? pgPassword : env("FEDPLANE_TEST_PG_PASSWORD", "fedplane-test");
        pgDatabase =
                pgDatabase != null ? pgDatabase : env("FEDPLANE_TEST_PG_DATABASE", "fedplane_test");
        List<Step> steps =
                profile == Profile.SHORT
                        ? FaultSchedule.shortProfile(seed)
                        : FaultSchedule.longProfile(
                                seed,
                                faultCount,
                                kinds == null || kinds.isEmpty() ? List.of(Kind.values()) : kinds);
        token = "faults-" + Long.toHexString(new Random(seed).nextLong()) + "-" + System.nanoTime();
        dbName =
                "fedplane_faults_"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMddHHmmss"))
                        + "_"
                        + ProcessHandle.current().pid();
        long runStart = System.currentTimeMillis();
        scheduler = Executors.newScheduledThreadPool(4, daemon("faults-sched"));
        background = Executors.newCachedThreadPool(daemon("faults-bg"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("config", config(steps));
        boolean recovered = true;
        // Interrupted (Ctrl-C, SIGTERM): no child process outlives the run.
        Thread cleanup = new Thread(this::killChildren, "faults-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            createDatabase();
            etcd = new EtcdCluster(out.resolve("etcd"));
            etcd.startAll(Duration.ofSeconds(60));
            startControlPlanes();
            setUp();
            StoreSampler sampler = new StoreSampler();
            Future<?> sampling = background.submit(sampler);
            writing.set(true);
            List<Future<?>> load = startLoad();
            System.out.printf(
                    Locale.ROOT,
                    "faults: %d agents, %d apps, %d control planes on %s, etcd %s; %d faults%n",
                    agents.size(),
                    apps.size(),
                    cps.size(),
                    dbName,
                    etcd.endpoints(),
                    steps.size());
            long faultsUntil = System.nanoTime() + TimeUnit.MINUTES.toNanos(maxMinutes);
            for (Step s : steps) {
                if (System.nanoTime() > faultsUntil) {
                    notes.add(
                            "time bound (--max-minutes "
                                    + maxMinutes
                                    + "): "
                                    + s.index()
                                    + " of "
                                    + steps.size()
                                    + " faults injected");
                    break;
                }
                recovered &= inject(s);
            }
            writing.set(false);
            for (Future<?> f : load) {
                f.get(60, TimeUnit.SECONDS);
            }
            finish();
            sampler.stop();
            sampling.get(30, TimeUnit.SECONDS);
        } finally {
            writing.set(false);
            agents.values().forEach(FaultAgent::stop);
            channels.values().forEach(ManagedChannel::shutdownNow);
            for (int i = 0; i < cps.size(); i++) {
                cont(i);
                cps.get(i).close();
            }
            if (etcd != null) {
                etcd.close();
            }
            scheduler.shutdownNow();
            background.shutdownNow();
            if (!keepDb && dbUrl != null) {
                dropDatabase();
            }
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
        List<HistoryChecker.Violation> violations =
                HistoryChecker.check(history, parseMillis(resync));
        result.put("seconds", (System.currentTimeMillis() - runStart) / 1e3);
        result.put("database", dbName + (keepDb ? " (kept)" : " (dropped)"));
        result.put("notes", notes);
        result.put("allRecovered", recovered);
        FaultReport.write(out, result, history, violations, runStart);
        System.out.print(Files.readString(out.resolve("report.txt")));
        System.out.println("report: " + out.resolve("report.html"));
        return violations.isEmpty() && recovered ? 0 : 1;
    }

    private void killChildren() {
        for (ManagedControlPlane cp : cps) {
            try {
                cp.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (etcd != null) {
            try {
                etcd.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void validate() {
        CommandLine.Model.CommandSpec spec = new CommandLine(this).getCommandSpec();
        List<String> bad = new ArrayList<>();
        if (agentCount < 3) {
            bad.add("--agents must be at least 3");
        }
        if (appCount < 1) {
            bad.add("--apps must be at least 1");
        }
        if (writers < 1 || writers > 64) {
            bad.add("--writers must be between 1 and 64");
        }
        if (!(rate > 0) || !(hostileRate >= 0)) {
            bad.add("--rate must be positive and --hostile-rate not negative");
        }
        if (faultCount < 1 || faultCount > 1000) {
            bad.add("--faults must be between 1 and 1000");
        }
        if (!Files.isRegularFile(jar)) {
            bad.add("--control-plane-jar " + jar + " does not exist (build the control plane)");
        }
        if (!pg.startsWith("127.0.0.1:") && !pg.startsWith("localhost:")) {
            bad.add("--pg must be on loopback (127.0.0.1:<port>)");
        }
        for (String d : List.of(heartbeat, lostAfter, resync, leaseTtl)) {
            try {
                parseMillis(d);
            } catch (RuntimeException e) {
                bad.add("a duration must look like 500ms, 5s or 1m: " + d);
            }
        }
        if (!bad.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", bad));
        }
    }

    static long parseMillis(String d) {
        if (d.endsWith("ms")) {
            return Long.parseLong(d.substring(0, d.length() - 2));
        }
        long n = Long.parseLong(d.substring(0, d.length() - 1));
        return switch (d.charAt(d.length() - 1)) {
            case 's' -> n * 1000;
            case 'm' -> n * 60_000;
            default -> throw new IllegalArgumentException(d);
        };
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private Map<String, Object> config(List<Step> steps) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("profile", profile.name());
        c.put("seed", seed);
        c.put("faults", steps.size());
        c.put("agents", agentCount);
        c.put("apps", appCount);
        c.put("writers", writers);
        c.put("rate", rate);
        c.put("hostileRate", hostileRate);
        c.put("heartbeat", heartbeat);
        c.put("lostAfter", lostAfter);
        c.put("resync", resync);
        c.put("leaseTtl", leaseTtl);
        c.put("controlPlanes", 3);
        c.put("etcdMembers", EtcdCluster.SIZE);
        c.put("cpuCount", Runtime.getRuntime().availableProcessors());
        c.put("schedule", steps);
        return c;
    }

    // ------------------------------------------------------------------ PostgreSQL

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + pg + "/" + pgDatabase + "?connectTimeout=5",
                pgUser,
                pgPassword);
    }

    private void createDatabase() throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + dbName);
        }
        dbUrl = "jdbc:postgresql://" + pg + "/" + dbName;
    }

    private void dropDatabase() {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS true");
            s.execute("DROP DATABASE IF EXISTS " + dbName + " WITH (FORCE)");
        } catch (SQLException e) {
            notes.add("could not drop database " + dbName + ": " + e.getMessage());
        }
    }

    /**
     * The store outage: the run's database refuses new connections and every backend connected to
     * it is terminated (what a server restart does to its clients), for {@code holdMillis}.
     */
    private void storeDown() throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS false");
            s.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                            + dbName
                            + "' AND pid <> pg_backend_pid()");
        }
    }

    private void storeUp() throws SQLException {
        try (Connection c = admin();
                Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS true");
        }
    }

    // ------------------------------------------------------------------ control planes

    private void startControlPlanes() throws Exception {
        for (int i = 0; i < 3; i++) {
            Map<String, String> settings = new HashMap<>();
            settings.put("FEDPLANE_HA", "etcd");
            settings.put("FEDPLANE_ETCD_ENDPOINTS", etcd.endpoints());
            settings.put("FEDPLANE_INSTANCE_ID", "cp-" + (i + 1));
            settings.put("FEDPLANE_ADMIN_TOKEN", token);
            settings.put("FEDPLANE_DB_USER", pgUser);
            settings.put("FEDPLANE_DB_PASSWORD", pgPassword);
            settings.put("FEDPLANE_HEARTBEAT_INTERVAL", heartbeat);
            settings.put("FEDPLANE_LOST_AFTER", lostAfter);
            settings.put("FEDPLANE_RESYNC_INTERVAL", resync);
            settings.put("FEDPLANE_LEASE_TTL", leaseTtl);
            ManagedControlPlane cp =
                    new ManagedControlPlane(
                            jar.toAbsolutePath(),
                            out.resolve("cp-" + (i + 1)).toAbsolutePath(),
                            dbUrl,
                            List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                            settings);
            cps.add(cp);
            addresses.add(cp.target());
            channels.put(
                    cp.target(),
                    NettyChannelBuilder.forTarget(cp.target())
                            .usePlaintext()
                            .maxInboundMessageSize(16 * 1024 * 1024)
                            .build());
        }
        // The first one alone creates the schema; then the other two.
        cps.get(0).start(Duration.ofSeconds(180));
        List<Future<?>> started = new ArrayList<>();
        for (int i = 1; i < 3; i++) {
            ManagedControlPlane cp = cps.get(i);
            started.add(
                    background.submit(
                            () -> {
                                cp.start(Duration.ofSeconds(180));
                                return null;
                            }));
        }
        for (Future<?> f : started) {
            f.get(200, TimeUnit.SECONDS);
        }
        if (awaitLeader(Duration.ofSeconds(60)) < 0) {
            throw new IOException("no control plane became leader within 60 s");
        }
    }

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(
                address, a -> NettyChannelBuilder.forTarget(a).usePlaintext().build());
    }

    /** /health of control plane {@code i}, null when it does not answer within 500 ms. */
    private JsonNode health(int i) {
        if (!cps.get(i).alive() || paused.contains(i)) {
            return null;
        }
        try {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + cps.get(i).httpPort
                                                            + "/health"))
                                    .timeout(Duration.ofMillis(5000))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * The index of the control plane that says it leads (and is not paused); when it does not
     * answer in time (a loaded machine), the one the answering followers name; -1 when none.
     */
    int leader() {
        String named = null;
        for (int i = 0; i < cps.size(); i++) {
            JsonNode h = health(i);
            if (h == null) {
                continue;
            }
            if ("leader".equals(h.findPath("role").asText())) {
                return i;
            }
            if (!h.findPath("leaderId").asText().isEmpty()) {
                named = h.findPath("leaderId").asText();
            }
        }
        if (named != null && named.startsWith("cp-")) {
            int i = Integer.parseInt(named.substring(3)) - 1;
            if (i >= 0 && i < cps.size() && cps.get(i).alive() && !paused.contains(i)) {
                return i;
            }
        }
        return -1;
    }

    private int awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            int l = leader();
            if (l >= 0) {
                return l;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        return -1;
    }

    private void signal(int i, String sig) throws IOException, InterruptedException {
        long pid = cps.get(i).pid();
        if (pid > 0) {
            new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
                    .inheritIO()
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void cont(int i) {
        if (paused.remove(i)) {
            try {
                signal(i, "CONT");
            } catch (IOException | InterruptedException e) {
                notes.add("SIGCONT of cp-" + (i + 1) + " failed: " + e);
            }
        }
    }

    /** Starts a killed control plane again in the background. */
    private Future<?> restart(int i) {
        return background.submit(
                () -> {
                    cps.get(i).start(Duration.ofSeconds(180));
                    restarts.incrementAndGet();
                    return null;
                });
    }

    // ------------------------------------------------------------------ setup

    private <S extends io.grpc.stub.AbstractStub<S>> S admin(S stub, int seconds) {
        return ControlPlaneOptions.withBearer(stub, token)
                .withDeadlineAfter(seconds, TimeUnit.SECONDS);
    }

    /** Runs {@code call} against each control plane in turn until one answers (bounded). */
    private <T> T anyInstance(String what, java.util.function.Function<ManagedChannel, T> call)
            throws InterruptedException {
        StatusRuntimeException last = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int k = 0;
        while (System.nanoTime() < deadline) {
            try {
                return call.apply(channel(addresses.get(k++ % addresses.size())));
            } catch (StatusRuntimeException e) {
                last = e;
                if (e.getStatus().getCode() == io.grpc.Status.Code.ALREADY_EXISTS) {
                    return null;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException(what + " failed on every control plane", last);
    }

    private void setUp() throws Exception {
        for (String t : List.of(TENANT, HostileInput.TENANT)) {
            anyInstance(
                    "CreateTenant " + t,
                    ch ->
                            admin(TenantServiceGrpc.newBlockingStub(ch), 10)
                                    .createTenant(
                                            CreateTenantRequest.newBuilder()
                                                    .setTenant(Tenant.newBuilder().setName(t))
                                                    .build()));
        }
        String boot =
                anyInstance(
                                "CreateToken",
                                ch ->
                                        admin(TokenServiceGrpc.newBlockingStub(ch), 10)
                                                .createToken(
                                                        CreateTokenRequest.newBuilder()
                                                                .setKind(TokenKind.BOOTSTRAP)
                                                                .setMaxUses(agentCount + 1)
                                                                .setTtlSeconds(7200)
                                                                .setDescription("fault suite")
                                                                .build()))
                        .getSecret();
        // The hostile streams' own cluster, cordoned so that nothing is placed on it.
        String hostileCredential =
                anyInstance(
                                "Register hostile cluster",
                                ch ->
                                        ControlPlaneOptions.withBearer(
                                                        dev.fedplane.proto.v1.AgentServiceGrpc
                                                                .newBlockingStub(ch),
                                                        boot)
                                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                                .register(
                                                        RegisterRequest.newBuilder()
                                                                .setClusterName("hostile-0")
                                                                .setCapacity(SimAgent.capacity())
                                                                .build()))
                        .getCredential();
        anyInstance(
                "CordonCluster hostile-0",
                ch ->
                        admin(ClusterServiceGrpc.newBlockingStub(ch), 10)
                                .cordonCluster(
                                        CordonClusterRequest.newBuilder()
                                                .setName("hostile-0")
                                                .build()));
        hostile =
                new HostileInput(
                        seed * 31 + 7,
                        history,
                        token,
                        "hostile-0",
                        hostileCredential,
                        "agent-00000");
        ExecutorService registrars = Executors.newFixedThreadPool(16, daemon("faults-register"));
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < agentCount; i++) {
            FaultAgent a =
                    new FaultAgent(
                            String.format(Locale.ROOT, "agent-%05d", i),
                            addresses,
                            this::channel,
                            scheduler,
                            history);
            agents.put(a.name, a);
            done.add(
                    registrars.submit(
                            () -> {
                                a.register(boot);
                                a.connect();
                                return null;
                            }));
        }
        try {
            for (Future<?> f : done) {
                f.get(180, TimeUnit.SECONDS);
            }
        } finally {
            registrars.shutdownNow();
        }
        if (!write("CreateApp", PROBE, probeReplicas, -1)) {
            throw new IllegalStateException("could not create the probe app");
        }
        Random r = new Random(seed);
        for (int k = 0; k < appCount; k++) {
            String name = "app-" + k;
            int replicas = 1 + r.nextInt(3);
            boolean created = false;
            for (int attempt = 0; attempt < 5 && !created; attempt++) {
                created =
                        write("CreateApp", name, replicas, 0)
                                || "ALREADY_EXISTS"
                                        .equals(history.calls.get(history.calls.size() - 1).code());
            }
            if (!created) {
                FaultHistory.ApiCall last = history.calls.get(history.calls.size() - 1);
                throw new IllegalStateException(
                        "could not create "
                                + name
                                + " before the faults: "
                                + last.code()
                                + " "
                                + last.detail());
            }
        }
        if (awaitRecovered(System.nanoTime() + TimeUnit.SECONDS.toNanos(recoveryTimeout)) < 0) {
            throw new IllegalStateException(
                    "the deployment did not converge before the faults: " + unrecovered());
        }
    }

    private HostileInput hostile;

    // ------------------------------------------------------------------ load

    /** The control plane each writer last found answering. */
    private final Map<Integer, Integer> writerTarget = new ConcurrentHashMap<>();

    /**
     * One write of the app {@code name} by writer {@code w}, recorded; true when acknowledged. A
     * writer keeps to the instance that last answered and moves to the next after a failure.
     */
    private boolean write(String op, String name, int replicas, int w) {
        return write(op, name, replicas, w, -1);
    }

    /** As {@link #write(String, String, int, int)}, through instance {@code to} when not -1. */
    private boolean write(String op, String name, int replicas, int w, int to) {
        String key = TENANT + "/" + name;
        int t = to >= 0 ? to : writerTarget.getOrDefault(w, Math.floorMod(w, addresses.size()));
        String target = addresses.get(t);
        ManagedChannel ch = channel(target);
        long start = System.currentTimeMillis();
        String code;
        String detail = "";
        try {
            if (op.equals("CreateApp")) {
                admin(AppServiceGrpc.newBlockingStub(ch), 5)
                        .createApp(
                                CreateAppRequest.newBuilder()
                                        .setApp(
                                                App.newBuilder()
                                                        .setTenant(TENANT)
                                                        .setName(name)
                                                        .setSpec(FleetLoad.spec(replicas)))
                                        .build());
            } else {
                admin(AppServiceGrpc.newBlockingStub(ch), 5)
                        .scaleApp(
                                ScaleAppRequest.newBuilder()
                                        .setTenant(TENANT)
                                        .setName(name)
                                        .setReplicas(replicas)
                                        .build());
            }
            code = "OK";
        } catch (StatusRuntimeException e) {
            code = e.getStatus().getCode().name();
            detail = String.valueOf(e.getStatus().getDescription());
            writerTarget.put(w, (t + 1) % addresses.size());
        }
        FaultHistory.ApiCall c =
                new FaultHistory.ApiCall(
                        start,
                        System.currentTimeMillis(),
                        op,
                        target,
                        key,
                        replicas,
                        code,
                        detail.length() > 200 ? detail.substring(0, 200) : detail);
        history.calls.add(c);
        WriteState s = apps.get(key);
        if (s != null) {
            s.lastWriteMs = c.endMs();
        }
        if (c.ok()) {
            if (s == null) {
                apps.put(key, new WriteState(key, replicas));
            } else {
                s.acked = replicas;
                s.maybe.clear();
            }
        } else if (c.indeterminate()) {
            if (s == null) {
                if (op.equals("CreateApp")) {
                    WriteState n = new WriteState(key, 0); // 0: the create did not land
                    n.maybe.add(replicas);
                    apps.put(key, n);
                }
            } else {
                s.maybe.add(replicas);
            }
        }
        return c.ok();
    }

    private List<Future<?>> startLoad() {
        List<Future<?>> load = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            load.add(background.submit(() -> writer(writer)));
        }
        if (hostileRate > 0) {
            load.add(
                    background.submit(
                            () -> {
                                long period = (long) (1e9 / hostileRate);
                                long next = System.nanoTime();
                                int k = 0;
                                while (writing.get()) {
                                    String target = addresses.get(k++ % addresses.size());
                                    hostile.one(target, channel(target));
                                    next += period;
                                    sleepUntil(next);
                                }
                                return null;
                            }));
        }
        return load;
    }

    private Void writer(int w) {
        Random r = new Random(seed * 1_000_003 + w);
        List<String> mine = new ArrayList<>();
        for (int k = w; k < appCount; k += writers) {
            mine.add("app-" + k);
        }
        long period = (long) (1e9 * writers / rate);
        long next = System.nanoTime();
        int created = 0;
        while (writing.get()) {
            if (r.nextInt(10) == 0 || mine.isEmpty()) {
                String name = "w" + w + "-new-" + created++;
                write("CreateApp", name, 1 + r.nextInt(3), w);
                mine.add(name); // an indeterminate create may have landed: it stays this writer's
            } else {
                String name = mine.get(r.nextInt(mine.size()));
                WriteState s = apps.get(TENANT + "/" + name);
                int current = s == null ? 0 : s.acked;
                int replicas = 1 + r.nextInt(4);
                if (replicas == current) {
                    replicas = replicas % 4 + 1;
                }
                write("ScaleApp", name, replicas, w);
            }
            next += period;
            sleepUntil(next);
        }
        return null;
    }

    private static void sleepUntil(long nanos) {
        long d = nanos - System.nanoTime();
        if (d > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ faults

    /** Injects one fault, heals it and waits for recovery; false when it did not recover. */
    private boolean inject(Step s) throws Exception {
        TimeUnit.MILLISECONDS.sleep(s.gapMillis());
        awaitPreconditions();
        int leader = awaitLeader(Duration.ofSeconds(recoveryTimeout));
        long inject = System.currentTimeMillis();
        String detail;
        Future<?> restarted = null;
        switch (s.kind()) {
            case KILL_LEADER -> {
                detail = "kill -9 cp-" + (leader + 1);
                cps.get(leader).kill();
                restarted = restartLater(leader);
            }
            case KILL_FOLLOWER -> {
                int f = followers(leader).get(s.target() % 2);
                detail = "kill -9 cp-" + (f + 1);
                cps.get(f).kill();
                restarted = restartLater(f);
            }
            case PAUSE_LEADER -> {
                detail = "SIGSTOP cp-" + (leader + 1) + " for " + s.holdMillis() + " ms";
                paused.add(leader);
                signal(leader, "STOP");
                TimeUnit.MILLISECONDS.sleep(s.holdMillis());
                cont(leader);
            }
            case ETCD_MEMBER_LOSS -> {
                detail = "kill -9 etcd m" + s.target() + " for " + s.holdMillis() + " ms";
                etcd.kill(s.target());
                TimeUnit.MILLISECONDS.sleep(s.holdMillis());
                etcd.start(s.target());
            }
            case ETCD_QUORUM_LOSS -> {
                int a = s.target();
                int b = (s.target() + 1) % EtcdCluster.SIZE;
                detail = "kill -9 etcd m" + a + " and m" + b + " for " + s.holdMillis() + " ms";
                etcd.kill(a);
                etcd.kill(b);
                TimeUnit.MILLISECONDS.sleep(s.holdMillis());
                etcd.start(a);
                etcd.start(b);
            }
            case STORE_OUTAGE -> {
                detail =
                        "database refuses connections, backends terminated, for "
                                + s.holdMillis()
                                + " ms";
                storeDown();
                TimeUnit.MILLISECONDS.sleep(s.holdMillis());
                storeUp();
            }
            case AGENT_STORM -> {
                List<FaultAgent> all = new ArrayList<>(new TreeMap<>(agents).values());
                int n = Math.max(1, all.size() * s.target() / 100);
                Random r = new Random(seed + s.index());
                detail = n + " agents drop and reconnect";
                for (int k = 0; k < n; k++) {
                    all.get((k * all.size()) / n).drop(r.nextInt(2_000), r.nextBoolean());
                }
            }
            default -> throw new IllegalStateException(s.kind().toString());
        }
        long heal = System.currentTimeMillis();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(recoveryTimeout);
        StringBuilder waits = new StringBuilder();
        long recovered = awaitRecovered(deadline, heal, waits);
        String why = recovered < 0 ? "NOT RECOVERED: " + unrecovered() + "; " : "";
        history.faults.add(
                new FaultHistory.Fault(
                        s.index(),
                        s.kind().name(),
                        detail + "; " + why + "waited on: " + waits,
                        inject,
                        heal,
                        recovered));
        System.out.printf(
                Locale.ROOT,
                "fault %d/%s %s: %s%n",
                s.index() + 1,
                s.kind(),
                detail,
                (recovered < 0
                                ? "not recovered within " + recoveryTimeout + " s: " + why
                                : "recovered " + (recovered - heal) + " ms after heal")
                        + " (waited on: "
                        + waits
                        + ")");
        if (restarted != null) {
            restarted.get(200, TimeUnit.SECONDS);
        }
        return recovered >= 0;
    }

    private Future<?> restartLater(int i) {
        return restart(i);
    }

    private List<Integer> followers(int leader) {
        List<Integer> l = new ArrayList<>();
        for (int i = 0; i < cps.size(); i++) {
            if (i != leader) {
                l.add(i);
            }
        }
        return l;
    }

    /** Every control plane runs and answers, every etcd member runs. */
    private void awaitPreconditions() throws Exception {
        for (int i = 0; i < EtcdCluster.SIZE; i++) {
            etcd.start(i);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(200);
        for (int i = 0; i < cps.size(); i++) {
            while (health(i) == null && System.nanoTime() < deadline) {
                if (!cps.get(i).alive()) {
                    restart(i).get(200, TimeUnit.SECONDS);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /**
     * Recovered: a leader answers, every agent's stream is served by it, an API write through it is
     * acknowledged, and the agents' replicas of every app add up to what the writes asked for.
     * Returns when that was first seen, -1 at the deadline.
     */
    private long awaitRecovered(long deadlineNanos) throws InterruptedException {
        return awaitRecovered(deadlineNanos, System.currentTimeMillis(), new StringBuilder());
    }

    /**
     * As {@link #awaitRecovered(long)}, appending to {@code waits} what recovery waited on and
     * until when (milliseconds after {@code fromMs}).
     */
    private long awaitRecovered(long deadlineNanos, long fromMs, StringBuilder waits)
            throws InterruptedException {
        String waiting = null;
        while (System.nanoTime() < deadlineNanos) {
            String why = unrecovered();
            if (why == null) {
                if (waiting != null) {
                    waits.append(" until +")
                            .append(System.currentTimeMillis() - fromMs)
                            .append(" ms");
                }
                return System.currentTimeMillis();
            }
            String kind = why.replaceAll("[0-9:].*", "").trim();
            if (!kind.equals(waiting)) {
                if (waiting != null) {
                    waits.append(" until +")
                            .append(System.currentTimeMillis() - fromMs)
                            .append(" ms; ");
                }
                waits.append(why);
                waiting = kind;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return -1;
    }

    /** What recovery still waits on, null when recovered. */
    private String unrecovered() {
        int l = leader();
        if (l < 0) {
            return "no leader";
        }
        String address = addresses.get(l);
        long off = agents.values().stream().filter(a -> !address.equals(a.connectedTo())).count();
        if (off > 0) {
            return "agents not on the leader cp-" + (l + 1) + ": " + off;
        }
        Map<String, Integer> totals = new HashMap<>();
        for (FaultAgent a : agents.values()) {
            a.applied.forEach((k, v) -> totals.merge(k, v, Integer::sum));
        }
        // Apps still being written converge later; those not written for 3 s must have.
        long settled = System.currentTimeMillis() - 3_000;
        List<String> wrong = new ArrayList<>();
        for (WriteState s : apps.values()) {
            int has = totals.getOrDefault(s.key, 0);
            if (s.lastWriteMs < settled && !s.allows(has) && wrong.size() < 3) {
                wrong.add(s.key + " runs " + has + ", written " + s.acked + " or " + s.maybe);
            }
        }
        if (!wrong.isEmpty()) {
            return "agents' replicas differ from settled writes: " + wrong;
        }
        // A write through the leader is acknowledged and reaches the agents within 3 s.
        probeReplicas = probeReplicas % 3 + 1;
        if (!write("ScaleApp", PROBE, probeReplicas, -1, l)) {
            return "a probe write through the leader fails";
        }
        long until = System.currentTimeMillis() + 3_000;
        while (System.currentTimeMillis() < until) {
            int sum = 0;
            for (FaultAgent a : agents.values()) {
                sum += a.applied.getOrDefault(TENANT + "/" + PROBE, 0);
            }
            if (sum == probeReplicas) {
                return null;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return "a probe write is not applied by the agents within 3 s";
    }

    static final String PROBE = "probe";
    private int probeReplicas = 1;

    // ------------------------------------------------------------------ end

    /** Everything healed and running: wait for convergence, then read the final state. */
    private void finish() throws Exception {
        awaitPreconditions();
        if (awaitRecovered(System.nanoTime() + TimeUnit.SECONDS.toNanos(recoveryTimeout)) < 0) {
            notes.add("the deployment did not converge at the end: " + unrecovered());
        }
        // Give the leader one resync interval to correct anything left, then read.
        TimeUnit.MILLISECONDS.sleep(Math.min(parseMillis(resync), 15_000));
        int l = Math.max(0, leader());
        ManagedChannel ch = channel(addresses.get(l));
        Map<String, Map<String, Integer>> shares = placements();
        Set<String> keys = new java.util.TreeSet<>(apps.keySet());
        keys.addAll(hostile.created);
        for (String key : keys) {
            String tenant = key.substring(0, key.indexOf('/'));
            String name = key.substring(key.indexOf('/') + 1);
            try {
                App a =
                        admin(AppServiceGrpc.newBlockingStub(ch), 10)
                                .getApp(
                                        GetAppRequest.newBuilder()
                                                .setTenant(tenant)
                                                .setName(name)
                                                .build());
                history.finalApps.add(
                        new FaultHistory.FinalApp(
                                key,
                                true,
                                a.getSpec().getReplicas(),
                                shares.getOrDefault(key, Map.of())));
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != io.grpc.Status.Code.NOT_FOUND) {
                    notes.add("final read of " + key + " failed: " + e.getStatus());
                }
                history.finalApps.add(new FaultHistory.FinalApp(key, false, 0, Map.of()));
            }
        }
        for (FaultAgent a : new TreeMap<>(agents).values()) {
            history.finalAgents.add(new FaultHistory.FinalAgent(a.name, Map.copyOf(a.applied)));
        }
    }

    /** Every app's current placement from the store: tenant/name -> cluster -> replicas. */
    private Map<String, Map<String, Integer>> placements() throws SQLException, IOException {
        Map<String, Map<String, Integer>> m = new HashMap<>();
        try (Connection c = DriverManager.getConnection(dbUrl, pgUser, pgPassword);
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT a.tenant, a.name, s.placement FROM apps a JOIN app_placement s ON s.app_id = a.id")) {
            while (rs.next()) {
                m.put(rs.getString(1) + "/" + rs.getString(2), shares(rs.getString(3)));
            }
        }
        return m;
    }

    static Map<String, Integer> shares(String placement) throws IOException {
        Map<String, Integer> m = new TreeMap<>();
        if (placement == null) {
            return m;
        }
        JSON.readTree(placement)
                .path("shares")
                .fields()
                .forEachRemaining(
                        e -> {
                            if (e.getValue().asInt() > 0) {
                                m.put(e.getKey(), e.getValue().asInt());
                            }
                        });
        return m;
    }

    /**
     * Samples the store every 250 ms on its own connection: the leader epoch row and every app's
     * status row (recorded when it changed). A failed sample (store outage) is skipped.
     */
    private final class StoreSampler implements Callable<Void> {
        private volatile boolean stopped;
        private final Map<String, String> last = new HashMap<>();
        private long lastEpoch = -1;
        private long lastEpochAt = -1;

        void stop() {
            stopped = true;
        }

        @Override
        public Void call() throws Exception {
            Connection c = null;
            while (!stopped) {
                try {
                    if (c == null || c.isClosed()) {
                        c =
                                DriverManager.getConnection(
                                        dbUrl + "?connectTimeout=2", pgUser, pgPassword);
                    }
                    sample(c);
                } catch (SQLException | IOException e) {
                    if (c != null) {
                        try {
                            c.close();
                        } catch (SQLException ignored) {
                            // broken already
                        }
                    }
                    c = null;
                }
                TimeUnit.MILLISECONDS.sleep(250);
            }
            if (c != null) {
                try {
                    sample(c);
                } finally {
                    c.close();
                }
            }
            return null;
        }

        private void sample(Connection c) throws SQLException, IOException {
            long now = System.currentTimeMillis();
            try (Statement s = c.createStatement()) {
                try (ResultSet rs =
                        s.executeQuery(
                                "SELECT epoch, leader_id, updated_at FROM leader_epoch WHERE id = 1")) {
                    if (rs.next() && (rs.getLong(1) != lastEpoch || rs.getLong(3) != lastEpochAt)) {
                        lastEpoch = rs.getLong(1);
                        lastEpochAt = rs.getLong(3);
                        history.storeEpochs.add(
                                new FaultHistory.StoreEpoch(
                                        now, lastEpoch, rs.getString(2), lastEpochAt));
                    }
                }
                try (ResultSet rs =
                        s.executeQuery(
                                "SELECT a.tenant, a.name, s.epoch, s.updated_at, s.placement FROM apps a JOIN app_placement s ON s.app_id = a.id")) {
                    while (rs.next()) {
                        String key = rs.getString(1) + "/" + rs.getString(2);
                        String placement = rs.getString(5);
                        String sig = rs.getLong(3) + "|" + rs.getLong(4) + "|" + placement;
                        if (!sig.equals(last.put(key, sig))) {
                            history.statuses.add(
                                    new FaultHistory.StatusSample(
                                            now,
                                            key,
                                            rs.getLong(3),
                                            rs.getLong(4),
                                            shares(placement)));
                        }
                    }
                }
            }
        }
    }

    static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
