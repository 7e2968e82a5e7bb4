package dev.fedplane.loadtest;

import com.google.common.util.concurrent.ListenableFuture;
import dev.fedplane.proto.v1.App;
import dev.fedplane.proto.v1.AppServiceGrpc;
import dev.fedplane.proto.v1.AppSpec;
import dev.fedplane.proto.v1.CreateAppRequest;
import dev.fedplane.proto.v1.CreateTenantRequest;
import dev.fedplane.proto.v1.CreateTokenRequest;
import dev.fedplane.proto.v1.PlacementPolicy;
import dev.fedplane.proto.v1.ReplicaScheduling;
import dev.fedplane.proto.v1.Resources;
import dev.fedplane.proto.v1.ScaleAppRequest;
import dev.fedplane.proto.v1.Tenant;
import dev.fedplane.proto.v1.TenantServiceGrpc;
import dev.fedplane.proto.v1.TokenKind;
import dev.fedplane.proto.v1.TokenServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;

/**
 * A fleet-scale run against one control plane process that this command starts (and restarts), in
 * phases: register N protocol-level agents; steady state with heartbeats; API writes from M clients
 * at a set rate (ScaleApp and CreateApp, open loop) with the convergence of each write (call
 * returned -> every target agent acknowledged); a reconnect storm (every agent drops and returns at
 * once); a leader restart (the process is killed and started again: a resync of everything); the
 * loss of a share of the clusters at once (replicas acknowledged elsewhere, counted from the end of
 * the grace period). The control plane's CPU, heap and GC come from its own metrics. Writes {@code
 * result.json}, {@code report.html} (ECharts) and a one-screen summary. Loopback only; every wait
 * is bounded; it stops by itself.
 */
@CommandLine.Command(
        name = "fleet",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Fleet-scale phases against a control plane this command starts on free loopback ports.",
            "Example: fedplane-loadtest fleet --agents 1000 --apps 1000 --rate 500 --writers 16"
        },
        footer = {
            "",
            "Exit status: 0 when every phase converged without an INTERNAL answer, 1 otherwise."
        })
final class FleetLoad implements Callable<Integer> {

    /** The phases, in the order they run. */
    enum Phase {
        register,
        steady,
        writes,
        storm,
        restart,
        loss
    }

    @CommandLine.Option(
            names = "--agents",
            defaultValue = "1000",
            description = "simulated clusters (default ${DEFAULT-VALUE})")
    int agents;

    @CommandLine.Option(
            names = "--apps",
            defaultValue = "1000",
            description = "apps placed before the writes (default ${DEFAULT-VALUE})")
    int apps;

    @CommandLine.Option(
            names = "--replicas",
            defaultValue = "3",
            description = "replicas per app (default ${DEFAULT-VALUE})")
    int replicas;

    @CommandLine.Option(
            names = "--writers",
            defaultValue = "8",
            description = "API clients in flight at most (default ${DEFAULT-VALUE})")
    int writers;

    @CommandLine.Option(
            names = "--rate",
            defaultValue = "100",
            description = "API writes per second (default ${DEFAULT-VALUE})")
    double rate;

    @CommandLine.Option(
            names = "--steady",
            defaultValue = "20",
            description = "seconds of steady state (default ${DEFAULT-VALUE})")
    int steadySeconds;

    @CommandLine.Option(
            names = "--write-seconds",
            defaultValue = "30",
            description = "seconds of API writes (default ${DEFAULT-VALUE})")
    int writeSeconds;

    @CommandLine.Option(
            names = "--loss-percent",
            defaultValue = "10",
            description = "clusters lost at once (default ${DEFAULT-VALUE})")
    int lossPercent;

    @CommandLine.Option(
            names = "--heartbeat",
            defaultValue = "10s",
            description = "agents' heartbeat interval (default ${DEFAULT-VALUE})")
    String heartbeat;

    @CommandLine.Option(
            names = "--lost-after",
            defaultValue = "30s",
            description = "grace period until LOST (default ${DEFAULT-VALUE})")
    String lostAfter;

    @CommandLine.Option(
            names = "--phases",
            split = ",",
            description = "phases to run (default: all): ${COMPLETION-CANDIDATES}")
    List<Phase> phases;

