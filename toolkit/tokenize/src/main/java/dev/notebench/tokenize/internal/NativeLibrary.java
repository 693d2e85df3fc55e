package dev.notebench.tokenize.internal;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;

/**
 * A native library that the tokenize module uses but leaves to the application to bring (it is an
 * optional dependency): DJL's Hugging Face tokenizers for {@code tokenizer.json}, DJL's
 * SentencePiece for {@code .model} files. A user of the pure-Java trainers needs neither; a user
 * who loads such a file without the library gets one error that names the dependency to add.
 *
 * @param entryClass a class of the library, looked up without initializing it
 * @param coordinates the Maven coordinates to add, {@code group:artifact:version}
 * @param purpose what needs it, for the message
 */
public record NativeLibrary(String entryClass, String coordinates, String purpose) {

    /** DJL's Hugging Face tokenizers (bundles the Rust library for the common platforms). */
    public static final NativeLibrary HF_TOKENIZERS = new NativeLibrary("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer",
            "ai.djl.huggingface:tokenizers:" + Versions.get("djl"), "encoding with a tokenizer.json");

    /** DJL's SentencePiece (bundles the native library for the common platforms). */
    public static final NativeLibrary SENTENCEPIECE = new NativeLibrary("ai.djl.sentencepiece.SpTokenizer",
            "ai.djl.sentencepiece:sentencepiece:" + Versions.get("sentencepiece"), "loading a SentencePiece .model");

    /** Returns whether the library's classes are visible to this module. */
    public boolean present() {
        try {
            Class.forName(entryClass, false, NativeLibrary.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Throws unless the library is present.
     *
     * @throws NotebenchException (DEPENDENCY_MISSING) naming the dependency to add
     */
    public void require() {
        if (!present()) {
            throw new NotebenchException(ErrorCode.DEPENDENCY_MISSING, purpose + " needs " + coordinates
                    + " on the classpath; add it to your project's dependencies (notebench-tokenize leaves native"
                    + " libraries to the application; the notebench command line and kernel bring it)");
        }
    }
}
