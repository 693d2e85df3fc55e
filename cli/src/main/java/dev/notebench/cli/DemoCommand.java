package dev.notebench.cli;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.OutputGuard;
import dev.notebench.files.TextFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./notebench demo}: the main job on embedded defaults. Installs the kernel into a
 * private Jupyter directory, executes the demo notebooks with nbconvert and writes each as an
 * executed {@code .ipynb} and a self-contained {@code .html}. Needs no API key, GPU or network.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the demo notebooks with the Notebench kernel and export them to HTML.",
                "Uses Jupyter's nbconvert; without one, installs it into " + Nbconvert.VENV + " with pip."})
final class DemoCommand implements Callable<Integer> {
    static final List<String> NOTEBOOKS = List.of("notebooks/00-quickstart.ipynb", "notebooks/01-tokenizer.ipynb",
            "notebooks/02-train-gpt.ipynb", "notebooks/03-char-lstm.ipynb", "notebooks/04-live-metrics.ipynb",
            "notebooks/05-embeddings.ipynb", "notebooks/06-enrich.ipynb",
            "notebooks/07-associations.ipynb", "notebooks/08-widgets.ipynb", "notebooks/09-pretrained.ipynb");

    @Parameters(paramLabel = "NOTEBOOK", arity = "0..*",
            description = "Notebooks to run (default: the demo notebooks under notebooks/).")
    List<Path> notebooks = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "build/demo",
            description = "Output directory, relative to the project (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--cell-timeout", paramLabel = "SECONDS", defaultValue = "600", converter = Numbers.PositiveCount.class,
            description = "The longest one cell may run (default: ${DEFAULT-VALUE}).")
    int cellTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path home = Notebench.home();
        Path outDir = home.resolve(out).normalize();
        Path jupyterDir = outDir.resolve("jupyter");
        List<Path> todo = new ArrayList<>();
        for (Path nb : notebooks.isEmpty() ? NOTEBOOKS.stream().map(Path::of).toList() : notebooks) {
            todo.add(home.resolve(nb).normalize());
        }
        OutputGuard.Builder guard = OutputGuard.builder();
        for (Path notebook : todo) {
            try {
                com.google.gson.JsonParser.parseString(TextFiles.readUtf8(notebook, "the notebook")).getAsJsonObject().get("cells")
                        .getAsJsonArray();
            } catch (RuntimeException e) {
                if (e instanceof NotebenchException n) {
                    throw n;
                }
                throw new NotebenchException(ErrorCode.DATA_INVALID, notebook + " is not a Jupyter notebook (.ipynb JSON with"
                        + " cells); give a notebook");
            }
            String name = notebook.getFileName().toString();
            guard.input("the notebook", notebook).output("--out", outDir.resolve(name))
                    .output("--out", outDir.resolve(name.replaceFirst("\\.ipynb$", "") + ".html"));
        }
        guard.build().check();
        var log = spec.commandLine().getErr();
        Nbconvert nbconvert = Nbconvert.find(home).orElseGet(() -> {
            log.println("notebench: no Jupyter with nbconvert found; installing one into " + home.resolve(Nbconvert.VENV) + " ...");
            return Nbconvert.install(home);
        });
        Files.createDirectories(outDir);
        Path kernel = KernelCommand.Install.install(jupyterDir.resolve("kernels"), "notebench",
                "Java (Notebench)", List.of(), null);
        log.println("notebench: kernel installed in " + kernel + "; running with " + nbconvert.jupyter());
        Nbconvert nb = nbconvert.withEnv(Map.of(
                "JUPYTER_PATH", jupyterDir.toString(),
                "JUPYTER_RUNTIME_DIR", jupyterDir.resolve("runtime").toString()));
        for (Path notebook : todo) {
            long start = System.nanoTime();
            Path executed = nb.execute(notebook, outDir, "notebench", Duration.ofSeconds(cellTimeout));
            Path html = nb.html(executed, outDir);
            spec.commandLine().getOut().printf("%s -> %s (%.1f s)%n", home.relativize(notebook),
                    home.relativize(html), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
