package dev.notebench.magics.builtin;

import dev.notebench.magics.MagicDoc;
import dev.notebench.magics.host.KernelMagicsProvider;
import dev.notebench.magics.host.KernelContext;
import dev.notebench.magics.maven.ArtifactResolver;
import dev.notebench.magics.maven.Repository;
import io.github.spencerpark.jupyter.kernel.magic.registry.LineMagic;
import io.github.spencerpark.jupyter.kernel.magic.registry.MagicsArgs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code %maven} and {@code %mavenRepo}, as in IJava: resolve artifacts with their runtime
 * dependencies from the local repository and the configured remote ones, and add the jars to the
 * classpath of later cells.
 */
public final class MavenMagics implements AutoCloseable {
    static final String MAVEN_USAGE = "%maven GROUP:ARTIFACT[:EXTENSION[:CLASSIFIER]]:VERSION... [--repo URL]... [--offline] [--verbose]";
    /** How many skipped or conflicting jars the summary names before "and N more". */
    private static final int NAMED = 5;
    static final String REPO_USAGE = "%mavenRepo ID URL";

    private static final MagicSyntax MAVEN = MagicSyntax.of("%maven", MAVEN_USAGE,
            MagicsArgs.builder().varargs("coordinates").keyword("repo").flag("offline", 'o', "true")
                    .flag("verbose", 'v', "true").onlyKnownKeywords().onlyKnownFlags().build()).withSwitches("offline", "verbose");
    private static final MagicSyntax REPO = MagicSyntax.of("%mavenRepo", REPO_USAGE,
            MagicsArgs.builder().required("id").required("url").onlyKnownKeywords().onlyKnownFlags().build());

    private final KernelContext context;
    private final List<Repository> repositories = new ArrayList<>(List.of(Repository.CENTRAL));
    private ArtifactResolver online;
    private ArtifactResolver offline;

    /**
     * Creates the magics; the resolver starts on first use.
     *
     * @param context the kernel
     */
    public MavenMagics(KernelContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * Resolves artifacts and adds their jars.
     *
     * @param args coordinates, {@code --repo URL}, {@code --offline}, {@code --verbose} (list every jar added)
     * @return the absolute paths of the jars added
     */
    @LineMagic
    @MagicDoc(usage = MAVEN_USAGE,
            summary = "Resolves Maven artifacts with all their runtime dependencies, from the local repository "
                    + "(~/.m2/repository) and Maven Central plus any repository added with %mavenRepo or --repo, "
                    + "through the mirrors of ~/.m2/settings.xml, "
                    + "and adds the jars to the classpath of the cells that follow. Jars already on the classpath "
                    + "are skipped. Prints one line: what was resolved, how many jars were added and their size, the "
                    + "jars skipped and those whose other version is already on the classpath; --verbose (-v) lists "
                    + "every jar added. --offline uses the local repository only.",
            example = "%maven org.apache.commons:commons-math3:3.6.1")
    public List<String> maven(List<String> args) {
        MagicSyntax.Arguments a = MAVEN.parse(args);
        List<String> coordinates = a.all("coordinates");
        if (coordinates.isEmpty()) {
            throw MAVEN.error("give at least one GROUP:ARTIFACT:VERSION");
        }
        for (String c : coordinates) {
            String problem = ArtifactResolver.checkCoordinates(c);
            if (problem != null) {
                throw MAVEN.error(problem);
            }
        }
        List<Repository> repos = new ArrayList<>(repositories());
        int n = 0;
        for (String url : a.all("repo")) {
            repos.add(new Repository("repo-" + (++n), url));
        }
        List<Path> jars = resolver(a.has("offline")).resolve(coordinates, repos);

        Set<String> present = new HashSet<>();
        for (Path p : context.classpath()) {
            present.add(p.getFileName().toString());
        }
        Set<String> before = Set.copyOf(present);
        List<String> added = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        List<String> conflicts = new ArrayList<>();
        long bytes = 0;
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            if (present.add(name)) {
                context.addToClasspath(jar);
                added.add(jar.toString());
                bytes += sizeOf(jar);
                String other = otherVersion(jar, before);
                if (other != null) {
                    conflicts.add(name + " (beside " + other + ")");
                }
            } else {
                skipped.add(name);
            }
        }
        context.display().show(summary(coordinates, added, bytes, skipped, conflicts, a.has("verbose")));
        return added;
    }

