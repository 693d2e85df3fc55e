package dev.notebench.magics.ijava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.NotebenchException;
import dev.notebench.magics.host.KernelContext;
import io.github.spencerpark.ijava.IJava;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/** Against a fake of IJava's holder class (the real IJava was checked by hand; see the issue notes). */
class IJavaSupportTest {

    @AfterEach
    void noKernel() {
        IJava.setKernelForTest(null);
    }

    @Test
    void installRegistersMagicsIntoIJavasOwnRegistryAndRenderersIntoItsRenderer(@TempDir Path tmp) throws Exception {
        IJava.FakeJavaKernel kernel = new IJava.FakeJavaKernel();
        IJava.setKernelForTest(kernel);

        KernelContext nb = IJavaSupport.install();

        assertEquals("Notebench magics installed in IJava; %lsmagic lists them", nb.toString());
        assertEquals(7, nb.magics().all().size());
        Path jar = Files.writeString(tmp.resolve("x.jar"), "");
        kernel.getMagics().applyLineMagic("jars", List.of(jar.toString()));
        assertEquals(List.of(jar.toString()), kernel.classpath);
        assertEquals(List.of(jar), nb.addedClasspath());
        assertEquals(5, nb.eval("1 + 2"));
        String html = (String) kernel.getRenderer().render(Table.create("t", IntColumn.create("x", 1)))
                .getData(MIMEType.TEXT_HTML);
        assertTrue(html.startsWith("<div class=\"notebench-table\">"), html);
        assertSame(nb, IJavaSupport.install(), "installing again changes nothing");
    }

    @Test
    void withoutARunningIJavaKernelInstallSaysWhatToDo() {
        NotebenchException e = assertThrows(NotebenchException.class, IJavaSupport::install);
        assertEquals("the IJava kernel is not running (or not built on jupyter-jvm-basekernel 2.x); run this in an IJava notebook cell",
                e.getMessage());
    }
}
