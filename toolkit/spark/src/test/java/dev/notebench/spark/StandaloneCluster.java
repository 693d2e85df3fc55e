package dev.notebench.spark;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.launcher.JavaModuleOptions;

/**
 * A real Spark standalone cluster on loopback for tests: a Master and {@code N} Workers, each its
 * own JVM, each Worker with one core and small memory. The Workers launch executor JVMs the way
 * they would on a cluster, from a {@code SPARK_HOME} laid out under {@code target/}: its
 * {@code jars/} holds links to the jars of the test's class path, and the executors get
 * Notebench's classes (the class directories of the reactor) through
 * {@code spark.executor.extraClassPath}. The test JVM is the driver.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start(2);
 *      SparkSession spark = cluster.session("test").build().open()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Start one per test class: it takes seconds (three JVMs, then two executors per application).
 */
final class StandaloneCluster implements AutoCloseable {
    private static final String HOST = "127.0.0.1";
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";
    private static final Duration START_DEADLINE = Duration.ofMinutes(2);
    // a test machine has few cores: one GC thread and no C2 compiler make these JVMs start sooner
    private static final List<String> SMALL_JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final Pattern ALIVE_WORKERS = Pattern.compile("\"aliveworkers\"\\s*:\\s*(\\d+)");

    private final Path dir;
    private final int masterPort;
    private final int masterWebPort;
    private final String executorClassPath;
    private final List<Process> processes = new ArrayList<>();
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path dir, int masterPort, int masterWebPort, String executorClassPath) {
        this.dir = dir;
        this.masterPort = masterPort;
        this.masterWebPort = masterWebPort;
        this.executorClassPath = executorClassPath;
    }

    /**
     * Starts a Master and {@code workers} Workers (one core each) and returns once the Master has
     * registered them all.
     *
     * @throws IllegalStateException when a JVM exits or the workers do not register in time; the
     *                               message holds the tail of the JVMs' logs
     */
    static StandaloneCluster start(int workers) {
        try {
            Path target = Path.of("target").toAbsolutePath();
            Files.createDirectories(target);
            Path dir = Files.createTempDirectory(target, "standalone-cluster-");
            List<String> jars = new ArrayList<>();
            List<String> classDirs = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(Pattern.quote(File.pathSeparator))) {
                if (entry.isEmpty()) {
                    continue;
                }
                if (Files.isDirectory(Path.of(entry))) {
                    classDirs.add(Path.of(entry).toAbsolutePath().toString());
                } else if (entry.endsWith(".jar")) {
                    jars.add(entry);
                }
            }
            Path sparkHome = layOutSparkHome(dir.resolve("spark-home"), jars);
            StandaloneCluster cluster = new StandaloneCluster(dir, freePort(), freePort(), String.join(File.pathSeparator, classDirs));
            try {
                cluster.launch(sparkHome, "master", "org.apache.spark.deploy.master.Master",
                        "--host", HOST, "--port", String.valueOf(cluster.masterPort), "--webui-port", String.valueOf(cluster.masterWebPort));
                for (int i = 0; i < workers; i++) {
                    Path workDir = Files.createDirectories(dir.resolve("worker-" + i));
                    cluster.workers.add(cluster.launch(sparkHome, "worker-" + i, "org.apache.spark.deploy.worker.Worker",
                            "--host", HOST, "--port", "0", "--webui-port", String.valueOf(freePort()), "--cores", "1", "--memory", "640m",
                            "--work-dir", workDir.toString(), cluster.masterUrl()));
                }
                cluster.awaitWorkers(workers);
                return cluster;
            } catch (RuntimeException | Error e) {
                cluster.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL the driver connects to, {@code spark://127.0.0.1:PORT}. */
    String masterUrl() {
        return "spark://" + HOST + ":" + masterPort;
    }

    /**
     * A session on this cluster: one executor of one core per Worker, the driver on loopback, no
     * UI, few shuffle partitions, the executors given Notebench's classes, and the application's start held until every
     * executor has registered (so that the first job already runs on all of them).
     */
    SparkSessions.Builder session(String appName) {
        return SparkSessions.builder().master(masterUrl()).appName(appName)
                .config("spark.driver.host", HOST)
                .config("spark.driver.bindAddress", HOST)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.warehouse.dir", dir.resolve("warehouse").toString())
                .config("spark.executor.cores", "1")
                .config("spark.executor.memory", "512m")
                .config("spark.cores.max", String.valueOf(workers.size()))
                .config("spark.executor.extraClassPath", executorClassPath)
                .config("spark.executor.extraJavaOptions", String.join(" ", SMALL_JVM))
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .config("spark.scheduler.maxRegisteredResourcesWaitingTime", START_DEADLINE.toSeconds() + "s");
    }

    /** The executor JVMs the Workers run now, by executor id. */
    Map<String, ProcessHandle> executors() {
        Map<String, ProcessHandle> byId = new LinkedHashMap<>();
        for (Process worker : workers) {
            worker.descendants().forEach(p -> executorId(p).ifPresent(id -> byId.put(id, p)));
        }
        return byId;
    }

    /**
     * Kills the JVM of one executor at once (SIGKILL, as a lost machine), and waits until it is gone.
     *
     * @throws IllegalArgumentException when no executor has that id
     */
    void killExecutor(String executorId) {
        ProcessHandle executor = executors().get(executorId);
        if (executor == null) {
            throw new IllegalArgumentException("no executor " + executorId + " is running; there are " + executors().keySet());
        }
        executor.destroyForcibly();
        executor.onExit().join();
    }

    /** Stops every JVM of the cluster (executors, Workers, Master), waits for them and deletes its directory. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes) {
            p.descendants().forEach(all::add);
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            all.add(processes.get(i).toHandle());
        }
        all.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : all) {
            try {
                p.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("process " + p.pid() + " of the test cluster did not exit", e);
            }
        }
        deleteTree(dir);
    }

    private static Path layOutSparkHome(Path sparkHome, List<String> jars) throws IOException {
        Path jarsDir = Files.createDirectories(sparkHome.resolve("jars"));
        for (String jar : jars) {
            Path link = jarsDir.resolve(Path.of(jar).getFileName());
            if (!Files.exists(link)) {
                Files.createSymbolicLink(link, Path.of(jar).toAbsolutePath());
            }
        }
        Files.createDirectories(sparkHome.resolve("conf"));
        return sparkHome;
    }

    private Process launch(Path sparkHome, String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(SMALL_JVM);
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-cp");
        command.add(sparkHome.resolve("jars") + File.separator + "*");
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", HOST);
        pb.environment().remove("SPARK_CONF_DIR");
        pb.environment().remove("SPARK_CLASSPATH");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private void awaitWorkers(int expected) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + masterWebPort + "/json/")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        int alive = 0;
        while (System.nanoTime() < deadline) {
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a JVM of the test cluster exited with " + p.exitValue() + "\n" + logs());
                }
            }
            try {
                String json = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = ALIVE_WORKERS.matcher(json);
                alive = m.find() ? Integer.parseInt(m.group(1)) : 0;
                if (alive >= expected) {
                    return;
                }
            } catch (IOException e) {
                // the Master's web UI is not up yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the test cluster started", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the test cluster started", e);
            }
        }
        throw new IllegalStateException(alive + " of " + expected + " workers registered within " + START_DEADLINE + "\n" + logs());
    }

    private String logs() {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                sb.append("--- ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size()).forEach(l -> sb.append(l).append('\n'));
            }
        } catch (IOException e) {
            sb.append("(logs unreadable: ").append(e).append(")");
        }
        return sb.toString();
    }

    private static Optional<String> executorId(ProcessHandle p) {
        List<String> args = p.info().arguments().map(List::of).orElse(List.of());
        int main = args.indexOf(EXECUTOR_MAIN);
        int id = args.indexOf("--executor-id");
        return main >= 0 && id >= 0 && id + 1 < args.size() ? Optional.of(args.get(id + 1)) : Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the test cluster's directory " + root, e);
        }
    }
}
