package dev.notebench.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stop checks woven into cell classes, counted by a hook. */
class StopChecksTest {
    private static Field hook;
    private static Method sum;

    @BeforeAll
    static void weaveALoop(@TempDir Path tmp) throws Exception {
        Path src = Files.writeString(tmp.resolve("Loops.java"),
                "public class Loops { public static int sum(int n) { int s = 0; for (int i = 0; i < n; i++) { s += i; } return s; } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", tmp.toString(), src.toString()));
        CellClassLoader loader = new CellClassLoader(StopChecksTest.class.getClassLoader());
        loader.declare(StopChecks.HOOK_CLASS, StopChecks.hookClass());
        loader.declare("Loops", StopChecks.weave(Files.readAllBytes(tmp.resolve("Loops.class"))));
        hook = loader.loadClass(StopChecks.HOOK_CLASS).getField(StopChecks.HOOK_FIELD);
        sum = loader.loadClass("Loops").getMethod("sum", int.class);
    }

    @Test
    void aCheckRunsAtTheStartOfAMethodAndOnEveryLoopIteration() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        hook.set(null, (Runnable) checks::incrementAndGet);
        try {
            assertEquals(10, sum.invoke(null, 5));
        } finally {
            hook.set(null, null);
        }
        assertEquals(1 + 5, checks.get());
        assertEquals(45, sum.invoke(null, 10), "no hook: the checks do nothing");
    }

    @Test
    void aHookThatThrowsStopsTheLoop() throws Exception {
        AtomicInteger checks = new AtomicInteger();
        hook.set(null, (Runnable) () -> {
            if (checks.incrementAndGet() == 3) {
                throw new CellStopped();
            }
        });
        try {
            InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> sum.invoke(null, Integer.MAX_VALUE));
            assertInstanceOf(CellStopped.class, e.getCause());
        } finally {
            hook.set(null, null);
        }
        assertEquals(3, checks.get());
    }
}
