package dev.notebench.magics.maven;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.transfer.ArtifactTransferException;
import org.eclipse.aether.transfer.RepositoryOfflineException;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;

/**
 * Resolves Maven coordinates to jar files with all their runtime dependencies, through a local
 * repository and a list of remote ones (Maven Resolver, the library Maven itself uses).
 *
 * <pre>{@code
 * try (ArtifactResolver resolver = ArtifactResolver.builder().build()) {
 *     List<Path> jars = resolver.resolve(List.of("org.apache.commons:commons-math3:3.6.1"),
 *             List.of(Repository.CENTRAL));
 * }
 * }</pre>
 */
public final class ArtifactResolver implements AutoCloseable {
    private final RepositorySystem system;
    private final DefaultRepositorySystemSession session;
    private final Path localRepository;

    private ArtifactResolver(Builder b) {
        this.localRepository = b.localRepository;
        this.system = new RepositorySystemSupplier().get();
        this.session = MavenRepositorySystemUtils.newSession();
        session.setLocalRepositoryManager(system.newLocalRepositoryManager(session,
                new LocalRepository(localRepository.toFile())));
        session.setOffline(b.offline || b.settings.offline());
        if (!b.settings.mirrors().isEmpty()) {
            DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
            for (MavenSettings.Mirror m : b.settings.mirrors()) {
                mirrors.add(m.id(), m.url(), "default", false, false, m.mirrorOf(), "*");
            }
            session.setMirrorSelector(mirrors);
        }
        // POM profiles activate on java.version, os.name and the like.
        session.setSystemProperties(System.getProperties());
    }

    /**
     * Returns a builder with Maven's local repository ({@code maven.repo.local}, else
     * {@code <localRepository>} of ~/.m2/settings.xml, else ~/.m2/repository) and the mirrors and
     * offline switch of ~/.m2/settings.xml.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns the local repository in use. */
    public Path localRepository() {
        return localRepository;
    }

    /**
     * Checks coordinates without resolving them.
     *
     * @param coordinates {@code group:artifact[:extension[:classifier]]:version}
     * @return {@code null} when valid, else what is wrong
     */
    public static String checkCoordinates(String coordinates) {
        try {
            new DefaultArtifact(coordinates);
            return null;
        } catch (IllegalArgumentException e) {
            return "'" + coordinates + "' is not group:artifact[:extension[:classifier]]:version";
        }
    }

    /**
     * Resolves artifacts and their runtime dependencies, each file once, in resolution order.
     *
     * @param coordinates {@code group:artifact[:extension[:classifier]]:version} each
     * One coordinate is the root of its graph, as Maven's {@code dependency:get} has it: the
     * dependency management of its own POM governs the versions of its whole tree.
     *
     * @param repositories the remote repositories to search, in order
     * @return the resolved files
     * @throws NotebenchException with {@link ErrorCode#DEPENDENCY_MISSING} when something cannot be
     *     resolved, or {@link ErrorCode#CONFIG_INVALID} for malformed coordinates
     */
    public List<Path> resolve(List<String> coordinates, List<Repository> repositories) {
        List<RemoteRepository> remotes = new ArrayList<>();
        for (Repository r : repositories) {
            remotes.add(new RemoteRepository.Builder(r.id(), "default", r.url()).build());
        }
        CollectRequest collect = new CollectRequest();
        for (String c : coordinates) {
            String problem = checkCoordinates(c);
            if (problem != null) {
                throw new NotebenchException(ErrorCode.CONFIG_INVALID, problem);
            }
            collect.addDependency(new Dependency(new DefaultArtifact(c), JavaScopes.RUNTIME));
        }
        if (coordinates.size() == 1) {
            // the artifact as the graph's root, as Maven's dependency:get has it: the dependency management of its POM
            // (a parent's BOM, e.g. Spark's) then governs its whole tree, and a version it overrides is never read
            collect.setRoot(collect.getDependencies().get(0));
            collect.setDependencies(new ArrayList<>());
        }
        collect.setRepositories(system.newResolutionRepositories(session, remotes));
        DependencyRequest request = new DependencyRequest(collect,
                DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
        List<ArtifactResult> results;
        try {
            results = system.resolveDependencies(session, request).getArtifactResults();
        } catch (DependencyResolutionException e) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING,
                    "cannot resolve " + String.join(", ", coordinates) + ": " + why(e)
                            + "; searched " + repositories + (session.isOffline() ? " (offline)" : "")
                            + " and the local repository " + localRepository
                            + (session.isOffline() ? "; resolve it once without --offline (or with the network on) to download it"
                                    : "; check the coordinates, or add the repository that has them with %mavenRepo ID URL"),
                    e);
        }
        Set<Path> files = new LinkedHashSet<>();
        for (ArtifactResult r : results) {
            Artifact a = r.getArtifact();
            if (a != null && a.getFile() != null) {
                files.add(a.getFile().toPath().toAbsolutePath());
            }
        }
        return List.copyOf(files);
    }

    /** What failed: the artifact that could not be had, where one is named, else the innermost message. */
    private static String why(Throwable e) {
        ArtifactTransferException transfer = null;
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArtifactTransferException a) {
                transfer = a;
            }
        }
        if (transfer != null && transfer.getCause() instanceof RepositoryOfflineException) {
            return "the artifact " + transfer.getArtifact() + " was never downloaded from " + transfer.getRepository().getId();
        }
        return transfer != null ? transfer.getMessage().strip() : rootMessage(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.strip();
    }

    /** Releases the resolver's threads and connections. */
    @Override
    public void close() {
        system.shutdown();
    }

    /** Configures an {@link ArtifactResolver}. */
    public static final class Builder {
        private MavenSettings settings = MavenSettings.ofUser(Path.of(System.getProperty("user.home")));
        private Path localRepository = defaultLocalRepository(settings);
        private boolean offline;

        private Builder() {
        }

        /**
         * Uses these settings instead of the user's ~/.m2/settings.xml (also for the local repository).
         *
         * @param settings the settings
         */
        public Builder settings(MavenSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            this.localRepository = defaultLocalRepository(settings);
            return this;
        }

        /**
         * Sets the local repository directory.
         *
         * @param dir the directory (created when missing)
         */
        public Builder localRepository(Path dir) {
            this.localRepository = Objects.requireNonNull(dir, "dir").toAbsolutePath();
            return this;
        }

        /**
         * Resolves from the local repository only.
         *
         * @param offline whether remote repositories are skipped
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** Returns the resolver. */
        public ArtifactResolver build() {
            return new ArtifactResolver(this);
        }

        private static Path defaultLocalRepository(MavenSettings settings) {
            String configured = System.getProperty("maven.repo.local");
            if (configured != null && !configured.isBlank()) {
                return Path.of(configured).toAbsolutePath();
            }
            return settings.localRepository().orElse(Path.of(System.getProperty("user.home"), ".m2", "repository"));
        }
    }
}
