package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 02-train-gpt in a real JupyterLab 4, driven by a real headless Chromium as a person uses it
 * (notebooks/src/test/js/scenarios/train-gpt.mjs and reopen-saved.mjs): Run All, the training view
 * watched while it trains, the toolbar's interrupt, and the saved notebook opened where there is
 * no kernel; and the page helpers for widgets checked on ipywidgets' reference kernel
 * (widgets-reference.mjs). Screenshots go to build/jupyterlab/.
 */
class JupyterLabIT {
    static final int STEPS = 20; // NOTEBENCH_DEMO_STEPS: long enough to look twice, short enough for CI
    static final int EVALS = 2;  // the notebook evaluates every max(10, steps / 5) steps
    static final List<String> TRACES = List.of("train loss", "train loss (smoothed)", "val loss", "lr", "grad norm", "tokens/s");

    @TempDir
    static Path tmp;
    static Path work;
    static Path shots;
    static JsonObject run;
    static JsonObject reopened;
    static JsonObject widgets;

    /** Copies the notebook into a folder of its own (it writes ../build), runs it in JupyterLab, then reopens it without a kernel. */
    @BeforeAll
    static void runTheTrainingNotebookInJupyterLab() throws Exception {
        Path home = JupyterSandbox.projectHome();
        JupyterSandbox jupyter = JupyterSandbox.create(tmp.resolve("jupyter"));
        jupyter.env.put("NOTEBENCH_DEMO_STEPS", Integer.toString(STEPS));
        work = tmp.resolve("work");
        Files.createDirectories(work.resolve("notebooks"));
        Files.createDirectories(work.resolve("datasets/sotu"));
        Files.copy(home.resolve("datasets/sotu/sotu-sample.txt"), work.resolve("datasets/sotu/sotu-sample.txt"));
        Files.copy(home.resolve("notebooks/02-train-gpt.ipynb"), work.resolve("notebooks/02-train-gpt.ipynb"));
        shots = home.resolve("build/jupyterlab");
        JsonObject args = new JsonObject();
        args.addProperty("notebook", "notebooks/02-train-gpt.ipynb");
        try (JupyterLab lab = JupyterLab.start(jupyter, work, JupyterLab.Kernels.SANDBOX, tmp.resolve("logs"))) {
            System.out.printf(Locale.ROOT, "JupyterLab answered %.1f s after it started%n", lab.startSeconds());
            run = lab.drive("train-gpt", args, shots, Duration.ofMinutes(8));
        }
        writeReferenceWidgetsNotebook(work.resolve("widgets/reference-widgets.ipynb"));
        try (JupyterLab lab = JupyterLab.start(jupyter, work, JupyterLab.Kernels.NONE, tmp.resolve("logs"))) {
            reopened = lab.drive("reopen-saved", args, shots, Duration.ofMinutes(2));
            JsonObject widgetArgs = new JsonObject();
            widgetArgs.addProperty("notebook", "widgets/reference-widgets.ipynb");
            widgets = lab.drive("widgets-reference", widgetArgs, shots, Duration.ofMinutes(2));
        }
        System.out.println("train-gpt: " + run.get("seconds") + " s, " + result().get("secondsAfterRunAll")
                + " s after Run All; interrupt " + result().getAsJsonObject("interrupt").get("seconds") + " s; reopen-saved: "
                + reopened.get("seconds") + " s");
        System.out.println("widgets-reference: " + widgets.get("seconds") + " s");
        System.out.println("JupyterLab's own uncaught errors: " + run.get("jupyterLabErrors") + " " + reopened.get("jupyterLabErrors"));
        System.out.println("console errors: " + run.get("consoleErrors") + " " + reopened.get("consoleErrors"));
    }

    /** ipywidgets 8 with its reference kernel (Python's), to check the page helpers for widgets on. */
    private static void writeReferenceWidgetsNotebook(Path ipynb) throws IOException {
        List<String> sources = List.of("""
                import ipywidgets as w
                clicks = []
                stop = w.Button(description='Stop')
                stop.on_click(lambda _: clicks.append(1))
                w.VBox([stop, w.FloatSlider(description='temperature', min=0, max=2, value=0.8),
                        w.Text(description='prompt'), w.Textarea(description='notes')])""", """
                box = _
                print(len(clicks), [c.value for c in box.children[1:]])""");
        JsonArray cells = new JsonArray();
        for (String source : sources) {
            JsonObject cell = new JsonObject();
            cell.addProperty("cell_type", "code");
            cell.add("metadata", new JsonObject());
            cell.addProperty("source", source.strip());
            cell.add("outputs", new JsonArray());
            cell.add("execution_count", JsonNull.INSTANCE);
            cells.add(cell);
        }
        JsonObject kernelspec = new JsonObject();
        kernelspec.addProperty("name", "python3");
        kernelspec.addProperty("display_name", "Python 3 (ipykernel)");
        kernelspec.addProperty("language", "python");
        JsonObject metadata = new JsonObject();
        metadata.add("kernelspec", kernelspec);
        JsonObject nb = new JsonObject();
        nb.add("cells", cells);
        nb.add("metadata", metadata);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Files.createDirectories(ipynb.getParent());
        Files.writeString(ipynb, nb.toString(), StandardCharsets.UTF_8);
    }

