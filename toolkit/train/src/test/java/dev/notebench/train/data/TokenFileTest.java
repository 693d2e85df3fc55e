package dev.notebench.train.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.notebench.tokenize.Corpus;
import dev.notebench.tokenize.Tokenizer;
import dev.notebench.tokenize.TokenizerArtifact;
import dev.notebench.train.TinyRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path tmp;

    @Test
    void runsOfOneCorpusStartedAtOnceAllGetTheWholeTokenFile() throws Exception {
        Path corpus = TinyRuns.corpus(tmp);
        Path tok = TinyRuns.bpe(tmp);
        Path dir = tmp.resolve("tokens");
        int builders = 3;
        CyclicBarrier together = new CyclicBarrier(builders);
        ExecutorService pool = Executors.newFixedThreadPool(builders);
        try {
            List<Future<Long>> built = new ArrayList<>();
            for (int i = 0; i < builders; i++) {
                built.add(pool.submit(() -> {
                    try (Tokenizer t = TokenizerArtifact.load(tok)) {
                        together.await();
                        try (TokenFile f = TokenFile.build(Corpus.of(corpus.toString()), t, "tok", 0.1, dir)) {
                            return f.tokens();
                        }
                    }
                }));
            }
            List<Long> sizes = new ArrayList<>();
            for (Future<Long> f : built) {
                sizes.add(f.get());
            }
            try (TokenFile again = TokenFile.open(dir)) {
                assertEquals(List.of(again.tokens(), again.tokens(), again.tokens()), sizes);
            }
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(TokenFile.BIN, TokenFile.JSON), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left behind");
        }
    }
}
