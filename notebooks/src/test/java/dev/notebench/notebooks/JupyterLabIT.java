package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 02-train-gpt in a real JupyterLab 4, driven by a real headless Chromium as a person uses it
 * (notebooks/src/test/js/scenarios/train-gpt.mjs and reopen-saved.mjs): Run All, the training view
 * watched while it trains, the toolbar's interrupt, and the saved notebook opened where there is
 * no kernel. Notebench's widgets as a person uses them: the Stop and Checkpoint-now buttons under a
 * running {@code %train} (train-stop.mjs), and in 08-widgets a slider moved before the next cell
 * runs and the {@code %generate --interactive} form (widgets-demo.mjs). The page helpers for widgets
 * are checked on ipywidgets' reference kernel (widgets-reference.mjs). One server with the Notebench
 * kernel serves the scenarios that need it. Screenshots go to build/jupyterlab/.
 */
class JupyterLabIT {
    static final int STEPS = 20; // NOTEBENCH_DEMO_STEPS: long enough to look twice, short enough for CI
    static final int EVALS = 2;  // the notebook evaluates every max(10, steps / 5) steps
    static final List<String> TRACES = List.of("train loss", "train loss (smoothed)", "val loss", "lr", "grad norm", "tokens/s");
    static final String PROMPT = "The state of our Union"; // typed into the generate form
    static final int STOP_ME_STEPS = 100_000; // the %train that is stopped: far more steps than it gets to

    @TempDir
    static Path tmp;
    static Path work;
    static Path shots;
    static JsonObject run;
    static JsonObject reopened;
    static JsonObject widgets;
    static JsonObject trainStop;
    static JsonObject widgetsDemo;
    static JupyterSandbox jupyter;

    /**
     * Copies the notebooks into a folder of their own (they write ../build), runs them in JupyterLab,
     * then reopens 02-train-gpt without a kernel.
     */
    @BeforeAll
    static void runTheNotebooksInJupyterLab() throws Exception {
        Path home = JupyterSandbox.projectHome();
        jupyter = JupyterSandbox.create(tmp.resolve("jupyter"));
        jupyter.env.put("NOTEBENCH_DEMO_STEPS", Integer.toString(STEPS));
        work = tmp.resolve("work");
        Files.createDirectories(work.resolve("notebooks"));
        Files.createDirectories(work.resolve("datasets/sotu"));
        Files.copy(home.resolve("datasets/sotu/sotu-sample.txt"), work.resolve("datasets/sotu/sotu-sample.txt"));
        Files.copy(home.resolve("notebooks/02-train-gpt.ipynb"), work.resolve("notebooks/02-train-gpt.ipynb"));
        Files.copy(home.resolve("notebooks/08-widgets.ipynb"), work.resolve("notebooks/08-widgets.ipynb"));
        writeTrainStopNotebook(work.resolve("widgets/train-stop.ipynb"));
        writeReferenceWidgetsNotebook(work.resolve("widgets/reference-widgets.ipynb"));
        shots = home.resolve("build/jupyterlab");
        JsonObject args = notebook("notebooks/02-train-gpt.ipynb");
        try (JupyterLab lab = JupyterLab.start(jupyter, work, JupyterLab.Kernels.SANDBOX, tmp.resolve("logs"))) {
            System.out.printf(Locale.ROOT, "JupyterLab answered %.1f s after it started%n", lab.startSeconds());
            run = lab.drive("train-gpt", args, shots, Duration.ofMinutes(8));
            trainStop = lab.drive("train-stop", notebook("widgets/train-stop.ipynb"), shots, Duration.ofMinutes(4));
            JsonObject demoArgs = notebook("notebooks/08-widgets.ipynb");
            demoArgs.addProperty("prompt", PROMPT);
            widgetsDemo = lab.drive("widgets-demo", demoArgs, shots, Duration.ofMinutes(4));
        }
        try (JupyterLab lab = JupyterLab.start(jupyter, work, JupyterLab.Kernels.NONE, tmp.resolve("logs"))) {
            reopened = lab.drive("reopen-saved", args, shots, Duration.ofMinutes(2));
            widgets = lab.drive("widgets-reference", notebook("widgets/reference-widgets.ipynb"), shots, Duration.ofMinutes(2));
        }
        System.out.println("train-gpt: " + run.get("seconds") + " s, " + result().get("secondsAfterRunAll")
                + " s after Run All; interrupt " + result().getAsJsonObject("interrupt").get("seconds") + " s; reopen-saved: "
                + reopened.get("seconds") + " s");
        System.out.println("train-stop: " + trainStop.get("seconds") + " s, the cell ended "
                + trainStop.getAsJsonObject("result").get("seconds") + " s after Stop was clicked; widgets-demo: "
                + widgetsDemo.get("seconds") + " s; widgets-reference: " + widgets.get("seconds") + " s");
        for (JsonObject scenario : List.of(run, trainStop, widgetsDemo, reopened, widgets)) {
            System.out.println(scenario.get("scenario").getAsString() + ": JupyterLab's own uncaught errors "
                    + distinct(scenario.getAsJsonArray("jupyterLabErrors")) + ", console errors "
                    + distinct(scenario.getAsJsonArray("consoleErrors")));
        }
    }

