package dev.notebench.kernel.eval;

import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Stop checks in the classes JShell compiles from cells, so that an interrupt stops cell code
 * that never looks at its interrupt flag ({@code while (true) i++;}) on every JDK, where
 * {@code Thread.stop} no longer works (JDK 20 on). As JShell's own local execution does from
 * JDK 22 on, a call to {@code check()} of a hook class goes at the start of every method and
 * before every backward jump (every loop):
 *
 * <pre>{@code
 * public final class $Notebench$Stop {          // one per cell class loader, in package REPL
 *     public static volatile Runnable hook;     // null unless a cell is being stopped
 *     public static void check() { Runnable h = hook; if (h != null) h.run(); }
 * }
 * }</pre>
 *
 * <p>While no cell is being stopped a check is one volatile read. The hook throws in the threads
 * it stops, from cell code only, never from the middle of a library call.
 */
final class StopChecks {
    /** The binary name of the hook class; snippets are in package {@code REPL}, so they see it. */
    static final String HOOK_CLASS = "REPL.$Notebench$Stop";
    /** The name of the hook's static field. */
    static final String HOOK_FIELD = "hook";

    private static final String HOOK_INTERNAL = HOOK_CLASS.replace('.', '/');
    private static final String CHECK = "check";

    private StopChecks() {
    }

    /** Returns the class file of the hook class. */
    static byte[] hookClass() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, HOOK_INTERNAL, null,
                "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, HOOK_FIELD,
                "Ljava/lang/Runnable;", null, null).visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, CHECK, "()V", null, null);
        mv.visitCode();
        Label none = new Label();
        mv.visitFieldInsn(Opcodes.GETSTATIC, HOOK_INTERNAL, HOOK_FIELD, "Ljava/lang/Runnable;");
        mv.visitInsn(Opcodes.DUP);
        mv.visitJumpInsn(Opcodes.IFNULL, none);
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/lang/Runnable", "run", "()V", true);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(none);
        mv.visitInsn(Opcodes.POP);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Returns a cell class with stop checks.
     *
     * @param classfile a class JShell compiled
     * @throws IllegalArgumentException when ASM cannot read it (a JDK newer than it knows)
     */
    static byte[] weave(byte[] classfile) {
        ClassReader reader = new ClassReader(classfile);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new CheckingMethod(super.visitMethod(access, name, descriptor, signature, exceptions));
            }
        }, 0);
        return writer.toByteArray();
    }

    /** A check at the start and before each jump to a label already seen; neither changes the stack. */
    private static final class CheckingMethod extends MethodVisitor {
        private final Set<Label> seen = new HashSet<>();

        CheckingMethod(MethodVisitor mv) {
            super(Opcodes.ASM9, mv);
        }

        @Override
        public void visitCode() {
            super.visitCode();
            check();
        }

        @Override
        public void visitLabel(Label label) {
            seen.add(label);
            super.visitLabel(label);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (seen.contains(label)) {
                check();
            }
            super.visitJumpInsn(opcode, label);
        }

        private void check() {
            super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK_INTERNAL, CHECK, "()V", false);
        }
    }
}
