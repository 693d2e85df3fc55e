package dev.notebench.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputGuardTest {
    @TempDir
    Path tmp;

    private NotebenchException refused(OutputGuard.Builder b) {
        return assertThrows(NotebenchException.class, () -> b.build().check());
    }

    @Test
    void anOutputThatIsTheInputIsRefusedNamingBoth() throws Exception {
        Path in = Files.writeString(tmp.resolve("t.txt"), "text");
        NotebenchException e = refused(OutputGuard.builder().input("--input", in).output("--out", in));
        assertEquals(ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("--out " + in + " is the same file as --input " + in + "; writing it would destroy the input: give --out another path",
                e.getMessage());
        assertEquals("text", Files.readString(in));
    }

    @Test
    void anOutputReachingTheInputThroughDotDotASymlinkOrAHardLinkIsRefused() throws Exception {
        Path in = Files.writeString(Files.createDirectories(tmp.resolve("a")).resolve("t.txt"), "text");
        Files.createDirectories(tmp.resolve("b"));
        Path dotdot = tmp.resolve("b/../a/t.txt");
        Path symlink = Files.createSymbolicLink(tmp.resolve("b/link.txt"), in);
        Path dirLink = Files.createSymbolicLink(tmp.resolve("c"), tmp.resolve("a"));
        Path hardLink = Files.createLink(tmp.resolve("b/hard.txt"), in);
        for (Path out : List.of(dotdot, symlink, dirLink.resolve("t.txt"), hardLink)) {
            NotebenchException e = refused(OutputGuard.builder().input("--input", in).output("--graphml", out));
            assertEquals("--graphml " + out + " is the same file as --input " + in + "; writing it would destroy the input: give --graphml"
                    + " another path", e.getMessage());
        }
    }

    @Test
    void aDanglingSymlinkToTheInputPathOfAnotherOutputIsSeen() throws Exception {
        Path out = tmp.resolve("x.csv");
        Path link = Files.createSymbolicLink(tmp.resolve("link.csv"), out);
        NotebenchException e = refused(OutputGuard.builder().output("--out", out).output("--cooccurrence-out", link));
        assertEquals("--cooccurrence-out " + link + " is the same file as --out " + out + "; one would overwrite the other: give"
                + " them different paths", e.getMessage());
    }

    @Test
    void twoOutputsThatAreTheSameNewFileAreRefused() {
        Path x = tmp.resolve("new/x");
        NotebenchException e = refused(OutputGuard.builder().output("--out", x).output("--graphml", tmp.resolve("new/./x")));
        assertEquals("--graphml " + tmp.resolve("new/./x") + " is the same file as --out " + x + "; one would overwrite the other:"
                + " give them different paths", e.getMessage());
    }

    @Test
    void anOutputDirectoryHoldingAnInputIsRefused() throws Exception {
        Path corpus = Files.writeString(Files.createDirectories(tmp.resolve("tok")).resolve("corpus.txt"), "text");
        NotebenchException e = refused(OutputGuard.builder().input("--corpus", corpus).outputDirectory("--out", tmp.resolve("tok")));
        assertEquals("--out " + tmp.resolve("tok") + " holds --corpus " + corpus + "; writing it would destroy the input: give --out"
                + " another path", e.getMessage());
    }

    @Test
    void distinctFilesPassAndNothingIsLeftBehind() throws Exception {
        Path in = Files.writeString(tmp.resolve("t.txt"), "text");
        OutputGuard.builder().input("--input", in).input("--patterns", null).output("--out", tmp.resolve("out/r.csv"))
                .output("--dot", null).outputDirectory("--run", tmp.resolve("run")).build().check();
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("t.txt"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anOutputThatIsADirectoryIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        NotebenchException e = refused(OutputGuard.builder().output("--out", dir));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("--out " + dir + " is a directory; give a file name", e.getMessage());
    }

    @Test
    void anOutputUnderAFileIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        NotebenchException e = refused(OutputGuard.builder().output("--out", file.resolve("r.csv")));
        assertEquals("--out " + file.resolve("r.csv") + " cannot be written: " + file + " is a file, not a directory", e.getMessage());
    }

    @Test
    void canonicalFollowsLinksAndKeepsTheMissingRest() throws Exception {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertEquals(real.toRealPath().resolve("x/y.txt"), OutputGuard.canonical(link.resolve("x/../x/y.txt")));
    }
}