    /** Each message once, with how often it came (its first line: JupyterLab's debugger throws the same one per cell). */
    private static Map<String, Long> distinct(JsonArray messages) {
        return messages.asList().stream().map(m -> m.getAsString().split(" \\| ", 2)[0])
                .collect(Collectors.groupingBy(m -> m, TreeMap::new, Collectors.counting()));
    }

    private static JsonObject notebook(String path) {
        JsonObject args = new JsonObject();
        args.addProperty("notebook", path);
        return args;
    }

    /**
     * A character tokenizer, then a {@code %train} far longer than the test waits (it is stopped):
     * its speed does not matter.
     */
    private static void writeTrainStopNotebook(Path ipynb) throws IOException {
        Notebooks.writeCodeCells(ipynb, JupyterSandbox.KERNEL, "Java (Notebench)", "java", List.of(
                "%tokenizer train --type char --corpus ../datasets/sotu/sotu-sample.txt --holdout 0 --out ../build/widgets/chars",
                "%train --tokenizer ../build/widgets/chars --corpus ../datasets/sotu/sotu-sample.txt --set n_layer=1 --set n_head=2"
                        + " --set d_model=32 --set seq_len=32 --batch 4 --steps " + STOP_ME_STEPS + " --eval-every " + STOP_ME_STEPS
                        + " --runs-dir ../build/widgets/runs --run-id stop-me"));
    }

