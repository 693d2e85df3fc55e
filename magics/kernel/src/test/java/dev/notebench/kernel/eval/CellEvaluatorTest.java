package dev.notebench.kernel.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.display.Html;
import dev.notebench.kernel.agent.KernelAgent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CellEvaluatorTest {
    private static CellEvaluator cells;

    @BeforeAll
    static void start() {
        cells = CellEvaluator.builder().startup("import java.util.*;").build();
    }

    @AfterAll
    static void stop() {
        cells.close();
    }

    private static String plain(CellException e) {
        return String.join("\n", e.lines()).replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void lastExpressionIsTheCellsValueAsARealObject() throws Exception {
        Object value = cells.eval("var xs = new ArrayList<Integer>(List.of(3, 1, 2));\nCollections.sort(xs);\nxs");
        assertEquals(List.of(1, 2, 3), value);
        assertSame(value, cells.eval("xs"), "state carries over between cells and objects are not copied");
        assertNull(cells.eval("int unused = 5;"), "declarations show nothing");
        assertNull(cells.eval("xs.add(4);"), "a trailing semicolon hides the value, as in IPython");
        assertEquals(true, cells.eval("xs.remove(Integer.valueOf(4))"));
        assertNull(cells.eval("xs.add(4);"));
        assertEquals(4, cells.eval("xs.size()"));
    }

    @Test
    void aVariableKeepsItsValueWhenTheClassItHoldsIsRedeclaredAsInJshell() throws Exception {
        // JShell recompiles the variable's declaration; the kernel's agent redefines its class in
        // place, as jshell's debugger does, instead of replacing it and resetting the variable
        assertTrue(KernelAgent.canRedefineClasses(), "the tests run with the agent, as the kernel does");
        cells.eval("class Stepper { int step() { return 1; } }");
        Object stepper = cells.eval("Stepper stepper = new Stepper();\nstepper");
        cells.eval("class Stepper { int step() { return 2; } }");
        assertSame(stepper, cells.eval("stepper"), "the same object, not null");
        assertEquals(2, cells.eval("stepper.step()"), "the object runs the redeclared code");
    }

    @Test
    void aVariableIsResetAsInJshellWhenTheClassItHoldsChangesShape() throws Exception {
        cells.eval("class Reshaped { }");
        cells.eval("Reshaped reshaped = new Reshaped();");
        cells.eval("class Reshaped { int extra = 7; }");
        assertNull(cells.eval("reshaped"), "a new field cannot be redefined in place: jshell resets it too");
        assertEquals(7, cells.eval("new Reshaped().extra"));
    }

    @Test
    void cellsSeeTheKernelsClasspath() throws Exception {
        Object html = cells.eval("dev.notebench.display.Html.of(\"<b>x</b>\")");
        assertEquals(Html.of("<b>x</b>"), html, "same class as the kernel's, so renderers match it");
    }

    @Test
    void compileErrorPointsAtTheProblem() {
        CellException e = assertThrows(CompileError.class, () -> cells.eval("int a = 1;\nint b = a + undefinedThing;"));
        assertEquals("CompileError: cannot find symbol\n  symbol:   variable undefinedThing\n"
                + "  | int b = a + undefinedThing;\n  |             ^^^^^^^^^^^^^^", plain(e));
        assertEquals("cannot find symbol", e.getMessage());
    }

    @Test
    void exceptionsAreShownBrieflyWithTheirCauses() {
        CellError e = assertThrows(CellError.class, () -> cells.eval(
                "throw new IllegalStateException(\"outer\", new java.io.IOException(\"disk full\"));"));
        assertEquals("java.lang.IllegalStateException", e.exceptionClass());
        assertEquals("IllegalStateException: outer\n    at the cell\nCaused by java.io.IOException: disk full", plain(e));
    }

    @Test
    void notebenchExceptionsAreOneLineWithTheirCode() {
        CellError e = assertThrows(CellError.class, () -> cells.eval(
                "throw new dev.notebench.NotebenchException(dev.notebench.ErrorCode.DATA_NOT_FOUND, \"no corpus x.txt; pass --corpus\");"));
        assertEquals("NotebenchException: DATA_NOT_FOUND: no corpus x.txt; pass --corpus", plain(e));
        // thrown deep in the toolkit (as from a magic): still the one line that says what to fix, no toolkit frames
        e = assertThrows(CellError.class, () -> cells.eval(
                "dev.notebench.files.TextFiles.readUtf8(java.nio.file.Path.of(\"/no/such/corpus.txt\"), \"the corpus\")"));
        assertEquals("NotebenchException: DATA_NOT_FOUND: cannot read the corpus: /no/such/corpus.txt does not exist", plain(e));
    }

    @Test
    void framesInsideLibrariesAreShownDownToTheCell() {
        CellError e = assertThrows(CellError.class, () -> cells.eval("Integer.parseInt(\"x1\")"));
        List<String> lines = List.of(plain(e).split("\n"));
        assertEquals("NumberFormatException: For input string: \"x1\"", lines.get(0));
        assertTrue(lines.get(1).startsWith("    at java.base/java.lang.NumberFormatException.forInputString("), lines.get(1));
        assertEquals("    at the cell", lines.get(lines.size() - 1));
        assertTrue(lines.size() <= 7, "brief: " + lines);
    }

    @Test
    void incompleteCellSaysSo() {
        CellException e = assertThrows(IncompleteCode.class, () -> cells.eval("for (int i = 0; i < 3; i++) {\n  i++;"));
        assertEquals("IncompleteCode: the cell ends in the middle of a statement; close it and run again\n"
                + "  | for (int i = 0; i < 3; i++) { ...", plain(e));
    }

    @Test
    void completenessFollowsJupytersConvention() {
        assertEquals("complete", cells.isComplete("int q = 1;"));
        assertEquals("    ", cells.isComplete("if (true) {"));
        assertEquals("complete", cells.isComplete("int q = 1;\nint r = q;"));
        assertEquals("    ", cells.isComplete("int q = 1;\nvoid f() {"));
    }

    @Test
    void completionSuggestsMembers() {
        CellEvaluator.Completion c = cells.complete("\"abc\".toUpp", 11);
        assertEquals(List.of("toUpperCase("), c.options());
        assertEquals(6, c.start());
        assertEquals(11, c.end());
    }

    @Test
    void anInterruptWhenNoCellRunsDoesNotStopTheNextCell() throws Exception {
        cells.interrupt();
        assertEquals(5, cells.eval("int five = 5;\nfive"));
    }

    /**
     * Waits until the cell evaluated on another thread has started running (it says so in a system
     * property: cells run in this JVM), so that an interrupt cannot come before it on a slow machine.
     * An interrupt that lands before the cell's sleep or loop is kept for the cell and stops it
     * there, so nothing waits for time to pass.
     */
    private static void awaitCell(String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!state.equals(System.getProperty("notebench.test.cell"))) {
            assertTrue(System.nanoTime() < deadline, "the cell never started");
            Thread.sleep(10);
        }
        System.clearProperty("notebench.test.cell");
    }

    @Test
    void interruptStopsASleepingCellAndTheNextCellRuns() throws Exception {
        CompletableFuture<CellException> result = CompletableFuture.supplyAsync(() -> {
            try {
                cells.eval("{ System.setProperty(\"notebench.test.cell\", \"sleeping\"); Thread.sleep(60_000); }"); // one snippet
                return null;
            } catch (CellException e) {
                return e;
            }
        });
        awaitCell("sleeping");
        cells.interrupt();
        CellException e = result.get(10, TimeUnit.SECONDS);
        assertEquals("Interrupted: the cell was interrupted", plain(e));
        assertEquals(2, cells.eval("1 + 1"));
    }

    /** Evaluates a cell on another thread; the future holds how it failed, or null. */
    private static CompletableFuture<CellException> evalInBackground(String code) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                cells.eval(code);
                return null;
            } catch (CellException e) {
                return e;
            }
        });
    }

    @Test
    void interruptStopsABusyLoopInCellCodeAtItsNextIteration() throws Exception {
        System.clearProperty("notebench.test.stopped.by");
        // one snippet, so that the interrupt cannot come before the loop starts (between two snippets)
        CompletableFuture<CellException> result = evalInBackground("try {\n"
                + "    System.setProperty(\"notebench.test.cell\", \"spinning\");\n"
                + "    long spin = 0;\n"
                + "    while (true) { spin++; }\n"
                + "} catch (Throwable t) { System.setProperty(\"notebench.test.stopped.by\", t.getClass().getName()); throw t; }");
        awaitCell("spinning");
        cells.interrupt();
        CellException e = result.get(60, TimeUnit.SECONDS);
        assertEquals("Interrupted: the cell was interrupted", plain(e), "stopped, not left running in the background");
        // the stop check woven into the loop threw, not Thread.stop (gone since JDK 20) after the grace period
        assertEquals(CellStopped.class.getName(), System.getProperty("notebench.test.stopped.by"));
        assertEquals(3, cells.eval("1 + 2"));
    }

    @Test
    void interruptStopsOnlyTheCellThatRuns() throws Exception {
        cells.eval("var bgRelease = new java.util.concurrent.atomic.AtomicBoolean();\n"
                + "var bgLaps = new java.util.concurrent.atomic.AtomicLong();\n"
                + "Thread bg = new Thread(() -> { while (!bgRelease.get()) bgLaps.incrementAndGet(); });\n"
                + "bg.start();");
        CompletableFuture<CellException> result = evalInBackground(
                "{ System.setProperty(\"notebench.test.cell\", \"spinning too\"); long spin = 0; while (true) { spin++; } }");
        awaitCell("spinning too");
        cells.interrupt();
        assertEquals("Interrupted: the cell was interrupted", plain(result.get(60, TimeUnit.SECONDS)));
        assertEquals(true, cells.eval("bg.isAlive()"), "a loop an earlier cell started in the background runs on");
        assertEquals(false, cells.eval("bgRelease.set(true); bg.join(); bg.isAlive()"));
    }

    @Test
    void libraryCodeThatIgnoresAnInterruptIsWaitedForThenStoppedOrLeft() throws Exception {
        SpinningLibrary.RELEASE.set(false);
        CompletableFuture<CellException> result = evalInBackground("dev.notebench.kernel.eval.SpinningLibrary.spinUntilReleased()");
        awaitCell("spinning in a library");
        cells.interrupt();
        CellException e = result.get(60, TimeUnit.SECONDS); // after the grace period (2 s in this build)
        SpinningLibrary.RELEASE.set(true);
        assertTrue(e instanceof Interrupted, e.toString());
        assertEquals(Runtime.version().feature() <= 19
                        ? "Interrupted: the cell was interrupted" // Thread.stop still works up to JDK 19
                        : "Interrupted: the cell was interrupted, but its code ignores interruption and keeps running"
                                + " in the background; check Thread.interrupted() in long loops, or restart the kernel to stop it",
                plain(e));
        assertEquals(3, cells.eval("1 + 2"));
    }

    private static final String EXIT_REFUSED = " was called in this cell; the kernel keeps running."
            + " Restart the kernel from the front end to stop it.";

    /** Without the agent, a cell's System.exit would end this test JVM instead of failing a test. */
    private static void assertExitGuardInstalled() {
        assertTrue(KernelAgent.exitGuardInstalled(), "run the tests with -javaagent (the surefire argLine of this module): "
                + KernelAgent.exitGuardProblem());
    }

    @Test
    void systemExitInACellIsReportedAndTheNextCellSeesTheEarlierState() throws Exception {
        assertExitGuardInstalled();
        cells.eval("int keptBeforeExit = 41;");
        CellError e = assertThrows(CellError.class, () -> cells.eval("System.out.println(\"leaving\");\nSystem.exit(1);"));
        assertEquals(ExitRefusedError.class.getName(), e.exceptionClass());
        assertEquals("ExitRefusedError: System.exit(1)" + EXIT_REFUSED + "\n    at the cell", plain(e));
        assertEquals(42, cells.eval("keptBeforeExit + 1"));
    }

    @Test
    void runtimeExitAndHaltInACellAreReportedToo() throws Exception {
        assertExitGuardInstalled();
        assertEquals("ExitRefusedError: Runtime.halt(3)" + EXIT_REFUSED + "\n    at the cell",
                plain(assertThrows(CellError.class, () -> cells.eval("Runtime.getRuntime().halt(3);"))));
        assertEquals("ExitRefusedError: Runtime.exit(2)" + EXIT_REFUSED + "\n    at the cell",
                plain(assertThrows(CellError.class, () -> cells.eval("Runtime.getRuntime().exit(2);"))));
        assertEquals(4, cells.eval("2 + 2"));
    }

    @Test
    void exitCalledByLibraryCodeShowsTheCallerDownToTheCell() throws Exception {
        assertExitGuardInstalled();
        List<String> lines = List.of(plain(assertThrows(CellError.class,
                () -> cells.eval("dev.notebench.kernel.eval.ExitingLibrary.quit(9);"))).split("\n"));
        assertEquals("ExitRefusedError: System.exit(9)" + EXIT_REFUSED, lines.get(0));
        assertTrue(lines.get(1).startsWith("    at dev.notebench.kernel.eval.ExitingLibrary.quit(ExitingLibrary.java:"), lines.get(1));
        assertEquals("    at the cell", lines.get(2));
        assertEquals(3, lines.size());
    }

    @Test
    void anExitTheCellCatchesIsStillReportedAndTheRestOfTheCellRan() throws Exception {
        assertExitGuardInstalled();
        CellError e = assertThrows(CellError.class, () -> cells.eval(
                "try { System.exit(4); } catch (Throwable ignored) { }\nint afterCaughtExit = 7;"));
        assertEquals("ExitRefusedError: System.exit(4)" + EXIT_REFUSED + "\n    at the cell", plain(e));
        assertEquals(7, cells.eval("afterCaughtExit"));
    }

    @Test
    void exitFromAThreadTheCellStartedIsReportedByTheCell() throws Exception {
        assertExitGuardInstalled();
        CellError e = assertThrows(CellError.class, () -> cells.eval(
                "Thread quitter = new Thread(() -> System.exit(5), \"quitter\");\nquitter.start();\nquitter.join();"));
        assertEquals("ExitRefusedError: System.exit(5) was called by thread 'quitter', which a cell started;"
                + " the kernel keeps running. Restart the kernel from the front end to stop it.\n    at the cell", plain(e));
        assertEquals(false, cells.eval("quitter.isAlive()"));
    }

    @Test
    void exitFromACommonPoolThreadIsReportedByTheCell() throws Exception {
        assertExitGuardInstalled();
        cells.eval("int before = 42;");
        // the common ForkJoinPool's threads (parallel streams, async tasks) belong to no group a cell made
        CellError e = assertThrows(CellError.class, () -> cells.eval(
                "var task = java.util.concurrent.ForkJoinPool.commonPool().submit(() -> System.exit(9));\n"
                        // wait without joining, which could run the task on this thread
                        + "while (!task.isDone()) Thread.onSpinWait();\ntask.join();"));
        // the worker is in the cells' group when a cell made it (JDK 17 makes it in the caller's group), else the JVM's
        assertTrue(plain(e).matches("(?s)ExitRefusedError: System\\.exit\\(9\\) was called by thread"
                + " 'ForkJoinPool\\.commonPool-worker-\\d+'(, which a cell started| \\(the common ForkJoinPool's, running a"
                + " parallel stream or async task\\)); the kernel keeps running\\. Restart the kernel from the front end to stop"
                + " it\\..*"), plain(e));
        assertEquals(43, cells.eval("before + 1"));
    }

    @Test
    void exitFromAVirtualThreadIsReportedByTheCellOnJava21AndLater() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads came with Java 21");
        assertExitGuardInstalled();
        cells.eval("int kept = 7;");
        CellError e = assertThrows(CellError.class, () -> cells.eval(
                "Thread v = Thread.ofVirtual().name(\"virtual-quitter\").start(() -> System.exit(4));\nv.join();"));
        assertEquals("ExitRefusedError: System.exit(4) was called by thread 'virtual-quitter' (a virtual thread); the kernel"
                + " keeps running. Restart the kernel from the front end to stop it.\n    at the cell", plain(e));
        assertEquals(7, cells.eval("kept"));
    }

    @Test
    void jarsAddedDuringTheSessionAreCompiledAgainstAndLoaded(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src/demo"));
        Files.writeString(src.resolve("Greeter.java"), "package demo; public class Greeter { public static String hi() { return \"hi\"; } }");
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.resolve("Greeter.java").toString()));
        Path jar = tmp.resolve("greeter.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("demo/Greeter.class"));
            out.write(Files.readAllBytes(classes.resolve("demo/Greeter.class")));
        }
        assertThrows(CompileError.class, () -> cells.eval("demo.Greeter.hi()"));
        cells.addToClasspath(jar);
        assertEquals("hi", cells.eval("demo.Greeter.hi()"));
        assertEquals(List.of(jar), cells.addedClasspath());
        assertFalse(cells.classpath().isEmpty());
        assertEquals("demo.Greeter", Class.forName("demo.Greeter", false, cells.classLoader()).getName());
    }
}
