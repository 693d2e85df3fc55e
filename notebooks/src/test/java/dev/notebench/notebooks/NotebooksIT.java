package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every notebook in notebooks/ executes top to bottom with a real Jupyter client; a failing cell
 * fails the build. Every figure of every executed notebook's export and of every report is
 * checked as drawn in a real browser ({@link VisualCheck}); screenshots go to build/screenshots/.
 */
class NotebooksIT {
    @TempDir
    static Path tmp;
    static JupyterSandbox jupyter;
    static final Map<Path, Path> executed = new HashMap<>();
    static final Map<Path, Path> exports = new HashMap<>();

    /** Installs the kernel and executes every notebook once; the tests read the results. */
    @BeforeAll
    static void executeEveryNotebook() throws Exception {
        jupyter = JupyterSandbox.create(tmp.resolve("jupyter"));
        for (Path nb : notebooks().toList()) {
            executed.put(nb, jupyter.nbconvert.execute(nb, tmp.resolve("out"), JupyterSandbox.KERNEL, Duration.ofMinutes(5)));
        }
    }

    /** The nbconvert HTML export of an executed notebook, made once. */
    static synchronized Path exported(Path notebook) throws IOException {
        if (!exports.containsKey(notebook)) {
            exports.put(notebook, jupyter.nbconvert.html(executed.get(notebook), tmp.resolve("html")));
        }
        return exports.get(notebook);
    }

    static Path screenshots() {
        return JupyterSandbox.projectHome().resolve("build/screenshots");
    }