    private static JsonObject result() {
        return run.getAsJsonObject("result");
    }

    private static JsonObject look(String name) {
        return result().getAsJsonObject(name);
    }

    private static List<Integer> points(JsonObject look) {
        return look.getAsJsonObject("plot").getAsJsonArray("traces").asList().stream()
                .map(t -> t.getAsJsonObject().get("points").getAsInt()).toList();
    }

    private static List<String> names(JsonObject plot) {
        return plot.getAsJsonArray("traces").asList().stream().map(t -> t.getAsJsonObject().get("name").getAsString()).toList();
    }

    private static List<String> texts(JsonArray outputs) {
        return outputs.asList().stream().map(o -> o.getAsJsonObject().get("text").getAsString()).toList();
    }

    /** The step count a progress bar's text shows, checked against its value. */
    private static int stepsShown(JsonObject look) {
        JsonObject progress = look.getAsJsonObject("progress");
        String text = progress.get("text").getAsString();
        Matcher m = Pattern.compile("^gpt-sotu: +\\d+% \\((\\d+) of " + STEPS + " steps").matcher(text);
        assertTrue(m.find(), text);
        int done = Integer.parseInt(m.group(1));
        assertEquals((double) done / STEPS, progress.get("value").getAsDouble(), 1e-4, "the bar's value is the text's fraction: " + text);
        return done;
    }

    @Test
    void jupyterLabAndItsPagesFetchNothingFromOutsideAndOutputScriptsRaiseNoError() {
        for (JsonObject scenario : List.of(run, reopened, widgets)) {
            assertEquals(new JsonArray(), scenario.getAsJsonArray("externalRequests"), scenario.get("scenario").getAsString());
            assertEquals(new JsonArray(), scenario.getAsJsonArray("pageErrors"), scenario.get("scenario").getAsString());
        }
    }

    @Test
    void theTrainingFigureGrowsInPlaceWhileTheRunTrains() {
        JsonObject first = look("first");
        JsonObject second = look("second");
        assertTrue(first.get("running").getAsBoolean() && second.get("running").getAsBoolean(), "both looks while the cell runs");
        assertEquals(TRACES, names(first.getAsJsonObject("plot")));
        assertTrue(first.get("markedPlot").getAsBoolean(), "the first look found the plot's element");
        assertTrue(second.get("samePlotNode").getAsBoolean(), "the second look sees the same plot element, updated in place");
        assertEquals(first.getAsJsonObject("plot").get("id"), second.getAsJsonObject("plot").get("id"));
        List<Integer> before = points(first);
        List<Integer> after = points(second);
        assertTrue(after.get(0) > before.get(0), "the training loss has more points: " + before + " then " + after);
        for (int t = 0; t < TRACES.size(); t++) {
            assertTrue(after.get(t) >= before.get(t), TRACES.get(t) + " lost points: " + before + " then " + after);
        }
        assertEquals(texts(first.getAsJsonArray("outputs")).size(), texts(second.getAsJsonArray("outputs")).size(),
                "no output was appended between the looks: " + first.get("outputs") + " then " + second.get("outputs"));
    }

    @Test
    void theProgressBarGrowsInPlaceWhileTheRunTrains() {
        int first = stepsShown(look("first"));
        int second = stepsShown(look("second"));
        assertTrue(first >= 1 && second > first && second < STEPS, first + " then " + second + " steps");
        assertTrue(look("first").get("markedProgress").getAsBoolean(), "the first look found the bar's output");
        assertTrue(look("second").get("sameProgressNode").getAsBoolean(), "the bar's output is replaced in place, not appended");
    }

    @Test
    void theWholeFigureIsShownWhenTheRunEnds() {
        JsonObject end = look("end");
        assertEquals(false, end.get("running").getAsBoolean());
        assertEquals(TRACES, names(end.getAsJsonObject("plot")));
        assertEquals(List.of(STEPS, STEPS, EVALS, STEPS, STEPS, STEPS), points(end));
        for (JsonElement t : end.getAsJsonObject("plot").getAsJsonArray("traces")) {
            assertEquals(STEPS, t.getAsJsonObject().get("lastX").getAsDouble(), 0, t.toString());
        }
        assertEquals(STEPS, stepsShown(end));
        List<String> outputs = texts(end.getAsJsonArray("outputs"));
        assertTrue(outputs.get(0).endsWith(" — completed"), outputs.get(0));
        assertTrue(outputs.get(outputs.size() - 1).startsWith("Result[status=completed, lastStep=" + (STEPS - 1) + ","), outputs.toString());
        // as JupyterLab drew it: the fourth panel has its title and a band below the third, the step axis sits at the bottom
        JsonObject axes = end.getAsJsonObject("plot").getAsJsonObject("axes");
        assertEquals("tokens/s", axes.getAsJsonObject("yaxis4").get("title").getAsString(), axes.toString());
        assertTrue(axes.getAsJsonObject("yaxis4").getAsJsonArray("domain").get(1).getAsDouble()
                < axes.getAsJsonObject("yaxis3").getAsJsonArray("domain").get(0).getAsDouble(), axes.toString());
        String anchor = axes.getAsJsonObject("xaxis").get("anchor").getAsString().replace("y", "yaxis");
        assertEquals(0.0, axes.getAsJsonObject(anchor).getAsJsonArray("domain").get(0).getAsDouble(), axes.toString());
    }

