package dev.notebench.train;

import ai.djl.engine.Engine;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Library versions and the git commit, for manifests. */
final class Versions {
    private Versions() {
    }

    static Map<String, Object> all() {
        Map<String, Object> v = new LinkedHashMap<>();
        String nb = Versions.class.getPackage().getImplementationVersion();
        v.put("notebench", nb == null ? "dev" : nb);
        v.put("djl", Engine.getDjlVersion());
        v.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        v.put("java", Runtime.version().toString());
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        return v;
    }

    /** The commit of the git checkout the process runs in, if any. */
    static String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : null;
        } catch (Exception e) {
            return null;
        }
    }
}