    static Stream<Path> notebooks() throws IOException {
        try (Stream<Path> files = Files.list(JupyterSandbox.projectHome().resolve("notebooks"))) {
            return files.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("notebooks")
    void notebookIsCommittedWithoutOutputs(Path notebook) throws IOException {
        for (JsonObject cell : Notebooks.codeCells(Notebooks.read(notebook))) {
            assertEquals(List.of(), Notebooks.outputs(cell), notebook + ": commit notebooks without outputs (README)");
        }
        assertEquals(JupyterSandbox.KERNEL, Notebooks.read(notebook).getAsJsonObject("metadata")
                .getAsJsonObject("kernelspec").get("name").getAsString());
    }

    @ParameterizedTest
    @MethodSource("notebooks")
    void notebookExecutesWithoutErrorsAndExportsToHtml(Path notebook) throws IOException {
        Path done = executed.get(notebook);
        for (JsonObject cell : Notebooks.codeCells(Notebooks.read(done))) {
            for (JsonObject o : Notebooks.outputs(cell)) {
                assertTrue(!o.get("output_type").getAsString().equals("error"),
                        notebook.getFileName() + " cell " + Notebooks.source(cell) + " failed: " + o);
            }
        }
        Path html = exported(notebook);
        assertTrue(Files.size(html) > 1000, html + " is written");
    }

    @ParameterizedTest
    @MethodSource("notebooks")
    void everyFigureOfTheExecutedNotebookIsDrawnRightInItsExport(Path notebook) throws Exception {
        int figures = 0;
        for (JsonObject cell : Notebooks.codeCells(Notebooks.read(executed.get(notebook)))) {
            for (JsonObject o : Notebooks.outputs(cell)) {
                figures += count(Notebooks.data(o, "text/html"), "class=\"notebench-figure\"");
            }
        }
        String name = notebook.getFileName().toString().replace(".ipynb", "");
        VisualCheck.Result r = VisualCheck.check(exported(notebook), tmp.resolve("visual-check"),
                screenshots().resolve(name + ".png"));
        assertEquals(List.of(), r.problems(), name + ": what a person sees is wrong");
        assertEquals(List.of(), r.consoleErrors(), name + ": the export's scripts ran without errors");
        assertEquals(figures, r.drawn(), name + ": every figure the saved notebook holds is drawn");
        assertEquals(figures, r.figures().size());
    }

    @Test
    void reportsOfOneRunAndOfTwoComparedDrawEveryFigureRight() throws Exception {
        Path one = tmp.resolve("report-gpt-sotu.html");
        jupyter.launcher(List.of("report", "gpt-sotu", "--runs-dir",
                JupyterSandbox.projectHome().resolve("build/notebooks/runs").toString(), "--out", one.toString()));
        Path two = JupyterSandbox.projectHome().resolve("build/notebooks/report-04.html");
        for (Path report : List.of(one, two)) {
            String name = report.getFileName().toString().replace(".html", "");
            VisualCheck.Result r = VisualCheck.check(report, tmp.resolve("visual-check"), screenshots().resolve(name + ".png"));
            assertEquals(List.of(), r.problems(), name + ": what a person sees is wrong");
            assertEquals(List.of(), r.consoleErrors(), name + ": the report's scripts ran without errors");
            assertEquals(4, r.drawn(), name + ": loss, learning rate, gradient norm and tokens/s");
            assertEquals(4, r.figures().size());
        }
    }

    @Test
    void quickstartShowsTheKernelMagicsATableAndALivePlotThatDrawsOffline() throws Exception {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/00-quickstart.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));

        assertTrue(Notebooks.plainText(cells.get(0)).startsWith("Hello from Java " + Runtime.version().feature()),
                Notebooks.plainText(cells.get(0)));
        assertTrue(Notebooks.plainText(cells.get(0)).endsWith("[2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47]\n"));

        String lsmagic = Notebooks.plainText(cells.get(1));
        for (String magic : List.of("%classpath", "%help", "%jars", "%lsmagic", "%maven", "%mavenRepo", "%time %%time")) {
            assertTrue(lsmagic.contains("\n" + magic + " ") || lsmagic.startsWith(magic + " "), magic + " in\n" + lsmagic);
        }
        assertTrue(Notebooks.plainText(cells.get(2)).startsWith("%maven GROUP:ARTIFACT"));

        JsonObject table = Notebooks.outputs(cells.get(3)).get(0);
        assertTrue(Notebooks.data(table, "text/html").contains("spamassassin-subjects.csv: 6046 rows &times; 4 columns"),
                Notebooks.data(table, "text/html"));
        String counts = Notebooks.plainText(cells.get(4));
        assertTrue(counts.contains("ham  |   4150") && counts.contains("spam  |   1896"), counts);

        // the live plot: its display was updated in place, so the saved output is the final figure,
        // and one output loads the bundled plotly.js for the page
        List<JsonObject> plot = Notebooks.outputs(cells.get(5));
        String figure = plot.stream().map(o -> Notebooks.data(o, "text/html"))
                .filter(h -> h.contains("notebench-figure")).findFirst().orElseThrow();
        assertTrue(figure.contains("Loss (a random walk standing in for training)"), figure);
        assertEquals(1, plot.stream().filter(o -> Notebooks.data(o, "text/html").contains("plotly.js v2.35.3")).count());
        assertTrue(Notebooks.plainText(cells.get(5)).endsWith("30\n"));

        assertTrue(Notebooks.plainText(cells.get(6)).startsWith("Wall time: "), Notebooks.plainText(cells.get(6)));

        String html = Files.readString(jupyter.nbconvert.html(done, tmp.resolve("quickstart")), StandardCharsets.UTF_8);
        assertTrue(!java.util.regex.Pattern.compile("<script[^>]*src=[^>]*plot\\.?ly").matcher(html).find(),
                "the export loads no plotly from a CDN");
        assertTrue(html.contains("plotly.js v2.35.3"), "the export carries the bundled plotly.js");

        // and a real browser with no network draws the plot from it
        String dom = HeadlessBrowser.domOffline(tmp.resolve("quickstart/00-quickstart.html"), tmp.resolve("chromium"));
        assertTrue(java.util.regex.Pattern.compile("<div id=\"nbfig_[0-9a-f]{12}_\\d+\" class=\"notebench-figure js-plotly-plot\"")
                .matcher(dom).find(), "plotly drew the figure");
        assertTrue(dom.contains("Loss (a random walk standing in for training)</text>"), "the title is drawn as SVG text");
    }

