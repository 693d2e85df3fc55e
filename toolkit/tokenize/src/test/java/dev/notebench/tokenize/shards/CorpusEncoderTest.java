package dev.notebench.tokenize.shards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.CharTokenizer;
import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorpusEncoderTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzSTOP \n";

    @TempDir
    Path tmp;

    /** A tokenizer that delegates, for wrappers that change one method. */
    static class Wrapped implements Tokenizer {
        private final Tokenizer t;

        Wrapped(Tokenizer t) {
            this.t = t;
        }

        @Override
        public String kind() {
            return t.kind();
        }

        @Override
        public int vocabSize() {
            return t.vocabSize();
        }

        @Override
        public int[] encode(String text) {
            return t.encode(text);
        }

        @Override
        public String decode(int[] ids) {
            return t.decode(ids);
        }

        @Override
        public String tokenText(int id) {
            return t.tokenText(id);
        }

        @Override
        public OptionalInt unkId() {
            return t.unkId();
        }
    }

    /** Ids above 65,535: one per character, its code point plus 70,000, from a 200,000-id vocabulary. */
    private static final Tokenizer WIDE = new Wrapped(CharTokenizer.of("a")) {
        @Override
        public int vocabSize() {
            return 200_000;
        }

        @Override
        public int[] encode(String text) {
            return text.codePoints().map(c -> 70_000 + c).toArray();
        }
    };

    private static int[] expected(Tokenizer t, List<String> files) throws Exception {
        List<Integer> ids = new ArrayList<>();
        for (String f : files) {
            for (String line : Files.readString(Path.of(f)).split("(?<=\n)")) {
                for (int id : t.encode(line)) {
                    ids.add(id);
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] read(Path dir) {
        try (TokenShards s = TokenShards.open(dir)) {
            int[] out = new int[(int) s.tokens()];
            for (int i = 0; i < out.length; i++) {
                out[i] = s.get(i);
            }
            long[] copied = new long[out.length];
            s.copy(0, out.length, copied, 0);
            for (int i = 0; i < out.length; i++) {
                assertEquals(out[i], (int) copied[i], "copy and get agree at " + i);
            }
            return out;
        }
    }

    private Path corpus() throws Exception {
        Files.createDirectories(tmp.resolve("c"));
        Files.writeString(tmp.resolve("c/1.txt"), "the cat\nsat on\nthe mat\n");
        Files.writeString(tmp.resolve("c/2.txt"), "a dog\nran\nno newline at the end");
        return tmp.resolve("c");
    }

    @Test
    void idsWrittenAreIdsReadAsUint16AcrossShardsAndFiles() throws Exception {
        Path c = corpus();
        CharTokenizer t = CharTokenizer.of(ALPHABET);
        CorpusEncoder.Result r = CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", tmp.resolve("out")).threads(3)
                .shardBytes(8).build().encode();
        int[] want = expected(t, List.of(c + "/1.txt", c + "/2.txt"));
        assertArrayEquals(want, read(tmp.resolve("out")));
        assertEquals(TokenDtype.UINT16, r.manifest().dtype());
        assertEquals(want.length, r.manifest().tokens());
        assertEquals(2L * want.length, Files.size(tmp.resolve("out/shard-00000.bin")) + Files.size(tmp.resolve("out/shard-00001.bin"))
                + Files.size(tmp.resolve("out/shard-00002.bin")) + Files.size(tmp.resolve("out/shard-00003.bin")));
        // each file cut at the first line end at or after every 8 bytes: "the cat\n" | "sat on\nthe mat\n",
        // "a dog\nran\n" | "no newline at the end"
        assertEquals(List.of(
                new ShardManifest.Shard("shard-00000.bin", 8, c + "/1.txt", 1, 1),
                new ShardManifest.Shard("shard-00001.bin", 15, c + "/1.txt", 2, 2),
                new ShardManifest.Shard("shard-00002.bin", 10, c + "/2.txt", 1, 2),
                new ShardManifest.Shard("shard-00003.bin", 21, c + "/2.txt", 3, 1)),
                r.manifest().shards());
        try (Stream<Path> files = Files.list(tmp.resolve("out"))) {
            assertEquals(List.of("shard-00000.bin", "shard-00001.bin", "shard-00002.bin", "shard-00003.bin", "shards.json"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no plan or records left");
        }
    }

    @Test
    void idsWrittenAreIdsReadAsInt32() throws Exception {
        Path c = corpus();
        CorpusEncoder.builder(Corpus.of(c.toString()), WIDE, "wide", tmp.resolve("out")).shardBytes(1000).build().encode();
        int[] want = expected(WIDE, List.of(c + "/1.txt", c + "/2.txt"));
        assertEquals(70_000 + 't', want[0]);
        assertArrayEquals(want, read(tmp.resolve("out")));
        assertEquals(TokenDtype.INT32, ShardManifest.read(tmp.resolve("out")).dtype());
        assertEquals(4L * 23, Files.size(tmp.resolve("out/shard-00000.bin")));
    }

    @Test
    void thePlanIsTheSameWhateverTheThreads() throws Exception {
        Path c = corpus();
        CharTokenizer t = CharTokenizer.of(ALPHABET);
        ShardManifest one = CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", tmp.resolve("one")).threads(1).shardBytes(5)
                .build().encode().manifest();
        ShardManifest four = CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", tmp.resolve("four")).threads(4).shardBytes(5)
                .build().encode().manifest();
        assertEquals(one, four);
        for (ShardManifest.Shard s : one.shards()) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(s.file())),
                    Files.readAllBytes(tmp.resolve("four").resolve(s.file())), s.file());
        }
    }

    @Test
    void aRerunOfACompleteDirectoryEncodesNothing() throws Exception {
        Path c = corpus();
        CharTokenizer t = CharTokenizer.of(ALPHABET);
        CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", tmp.resolve("out")).shardBytes(8).build().encode();
        CorpusEncoder.Result again = CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", tmp.resolve("out")).shardBytes(8)
                .build().encode();
        assertEquals(0, again.encoded());
        assertEquals(4, again.skipped());
    }

    @Test
    void aKilledRunResumesWithTheShardsItFinishedAndEndsAsAnUninterruptedOne() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            text.append(i == 23 ? "STOP here\n" : "line " + (char) ('a' + i % 26) + " of text\n");
        }
        Path file = Files.writeString(tmp.resolve("corpus.txt"), text);
        Path out = tmp.resolve("out");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                KilledEncoding.class.getName(), file.toString(), out.toString(), ALPHABET)
                .redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("stopped", r.readLine());
        }
        child.destroyForcibly(); // SIGKILL in the middle of shard 23
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, child.exitValue());
        assertTrue(Files.exists(out.resolve(CorpusEncoder.PLAN)));
        assertTrue(Files.notExists(out.resolve(ShardManifest.FILE)));

        CharTokenizer t = CharTokenizer.of(ALPHABET);
        CorpusEncoder.Result resumed = CorpusEncoder.builder(Corpus.of(file.toString()), t, "tok", out).threads(2).shardBytes(10)
                .build().encode();
        assertEquals(23, resumed.skipped(), "lines of 10 bytes or more: one shard each, 23 done before STOP");
        assertEquals(17, resumed.encoded());
        ShardManifest whole = CorpusEncoder.builder(Corpus.of(file.toString()), t, "tok", tmp.resolve("whole")).shardBytes(10)
                .build().encode().manifest();
        assertEquals(whole, resumed.manifest());
        assertArrayEquals(read(tmp.resolve("whole")), read(out));
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(41, files.count(), "40 shards and the manifest; no temporary file, record or plan");
        }
    }

    @Test
    void aChangedCorpusOrTokenizerIsRefusedNamingWhatChanged() throws Exception {
        Path c = corpus();
        CharTokenizer t = CharTokenizer.of(ALPHABET);
        Path out = tmp.resolve("out");
        CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", out).shardBytes(8).build().encode();

        NotebenchException e = assertThrows(NotebenchException.class,
                () -> CorpusEncoder.builder(Corpus.of(c.toString()), t, "other", out).shardBytes(8).build().encode());
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals(out + " holds token shards of another encoding: the tokenizer differs (sha256 tok there, other now) since its"
                + " shards.json was written; delete " + out + " to encode again, or give another --out", e.getMessage());

        Files.writeString(c.resolve("1.txt"), "the cat\nsat on\nthe hat\n");
        Files.setLastModifiedTime(c.resolve("1.txt"), FileTime.fromMillis(1_000_000));
        e = assertThrows(NotebenchException.class,
                () -> CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", out).shardBytes(8).build().encode());
        assertEquals(out + " holds token shards of another encoding: the corpus differs (" + c + "/1.txt changed: 23 bytes then,"
                + " 23 now, modified since) since its shards.json was written; delete " + out + " to encode again, or give another"
                + " --out", e.getMessage());
    }

    @Test
    void anEmptyCorpusAnOccupiedDirectoryAndBadUtf8AreOneClearError() throws Exception {
        CharTokenizer t = CharTokenizer.of(ALPHABET);
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "");
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> CorpusEncoder.builder(Corpus.of(empty.toString()), t, "tok", tmp.resolve("out")).build().encode());
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the corpus " + empty + " holds no text (its 1 file(s) are empty); give files with text", e.getMessage());

        Path c = corpus();
        Path busy = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(busy.resolve("notes.txt"), "mine");
        e = assertThrows(NotebenchException.class,
                () -> CorpusEncoder.builder(Corpus.of(c.toString()), t, "tok", busy).build().encode());
        assertEquals(busy + " is not empty and holds no token shards; give a new or empty directory as --out", e.getMessage());

        Path bad = tmp.resolve("bad.txt");
        Files.write(bad, new byte[] {'o', 'k', '\n', 'b', (byte) 0xff, '\n'});
        e = assertThrows(NotebenchException.class,
                () -> CorpusEncoder.builder(Corpus.of(bad.toString()), t, "tok", tmp.resolve("bad-out")).build().encode());
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("corpus file " + bad + " is not valid UTF-8 at byte 4; re-encode it as UTF-8, or pass --encoding CHARSET"
                + " (e.g. windows-1252) or --errors replace", e.getMessage());
        assertTrue(Files.notExists(tmp.resolve("bad-out").resolve(ShardManifest.FILE)));

        Files.writeString(bad, "ok\nbad no more\n"); // fixed: the run that finished no shard starts afresh
        Files.setLastModifiedTime(bad, FileTime.fromMillis(2_000_000));
        CorpusEncoder.Result r = CorpusEncoder.builder(Corpus.of(bad.toString()), t, "tok", tmp.resolve("bad-out")).build().encode();
        assertEquals(List.of(new ShardManifest.Shard("shard-00000.bin", 15, bad.toString(), 1, 2)), r.manifest().shards());
    }

    @Test
    void aShardOfAnotherSizeThanItsManifestSaysIsRefusedOnOpen() throws Exception {
        Path c = corpus();
        Path out = tmp.resolve("out");
        CorpusEncoder.builder(Corpus.of(c.toString()), CharTokenizer.of(ALPHABET), "tok", out).shardBytes(8).build().encode();
        Files.write(out.resolve("shard-00001.bin"), new byte[] {1, 0});
        NotebenchException e = assertThrows(NotebenchException.class, () -> TokenShards.open(out));
        assertEquals(out.resolve("shard-00001.bin") + " has 2 bytes, shards.json says 30; delete " + out
                + " and write the shards again", e.getMessage());
    }
}
