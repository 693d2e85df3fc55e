package dev.notebench.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentencePieceTrainerTest {
    @TempDir
    Path tmp;

    private Path program(String dir, boolean executable) throws IOException {
        Path p = Files.createDirectories(tmp.resolve(dir)).resolve("spm_train");
        Files.writeString(p, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
        return p;
    }

    @Test
    void spmTrainIsTheOneTheEnvironmentNamesElseTheFirstOnItsPath() throws IOException {
        Path named = program("named", true);
        Path second = program("second", true);
        program("first", false);
        String path = tmp.resolve("empty") + File.pathSeparator + tmp.resolve("first") + File.pathSeparator + tmp.resolve("second");
        assertEquals(Optional.of(named), SentencePieceTrainer.findSpmTrain(Map.of("NOTEBENCH_SPM_TRAIN", named.toString(), "PATH", path)));
        assertEquals(Optional.of(second), SentencePieceTrainer.findSpmTrain(Map.of("PATH", path)));
        assertEquals(Optional.of(second), SentencePieceTrainer.findSpmTrain(Map.of("NOTEBENCH_SPM_TRAIN", " ", "PATH", path)));
    }

    @Test
    void aNamedProgramThatCannotRunOrAnEnvironmentWithoutOneFindsNone() throws IOException {
        Path notExecutable = program("first", false);
        assertEquals(Optional.empty(), SentencePieceTrainer.findSpmTrain(Map.of("NOTEBENCH_SPM_TRAIN", notExecutable.toString(),
                "PATH", tmp.resolve("first").toString())));
        assertEquals(Optional.empty(), SentencePieceTrainer.findSpmTrain(Map.of()));
    }

    @Test
    void trainingInAnEnvironmentWithoutSpmTrainSaysHowToInstallIt() {
        String sotu = HfReference.home().resolve("datasets/sotu/sotu-sample.txt").toString();
        NotebenchException e = assertThrows(NotebenchException.class, () -> TokenizerArtifact.train(
                TrainSpec.defaults(TrainSpec.Kind.SENTENCEPIECE, sotu, tmp.resolve("spm")), TrainingListener.NONE, Map.of()));
        assertEquals(ErrorCode.DEPENDENCY_MISSING, e.code());
        assertEquals("spm_train is not installed; install SentencePiece (Debian/Ubuntu: sudo apt-get install sentencepiece;"
                + " macOS: brew install sentencepiece) or set NOTEBENCH_SPM_TRAIN to its path", e.getMessage());
    }
}