    @CommandLine.Option(
            names = "--control-plane-jar",
            defaultValue = "control-plane/target/fedplane-control-plane.jar",
            description = "the control plane to start (default ${DEFAULT-VALUE})")
    Path jar;

    @CommandLine.Option(
            names = "--db-url",
            description = "JDBC URL of an empty database (default: a fresh H2 file)")
    String dbUrl;

    @CommandLine.Option(
            names = "--cp-heap",
            defaultValue = "2g",
            description = "control plane -Xmx (default ${DEFAULT-VALUE})")
    String heap;

    @CommandLine.Option(
            names = "--phase-timeout",
            defaultValue = "180",
            description = "seconds a phase may take to converge (default ${DEFAULT-VALUE})")
    int phaseTimeout;

    @CommandLine.Option(
            names = "--out",
            description =
                    "directory for result.json, report.html and the control plane's log (default: loadtest/target/fleet-<time>)")
    Path out;

    private final Map<String, Object> result = new LinkedHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger internalAnswers = new AtomicInteger();

    @Override
    public Integer call() throws Exception {
        validate();
        List<Phase> run = phases == null || phases.isEmpty() ? List.of(Phase.values()) : phases;
        if (out == null) {
            out =
                    Path.of(
                            "loadtest",
                            "target",
                            "fleet-"
                                    + LocalDateTime.now()
                                            .format(
                                                    DateTimeFormatter.ofPattern(
                                                            "yyyyMMdd-HHmmss")));
        }
        Files.createDirectories(out);
        Map<String, String> settings =
                Map.of("FEDPLANE_HEARTBEAT_INTERVAL", heartbeat, "FEDPLANE_LOST_AFTER", lostAfter);
        long start = System.nanoTime();
        ScheduledExecutorService scheduler =
                Executors.newScheduledThreadPool(4, daemon("fleet-beats"));
        ExecutorService registrars = Executors.newFixedThreadPool(32, daemon("fleet-register"));
        result.put("config", config());
        try (ManagedControlPlane cp =
                new ManagedControlPlane(
                        jar, out, dbUrl, List.of("-Xmx" + heap, "-XX:+UseG1GC"), settings)) {
            cp.start(Duration.ofSeconds(120));
            ManagedChannel channel =
                    NettyChannelBuilder.forTarget(cp.target()).usePlaintext().build();
            MetricsSampler metrics = new MetricsSampler(cp.metricsUri(), start);
            metrics.start(scheduler);
            Fleet fleet = new Fleet(channel, scheduler);
            Map<String, Integer> expected = new ConcurrentHashMap<>();
            try {
                register(cp, channel, fleet, registrars, expected);
                if (run.contains(Phase.steady)) {
                    steady(fleet);
                }
                if (run.contains(Phase.writes)) {
                    writes(cp, channel, fleet, expected, start);
                }
                if (run.contains(Phase.storm)) {
                    storm(fleet, expected);
                }
                if (run.contains(Phase.restart)) {
                    restart(cp, fleet, expected);
                }
                if (run.contains(Phase.loss)) {
                    loss(fleet, expected);
                }
            } finally {
                metrics.stop();
                fleet.agents.values().forEach(SimAgent::kill);
                channel.shutdownNow();
                result.put("controlPlane", metrics.snapshot());
                result.put("streamErrors", fleet.streamErrors.get());
                result.put("reconnects", fleet.reconnects.get());
            }
        } finally {
            registrars.shutdownNow();
            scheduler.shutdownNow();
        }
        result.put("internalAnswers", internalAnswers.get());
        result.put("failures", failures);
        result.put("seconds", (System.nanoTime() - start) / 1e9);
        FleetReport.write(out, result);
        System.out.print(FleetReport.summary(result));
        System.out.println(
                "report: "
                        + out.resolve("report.html")
                        + "  result: "
                        + out.resolve("result.json"));
        return failures.isEmpty() && internalAnswers.get() == 0 ? 0 : 1;
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("agents", agents);
        c.put("apps", apps);
        c.put("replicas", replicas);
        c.put("writers", writers);
        c.put("rate", rate);
        c.put("steadySeconds", steadySeconds);
        c.put("writeSeconds", writeSeconds);
        c.put("lossPercent", lossPercent);
        c.put("heartbeat", heartbeat);
        c.put("lostAfter", lostAfter);
        c.put("store", dbUrl == null ? "h2" : dbUrl.replaceAll("//[^/]*@", "//"));
        c.put("cpuCount", Runtime.getRuntime().availableProcessors());
        return c;
    }

