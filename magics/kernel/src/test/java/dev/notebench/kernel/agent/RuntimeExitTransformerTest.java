package dev.notebench.kernel.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ObjIntConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.commons.ClassRemapper;
import org.objectweb.asm.commons.SimpleRemapper;

/**
 * The rewritten {@code exit} and {@code halt} of this JDK's {@code java.lang.Runtime}, run as a
 * copy under another name: the JVM verifies the copy, which it does not do for {@code Runtime}
 * itself (classes of the boot loader are not verified, not even when an agent rewrites them).
 */
class RuntimeExitTransformerTest {
    private static Object runtime;
    private static Method exit;
    private static Method halt;

    /** A group that records what it is asked and refuses, as the kernel's cell group does. */
    static final class Refusing extends ThreadGroup implements ObjIntConsumer<String> {
        final List<String> asked = new CopyOnWriteArrayList<>();

        Refusing(String name) {
            super(name);
        }

        @Override
        public void accept(String method, int status) {
            asked.add(method + " " + status);
            throw new IllegalStateException("refused " + method + "(" + status + ")");
        }
    }

    @BeforeAll
    static void defineTheRewrittenCopy() throws Exception {
        byte[] original;
        try (InputStream in = Runtime.class.getResourceAsStream("Runtime.class")) {
            original = in.readAllBytes();
        }
        ClassWriter writer = new ClassWriter(0);
        ClassVisitor onlyExitAndHalt = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                return null;
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                boolean keep = "<init>".equals(name) || "exit".equals(name) || "halt".equals(name);
                return keep ? super.visitMethod(access, name, descriptor, signature, exceptions) : null;
            }

            @Override
            public void visitNestMember(String nestMember) {
            }

            @Override
            public void visitInnerClass(String name, String outerName, String innerName, int access) {
            }
        };
        new ClassReader(RuntimeExitTransformer.rewrite(original))
                .accept(new ClassRemapper(onlyExitAndHalt, new SimpleRemapper(RuntimeExitTransformer.RUNTIME, "copy/Runtime")), 0);
        byte[] copy = writer.toByteArray();
        Class<?> c = new ClassLoader(RuntimeExitTransformerTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass("copy.Runtime", copy, 0, copy.length);
            }
        }.define();
        Constructor<?> init = c.getDeclaredConstructor();
        init.setAccessible(true);
        runtime = init.newInstance(); // links the class: a bad stack map fails here with a VerifyError
        exit = c.getMethod("exit", int.class);
        halt = c.getMethod("halt", int.class);
    }

    /** Calls the method on a new thread of the group and returns what it threw. */
    private static Throwable callIn(ThreadGroup group, Method method, int status) throws InterruptedException {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(group, () -> {
            try {
                method.invoke(runtime, status);
            } catch (InvocationTargetException e) {
                thrown.set(e.getCause());
            } catch (ReflectiveOperationException e) {
                thrown.set(e);
            }
        });
        t.start();
        t.join();
        return thrown.get();
    }

    @Test
    void exitAndHaltAskTheCallingThreadsGroupFirstAndItMayRefuse() throws Exception {
        Refusing group = new Refusing("cells");
        assertEquals("refused exit(7)", callIn(group, exit, 7).getMessage());
        assertEquals("refused halt(3)", callIn(group, halt, 3).getMessage());
        assertEquals(List.of("exit 7", "halt 3"), group.asked);
    }

    @Test
    void aGroupInsideAnAskingGroupAsksItToo() throws Exception {
        Refusing group = new Refusing("cells");
        ThreadGroup inner = new ThreadGroup(group, "made by a cell");
        assertEquals("refused exit(1)", callIn(inner, exit, 1).getMessage());
        assertEquals(List.of("exit 1"), group.asked);
    }

    /** A default uncaught-exception handler that also refuses exits, as the kernel's pool-thread guard does. */
    static final class RefusingHandler implements Thread.UncaughtExceptionHandler, ObjIntConsumer<String> {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Override
        public void accept(String method, int status) {
            asked.add(method + " " + status);
            throw new IllegalStateException("handler refused " + method + "(" + status + ")");
        }

        @Override
        public void uncaughtException(Thread t, Throwable e) {
        }
    }

    @Test
    void whenNoGroupAsksTheDefaultUncaughtExceptionHandlerIsAskedButNotBefore() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        RefusingHandler handler = new RefusingHandler();
        Thread.setDefaultUncaughtExceptionHandler(handler);
        try {
            assertEquals("handler refused exit(4)", callIn(new ThreadGroup("pool"), exit, 4).getMessage());
            assertEquals("handler refused halt(2)", callIn(new ThreadGroup("pool"), halt, 2).getMessage());
            Refusing group = new Refusing("cells");
            assertEquals("refused exit(6)", callIn(group, exit, 6).getMessage());
            assertEquals(List.of("exit 4", "halt 2"), handler.asked, "a group that asks is enough");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void threadsOfOtherGroupsGoOnToTheOriginalCode() throws Exception {
        ThreadGroup plain = new ThreadGroup("kernel");
        // the copy's original code calls the package-private java.lang.Shutdown, which only the real Runtime may
        for (Method m : List.of(exit, halt)) {
            Throwable t = callIn(plain, m, 0);
            assertInstanceOf(IllegalAccessError.class, t);
            assertTrue(t.getMessage().contains("java.lang.Shutdown"), t.getMessage());
        }
    }
}
