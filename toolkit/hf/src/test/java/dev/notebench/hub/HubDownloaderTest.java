package dev.notebench.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import dev.notebench.safetensors.PythonReference;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a fake hub on loopback into a cache Python's huggingface_hub reads. */
class HubDownloaderTest {
    private static final String TOKEN = "hf_fakeTokenForTests0123456789abcdef";

    @TempDir
    Path cache;

    private FakeHub hub;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubSettings.Builder settings() {
        return HubSettings.builder(cache).endpoint(hub.endpoint()).timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    private Path repo() {
        return cache.resolve("models--fake-org--tiny-model");
    }

    @Test
    void downloadIsLaidOutAsHuggingfaceHubLaysItAndPythonFindsItOffline() throws Exception {
        hub.requiredToken = TOKEN;
        Path snapshot = new HubDownloader(settings().token(TOKEN).build()).download(RepoRef.parse(FakeHub.REPO), Progress.NONE);

        assertEquals(repo().resolve("snapshots/" + FakeHub.COMMIT), snapshot);
        assertEquals(FakeHub.COMMIT, Files.readString(repo().resolve("refs/main")));
        for (String f : List.of("config.json", "tokenizer.json", "model.safetensors")) {
            Path entry = snapshot.resolve(f);
            assertTrue(Files.isSymbolicLink(entry), f);
            assertEquals(Path.of("../../blobs/" + hub.etag(f)), Files.readSymbolicLink(entry), f);
            assertArrayEquals(hub.files.get(f), Files.readAllBytes(entry), f);
        }
        try (var listing = Files.list(snapshot)) {
            assertEquals(List.of("config.json", "model.safetensors", "tokenizer.json"),
                    listing.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertTrue(hub.seen.stream().allMatch(s -> ("Bearer " + TOKEN).equals(s.authorization())));
        assertTrue(HfCache.hasModel(snapshot));

        JsonObject python = JsonParser.parseString(PythonReference.run("hub_ref.py", Map.of("HF_HUB_OFFLINE", "1"), "find",
                cache.toString(), FakeHub.REPO)).getAsJsonObject();
        assertEquals(snapshot.toString(), python.get("snapshot").getAsString());
        assertEquals(new String(hub.files.get("config.json")), python.get("config").getAsString());
        assertEquals("[]", python.get("warnings").toString());
        assertEquals("[\"config.json\",\"model.safetensors\",\"tokenizer.json\"]", python.get("files").toString());
        assertEquals("[\"main\"]", python.get("refs").toString());
    }

    @Test
    void connectionCutMidFileIsResumedWithRangeToTheSameBytes() throws Exception {
        hub.cutAfter = 1200;
        HubDownloader once = new HubDownloader(settings().retries(0).build());
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> once.download(RepoRef.parse(FakeHub.REPO), Progress.NONE));
        assertEquals(ErrorCode.PROVIDER_FAILED, e.code());
        String etag = hub.etag("model.safetensors");
        assertTrue(e.getMessage().startsWith("downloading model.safetensors of fake-org/tiny-model stopped after 1200 of 5000"
                + " bytes ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("); run again to resume from there"), e.getMessage());
        assertEquals(1200, Files.size(repo().resolve("blobs/" + etag + ".incomplete")));
        assertFalse(Files.exists(repo().resolve("refs/main")));

        hub.seen.clear();
        Path snapshot = once.download(RepoRef.parse(FakeHub.REPO), Progress.NONE);
        assertArrayEquals(hub.files.get("model.safetensors"), Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertEquals(List.of("bytes=1200-"), hub.seen.stream().filter(s -> s.method().equals("GET") && s.range() != null)
                .map(FakeHub.Seen::range).toList());
        assertFalse(Files.exists(repo().resolve("blobs/" + etag + ".incomplete")));
        // config.json and tokenizer.json were complete before the cut: not fetched again
        assertEquals(1, hub.seen.stream().filter(s -> s.method().equals("GET") && s.path().contains("/resolve/")).count());
    }

    @Test
    void cutWithinOneCallIsRetriedFromWhereItStopped() throws Exception {
        hub.cutAfter = 3000;
        Path snapshot = new HubDownloader(settings().build()).download(RepoRef.parse(FakeHub.REPO), Progress.NONE);
        assertArrayEquals(hub.files.get("model.safetensors"), Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertEquals(List.of("bytes=3000-"), hub.seen.stream().map(FakeHub.Seen::range).filter(r -> r != null).toList());
    }

    @Test
    void refusalsNameTheModelAndWhatToDoAndNeverTheToken() {
        hub.requiredToken = "hf_theRightTokenIsAnotherOne123456";
        HubDownloader wrongToken = new HubDownloader(settings().token(TOKEN).build());
        NotebenchException e401 = assertThrows(NotebenchException.class,
                () -> wrongToken.download(RepoRef.parse(FakeHub.REPO), Progress.NONE));
        assertEquals(ErrorCode.ACCESS_DENIED, e401.code());
        assertEquals("the Hugging Face hub refused fake-org/tiny-model with the token given (HTTP 401: {\"error\":\"Invalid"
                + " credentials in Authorization header Bearer [redacted]\"}); it is private or gated: set HF_TOKEN to a token"
                + " that may read it (huggingface-cli login)", e401.getMessage());
        assertFalse(e401.toString().contains(TOKEN));

        hub.requiredToken = null;
        hub.gated = true;
        NotebenchException e403 = assertThrows(NotebenchException.class,
                () -> wrongToken.download(RepoRef.parse(FakeHub.REPO), Progress.NONE));
        assertEquals("the Hugging Face hub refused access to fake-org/tiny-model (HTTP 403: {\"error\":\"Access to model"
                + " fake-org/tiny-model is restricted. You must have access to it.\"}); it is gated: accept its conditions on "
                + hub.endpoint() + "/fake-org/tiny-model with the account whose token HF_TOKEN holds", e403.getMessage());

        hub.gated = false;
        NotebenchException e404 = assertThrows(NotebenchException.class,
                () -> wrongToken.download(RepoRef.parse("fake-org/nothing@v2"), Progress.NONE));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e404.code());
        assertEquals("the Hugging Face hub has no model fake-org/nothing at revision v2 (HTTP 404: {\"error\":\"Repository not"
                + " found\"}); check the name and the revision, or set HF_TOKEN if it is private", e404.getMessage());
        assertTrue(HubSettings.builder(cache).token(TOKEN).build().toString().endsWith("token=set, offline=false]"));
    }

    @Test
    void unreachableAndSilentHubsAreOneErrorNotAHang() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);
        ModelResolver unreachable = new ModelResolver(settings().endpoint(nowhere).build());
        NotebenchException e = assertThrows(NotebenchException.class, () -> unreachable.resolve(FakeHub.REPO, Progress.NONE));
        assertEquals(ErrorCode.PROVIDER_FAILED, e.code());
        assertEquals("model fake-org/tiny-model (revision main) is not in the Hugging Face cache (looked in " + repo()
                + ") and the Hugging Face hub at " + nowhere + " cannot be reached (ConnectException); check the network or"
                + " HF_ENDPOINT, or download it with `huggingface-cli download fake-org/tiny-model` where there is a network",
                e.getMessage());

        hub.silent = true;
        ModelResolver silent = new ModelResolver(settings().timeouts(Duration.ofSeconds(5), Duration.ofMillis(300)).build());
        NotebenchException quiet = assertThrows(NotebenchException.class, () -> silent.resolve(FakeHub.REPO + "@v1", Progress.NONE));
        assertEquals("model fake-org/tiny-model (revision v1) is not in the Hugging Face cache (looked in " + repo()
                + ") and the Hugging Face hub at " + hub.endpoint() + " cannot be reached (no answer for 0 s); check the network"
                + " or HF_ENDPOINT, or download it with `huggingface-cli download fake-org/tiny-model --revision v1` where there"
                + " is a network", quiet.getMessage());
    }

    @Test
    void offlineFindsWhatIsCachedAndOtherwiseSaysHowToGetIt() throws Exception {
        new HubDownloader(settings().build()).download(RepoRef.parse(FakeHub.REPO), Progress.NONE);
        hub.close();
        ModelResolver offline = new ModelResolver(HubSettings.fromEnvironment(Map.of("HF_HUB_CACHE", cache.toString(),
                "HF_HUB_OFFLINE", "1"), Path.of("/nonexistent-home")));
        Path snapshot = repo().resolve("snapshots/" + FakeHub.COMMIT);
        assertEquals(snapshot, offline.resolve(FakeHub.REPO, Progress.NONE));
        assertEquals(snapshot, offline.resolve(FakeHub.REPO + "@" + FakeHub.COMMIT, Progress.NONE));
        // online but the hub is gone: the cache answers without a request
        assertEquals(snapshot, new ModelResolver(settings().build()).resolve(FakeHub.REPO, Progress.NONE));

        NotebenchException e = assertThrows(NotebenchException.class, () -> offline.resolve("other-org/absent", Progress.NONE));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
        assertEquals("model other-org/absent (revision main) is not in the Hugging Face cache (looked in "
                + cache.resolve("models--other-org--absent") + ") and downloads are off (HF_HUB_OFFLINE); download it where"
                + " there is a network with `huggingface-cli download other-org/absent` (into the same cache), or unset"
                + " HF_HUB_OFFLINE", e.getMessage());
    }
}