    /**
     * One line for the notebook (a Spark session brings ~160 jars): what was resolved, what was
     * added, what was skipped and what now sits beside another version of itself; the jars one by
     * one only when asked.
     */
    static String summary(List<String> coordinates, List<String> added, long bytes, List<String> skipped,
            List<String> conflicts, boolean verbose) {
        StringBuilder msg = new StringBuilder("Resolved ").append(String.join(", ", coordinates)).append(": ");
        msg.append(added.isEmpty() ? "nothing new to add" : "added " + jars(added.size()) + " (" + size(bytes) + ")");
        if (!skipped.isEmpty()) {
            msg.append("; ").append(skipped.size()).append(" already on the classpath: ").append(named(skipped));
        }
        if (!conflicts.isEmpty()) {
            msg.append("; another version already on the classpath: ").append(named(conflicts));
        }
        msg.append('.');
        if (verbose) {
            for (String p : added) {
                msg.append("\n  ").append(Path.of(p).getFileName());
            }
        } else if (added.size() > 1) {
            msg.append(" (--verbose lists them)");
        }
        return msg.toString();
    }

    private static String jars(int n) {
        return n + (n == 1 ? " jar" : " jars");
    }

    private static String named(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(NAMED, names.size())));
        return names.size() > NAMED ? shown + " and " + (names.size() - NAMED) + " more" : shown;
    }

    private static String size(long bytes) {
        long mb = 1024 * 1024;
        return bytes >= mb ? Math.round((double) bytes / mb) + " MB" : Math.max(1, (bytes + 1023) / 1024) + " KB";
    }

    private static long sizeOf(Path jar) {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            // the size is only reported; the jar itself was just resolved
            return 0;
        }
    }

    /**
     * The name of a jar on the classpath that holds another version of this artifact, or null.
     * Resolved jars lie in the repository layout {@code .../ARTIFACT/VERSION/ARTIFACT-VERSION.jar};
     * a classpath jar is taken to be {@code ARTIFACT-VERSION.jar}.
     */
    private static String otherVersion(Path jar, Set<String> classpath) {
        Path versionDir = jar.getParent();
        Path artifactDir = versionDir == null ? null : versionDir.getParent();
        if (artifactDir == null || artifactDir.getFileName() == null) {
            return null;
        }
        String prefix = artifactDir.getFileName() + "-";
        for (String name : classpath) {
            if (name.startsWith(prefix) && name.endsWith(".jar") && name.length() > prefix.length()
                    && Character.isDigit(name.charAt(prefix.length())) && !name.equals(jar.getFileName().toString())) {
                return name;
            }
        }
        return null;
    }

    /**
     * Adds a remote repository for the rest of the session.
     *
     * @param args the repository id and URL
     */
    @LineMagic
    @MagicDoc(usage = REPO_USAGE,
            summary = "Adds a remote Maven repository that %maven searches, after Maven Central, for the rest "
                    + "of this session. Adding an id again replaces its URL.",
            example = "%mavenRepo jitpack https://jitpack.io")
    public void mavenRepo(List<String> args) {
        MagicSyntax.Arguments a = REPO.parse(args);
        Repository repo;
        try {
            repo = new Repository(a.get("id", ""), a.get("url", ""));
        } catch (RuntimeException e) {
            throw REPO.error(e.getMessage());
        }
        synchronized (this) {
            repositories.removeIf(r -> r.id().equals(repo.id()));
            repositories.add(repo);
        }
        context.display().show("Added Maven repository " + repo);
    }

    /** Returns the remote repositories searched, in order. */
    public synchronized List<Repository> repositories() {
        return List.copyOf(repositories);
    }

    private synchronized ArtifactResolver resolver(boolean offlineOnly) {
        if (offlineOnly) {
            if (offline == null) {
                offline = ArtifactResolver.builder().offline(true).build();
            }
            return offline;
        }
        if (online == null) {
            online = ArtifactResolver.builder().build();
        }
        return online;
    }

    /** Shuts the resolvers down. */
    @Override
    public synchronized void close() {
        if (online != null) {
            online.close();
            online = null;
        }
        if (offline != null) {
            offline.close();
            offline = null;
        }
    }

    /** Finds {@link MavenMagics} by {@link java.util.ServiceLoader}. */
    public static final class Provider implements KernelMagicsProvider {
        /** Creates the provider. */
        public Provider() {
        }

        @Override
        public Object create(KernelContext context) {
            return new MavenMagics(context);
        }
    }
}