    @Test
    void tokenizerNotebookTrainsBpeCharAndSentencePieceAndRoundTrips() throws IOException {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/01-tokenizer.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        String train = Notebooks.plainText(cells.get(0));
        assertTrue(train.contains("merging: 100% (2000 of 2000 tokens"), train);
        assertTrue(train.contains("character coverage  |                    1  |"), train);
        assertTrue(Notebooks.plainText(cells.get(1)).endsWith("true\n"), "any UTF-8 round-trips: " + Notebooks.plainText(cells.get(1)));
        assertTrue(Notebooks.plainText(cells.get(2)).contains("␣continue"), Notebooks.plainText(cells.get(2)));
        String sweep = Notebooks.plainText(cells.get(3));
        assertTrue(sweep.contains("vocabulary sweep") && sweep.contains("  8000  |"), sweep);
        assertTrue(Notebooks.plainText(cells.get(4)).contains("(vocab 93)"), Notebooks.plainText(cells.get(4)));
        assertTrue(Notebooks.plainText(cells.get(5)).contains("spm-sotu-2k (vocab 2000)"), Notebooks.plainText(cells.get(5)));
    }

    @Test
    void gptNotebookTrainsSamplesScoresAndEvaluates() throws IOException {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/02-train-gpt.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        String train = Notebooks.plainText(cells.get(1));
        assertTrue(train.contains("gpt-sotu: 100% (30 of 30 steps") && train.contains(" — completed"), train);
        assertTrue(train.contains("Result[status=completed, lastStep=29"), train);
        assertTrue(Notebooks.plainText(cells.get(2)).startsWith("My fellow Americans,"), Notebooks.plainText(cells.get(2)));
        assertTrue(Notebooks.plainText(cells.get(3)).startsWith("loss "), Notebooks.plainText(cells.get(3)));
        assertTrue(Notebooks.plainText(cells.get(4)).contains("best (step 30)"), Notebooks.plainText(cells.get(4)));
        assertTrue(java.util.regex.Pattern.compile("gpt-sotu +\\| +gpt +\\| +completed +\\| +30 +\\|")
                .matcher(Notebooks.plainText(cells.get(5))).find(), Notebooks.plainText(cells.get(5)));
    }

    @Test
    void charLstmNotebookTrainsAndGenerates() throws IOException {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/03-char-lstm.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        assertTrue(Notebooks.plainText(cells.get(1)).contains("Result[status=completed, lastStep=29"), Notebooks.plainText(cells.get(1)));
        assertTrue(Notebooks.plainText(cells.get(2)).startsWith("The "), Notebooks.plainText(cells.get(2)));
    }