    // ------------------------------------------------------------------ phases

    /**
     * Registers and connects every agent, then creates the apps and waits until they are placed and
     * acknowledged.
     */
    private void register(
            ManagedControlPlane cp,
            ManagedChannel channel,
            Fleet fleet,
            ExecutorService registrars,
            Map<String, Integer> expected)
            throws Exception {
        String boot =
                ControlPlaneOptions.withBearer(TokenServiceGrpc.newBlockingStub(channel), cp.token)
                        .createToken(
                                CreateTokenRequest.newBuilder()
                                        .setKind(TokenKind.BOOTSTRAP)
                                        .setMaxUses(agents)
                                        .setTtlSeconds(3600)
                                        .setDescription("fleet load test")
                                        .build())
                        .getSecret();
        long t0 = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            SimAgent a =
                    fleet.add(
                            String.format(Locale.ROOT, "load-%05d", i),
                            Map.of(
                                    "region",
                                    "r" + (i % 4),
                                    "idc",
                                    "idc-" + (i % 40),
                                    "tier",
                                    "idc"));
            done.add(
                    registrars.submit(
                            () -> {
                                a.register(boot);
                                a.connect();
                                return null;
                            }));
        }
        for (Future<?> f : done) {
            f.get(phaseTimeout, TimeUnit.SECONDS);
        }
        double registerSeconds = (System.nanoTime() - t0) / 1e9;
        long connected = fleet.awaitAllConnected(deadline());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("agents", agents);
        r.put("registerSeconds", registerSeconds);
        r.put("registrationsPerSecond", agents / registerSeconds);
        r.put("allConnectedSeconds", connected < 0 ? null : (connected - t0) / 1e9);
        check(connected >= 0, "register: not every agent has its stream open");

