package io.github.spencerpark.ijava;

import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.magic.registry.Magics;
import java.util.ArrayList;
import java.util.List;

/**
 * A fake of IJava's holder class for tests: the same name and the methods IJavaSupport calls on
 * IJava 1.3 (getKernelInstance; getMagics, addToClasspath, evalRaw on the kernel).
 */
public final class IJava {
    private static FakeJavaKernel kernel;

    private IJava() {
    }

    public static BaseKernel getKernelInstance() {
        return kernel;
    }

    public static void setKernelForTest(FakeJavaKernel k) {
        kernel = k;
    }

    /** Stands in for IJava's JavaKernel. */
    public static final class FakeJavaKernel extends BaseKernel {
        private final Magics magics = new Magics();
        public final List<String> classpath = new ArrayList<>();
        public final List<String> evaluated = new ArrayList<>();

        public Magics getMagics() {
            return magics;
        }

        public void addToClasspath(String path) {
            classpath.add(path);
        }

        public Object evalRaw(String code) {
            evaluated.add(code);
            return code.length();
        }

        @Override
        public DisplayData eval(String expr) {
            return null;
        }

        @Override
        public LanguageInfo getLanguageInfo() {
            return new LanguageInfo.Builder("Java").build();
        }
    }
}
