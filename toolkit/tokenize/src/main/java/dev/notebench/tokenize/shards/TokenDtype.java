package dev.notebench.tokenize.shards;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Locale;

/** How one token id is stored: little-endian {@code uint16} when the vocabulary fits, else {@code int32}. */
public enum TokenDtype {
    /** Two bytes, unsigned, little-endian: vocabularies of at most 65,536 ids. */
    UINT16(2),
    /** Four bytes, signed, little-endian. */
    INT32(4);

    private final int bytes;

    TokenDtype(int bytes) {
        this.bytes = bytes;
    }

    /**
     * The smallest type that holds every id of a vocabulary.
     *
     * @param vocabSize the number of ids
     */
    public static TokenDtype forVocab(int vocabSize) {
        return vocabSize <= 65536 ? UINT16 : INT32;
    }

    /**
     * The type a manifest names.
     *
     * @param name {@code uint16} or {@code int32}
     * @throws NotebenchException with {@link ErrorCode#DATA_INVALID} for another name
     */
    public static TokenDtype parse(String name) {
        for (TokenDtype t : values()) {
            if (t.jsonName().equals(name)) {
                return t;
            }
        }
        throw new NotebenchException(ErrorCode.DATA_INVALID, "unknown token dtype '" + name + "'; expected uint16 or int32");
    }

    /** Returns the bytes per token. */
    public int bytes() {
        return bytes;
    }

    /** Returns the name in a manifest (numpy's): {@code uint16} or {@code int32}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