    @Test
    void liveMetricsNotebookPlotsLiveComparesRunsAndWritesAReportThatDrawsOffline() throws Exception {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/04-live-metrics.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        for (int run = 1; run <= 2; run++) {
            List<JsonObject> outs = Notebooks.outputs(cells.get(run));
            String figure = outs.stream().map(o -> Notebooks.data(o, "text/html"))
                    .filter(h -> h.contains("notebench-figure")).findFirst().orElseThrow();
            assertTrue(figure.contains("Training: lr-" + (run == 1 ? "3e-3" : "1e-3")), figure);
            assertTrue(outs.stream().anyMatch(o -> o.has("data") && Notebooks.data(o, "text/html").isEmpty()),
                    "the script output is emptied when the run ends");
            assertTrue(outs.stream().noneMatch(o -> Notebooks.data(o, "text/html").contains("base = [")),
                    "the saved notebook holds plain figures, no update scripts");
            assertTrue(Notebooks.plainText(cells.get(run)).contains("Result[status=completed, lastStep=29"),
                    Notebooks.plainText(cells.get(run)));
        }
        String summary = Notebooks.plainText(cells.get(3));
        for (String run : List.of("lr-3e-3", "lr-1e-3")) {
            assertTrue(java.util.regex.Pattern.compile(run + " +\\| +[0-9.]+ +\\| +6 +\\|").matcher(summary).find(), summary);
        }
        assertTrue(Notebooks.plainText(cells.get(4)).contains("train loss"), Notebooks.plainText(cells.get(4)));
        Path report = JupyterSandbox.projectHome().resolve("build/notebooks/report-04.html");
        assertTrue(Notebooks.plainText(cells.get(5)).startsWith("Report written to " + report.toAbsolutePath().normalize()),
                Notebooks.plainText(cells.get(5)));

        // a real browser with the network off draws the report's plots: 2 runs x 6 evaluations as markers
        // (the visual checks save the screenshots)
        HeadlessBrowser.Page page = HeadlessBrowser.open(report, tmp.resolve("chromium-report"), null);
        assertEquals(List.of(), page.consoleErrors(), "the report's scripts ran without errors");
        assertEquals(4, count(page.dom(), "class=\"notebench-figure js-plotly-plot\""), "four figures drew");
        assertEquals(12, count(page.dom(), "class=\"point\""), "one marker per evaluation");
        // and the nbconvert export of the notebook: two live plots and the overlay
        Path html = exported(JupyterSandbox.projectHome().resolve("notebooks/04-live-metrics.ipynb"));
        HeadlessBrowser.Page export = HeadlessBrowser.open(html, tmp.resolve("chromium-export"), null);
        assertEquals(List.of(), export.consoleErrors(), "the export's scripts ran without errors");
        assertEquals(3, count(export.dom(), "class=\"notebench-figure js-plotly-plot\""), "three figures drew");
        assertEquals(6 + 6 + 12, count(export.dom(), "class=\"point\""), "each live plot has its 6 evaluations");
    }

    @Test
    void aLivePlotSendsOnlyNewPointsWhileTheRunTrainsThenTheWholeFigure() throws Exception {
        Path script = JupyterSandbox.projectHome().resolve("notebooks/src/test/python/live_plot_messages.py");
        ProcessBuilder pb = new ProcessBuilder(jupyter.python().toString(), script.toString(), JupyterSandbox.KERNEL,
                JupyterSandbox.projectHome().resolve("notebooks/04-live-metrics.ipynb").toString(), "2") // tokenizer, first run
                .redirectError(tmp.resolve("live-stderr.txt").toFile());
        pb.environment().putAll(jupyter.env);
        pb.environment().put("NOTEBENCH_DEMO_STEPS", "200"); // long enough for several refreshes
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the protocol script timed out");
        assertEquals(0, p.exitValue(), out + Files.readString(tmp.resolve("live-stderr.txt")));
        com.google.gson.JsonArray cells = com.google.gson.JsonParser.parseString(out.strip()).getAsJsonArray();
        List<JsonObject> train = cells.get(1).getAsJsonArray().asList().stream().map(e -> e.getAsJsonObject()).toList();
        assertTrue(train.stream().noneMatch(m -> m.get("type").getAsString().equals("error")), train.toString());
        int figure = train.stream().filter(m -> m.get("type").getAsString().equals("display_data") && m.get("figure").getAsBoolean())
                .findFirst().orElseThrow().get("display").getAsInt();
        int delta = train.stream().filter(m -> m.get("type").getAsString().equals("display_data")
                && m.get("display").getAsInt() > figure).findFirst().orElseThrow().get("display").getAsInt();
        List<JsonObject> extends_ = train.stream().filter(m -> m.get("extend").getAsBoolean()).toList();
        assertTrue(extends_.size() >= 3, "several updates with new points: " + train);
        assertTrue(extends_.stream().allMatch(m -> m.get("type").getAsString().equals("update_display_data")
                && m.get("display").getAsInt() == delta), train.toString());
        List<JsonObject> figureUpdates = train.stream().filter(m -> m.get("display").getAsInt() == figure
                && m.get("type").getAsString().equals("update_display_data")).toList();
        assertTrue(figureUpdates.size() < extends_.size(), "the whole figure is sent less often than new points: " + train);
        JsonObject last = train.stream().filter(m -> m.get("display").getAsInt() == delta).reduce((a, b) -> b).orElseThrow();
        assertTrue(last.get("empty").getAsBoolean(), "the script output ends empty");
        JsonObject lastFigure = figureUpdates.get(figureUpdates.size() - 1);
        assertTrue(lastFigure.get("figure").getAsBoolean());
    }

