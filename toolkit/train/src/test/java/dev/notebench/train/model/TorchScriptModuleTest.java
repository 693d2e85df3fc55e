package dev.notebench.train.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.jni.IValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;

class TorchScriptModuleTest {
    /** Writes into a list of tensors in place and reads an int and a float: what decode steps do. */
    private static final String METHODS = """
              def forward(self: __torch__.Scaled,
                x: Tensor,
                at: int,
                into: List[Tensor],
                scale: float) -> Tensor:
                _0 = torch.copy_(torch.slice(into[0], 0, at, torch.add(at, 1)), x)
                return torch.gelu(torch.mul(x, scale), approximate="tanh")
            """;

    @Test
    void theArchiveHoldsTheVersionTheModuleObjectAndItsSourceInAFolderNamedAfterTheClass() throws IOException {
        List<String> names = new ArrayList<>();
        String version = null;
        String source = null;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(TorchScriptModule.archive("Scaled", METHODS)))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                names.add(e.getName());
                if (e.getName().endsWith("version")) {
                    version = new String(zip.readAllBytes(), StandardCharsets.US_ASCII);
                } else if (e.getName().endsWith(".py")) {
                    source = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertEquals(List.of("scaled/version", "scaled/byteorder", "scaled/data.pkl", "scaled/constants.pkl",
                "scaled/code/__torch__.py"), names);
        assertEquals("10\n", version);
        assertEquals("class Scaled(Module):\n  __parameters__ = []\n  __buffers__ = []\n  training : bool\n" + METHODS, source);
    }

    @Test
    void aCompiledModuleTakesIntsFloatsAndTensorListsWritesInPlaceAndUsesCurrentOperatorSignatures() {
        try (NDManager m = NDManager.newBaseManager();
             TorchScriptModule module = TorchScriptModule.compile("Scaled", METHODS, (PtNDManager) m)) {
            NDArray x = m.create(new float[] {1f, -2f}, new Shape(1, 2));
            NDArray into = m.zeros(new Shape(3, 2));
            NDArray y;
            try (IValue xs = IValue.from((PtNDArray) x); IValue at = IValue.from(2L);
                 IValue list = IValue.listFrom((PtNDArray) into); IValue scale = IValue.from(0.5)) {
                y = module.call("forward", (PtNDManager) m, xs, at, list, scale);
            }
            assertArrayEquals(new float[] {0f, 0f, 0f, 0f, 1f, -2f}, into.toFloatArray());
            float[] got = y.toFloatArray();
            for (int i = 0; i < 2; i++) { // transformers' gelu_new of x/2
                double v = 0.5 * x.toFloatArray()[i];
                double want = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                assertEquals(want, got[i], 1e-6);
            }
        }
    }

    @Test
    void aSourceLibtorchCannotCompileIsRefusedWhenLoaded() {
        String broken = METHODS.replace("torch.gelu", "torch.no_such_operator");
        try (NDManager m = NDManager.newBaseManager()) {
            EngineException e = assertThrows(EngineException.class, () -> TorchScriptModule.compile("Scaled", broken, (PtNDManager) m));
            assertTrue(e.getMessage().contains("no_such_operator"), e.getMessage());
        }
    }
}
