package dev.notebench.tokenize;

import ai.djl.sentencepiece.SpProcessor;
import ai.djl.sentencepiece.SpTokenizer;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.internal.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** A SentencePiece {@code .model}, loaded with DJL's sentencepiece extension (native, bundled). */
public final class SentencePieceTokenizer implements Tokenizer {
    private final SpTokenizer tokenizer;
    private final SpProcessor processor;
    private final int size;
    private final OptionalInt unk;

    private SentencePieceTokenizer(SpTokenizer tokenizer, int size) {
        this.tokenizer = tokenizer;
        this.processor = tokenizer.getProcessor();
        this.size = size;
        int u = processor.getId("<unk>");
        this.unk = u >= 0 && u < size && "<unk>".equals(processor.getToken(u)) ? OptionalInt.of(u) : OptionalInt.empty();
    }

    /**
     * Loads a model file.
     *
     * @param model a SentencePiece {@code .model}
     * @return the tokenizer; close it
     */
    public static SentencePieceTokenizer load(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new NotebenchException(ErrorCode.DATA_NOT_FOUND, "SentencePiece model " + model + " does not exist");
        }
        NativeLibrary.SENTENCEPIECE.require();
        try {
            int pieces = countPieces(Files.readAllBytes(model));
            return new SentencePieceTokenizer(new SpTokenizer(model), pieces);
        } catch (IOException | RuntimeException e) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "cannot load SentencePiece model " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * Counts the pieces of a serialized {@code ModelProto}: its repeated field 1 (DJL's vocabulary
     * cannot tell its size).
     */
    static int countPieces(byte[] proto) {
        int p = 0;
        int pieces = 0;
        while (p < proto.length) {
            long[] key = varint(proto, p);
            p = (int) key[1];
            int field = (int) (key[0] >>> 3);
            int wire = (int) (key[0] & 7);
            switch (wire) {
                case 0 -> p = (int) varint(proto, p)[1];
                case 1 -> p += 8;
                case 2 -> {
                    long[] len = varint(proto, p);
                    p = (int) (len[1] + len[0]);
                    if (field == 1) {
                        pieces++;
                    }
                }
                case 5 -> p += 4;
                default -> throw new IllegalArgumentException("not a SentencePiece model (wire type " + wire + ")");
            }
        }
        if (pieces == 0) {
            throw new IllegalArgumentException("not a SentencePiece model (no pieces)");
        }
        return pieces;
    }

    private static long[] varint(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        while (true) {
            if (p >= b.length || shift > 63) {
                throw new IllegalArgumentException("not a SentencePiece model (truncated)");
            }
            int x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) {
                return new long[] {v, p};
            }
            shift += 7;
        }
    }

    @Override
    public String kind() {
        return "sentencepiece";
    }

    @Override
    public int vocabSize() {
        return size;
    }

    @Override
    public int[] encode(String text) {
        return processor.encode(text);
    }

    @Override
    public String decode(int[] ids) {
        return processor.decode(ids);
    }

    @Override
    public String tokenText(int id) {
        return processor.getToken(id).replace('\u2581', ' ');
    }

    @Override
    public OptionalInt unkId() {
        return unk;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
