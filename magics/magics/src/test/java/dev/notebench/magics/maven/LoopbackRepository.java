package dev.notebench.magics.maven;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A real Maven repository (files in the standard layout) served over real HTTP on loopback, for
 * resolving with Maven Resolver the way it resolves from Central.
 */
public final class LoopbackRepository implements AutoCloseable {
    private final Path root;
    private final HttpServer server;
    public final List<String> requests = new CopyOnWriteArrayList<>();

    public LoopbackRepository(Path root) throws IOException {
        this.root = root;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                exchange.close();
                return;
            }
            byte[] body = Files.readAllBytes(file);
            boolean head = "HEAD".equals(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Publishes group:artifact:version as a jar with a POM that depends on the given coordinates. */
    public void publish(String group, String artifact, String version, String... dependencies) throws IOException {
        publishWithPom(group, artifact, version, "", dependencies);
    }

    /**
     * Publishes group:artifact:version with {@code extraPom} (e.g. a {@code <parent>} or a
     * {@code <dependencyManagement>}) in its POM, before its dependencies.
     */
    public void publishWithPom(String group, String artifact, String version, String extraPom, String... dependencies)
            throws IOException {
        Path dir = root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        String pom = "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>" + extraPom
                + "<groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>" + version
                + "</version><dependencies>" + dependencies(dependencies) + "</dependencies></project>";
        Files.writeString(dir.resolve(artifact + "-" + version + ".pom"), pom, StandardCharsets.UTF_8);
        Manifest mf = new Manifest();
        mf.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(dir.resolve(artifact + "-" + version + ".jar")), mf)) {
            jar.flush();
        }
    }

    /** The {@code <dependency>} elements of group:artifact:version coordinates. */
    public static String dependencies(String... coordinates) {
        StringBuilder deps = new StringBuilder();
        for (String d : coordinates) {
            String[] p = d.split(":");
            deps.append("<dependency><groupId>").append(p[0]).append("</groupId><artifactId>").append(p[1])
                    .append("</artifactId><version>").append(p[2]).append("</version></dependency>");
        }
        return deps.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