    @Test
    void embeddingsNotebookCachesEmbeddingsFindsNeighboursAndArrangesTheTree() throws IOException {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/05-embeddings.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        String first = Notebooks.plainText(cells.get(1));
        assertTrue(first.startsWith("embedding with all-minilm-l6-v2: 100% (6 of 6 texts, "), "a progress bar: " + first);
        assertTrue(first.contains("\n6 texts: 0 from the cache, 6 computed (all-minilm-l6-v2, 384-d)"), first);
        String again = Notebooks.plainText(cells.get(2));
        assertTrue(again.contains("\n2 texts: 1 from the cache, 1 computed"), again);
        assertTrue(java.util.regex.Pattern.compile("lion +\\| +tiger +\\|").matcher(again).find(), again);
        assertTrue(java.util.regex.Pattern.compile("all-minilm-l6-v2 +\\| +7 +\\|").matcher(Notebooks.plainText(cells.get(3)))
                .find(), Notebooks.plainText(cells.get(3)));
        String arranged = Notebooks.plainText(cells.get(4));
        assertTrue(arranged.startsWith("366 nodes arranged"), arranged);
        assertTrue(arranged.contains("- name: canine  # nearest sibling: feline ("), arranged);
        assertTrue(java.util.regex.Pattern.compile("-\n +big cat +\\|").matcher(Notebooks.plainText(cells.get(5))).find(),
                "'big cat' is nearest 'a big striped cat': " + Notebooks.plainText(cells.get(5)));
        assertTrue(java.util.regex.Pattern.compile("all-minilm-l6-v2 +\\| +3[0-9]{2} +\\|").matcher(Notebooks.plainText(cells.get(6)))
                .find(), Notebooks.plainText(cells.get(6)));
    }

    @Test
    void enrichNotebookLabelsEverySubjectOfflineAndUsesTheLibraryOnATable() throws IOException {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/06-enrich.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        String magic = Notebooks.plainText(cells.get(0));
        assertTrue(magic.startsWith("enriching: 100% (6046 of 6046 rows, "), "a progress bar: " + magic);
        assertTrue(magic.contains("\n6046 of 6046 rows labelled, 0 failed; written to ../build/notebooks/spam-labelled.csv"), magic);
        assertTrue(java.util.regex.Pattern.compile("calls +\\| +95 +\\|").matcher(magic).find(), magic);
        String accuracy = Notebooks.plainText(cells.get(1));
        assertTrue(java.util.regex.Pattern.compile("^accuracy 8[0-9]\\.[0-9]% on 6046 rows \\(majority baseline 68\\.6%\\)")
                .matcher(accuracy).find(), accuracy);
        String library = Notebooks.plainText(cells.get(2));
        assertTrue(java.util.regex.Pattern.compile("Payment failed for order 1182 +\\| +true +\\| +false +\\| +false +\\|")
                .matcher(library).find(), library);
        assertTrue(java.util.regex.Pattern.compile("The server is down again and users cannot log in +\\| +false +\\| +false +\\|"
                + " +true +\\|").matcher(library).find(), library);
        String fromVariable = Notebooks.plainText(cells.get(4));
        assertTrue(fromVariable.contains("4 of 4 rows labelled, 0 failed; written to ../build/notebooks/tickets.csv"), fromVariable);
        assertTrue(java.util.regex.Pattern.compile("Please refund my last order +\\| +billing +\\|").matcher(fromVariable).find(),
                fromVariable);
        assertTrue(java.util.regex.Pattern.compile("The app crashes when I log in +\\| +bug +\\|").matcher(fromVariable).find(),
                fromVariable);
        String dryRun = Notebooks.plainText(cells.get(5));
        assertTrue(java.util.regex.Pattern.compile("calls +\\| +605 +\\|").matcher(dryRun).find(), dryRun);
        assertTrue(dryRun.contains("The first call's request (messages and response_format; headers and the key are never shown):"),
                dryRun);
        String cascade = Notebooks.plainText(cells.get(cells.size() - 1));
        assertTrue(java.util.regex.Pattern.compile("cascade: [0-9]+ of 6046 rows kept the cheap answer \\(local:all-minilm-l6-v2\\),"
                + " [0-9]+ the expensive one \\(local\\); threshold [01]\\.[0-9]{3}; ").matcher(cascade).find(), cascade);
        assertTrue(java.util.regex.Pattern.compile("cheap: every row +\\| +local:all-minilm-l6-v2 +\\| +6046 +\\|").matcher(cascade)
                .find(), cascade);
        assertTrue(cascade.contains("the chosen threshold meets an accuracy of 75% on the 6006 rows the sample was drawn from with"
                + " probability at least 0.9"), cascade);
    }

