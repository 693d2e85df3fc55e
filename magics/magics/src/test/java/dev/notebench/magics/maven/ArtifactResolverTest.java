package dev.notebench.magics.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactResolverTest {
    @TempDir
    Path tmp;

    @Test
    void resolvesAnArtifactWithItsTransitiveDependenciesOverHttp() throws Exception {
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")));
             ArtifactResolver resolver = ArtifactResolver.builder().localRepository(tmp.resolve("local")).build()) {
            repo.publish("com.example", "lib-c", "1.0");
            repo.publish("com.example", "lib-b", "1.0", "com.example:lib-c:1.0");
            repo.publish("com.example", "lib-a", "2.1", "com.example:lib-b:1.0");

            List<Path> jars = resolver.resolve(List.of("com.example:lib-a:2.1"), List.of(new Repository("loop", repo.url())));

            assertEquals(List.of("lib-a-2.1.jar", "lib-b-1.0.jar", "lib-c-1.0.jar"),
                    jars.stream().map(p -> p.getFileName().toString()).toList());
            for (Path jar : jars) {
                assertTrue(jar.startsWith(tmp.resolve("local")), jar + " is in the local repository");
            }
            assertTrue(repo.requests.contains("GET /com/example/lib-c/1.0/lib-c-1.0.jar"), repo.requests.toString());
        }
    }

    @Test
    void offlineResolutionUsesTheLocalRepositoryOnly() throws Exception {
        Path local = tmp.resolve("local");
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")))) {
            repo.publish("com.example", "solo", "1.0");
            try (ArtifactResolver online = ArtifactResolver.builder().localRepository(local).build()) {
                online.resolve(List.of("com.example:solo:1.0"), List.of(new Repository("loop", repo.url())));
            }
            int before = repo.requests.size();
            try (ArtifactResolver offline = ArtifactResolver.builder().localRepository(local).offline(true).build()) {
                List<Path> jars = offline.resolve(List.of("com.example:solo:1.0"), List.of(new Repository("loop", repo.url())));
                assertEquals("solo-1.0.jar", jars.get(0).getFileName().toString());
            }
            assertEquals(before, repo.requests.size());
        }
    }

    @Test
    void aMissingArtifactIsDependencyMissingNamingTheCoordinatesAndWhatToDo() throws Exception {
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")));
             ArtifactResolver resolver = ArtifactResolver.builder().localRepository(tmp.resolve("local")).build()) {
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> resolver.resolve(List.of("com.example:nope:1.0"), List.of(new Repository("loop", repo.url()))));
            assertEquals(ErrorCode.DEPENDENCY_MISSING, e.code());
            assertTrue(e.getMessage().startsWith("cannot resolve com.example:nope:1.0: "), e.getMessage());
            assertTrue(e.getMessage().endsWith("; check the coordinates, or add the repository that has them with %mavenRepo ID URL"),
                    e.getMessage());
        }
    }

    @Test
    void theArtifactsOwnDependencyManagementGovernsItsTreeSoAVersionItOverridesIsNeverRead() throws Exception {
        // as Spark's POMs pin Jackson above what a transitive dependency asks for, whose own POM names a parent
        // (a BOM) that the local repository need not have: Maven never reads it, neither may %maven
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")));
             ArtifactResolver resolver = ArtifactResolver.builder().localRepository(tmp.resolve("local")).build()) {
            repo.publishWithPom("com.example", "json", "1.0",
                    "<parent><groupId>com.example</groupId><artifactId>gone-bom</artifactId><version>1.0</version></parent>");
            repo.publish("com.example", "json", "2.0");
            repo.publish("com.example", "metrics", "1.0", "com.example:json:1.0");
            repo.publishWithPom("com.example", "engine", "4.0", "<dependencyManagement><dependencies>"
                    + LoopbackRepository.dependencies("com.example:json:2.0") + "</dependencies></dependencyManagement>",
                    "com.example:metrics:1.0");

            List<Path> jars = resolver.resolve(List.of("com.example:engine:4.0"), List.of(new Repository("loop", repo.url())));

            assertEquals(List.of("engine-4.0.jar", "metrics-1.0.jar", "json-2.0.jar"),
                    jars.stream().map(p -> p.getFileName().toString()).toList());
            assertTrue(repo.requests.stream().noneMatch(r -> r.contains("gone-bom") || r.contains("/json/1.0/")), repo.requests.toString());
        }
    }

    @Test
    void offlineAnArtifactNeverDownloadedIsNamedInTheError() throws Exception {
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")));
             ArtifactResolver offline = ArtifactResolver.builder().localRepository(tmp.resolve("local")).offline(true).build()) {
            repo.publish("com.example", "solo", "1.0");
            NotebenchException e = assertThrows(NotebenchException.class,
                    () -> offline.resolve(List.of("com.example:solo:1.0"), List.of(new Repository("loop", repo.url()))));
            assertTrue(e.getMessage().startsWith("cannot resolve com.example:solo:1.0: the artifact com.example:solo:jar:1.0 was never"
                    + " downloaded from loop; searched [loop ("), e.getMessage());
            assertTrue(e.getMessage().endsWith(" (offline) and the local repository " + tmp.resolve("local")
                    + "; resolve it once without --offline (or with the network on) to download it"), e.getMessage());
        }
    }

    @Test
    void mirrorsFromSettingsXmlStandInForCentral() throws Exception {
        Path settingsFile = Files.createDirectories(tmp.resolve("m2")).resolve("settings.xml");
        try (LoopbackRepository repo = new LoopbackRepository(Files.createDirectories(tmp.resolve("remote")))) {
            repo.publish("com.example", "mirrored", "1.0");
            Files.writeString(settingsFile, "<settings xmlns=\"http://maven.apache.org/SETTINGS/1.0.0\">"
                    + "<localRepository>" + tmp.resolve("from-settings") + "</localRepository>"
                    + "<mirrors><mirror><id>corp</id><mirrorOf>central</mirrorOf><url>" + repo.url() + "</url></mirror></mirrors>"
                    + "</settings>");
            MavenSettings settings = MavenSettings.read(settingsFile);
            assertEquals(List.of(new MavenSettings.Mirror("corp", repo.url(), "central")), settings.mirrors());
            try (ArtifactResolver resolver = ArtifactResolver.builder().settings(settings).build()) {
                List<Path> jars = resolver.resolve(List.of("com.example:mirrored:1.0"), List.of(Repository.CENTRAL));
                assertTrue(jars.get(0).startsWith(tmp.resolve("from-settings")), jars.toString());
                assertTrue(repo.requests.contains("GET /com/example/mirrored/1.0/mirrored-1.0.jar"), repo.requests.toString());
            }
        }
    }

    @Test
    void brokenSettingsXmlSaysWhichFileToFix() throws Exception {
        Path bad = Files.writeString(tmp.resolve("settings.xml"), "<settings><mirrors>");
        NotebenchException e = assertThrows(NotebenchException.class, () -> MavenSettings.read(bad));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertTrue(e.getMessage().startsWith("cannot read Maven settings " + bad + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; fix the XML or move the file away"), e.getMessage());
    }

    @Test
    void coordinatesAreCheckedBeforeResolving() {
        assertNull(ArtifactResolver.checkCoordinates("org.example:thing:1.0"));
        assertNull(ArtifactResolver.checkCoordinates("org.example:thing:jar:natives:1.0"));
        assertEquals("'thing' is not group:artifact[:extension[:classifier]]:version", ArtifactResolver.checkCoordinates("thing"));
    }

    @Test
    void repositoriesMustBeHttpOrFileUrls() {
        NotebenchException e = assertThrows(NotebenchException.class, () -> new Repository("x", "ftp://example.com/"));
        assertEquals("repository URL 'ftp://example.com/' is not an http(s) or file URL; give e.g. https://repo.example.com/maven2/",
                e.getMessage());
    }
}
