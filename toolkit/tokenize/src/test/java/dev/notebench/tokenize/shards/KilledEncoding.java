package dev.notebench.tokenize.shards;

import dev.notebench.tokenize.CharTokenizer;
import dev.notebench.tokenize.Corpus;
import java.nio.file.Path;

/**
 * A child JVM for {@link CorpusEncoderTest}: encodes a corpus one shard at a time and, on the first
 * line that starts with {@code STOP}, says so on stdout and waits to be killed.
 */
final class KilledEncoding {
    private KilledEncoding() {
    }

    public static void main(String[] args) throws Exception {
        CharTokenizer chars = CharTokenizer.of(args[2]);
        dev.notebench.tokenize.Tokenizer stopping = new CorpusEncoderTest.Wrapped(chars) {
            @Override
            public int[] encode(String text) {
                if (text.startsWith("STOP")) {
                    System.out.println("stopped");
                    System.out.flush();
                    try {
                        Thread.sleep(Long.MAX_VALUE); // until SIGKILL
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return chars.encode(text);
            }
        };
        CorpusEncoder.builder(Corpus.of(args[0]), stopping, "tok", Path.of(args[1])).threads(1).shardBytes(10).build().encode();
    }
}