    @Test
    void associationsNotebookFindsRelationsInParallelAsSequentiallyAndReadsUserPatterns() throws IOException {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/07-associations.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        String magic = Notebooks.plainText(cells.get(0));
        assertTrue(java.util.regex.Pattern.compile("\\n40 concepts, 12675 sentences: [0-9]+ associations, 0 failed concepts, [0-9]+"
                + " co-occurring pairs; ").matcher(magic).find(), magic);
        assertTrue(java.util.regex.Pattern.compile("union +\\| +has-property +\\| +strong +\\|").matcher(magic).find(), magic);
        assertTrue(java.util.regex.Pattern.compile("state +\\| +united +\\| +204 +\\|").matcher(magic).find(), magic);
        String library = Notebooks.plainText(cells.get(1));
        assertTrue(library.startsWith("6046 subjects, "), library);
        assertTrue(library.contains(" threads give the same: true"), library);
        String mine = Notebooks.plainText(cells.get(2));
        assertTrue(java.util.regex.Pattern.compile("Aspirin +\\| +treats +\\| +headaches +\\|").matcher(mine).find(), mine);
        assertTrue(java.util.regex.Pattern.compile("Microsoft +\\| +acquired +\\| +GitHub +\\|").matcher(mine).find(), mine);
        assertTrue(java.util.regex.Pattern.compile("it +\\| +acquired +\\| +npm").matcher(mine).find() == false, mine);
        assertEquals("broken.txt, line 1: a pattern needs one {S} and one {T} slot; '{S} treats' has 1 and 0\n",
                Notebooks.plainText(cells.get(3)));
        assertTrue(Notebooks.plainText(cells.get(4)).startsWith("digraph associations {\n  node [shape=box];\n"));
        assertTrue(Files.readString(JupyterSandbox.projectHome().resolve("build/notebooks/sotu-associations.graphml"))
                .contains("<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">"));
    }

    @Test
    void pretrainedNotebookTrainsALlamaExportsItLoadsItBackAndLoraLowersItsLossOnHeldOutSpam() throws Exception {
        Path done = executed.get(JupyterSandbox.projectHome().resolve("notebooks/09-pretrained.ipynb"));
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(done));
        Path hf = JupyterSandbox.projectHome().resolve("build/notebooks/hf");
        String train = Notebooks.plainText(cells.get(1));
        assertTrue(train.contains("llama-sotu: 100% (30 of 30 steps") && train.contains(" — completed"), train);
        assertTrue(train.contains("Result[status=completed, lastStep=29"), train);

        String export = Notebooks.plainText(cells.get(2));
        assertTrue(export.startsWith("Exported to " + hf.resolve("llama-sotu") + "\n"), export);
        for (String file : List.of("config.json", "generation_config.json", "model.safetensors", "tokenizer.json",
                "tokenizer_config.json")) {
            assertTrue(java.util.regex.Pattern.compile("\n +" + java.util.regex.Pattern.quote(file) + " +\\| +[0-9]+ +\\|")
                    .matcher(export).find(), file + " in\n" + export);
        }
        String config = Files.readString(hf.resolve("llama-sotu/config.json"));
        assertTrue(config.contains("\"architectures\": [\n    \"LlamaForCausalLM\"\n  ]") && config.contains("\"num_key_value_heads\": 2"),
                config);

        String score = Notebooks.plainText(cells.get(3));
        assertTrue(java.util.regex.Pattern.compile("^loss [0-9.]+ nats/token, perplexity [0-9.]+ over 9 tokens\n").matcher(score).find(),
                score);
        assertTrue(java.util.regex.Pattern.compile("\n +6 +\\| +␣Union +\\| +[0-9]+\\.[0-9]{3} +\\|").matcher(score).find(), score);
        assertTrue(Notebooks.plainText(cells.get(4)).startsWith("My fellow Americans,"), Notebooks.plainText(cells.get(4)));
        assertEquals("1522 spam subjects to train on, 170 held out; 263 ham subjects held out\n", Notebooks.plainText(cells.get(5)));

        String lora = Notebooks.plainText(cells.get(6));
        assertTrue(lora.contains("lora-spam: 100% (100 of 100 steps") && lora.contains(" — completed"), lora);
        String manifest = Files.readString(JupyterSandbox.projectHome().resolve("build/notebooks/runs-09/lora-spam/manifest.json"));
        assertTrue(manifest.contains("\"lora\": {\n        \"r\": 8,\n        \"lora_alpha\": 16.0,"), manifest);

        String table = Notebooks.plainText(cells.get(7));
        double[] change = new double[2];
        for (int i = 0; i < 2; i++) {
            String subjects = List.of("spam", "ham").get(i);
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("\n +" + subjects
                    + " +\\| +([0-9.]+) +\\| +([0-9.]+) +\\| +(-?[0-9.]+) +\\|").matcher(table);
            assertTrue(row.find(), subjects + " in\n" + table);
            change[i] = Double.parseDouble(row.group(2)) - Double.parseDouble(row.group(1));
        }
        assertTrue(change[0] < 0, "LoRA lowered the loss on the held-out spam subjects:\n" + table);
        assertTrue(change[0] < change[1], "and more than on the ham subjects:\n" + table);
        assertTrue(Notebooks.plainText(cells.get(8)).startsWith("FREE"), Notebooks.plainText(cells.get(8)));

        assertTrue(Notebooks.plainText(cells.get(9)).startsWith("Exported to " + hf.resolve("llama-spam")), Notebooks.plainText(cells.get(9)));
        try (dev.notebench.safetensors.SafetensorsReader merged = dev.notebench.safetensors.SafetensorsReader.open(hf.resolve("llama-spam"))) {
            assertTrue(merged.names().contains("model.layers.1.mlp.down_proj.weight"), merged.names().toString());
            assertTrue(merged.names().stream().noneMatch(n -> n.contains("lora_")), "the adapters are merged: " + merged.names());
        }

        // build/pyenv has transformers here (.ci/install-deps): both checkpoints give its logits
        String agree = Notebooks.plainText(cells.get(10));
        assertTrue(agree.contains("Notebench vs transformers 5."), agree);
        for (String checkpoint : List.of("llama-sotu", "llama-spam")) {
            java.util.regex.Matcher row = java.util.regex.Pattern.compile("\n +" + checkpoint
                    + " +\\| +true +\\| +20000 +\\| +([0-9.]+e[-+][0-9]+) +\\|").matcher(agree);
            assertTrue(row.find(), checkpoint + " in\n" + agree);
            assertTrue(Double.parseDouble(row.group(1)) <= 1e-4, checkpoint + ": logits within 1e-4 of transformers'\n" + agree);
        }
    }

    @Test
    void sparkNotebookEmbedsLabelsAndExtractsOnLocal2AsTheLocalApiWithAProgressBarPerQuery() throws IOException {
        List<JsonObject> cells = Notebooks.codeCells(Notebooks.read(executed.get(JupyterSandbox.projectHome()
                .resolve("notebooks/10-spark.ipynb"))));
        String maven = Notebooks.plainText(cells.get(0));
        assertTrue(java.util.regex.Pattern.compile("Resolved org\\.apache\\.spark:spark-sql_2\\.13:4\\.2\\.0: added [0-9]+ jars "
                + "\\([0-9]+ MB\\); [0-9]+ already on the classpath: [^\n]*\\. \\(--verbose lists them\\)\n").matcher(maven).matches(),
                "one line, the jars listed only with --verbose:\n" + maven);
        int conflicts = maven.indexOf("another version already on the classpath:");
        assertTrue(conflicts < 0 || !maven.substring(conflicts).contains("jackson"),
                "Spark's Jackson is the kernel's own, not a second version beside it:\n" + maven);
        assertTrue(Notebooks.plainText(cells.get(1)).contains("toolkit/spark/target/notebench-spark-"), Notebooks.plainText(cells.get(1)));
        assertTrue(Notebooks.plainText(cells.get(2)).endsWith("Spark 4.2.0 on local[2]\n"), Notebooks.plainText(cells.get(2)));

        String data = Notebooks.plainText(cells.get(3));
        assertTrue(java.util.regex.Pattern.compile("Spark query [0-9]+ \\(collectAsList at SparkTables\\.java:[0-9]+\\): 100% \\(")
                .matcher(data).find(), "a progress bar, drawn to the end: " + data);
        assertTrue(java.util.regex.Pattern.compile("ham +\\| +277 +\\|").matcher(data).find()
                && java.util.regex.Pattern.compile("spam +\\| +123 +\\|").matcher(data).find(), data);

        String vectors = Notebooks.plainText(cells.get(4));
        assertTrue(java.util.regex.Pattern.compile("Spark query [0-9]+ \\(collectAsList at [^)]*\\): 100% \\(2 of 2 tasks, ")
                .matcher(vectors).find(), vectors);
        assertTrue(Notebooks.outputs(cells.get(4)).stream().anyMatch(o -> Notebooks.data(o, "text/html")
                .contains("<progress value=\"1.0000\" max=\"1\"")), "an HTML bar, full");
        java.util.regex.Matcher diff = java.util.regex.Pattern.compile("\nvectors: max \\|diff\\| = ([0-9.E-]+) over 400 rows of 384"
                + " dimensions\n").matcher(vectors);
        assertTrue(diff.find(), vectors);
        assertTrue(Double.parseDouble(diff.group(1)) <= 1e-6, "the local model's vectors within 1e-6: " + vectors);

        String labels = Notebooks.plainText(cells.get(5));
        assertTrue(labels.contains("\nlabels: identical (400 of 400 rows the same as locally)\n"), labels);

        String associations = Notebooks.plainText(cells.get(6));
        assertTrue(java.util.regex.Pattern.compile("\nassociations: identical \\([1-9][0-9]* records\\), co-occurrence: identical"
                + " \\([1-9][0-9]* pairs\\)\n").matcher(associations).find(), associations);
        assertTrue(java.util.regex.Pattern.compile("Spark job [0-9]+ \\(zipWithIndex at SparkAssociations\\.java:[0-9]+\\): 100% ")
                .matcher(associations).find(), "RDD jobs have bars too: " + associations);
        assertTrue(java.util.regex.Pattern.compile("american +\\| +people +\\| +66 +\\|").matcher(associations).find(), associations);
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
