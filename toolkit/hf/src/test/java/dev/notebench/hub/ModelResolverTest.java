package dev.notebench.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.progress.Progress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What --model accepts, and where the settings come from, with no network. */
class ModelResolverTest {
    @TempDir
    Path tmp;

    @Test
    void directoryIsUsedAsIsAndAMissingPathIsNotTakenForAnId() throws Exception {
        ModelResolver r = new ModelResolver(HubSettings.builder(tmp.resolve("cache")).offline(true).build());
        Path dir = Files.createDirectories(tmp.resolve("my-model"));
        assertEquals(dir, r.resolve(dir.toString(), Progress.NONE));
        NotebenchException e = assertThrows(NotebenchException.class, () -> r.resolve(tmp + "/gone", Progress.NONE));
        assertEquals(ErrorCode.DATA_NOT_FOUND, e.code());
        assertEquals("model directory " + tmp + "/gone does not exist; give a directory with config.json and model.safetensors,"
                + " or a Hugging Face id such as Qwen/Qwen2.5-0.5B", e.getMessage());
        Path file = Files.writeString(tmp.resolve("model.safetensors"), "not a directory");
        NotebenchException notADirectory = assertThrows(NotebenchException.class, () -> r.resolve(file.toString(), Progress.NONE));
        assertEquals(ErrorCode.DATA_INVALID, notADirectory.code());
        assertEquals(file + " is a file, not a model directory; give the directory that holds config.json and model.safetensors,"
                + " or a Hugging Face id such as Qwen/Qwen2.5-0.5B", notADirectory.getMessage());
        NotebenchException bad = assertThrows(NotebenchException.class, () -> r.resolve("a b", Progress.NONE));
        assertEquals(ErrorCode.CONFIG_INVALID, bad.code());
    }

    @Test
    void settingsFollowHuggingfaceHubsEnvironment() throws Exception {
        Path home = tmp.resolve("home");
        HubSettings plain = HubSettings.fromEnvironment(Map.of(), home);
        assertEquals(home.resolve(".cache/huggingface/hub"), plain.cacheDir());
        assertEquals(URI.create("https://huggingface.co"), plain.endpoint());
        assertEquals(false, plain.offline());
        assertEquals(true, plain.token().isEmpty());
        HubSettings hfHome = HubSettings.fromEnvironment(Map.of("HF_HOME", "/data/hf", "HF_HUB_OFFLINE", "true",
                "HF_ENDPOINT", "http://mirror.local:8080/", "HF_TOKEN", "hf_x"), home);
        assertEquals(Path.of("/data/hf/hub"), hfHome.cacheDir());
        assertEquals(URI.create("http://mirror.local:8080"), hfHome.endpoint());
        assertEquals(true, hfHome.offline());
        assertEquals("hf_x", hfHome.token().orElseThrow());
        assertEquals(Path.of("/c"), HubSettings.fromEnvironment(Map.of("HF_HOME", "/data/hf", "HF_HUB_CACHE", "/c"), home).cacheDir());
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_fromLogin\n");
        assertEquals("hf_fromLogin", HubSettings.fromEnvironment(Map.of(), home).token().orElseThrow());
    }

    @Test
    void revisionIsFoundThroughRefsOrAsACommit() throws Exception {
        HfCache cache = new HfCache(tmp);
        String commit = "89abcdef0123456789abcdef0123456789abcdef";
        Path snapshot = Files.createDirectories(tmp.resolve("models--gpt2/snapshots/" + commit));
        Files.createDirectories(tmp.resolve("models--gpt2/refs"));
        Files.writeString(tmp.resolve("models--gpt2/refs/v1.0"), commit);
        assertEquals(snapshot, cache.snapshot(RepoRef.parse("gpt2@v1.0")).orElseThrow());
        assertEquals(snapshot, cache.snapshot(RepoRef.parse("gpt2@" + commit)).orElseThrow());
        assertEquals(true, cache.snapshot(RepoRef.parse("gpt2")).isEmpty());
        assertEquals(false, HfCache.hasModel(snapshot));
        Files.writeString(snapshot.resolve("config.json"), "{}");
        Files.writeString(snapshot.resolve("model.safetensors.index.json"), "{\"weight_map\": {\"a\": \"model-00001-of-00001.safetensors\"}}");
        assertEquals(false, HfCache.hasModel(snapshot));
        Files.writeString(snapshot.resolve("model-00001-of-00001.safetensors"), "");
        assertEquals(true, HfCache.hasModel(snapshot));
    }
}