    /** ipywidgets 8 with its reference kernel (Python's), to check the page helpers for widgets on. */
    private static void writeReferenceWidgetsNotebook(Path ipynb) throws IOException {
        Notebooks.writeCodeCells(ipynb, "python3", "Python 3 (ipykernel)", "python", List.of("""
                import ipywidgets as w
                clicks = []
                stop = w.Button(description='Stop')
                stop.on_click(lambda _: clicks.append(1))
                w.VBox([stop, w.FloatSlider(description='temperature', min=0, max=2, value=0.8),
                        w.Text(description='prompt'), w.Textarea(description='notes')])""", """
                box = _
                print(len(clicks), [c.value for c in box.children[1:]])"""));
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
        for (JsonObject scenario : List.of(run, trainStop, widgetsDemo, reopened, widgets)) {
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

    /** Parses what a scenario's widgets() returned, as written in a test: {@code json("[{\"kind\": \"label\", ...}]")}. */
    private static JsonElement json(String text) {
        return JsonParser.parseString(text);
    }

    @Test
    void theStopButtonUnderARunningTrainStopsItAfterTheCheckpointAskedFor() throws Exception {
        JsonObject seen = trainStop.getAsJsonObject("result");
        assertEquals(json("""
                [{"kind": "button", "text": "Stop", "enabled": true, "style": "mod-danger"},
                 {"kind": "button", "text": "Checkpoint now", "enabled": true, "style": ""},
                 {"kind": "label", "text": ""}]"""), seen.get("shown"), "the buttons under the running view");

        // Checkpoint now: the note names the checkpoint, the buttons stay, the run goes on
        JsonArray saved = seen.getAsJsonArray("saved");
        Matcher note = Pattern.compile("checkpoint saved after step (\\d+) \\(step-(\\d{8})\\)")
                .matcher(saved.get(2).getAsJsonObject().get("text").getAsString());
        assertTrue(note.matches(), saved.toString());
        int asked = Integer.parseInt(note.group(2));
        assertEquals(asked + 1, Integer.parseInt(note.group(1)), "step-N holds N+1 steps: " + note.group());
        assertTrue(asked >= 3, "asked for after the third step: " + note.group());
        assertEquals(seen.get("shown").getAsJsonArray().get(0), saved.get(0));
        assertEquals(seen.get("shown").getAsJsonArray().get(1), saved.get(1));
        assertTrue(seen.get("running").getAsBoolean(), "the run goes on after Checkpoint now");

        // Stop: the view says cancelled, the buttons are gone, the kernel is idle
        JsonObject stopped = seen.getAsJsonObject("stopped");
        String progress = stopped.getAsJsonObject("progress").get("text").getAsString();
        Matcher bar = Pattern.compile("^stop-me: +0% \\((\\d+) of 100\\.0k steps, .* — cancelled$").matcher(progress);
        assertTrue(bar.matches(), progress);
        int done = Integer.parseInt(bar.group(1));
        assertTrue(done > asked + 1 && done < STOP_ME_STEPS, "stopped after the checkpoint asked for, long before its end: " + progress);
        assertEquals(JsonNull.INSTANCE, stopped.get("controls"), "the buttons close when the run ends");
        assertEquals("idle", stopped.get("kernel").getAsString());
        for (JsonElement o : stopped.getAsJsonArray("outputs")) {
            assertEquals(false, o.getAsJsonObject().get("error").getAsBoolean(), stopped.toString());
        }

        // on disk: cancelled at the step the bar showed last, with the checkpoint asked for and the one Stop left
        Path runDir = work.resolve("build/widgets/runs/stop-me");
        JsonObject status = Notebooks.read(runDir.resolve("status.json"));
        assertEquals("cancelled", status.get("status").getAsString());
        assertEquals(done - 1, status.get("step").getAsInt(), "the status names the last step the bar showed");
        try (var checkpoints = Files.list(runDir.resolve("checkpoints"))) {
            assertEquals(List.of(String.format(Locale.ROOT, "step-%08d", asked), String.format(Locale.ROOT, "step-%08d", done - 1)),
                    checkpoints.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void movingASliderChangesTheJavaValueTheNextCellSees() {
        JsonObject seen = widgetsDemo.getAsJsonObject("result");
        assertEquals(json("""
                [{"kind": "slider", "description": "steps", "readout": "60"}, {"kind": "label", "text": "60 steps of training"}]"""),
                seen.get("drawn"));
        // End: the slider at its maximum, and the label Java's listener rewrote
        assertEquals(json("""
                [{"kind": "slider", "description": "steps", "readout": "300"}, {"kind": "label", "text": "300 steps of training"}]"""),
                seen.get("moved"));
        // the next cell: Java's value, and the linked slider drawn at it
        JsonObject next = seen.getAsJsonObject("nextCell");
        assertEquals(json("[{\"kind\": \"slider\", \"description\": \"same\", \"readout\": \"300\"}]"), next.get("widgets"));
        List<JsonElement> outputs = next.getAsJsonArray("outputs").asList();
        assertEquals(json("{\"mime\": \"text/plain\", \"text\": \"300\", \"error\": false}"), outputs.get(outputs.size() - 1),
                "steps.value() after the slider moved");
        // the linked slider one step down in the page: the first slider and the label follow
        assertEquals(json("""
                {"first": [{"kind": "slider", "description": "steps", "readout": "290"}, {"kind": "label", "text": "290 steps of training"}],
                 "next": [{"kind": "slider", "description": "same", "readout": "290"}]}"""), seen.get("linked"));
    }

    @Test
    void theGenerateFormSamplesWithThePromptAndTemperatureSetInThePage() throws Exception {
        JsonObject seen = widgetsDemo.getAsJsonObject("result");
        for (JsonElement cell : seen.getAsJsonArray("cellOutputs")) {
            for (JsonElement o : cell.getAsJsonArray()) {
                assertEquals(false, o.getAsJsonObject().get("error").getAsBoolean(), cell.toString());
            }
        }
        assertEquals(json("""
                [{"kind": "textarea", "description": "prompt", "value": "My fellow Americans,"},
                 {"kind": "slider", "description": "temperature", "readout": "0.80"},
                 {"kind": "slider", "description": "top-p", "readout": "1.00"},
                 {"kind": "slider", "description": "max tokens", "readout": "40"},
                 {"kind": "button", "text": "Generate", "enabled": true, "style": "mod-primary"},
                 {"kind": "output", "text": "", "textContent": ""}]"""), seen.get("offered"), "the form as %generate's options set it");
        JsonArray set = seen.getAsJsonArray("set");
        assertEquals(PROMPT, set.get(0).getAsJsonObject().get("value").getAsString());
        assertEquals("0.00", set.get(1).getAsJsonObject().get("readout").getAsString());

        // temperature 0 in the page: the greedy text, the same as ./notebench generate --temperature 0 gives
        String cli = jupyter.launcher(work.resolve("notebooks"), List.of("generate", "--run", "../build/notebooks/runs/widgets-demo",
                "--max-new-tokens", "40", "--temperature", "0", PROMPT));
        Matcher sample = Pattern.compile("(?s)(" + Pattern.quote(PROMPT) + ".*)\n--- \\((\\w+)\\)\n").matcher(cli);
        assertTrue(sample.find(), cli);
        JsonObject greedy = seen.getAsJsonArray("generated").get(5).getAsJsonObject();
        assertEquals(sample.group(1).replace("\n", "") + " [" + sample.group(2) + "]", greedy.get("textContent").getAsString(),
                "the page's text (line breaks drawn as <br>) is the launcher's");
        assertEquals(json("{\"kind\": \"button\", \"text\": \"Generate\", \"enabled\": true, \"style\": \"mod-primary\"}"),
                seen.getAsJsonArray("generated").get(4), "the button is back once the text is shown");

        // temperature 2: another sample replaces the first
        String hot = seen.getAsJsonArray("hot").get(5).getAsJsonObject().get("text").getAsString();
        assertTrue(hot.startsWith(PROMPT), hot);
        assertTrue(Pattern.compile("(?s).+ \\[(length|eos)\\]").matcher(hot).matches(), hot);
        assertEquals(-1, hot.indexOf(PROMPT, 1), "one sample, not appended to the first: " + hot);
    }

    @Test
    void screenshotsOfTheRunAreSavedUnderBuild() throws Exception {
        for (String name : List.of("02-train-gpt-midrun", "02-train-gpt-end", "02-train-gpt-interrupted", "02-train-gpt-reopened",
                "train-stop-checkpoint-now", "train-stop-stopped", "08-widgets-sliders", "08-widgets-generate", "reference-widgets")) {
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
