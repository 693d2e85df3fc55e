package dev.notebench.hub;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.FileErrors;
import dev.notebench.internal.Sha256;
import dev.notebench.progress.Progress;
import dev.notebench.secrets.Secrets;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Downloads a causal LM's files from the hub into the Hugging Face cache, laid out exactly as
 * {@code huggingface_hub} lays them out ({@link HfCache}), so Python finds them too. The file list
 * comes from {@code GET {endpoint}/api/models/{repo}/revision/{rev}}; each file from
 * {@code GET {endpoint}/{repo}/resolve/{commit}/{file}} into {@code blobs/{etag}.incomplete},
 * resumed with a {@code Range} request after a drop or a kill, and checked against its size (and
 * its sha256 for LFS files) before it becomes {@code blobs/{etag}}.
 *
 * <p>The token goes as {@code Authorization: Bearer ...} to the hub's host only, and no message
 * holds it. Progress is reported in bytes.
 *
 * <pre>{@code
 * HubDownloader hub = new HubDownloader(HubSettings.fromEnvironment(env, home));
 * Path snapshot = hub.download(RepoRef.parse("Qwen/Qwen2.5-0.5B"), progress);
 * }</pre>
 */
public final class HubDownloader {
    /** The files a causal LM needs besides its safetensors weights. */
    public static final Set<String> MODEL_FILES = Set.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "model.safetensors.index.json");

    /** Selects {@link #MODEL_FILES} and the top-level {@code *.safetensors} files. */
    public static final Predicate<String> CAUSAL_LM_FILES = f -> MODEL_FILES.contains(f)
            || (f.endsWith(".safetensors") && !f.contains("/"));

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final HubSettings settings;
    private final HfCache cache;
    private final HubHttp http;
    private final Secrets secrets;
    private final Predicate<String> files;

    /**
     * A downloader of {@link #CAUSAL_LM_FILES}.
     *
     * @param settings the cache, endpoint, token and timeouts
     */
    public HubDownloader(HubSettings settings) {
        this(settings, CAUSAL_LM_FILES);
    }

    /**
     * A downloader of the files a predicate selects.
     *
     * @param settings the cache, endpoint, token and timeouts
     * @param files which of the repository's files to fetch (by their path in the repository)
     */
    public HubDownloader(HubSettings settings, Predicate<String> files) {
        this.settings = settings;
        this.cache = new HfCache(settings.cacheDir());
        this.http = new HubHttp(settings);
        this.secrets = settings.token().map(Secrets::of).orElse(Secrets.NONE);
        this.files = files;
    }

    /**
     * Downloads what is missing of a model's files and returns its snapshot directory.
     *
     * @param ref the model and revision
     * @param progress told the bytes to fetch and the bytes fetched
     * @return {@code {cache}/models--org--name/snapshots/{commit}}
     * @throws NotebenchException DATA_NOT_FOUND (no such model or revision, no safetensors weights),
     *     ACCESS_DENIED (401, 403), PROVIDER_FAILED (the hub unreachable, silent, or a download cut
     *     off after its retries: running again resumes it), CONFIG_INVALID when offline
     */
    public Path download(RepoRef ref, Progress progress) {
        if (settings.offline()) {
            throw HubErrors.offline(ref, cache);
        }
        try {
            JsonObject info = apiInfo(ref);
            String commit = info.get("sha").getAsString();
            List<String> wanted = new ArrayList<>();
            for (JsonElement s : info.getAsJsonArray("siblings")) {
                String name = s.getAsJsonObject().get("rfilename").getAsString();
                if (files.test(name)) {
                    wanted.add(name);
                }
            }
            if (wanted.stream().noneMatch(f -> f.endsWith(".safetensors"))) {
                throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "model " + ref.repoId() + " at " + ref.revision()
                        + " has no .safetensors weights on the hub; pick a model published with safetensors, or convert its"
                        + " weights and load the directory");
            }
            Map<String, Remote> remotes = new LinkedHashMap<>();
            long total = 0;
            long have = 0;
            for (String f : wanted) {
                Remote r = head(ref, commit, f);
                remotes.put(f, r);
                total += r.size;
                have += Files.isRegularFile(cache.blob(ref, r.etag)) ? r.size
                        : Files.isRegularFile(cache.incomplete(ref, r.etag)) ? Files.size(cache.incomplete(ref, r.etag)) : 0;
            }
            progress.stage("downloading " + ref.repoId(), total, "bytes", have);
            for (Map.Entry<String, Remote> e : remotes.entrySet()) {
                fetch(ref, commit, e.getKey(), e.getValue(), progress);
                cache.link(ref, commit, e.getKey(), e.getValue().etag);
            }
            cache.writeRef(ref, commit);
            return cache.repoDir(ref).resolve("snapshots").resolve(commit);
        } catch (IOException e) {
            throw FileErrors.of("write the Hugging Face cache in " + cache.dir(), cache.dir(), e);
        }
    }

    private record Remote(String etag, long size) {
    }

    private JsonObject apiInfo(RepoRef ref) {
        URI uri = URI.create(settings.endpoint() + "/api/models/" + ref.repoId() + "/revision/" + encode(ref.revision()));
        HubHttp.Answer a = call(ref, "GET", uri, null, null, n -> { });
        check(ref, a);
        try {
            JsonObject o = JsonParser.parseString(a.text()).getAsJsonObject();
            if (o.has("sha") && o.has("siblings")) {
                return o;
            }
        } catch (JsonParseException | IllegalStateException e) {
            // answered below
        }
        throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the Hugging Face hub at " + settings.endpoint()
                + " answered the file list of " + ref.repoId() + " without sha and siblings; check HF_ENDPOINT");
    }

    private Remote head(RepoRef ref, String commit, String file) {
        HubHttp.Answer a = call(ref, "HEAD", resolveUri(ref, commit, file), null, null, n -> { });
        check(ref, a);
        String etag = a.header("X-Linked-Etag").or(() -> a.header("ETag")).map(HubDownloader::normalizeEtag).orElse("");
        long size = a.header("X-Linked-Size").or(() -> a.header("Content-Length")).map(Long::parseLong).orElse(-1L);
        if (etag.isEmpty() || etag.contains("/") || etag.contains("..") || size < 0) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "the Hugging Face hub at " + settings.endpoint()
                    + " sent no ETag or size for " + file + " of " + ref.repoId() + "; check HF_ENDPOINT");
        }
        return new Remote(etag, size);
    }

    private static String normalizeEtag(String etag) {
        String e = etag.startsWith("W/") ? etag.substring(2) : etag;
        return e.replace("\"", "");
    }

    private URI resolveUri(RepoRef ref, String commit, String file) {
        StringBuilder path = new StringBuilder();
        for (String part : file.split("/")) {
            path.append('/').append(encode(part));
        }
        return URI.create(settings.endpoint() + "/" + ref.repoId() + "/resolve/" + commit + path);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void fetch(RepoRef ref, String commit, String file, Remote remote, Progress progress) throws IOException {
        Path blob = cache.blob(ref, remote.etag);
        if (Files.isRegularFile(blob) && Files.size(blob) == remote.size) {
            return;
        }
        Path part = cache.incomplete(ref, remote.etag);
        Files.createDirectories(part.getParent());
        IOException last = null;
        for (int attempt = 0; attempt <= settings.retries(); attempt++) {
            try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long from = ch.size();
                if (from < remote.size) {
                    ch.position(from);
                    HubHttp.Answer a = http.send("GET", resolveUri(ref, commit, file), from > 0 ? "bytes=" + from + "-" : null,
                            ch, progress::advance);
                    check(ref, a);
                }
                if (ch.size() != remote.size) {
                    throw new IOException("the file ended after " + ch.size() + " of " + remote.size + " bytes");
                }
                last = null;
                break;
            } catch (HubHttp.Silent | java.net.ConnectException | java.net.http.HttpTimeoutException e) {
                throw HubErrors.unreachable(ref, cache, settings.endpoint(), e);
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "downloading " + file + " of " + ref.repoId() + " stopped after "
                    + Files.size(part) + " of " + remote.size + " bytes (" + secrets.scrub(String.valueOf(last.getMessage()))
                    + "); run again to resume from there", last);
        }
        if (SHA256.matcher(remote.etag).matches() && !Sha256.hex(part).equals(remote.etag)) {
            Files.delete(part);
            throw new NotebenchException(ErrorCode.PROVIDER_FAILED, "downloaded " + file + " of " + ref.repoId() + " does not"
                    + " match its sha256 " + remote.etag + "; it was removed, run again to download it anew");
        }
        Files.move(part, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private HubHttp.Answer call(RepoRef ref, String method, URI uri, String range, FileChannel file, java.util.function.LongConsumer p) {
        try {
            return http.send(method, uri, range, file, p);
        } catch (IOException e) {
            throw HubErrors.unreachable(ref, cache, settings.endpoint(), e);
        }
    }

    private void check(RepoRef ref, HubHttp.Answer a) {
        if (a.status() / 100 != 2) {
            throw HubErrors.status(ref, a.status(), secrets.scrub(a.text()), settings.token().isPresent(), settings.endpoint());
        }
    }
}