        var tenants =
                ControlPlaneOptions.withBearer(
                        TenantServiceGrpc.newBlockingStub(channel), cp.token);
        tenants.createTenant(
                CreateTenantRequest.newBuilder()
                        .setTenant(Tenant.newBuilder().setName("load"))
                        .build());
        var appsStub =
                ControlPlaneOptions.withBearer(AppServiceGrpc.newBlockingStub(channel), cp.token);
        long a0 = System.nanoTime();
        for (int k = 0; k < apps; k++) {
            appsStub.createApp(
                    CreateAppRequest.newBuilder()
                            .setApp(
                                    App.newBuilder()
                                            .setTenant("load")
                                            .setName("app-" + k)
                                            .setSpec(spec(replicas)))
                            .build());
            expected.put("load/app-" + k, replicas);
        }
        long placed = fleet.awaitTotals(expected, deadline());
        r.put("apps", apps);
        r.put("appsPlacedSeconds", placed < 0 ? null : (placed - a0) / 1e9);
        check(placed >= 0, "register: the initial apps were not all acknowledged");
        result.put("register", r);
        System.out.printf(
                Locale.ROOT,
                "registered %d agents in %.1f s (%.0f/s); %d apps placed%n",
                agents,
                registerSeconds,
                agents / registerSeconds,
                apps);
    }

    private void steady(Fleet fleet) throws InterruptedException {
        long acks = ackCount(fleet);
        TimeUnit.SECONDS.sleep(steadySeconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", steadySeconds);
        r.put("acksDuringSteadyState", ackCount(fleet) - acks);
        r.put("streamErrors", fleet.streamErrors.get());
        check(
                fleet.live().stream().allMatch(SimAgent::connected),
                "steady: an agent lost its stream");
        result.put("steady", r);
    }

    private static long ackCount(Fleet fleet) {
        long n = 0;
        for (SimAgent a : fleet.agents.values()) {
            n += a.acks.get();
        }
        return n;
    }

    /** One write to converge: the app, its expected total, when the call returned. */
    private record Pending(String key, int replicas, long returnedNanos) {}

    /**
     * Open-loop writes: every fifth a CreateApp of a new app, the others a ScaleApp of the initial
     * apps in turn (between replicas and replicas + 2). Convergence of each is watched until every
     * agent acknowledged it; a write superseded by a later one to the same app before it converged
     * is not counted.
     */
    private void writes(
            ManagedControlPlane cp,
            ManagedChannel channel,
            Fleet fleet,
            Map<String, Integer> expected,
            long runStart)
            throws Exception {
        var appsStub =
                ControlPlaneOptions.withBearer(AppServiceGrpc.newFutureStub(channel), cp.token);
        Map<String, Histogram> latency = new ConcurrentHashMap<>();
        List<double[]> overTime = Collections.synchronizedList(new ArrayList<>());
        Map<String, Pending> pending = new ConcurrentHashMap<>();
        Histogram convergence = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        AtomicLong superseded = new AtomicLong();
        AtomicLong created = new AtomicLong();
        String[] ops = new String[(int) Math.ceil(rate * writeSeconds) + 1];
        int[] target = new int[ops.length];
        String[] key = new String[ops.length];
        for (int i = 0; i < ops.length; i++) {
            if (i % 5 == 4) {
                ops[i] = "CreateApp";
                key[i] = "load/new-" + i;
                target[i] = replicas;
            } else {
                ops[i] = "ScaleApp";
                int j = i - i / 5; // the j-th scale: app j % apps, its (j / apps)-th write
                key[i] = "load/app-" + (j % Math.max(1, apps));
                target[i] = replicas + 1 + (j / Math.max(1, apps)) % 2; // always a change
            }
        }
        Runnable sweep =
                () -> {
                    for (Pending p : pending.values()) {
                        if (fleet.replicasOf(p.key) == p.replicas && pending.remove(p.key, p)) {
                            long at = fleet.changedAt(p.key);
                            synchronized (convergence) {
                                convergence.recordValue(Math.max(0, at - p.returnedNanos));
                            }
                        }
                    }
                };
        Thread watcher =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                sweep.run();
                                try {
                                    Thread.sleep(1);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        },
                        "fleet-convergence");
        watcher.setDaemon(true);
        watcher.start();
        OpenLoop.Result all =
                OpenLoop.run(
                        "writes",
                        rate,
                        Duration.ofSeconds(writeSeconds),
                        writers,
                        i -> {
                            int n = (int) i;
                            ListenableFuture<?> f;
                            if (ops[n].equals("CreateApp")) {
                                f =
                                        appsStub.createApp(
                                                CreateAppRequest.newBuilder()
                                                        .setApp(
                                                                App.newBuilder()
                                                                        .setTenant("load")
                                                                        .setName(
                                                                                key[n].substring(
                                                                                        "load/"
                                                                                                .length()))
                                                                        .setSpec(spec(target[n])))
                                                        .build());
                            } else {
                                f =
                                        appsStub.scaleApp(
                                                ScaleAppRequest.newBuilder()
                                                        .setTenant("load")
                                                        .setName(key[n].substring("load/".length()))
                                                        .setReplicas(target[n])
                                                        .build());
                            }
                            return f;
                        },
                        (i, due, end, failure) -> {
                            int n = (int) i;
                            latency.computeIfAbsent(
                                    ops[n], op -> new Histogram(TimeUnit.MINUTES.toNanos(1), 3));
                            Histogram h = latency.get(ops[n]);
                            synchronized (h) {
                                h.recordValue(Math.max(1, end - due));
                            }
                            overTime.add(
                                    new double[] {
                                        (end - runStart) / 1e9,
                                        (end - due) / 1e6,
                                        ops[n].equals("CreateApp") ? 1 : 0
                                    });
                            if (failure != null) {
                                Status s = Status.fromThrowable(failure);
                                if (s.getCode() == Status.Code.INTERNAL) {
                                    internalAnswers.incrementAndGet();
                                }
                                failures.add(
                                        "writes: "
                                                + ops[n]
                                                + " "
                                                + key[n]
                                                + ": "
                                                + s.getCode()
                                                + " "
                                                + s.getDescription());
                                return;
                            }
                            if (ops[n].equals("CreateApp")) {
                                created.incrementAndGet();
                            }
                            expected.put(key[n], target[n]);
                            Pending before =
                                    pending.put(key[n], new Pending(key[n], target[n], end));
                            if (before != null) {
                                superseded.incrementAndGet();
                            }
                        });
        long last = fleet.awaitTotals(expected, deadline());
        watcher.interrupt();
        watcher.join(1000);
        sweep.run(); // what converged after the watcher's last pass
        check(last >= 0, "writes: not every write converged");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("sent", all.sent());
        r.put("failed", all.failed());
        r.put("achievedRate", all.achievedRate());
        Map<String, Object> perMethod = new LinkedHashMap<>();
        latency.forEach((op, h) -> perMethod.put(op, FleetReport.percentiles(h)));
        r.put("latency", perMethod);
        synchronized (convergence) {
            r.put("convergence", FleetReport.percentiles(convergence));
        }
        r.put("supersededBeforeConverging", superseded.get());
        r.put("notConverged", pending.size());
        r.put("latencyOverTime", overTime);
        result.put("writes", r);
    }

    /**
     * Every agent drops its stream at once and comes back as a restarted agent process (hello with
     * nothing applied), so the control plane sends each its full state: the heaviest reconnect.
     */
    private void storm(Fleet fleet, Map<String, Integer> expected) throws InterruptedException {
        List<String> holders = withWorkloads(fleet);
        long t0 = System.nanoTime();
        for (SimAgent a : fleet.live()) {
            a.drop();
        }
        for (SimAgent a : fleet.live()) {
            a.connect(true);
        }
        long resynced = fleet.awaitResynced(holders, t0, deadline());
        Histogram perAgent = new Histogram(TimeUnit.MINUTES.toNanos(10), 3);
        for (SimAgent a : fleet.live()) {
            Long at = fleet.fullAckedAt.get(a.name);
            if (at != null && at >= t0) {
                perAgent.recordValue(at - t0);
            }
        }
        check(resynced >= 0, "storm: not every agent reconnected and acknowledged a full state");
        check(
                fleet.awaitTotals(expected, deadline()) >= 0,
                "storm: placements changed by the storm");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("agents", fleet.live().size());
        r.put("allResyncedSeconds", resynced < 0 ? null : (resynced - t0) / 1e9);
        r.put("reconnectToFullAck", FleetReport.percentiles(perAgent));
        result.put("storm", r);
    }

    /**
     * The control plane is killed and started again; agents come back by themselves; everything is
     * resynced.
     */
    private void restart(ManagedControlPlane cp, Fleet fleet, Map<String, Integer> expected)
            throws Exception {
        cp.kill();
        long down = System.nanoTime();
        cp.start(Duration.ofSeconds(120));
        long up = System.nanoTime();
        // Agents come back by themselves (backoff) with what they applied: the control plane
        // resends only what changed, so "resynced" is every stream open again and every app's
        // acknowledged total as before.
        long resynced = fleet.awaitAllConnected(deadline());
        long placed = fleet.awaitTotals(expected, deadline());
        resynced = resynced < 0 || placed < 0 ? -1 : Math.max(resynced, System.nanoTime());
        check(resynced >= 0, "restart: not every agent reconnected with its workloads intact");
        check(placed >= 0, "restart: placements differ after the restart");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("startSeconds", (up - down) / 1e9);
        r.put("resyncedAfterStartSeconds", resynced < 0 ? null : (resynced - up) / 1e9);
        r.put("apps", expected.size());
        r.put("agents", fleet.live().size());
        result.put("restart", r);
    }

    /** A share of the clusters is lost at once; their replicas must be acknowledged elsewhere. */
    private void loss(Fleet fleet, Map<String, Integer> expected) throws InterruptedException {
        List<SimAgent> live = new ArrayList<>(fleet.live());
        live.sort((x, y) -> x.name.compareTo(y.name));
        int count = Math.max(1, live.size() * lossPercent / 100);
        long lastBeat = 0;
        int moved = 0;
        for (int k = 0; k < count; k++) {
            SimAgent victim = live.get((int) ((long) k * live.size() / count));
            moved += victim.total();
            lastBeat = Math.max(lastBeat, victim.lastBeatNanos);
            fleet.kill(victim);
        }
        long graceExpired = lastBeat + parseSeconds(lostAfter) * 1_000_000_000L;
        long placed = fleet.awaitTotals(expected, graceExpired + deadlineSpan());
        check(placed >= 0, "loss: the lost clusters' replicas were not all acknowledged elsewhere");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("lost", count);
        r.put("replicasMoved", moved);
        r.put(
                "ackedElsewhereAfterGraceSeconds",
                placed < 0 ? null : Math.max(0, placed - graceExpired) / 1e9);
        result.put("loss", r);
    }

    // ------------------------------------------------------------------ helpers

    private static List<String> withWorkloads(Fleet fleet) {
        List<String> names = new ArrayList<>();
        for (SimAgent a : fleet.live()) {
            if (a.total() > 0) {
                names.add(a.name);
            }
        }
        return names;
    }

    private void check(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
            System.out.println("FAILED: " + failure);
        }
    }

    private long deadline() {
        return System.nanoTime() + deadlineSpan();
    }

    private long deadlineSpan() {
        return TimeUnit.SECONDS.toNanos(phaseTimeout);
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    /**
     * Refuses bad options before anything starts, naming the option (picocli prints it, exit 2).
     */
    private void validate() {
        CommandLine cl = spec.commandLine();
        if (agents < 1) {
            throw new CommandLine.ParameterException(
                    cl, "--agents must be at least 1 (got " + agents + ")");
        }
        if (apps < 1 || replicas < 1) {
            throw new CommandLine.ParameterException(
                    cl, "--apps and --replicas must be at least 1");
        }
        if (!(rate > 0)
                || writers < 1
                || writeSeconds < 1
                || steadySeconds < 0
                || phaseTimeout < 1) {
            throw new CommandLine.ParameterException(
                    cl,
                    "--rate, --writers, --write-seconds and --phase-timeout must be positive, --steady not negative");
        }
        if (lossPercent < 1 || lossPercent > 100) {
            throw new CommandLine.ParameterException(
                    cl, "--loss-percent must be between 1 and 100 (got " + lossPercent + ")");
        }
        for (String[] d :
                new String[][] {{"--heartbeat", heartbeat}, {"--lost-after", lostAfter}}) {
            try {
                if (parseSeconds(d[1]) < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new CommandLine.ParameterException(
                        cl,
                        d[0] + " must be a duration such as 10s, 500ms or 1m (got '" + d[1] + "')");
            }
        }
        if (!java.nio.file.Files.isRegularFile(jar)) {
            throw new CommandLine.ParameterException(
                    cl,
                    "--control-plane-jar: no such file "
                            + jar
                            + " (build it: ./mvnw -pl control-plane -am package -DskipTests)");
        }
    }

    /**
     * Whole seconds of a duration written as the control plane takes it ({@code 10s}, {@code
     * 500ms}, {@code 1m}).
     */
    static long parseSeconds(String duration) {
        String d = duration.trim();
        if (d.endsWith("ms")) {
            return Math.max(1, Long.parseLong(d.substring(0, d.length() - 2)) / 1000);
        }
        if (d.endsWith("s")) {
            return Long.parseLong(d.substring(0, d.length() - 1));
        }
        if (d.endsWith("m")) {
            return Long.parseLong(d.substring(0, d.length() - 1)) * 60;
        }
        return Long.parseLong(d);
    }

    static AppSpec spec(int replicas) {
        return AppSpec.newBuilder()
                .setImage("registry.example/load:1")
                .setReplicas(replicas)
                .setResources(Resources.newBuilder().setCpuMillis(100).setMemoryMib(128))
                .setPlacement(
                        PlacementPolicy.newBuilder()
                                .setReplicaScheduling(
                                        ReplicaScheduling.newBuilder()
                                                .setType(ReplicaScheduling.Type.DIVIDED)
                                                .setDivision(
                                                        ReplicaScheduling.Division.STATIC_WEIGHTS)))
                .build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
