package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.tokenize.internal.NativeLibrary;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibraryTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingLibraryIsNamedWithItsCoordinates() {
        NativeLibrary none = new NativeLibrary("no.such.Tokenizer", "org.example:tok:1.0", "encoding with a tok.json");
        assertFalse(none.present());
        NotebenchException e = assertThrows(NotebenchException.class, none::require);
        assertEquals(ErrorCode.DEPENDENCY_MISSING, e.code());
        assertEquals("encoding with a tok.json needs org.example:tok:1.0 on the classpath; add it to your project's dependencies"
                + " (notebench-tokenize leaves native libraries to the application; the notebench command line and kernel bring"
                + " it)", e.getMessage());
    }

    @Test
    void theLibrariesOfThisBuildArePresentWithTheirVersions() {
        assertTrue(NativeLibrary.HF_TOKENIZERS.present());
        assertTrue(NativeLibrary.SENTENCEPIECE.present());
        assertTrue(NativeLibrary.HF_TOKENIZERS.coordinates().matches("ai\\.djl\\.huggingface:tokenizers:\\d+\\.\\d+\\.\\d+"),
                NativeLibrary.HF_TOKENIZERS.coordinates());
        assertTrue(NativeLibrary.SENTENCEPIECE.coordinates().matches("ai\\.djl\\.sentencepiece:sentencepiece:\\d+\\.\\d+\\.\\d+"),
                NativeLibrary.SENTENCEPIECE.coordinates());
    }

    /** An application that depends on notebench-tokenize alone: the optional native libraries are not on its classpath. */
    @Test
    void withoutTheNativeLibrariesTheJavaTrainersWorkAndLoadingNamesTheDependency() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (!name.startsWith("tokenizers-") && !name.startsWith("sentencepiece-")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        assertEquals(2, System.getProperty("java.class.path").split(File.pathSeparator).length - urls.size(),
                "the two native libraries are on the test classpath, to be left out");
        try (URLClassLoader app = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            @SuppressWarnings("unchecked")
            List<String> seen = (List<String>) app.loadClass(WithoutNativesProbe.class.getName()).getMethod("run", Path.class)
                    .invoke(null, tmp);
            String hf = NativeLibrary.HF_TOKENIZERS.coordinates();
            String sp = NativeLibrary.SENTENCEPIECE.coordinates();
            assertEquals(List.of(
                    "bpe merges [Merge[left=a, right=b], Merge[left=Ġ, right=ab]]",
                    "chars [2, 1]",
                    "DEPENDENCY_MISSING: encoding with a tokenizer.json needs " + hf + " on the classpath; add it to your project's"
                            + " dependencies (notebench-tokenize leaves native libraries to the application; the notebench command"
                            + " line and kernel bring it)",
                    "DEPENDENCY_MISSING: loading a SentencePiece .model needs " + sp + " on the classpath; add it to your project's"
                            + " dependencies (notebench-tokenize leaves native libraries to the application; the notebench command"
                            + " line and kernel bring it)"), seen);
        }
    }
}
