package dev.notebench.kernel.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites {@code java.lang.Runtime.exit(int)} and {@code halt(int)} to begin with this, using
 * only JDK types (the boot class loader that defines {@code Runtime} sees no other):
 *
 * <pre>{@code
 * for (ThreadGroup g = Thread.currentThread().getThreadGroup(); g != null; g = g.getParent()) {
 *     if (g instanceof ObjIntConsumer) { ((ObjIntConsumer) g).accept("exit", status); goto start; }
 * }
 * if (Thread.getDefaultUncaughtExceptionHandler() instanceof ObjIntConsumer h) h.accept("exit", status);
 * start:
 * }</pre>
 *
 * <p>The group may throw to refuse; when it returns, the JVM exits as before. The JVM's default
 * uncaught-exception handler is asked only when no group is: it covers the threads that belong to
 * no group cell code made (the common {@code ForkJoinPool}'s, virtual threads). {@code System.exit}
 * calls {@code Runtime.exit}, so it is covered too.
 */
final class RuntimeExitTransformer implements ClassFileTransformer {
    static final String RUNTIME = "java/lang/Runtime";
    private static final String CONSUMER = "java/util/function/ObjIntConsumer";
    private static final String THREAD_GROUP = "java/lang/ThreadGroup";
    private static final String HANDLER = "java/lang/Thread$UncaughtExceptionHandler";

    /** Set once the JVM handed {@code Runtime} to this transformer and it was rewritten. */
    private volatile boolean rewritten;
    /** Why the last rewrite failed: the JVM drops what a transformer throws. */
    private volatile RuntimeException failure;

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfile) {
        if (loader != null || !RUNTIME.equals(className)) {
            return null;
        }
        try {
            byte[] out = rewrite(classfile);
            rewritten = true;
            return out;
        } catch (RuntimeException e) {
            failure = e;
            return null;
        }
    }

    boolean rewritten() {
        return rewritten;
    }

    /** Returns why {@code Runtime} was not rewritten, as far as known. */
    String failure() {
        RuntimeException e = failure;
        return e == null ? "the JVM did not hand it to the agent" : e.toString();
    }

    /**
     * Returns {@code Runtime}'s class file with the group check at the start of {@code exit(int)}
     * and {@code halt(int)}.
     *
     * @throws IllegalArgumentException when ASM cannot read the class file (a JDK newer than it knows)
     * @throws IllegalStateException when either method is missing
     */
    static byte[] rewrite(byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        int[] found = new int[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                boolean target = (access & Opcodes.ACC_STATIC) == 0 && "(I)V".equals(descriptor)
                        && ("exit".equals(name) || "halt".equals(name));
                if (!target) {
                    return mv;
                }
                found[0]++;
                return new AskGroupFirst(mv, name);
            }
        }, 0);
        if (found[0] != 2) {
            throw new IllegalStateException("java.lang.Runtime has no exit(int) and halt(int) to guard");
        }
        return writer.toByteArray();
    }

    /** Prepends the group check; locals are {@code this} and {@code status}, as on entry. */
    private static final class AskGroupFirst extends MethodVisitor {
        private final String method;

        AskGroupFirst(MethodVisitor mv, String method) {
            super(Opcodes.ASM9, mv);
            this.method = method;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            Label loop = new Label();
            Label found = new Label();
            Label none = new Label();
            Label start = new Label();
            Object[] group = {THREAD_GROUP};
            visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "currentThread", "()Ljava/lang/Thread;", false);
            visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Thread", "getThreadGroup", "()Ljava/lang/ThreadGroup;", false);
            visitLabel(loop); // stack: group
            visitFrame(Opcodes.F_SAME1, 0, null, 1, group);
            visitInsn(Opcodes.DUP);
            visitJumpInsn(Opcodes.IFNULL, none);
            visitInsn(Opcodes.DUP);
            visitTypeInsn(Opcodes.INSTANCEOF, CONSUMER);
            visitJumpInsn(Opcodes.IFNE, found);
            visitMethodInsn(Opcodes.INVOKEVIRTUAL, THREAD_GROUP, "getParent", "()Ljava/lang/ThreadGroup;", false);
            visitJumpInsn(Opcodes.GOTO, loop);
            visitLabel(found);
            visitFrame(Opcodes.F_SAME1, 0, null, 1, group);
            visitTypeInsn(Opcodes.CHECKCAST, CONSUMER);
            visitLdcInsn(method);
            visitVarInsn(Opcodes.ILOAD, 1);
            visitMethodInsn(Opcodes.INVOKEINTERFACE, CONSUMER, "accept", "(Ljava/lang/Object;I)V", true);
            visitJumpInsn(Opcodes.GOTO, start);
            visitLabel(none);
            visitFrame(Opcodes.F_SAME1, 0, null, 1, group);
            visitInsn(Opcodes.POP);
            // no group asks: the JVM's default uncaught-exception handler may (threads no cell group reaches)
            Label noHandler = new Label();
            Object[] handler = {HANDLER};
            visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "getDefaultUncaughtExceptionHandler",
                    "()L" + HANDLER + ";", false);
            visitInsn(Opcodes.DUP);
            visitTypeInsn(Opcodes.INSTANCEOF, CONSUMER);
            visitJumpInsn(Opcodes.IFEQ, noHandler);
            visitTypeInsn(Opcodes.CHECKCAST, CONSUMER);
            visitLdcInsn(method);
            visitVarInsn(Opcodes.ILOAD, 1);
            visitMethodInsn(Opcodes.INVOKEINTERFACE, CONSUMER, "accept", "(Ljava/lang/Object;I)V", true);
            visitJumpInsn(Opcodes.GOTO, start);
            visitLabel(noHandler);
            visitFrame(Opcodes.F_SAME1, 0, null, 1, handler);
            visitInsn(Opcodes.POP);
            visitLabel(start);
            visitFrame(Opcodes.F_SAME, 0, null, 0, null);
            // the original code may have a frame at its first instruction: keep it at a distinct offset
            visitInsn(Opcodes.NOP);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 3), maxLocals);
        }
    }
}
