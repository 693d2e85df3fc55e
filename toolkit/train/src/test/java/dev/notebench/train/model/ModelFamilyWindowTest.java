package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.NotebenchException;
import org.junit.jupiter.api.Test;

/** The window length a family trains on, known from its configuration before a model is built. */
class ModelFamilyWindowTest {
    @Test
    void eachFamilyGivesItsWindowFromSeqLenOrItsDefault() {
        assertEquals(128, ModelFamilies.get("gpt").windowLength(ModelConfig.of("gpt")));
        assertEquals(64, ModelFamilies.get("gpt").windowLength(ModelConfig.of("gpt", "seq_len", 64)));
        assertEquals(128, ModelFamilies.get("char-lstm").windowLength(ModelConfig.of("char-lstm")));
        assertEquals(32, ModelFamilies.get("char-lstm").windowLength(ModelConfig.of("char-lstm", "seq_len", 32)));
    }

    @Test
    void aWindowBelowOneTokenIsTheConfigurationsError() {
        NotebenchException e = assertThrows(NotebenchException.class,
                () -> ModelFamilies.get("char-lstm").windowLength(ModelConfig.of("char-lstm", "seq_len", 0)));
        assertEquals(dev.notebench.ErrorCode.CONFIG_INVALID, e.code());
        assertEquals("char-lstm model: seq_len must be a whole number of at least 1, got 0", e.getMessage());
    }
}