    @Test
    void everyCellOfTheNotebookRunsWithoutErrorInJupyterLab() {
        JsonArray cells = result().getAsJsonArray("cellOutputs");
        assertEquals(result().get("cells").getAsInt(), cells.size());
        for (JsonElement cell : cells) {
            for (JsonElement o : cell.getAsJsonArray()) {
                assertEquals(false, o.getAsJsonObject().get("error").getAsBoolean(), cell.toString());
            }
        }
        assertTrue(texts(cells.get(2).getAsJsonArray()).get(0).startsWith("My fellow Americans,"), cells.get(2).toString());
    }

    @Test
    void theToolbarsInterruptStopsTrainingWithinTwoSecondsAndLeavesACheckpoint() throws Exception {
        JsonObject interrupt = result().getAsJsonObject("interrupt");
        assertTrue(interrupt.getAsJsonObject("before").get("running").getAsBoolean());
        stepsShown(interrupt.getAsJsonObject("before"));
        double seconds = interrupt.get("seconds").getAsDouble();
        assertTrue(seconds > 0 && seconds < 2.0, "the cell stopped " + seconds + " s after the click on the interrupt button;"
                + " a step in flight finishes first: " + interrupt.getAsJsonObject("before").getAsJsonObject("progress").get("text"));

        JsonObject after = interrupt.getAsJsonObject("after");
        assertEquals(false, after.get("running").getAsBoolean());
        int done = stepsShown(after);
        List<String> outputs = texts(after.getAsJsonArray("outputs"));
        assertTrue(outputs.get(0).endsWith(" — cancelled"), outputs.get(0));
        assertEquals("Interrupted: the cell was interrupted", outputs.get(outputs.size() - 1));

        Path runDir = work.resolve("build/notebooks/runs/gpt-sotu");
        JsonObject status = Notebooks.read(runDir.resolve("status.json"));
        assertEquals("cancelled", status.get("status").getAsString());
        assertEquals(done - 1, status.get("step").getAsInt(), "the status names the last step the bar showed");
        assertTrue(Files.isDirectory(runDir.resolve(String.format(Locale.ROOT, "checkpoints/step-%08d", done - 1))),
                "a checkpoint of the last step: " + Files.list(runDir.resolve("checkpoints")).toList());
    }

    @Test
    void theSavedNotebookShowsTheFigureWhereNoKernelRuns() throws Exception {
        // on disk: the figure, drawn whole, and no script left that updates it
        JsonObject saved = Notebooks.read(work.resolve("notebooks/02-train-gpt.ipynb"));
        List<JsonObject> outputs = Notebooks.outputs(Notebooks.codeCells(saved).get(1));
        assertEquals(1, outputs.stream().filter(o -> Notebooks.data(o, "text/html").contains("class=\"notebench-figure\"")).count());
        assertTrue(outputs.stream().noneMatch(o -> Notebooks.data(o, "text/html").contains("base = [")), "no update script saved");

        // and opened by someone without the kernel: JupyterLab asks for one, "No Kernel" is picked, the figure draws
        JsonObject seen = reopened.getAsJsonObject("result");
        assertTrue(seen.get("dialog").getAsString().startsWith("Select Kernel\nSelect kernel for: \"02-train-gpt.ipynb\""),
                seen.get("dialog").getAsString());
        assertEquals("No Kernel", seen.get("kernel").getAsString());
        JsonObject plot = seen.getAsJsonObject("plot");
        assertEquals(TRACES, names(plot));
        assertEquals(points(look("end")), points(seen));
        assertEquals(look("end").getAsJsonObject("progress"), seen.getAsJsonObject("progress"));
    }

    @Test
    void thePageHelpersClickSlideAndTypeIntoIpywidgetsOfTheReferenceKernel() {
        // the helpers the Notebench widget scenarios use, on ipywidgets 8 with Python's kernel
        assertEquals(List.of("2 [1.3, 'My fellow', 'hello']"), texts(widgets.getAsJsonObject("result").getAsJsonArray("printed")));
    }

    @Test
    void screenshotsOfTheRunAreSavedUnderBuild() throws Exception {
        for (String name : List.of("02-train-gpt-midrun", "02-train-gpt-end", "02-train-gpt-interrupted", "02-train-gpt-reopened",
                "reference-widgets")) {
            Path png = shots.resolve(name + ".png");
            assertTrue(Files.size(png) > 10_000, png + " is a screenshot");
            byte[] magic = new byte[8];
            try (var in = Files.newInputStream(png)) {
                assertEquals(8, in.read(magic));
            }
            assertEquals("\u0089PNG", new String(magic, 0, 4, StandardCharsets.ISO_8859_1));
        }
    }
}
