package dev.notebench.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel's Jupyter widgets as a widgets front end (JupyterLab 4 with ipywidgets 8) meets them,
 * driven by jupyter_client over ZeroMQ ({@code widget_protocol.py}): comm_open with the state and
 * metadata ipywidgets 8 expects, updates both ways, clicks (also while a cell runs), comm_close,
 * a widget changed from another thread, {@code %train}'s Stop and Checkpoint-now buttons,
 * {@code %generate --interactive}, a restart; and the widgets notebook executed by nbconvert,
 * where widgets are text.
 */
class WidgetProtocolIT {
    @TempDir
    static Path tmp;
    static JupyterSandbox jupyter;
    static JsonObject seen;

    @BeforeAll
    static void driveTheWidgets() throws Exception {
        jupyter = JupyterSandbox.create(tmp.resolve("jupyter"));
        Path script = JupyterSandbox.projectHome().resolve("notebooks/src/test/python/widget_protocol.py");
        Path work = Files.createDirectories(tmp.resolve("work"));
        ProcessBuilder pb = new ProcessBuilder(jupyter.python().toString(), script.toString(), JupyterSandbox.KERNEL, work.toString())
                .redirectError(tmp.resolve("stderr.txt").toFile());
        pb.environment().putAll(jupyter.env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "widget protocol script timed out");
        assertEquals(0, p.exitValue(), "widget protocol script failed:\n" + out + "\n" + Files.readString(tmp.resolve("stderr.txt")));
        seen = JsonParser.parseString(out.strip().lines().reduce((a, b) -> b).orElseThrow()).getAsJsonObject();
    }

    private static JsonElement json(String text) {
        return JsonParser.parseString(text);
    }

    @Test
    void withoutAWidgetsFrontEndAWidgetIsItsTextAndNoCommOpens() {
        JsonObject before = seen.getAsJsonObject("before_frontend");
        assertEquals(json("[{\"text/plain\": \"IntSlider(value=3, description='n')\"}]"), before.get("data"));
        assertEquals(0, before.get("comm_opens").getAsInt());
    }

    @Test
    void aShownWidgetOpensItsCommsAsIpywidgets8ExpectsThenItsView() {
        JsonObject open = seen.getAsJsonObject("open");
        String id = open.get("slider_id").getAsString();
        assertEquals(json("[\"jupyter.widget\", \"jupyter.widget\", \"jupyter.widget\"]"), open.get("targets"));
        assertEquals(json("[{\"version\": \"2.1.0\"}, {\"version\": \"2.1.0\"}, {\"version\": \"2.1.0\"}]"), open.get("metadata"));
        assertEquals(json("[\"LayoutModel\", \"SliderStyleModel\", \"IntSliderModel\"]"), open.get("models"),
                "what it refers to first: the front end resolves references only to models it has");
        JsonObject slider = open.getAsJsonObject("slider").deepCopy();
        JsonObject state = slider.getAsJsonObject("state");
        assertTrue(state.get("layout").getAsString().matches("IPY_MODEL_[0-9a-f]{32}"), state.toString());
        assertTrue(state.get("style").getAsString().matches("IPY_MODEL_[0-9a-f]{32}"), state.toString());
        state.addProperty("layout", "L");
        state.addProperty("style", "S");
        assertEquals(json("{\"state\": {\"_dom_classes\": [], \"_model_module\": \"@jupyter-widgets/controls\","
                + " \"_model_module_version\": \"2.0.0\", \"_model_name\": \"IntSliderModel\", \"_view_count\": null,"
                + " \"_view_module\": \"@jupyter-widgets/controls\", \"_view_module_version\": \"2.0.0\", \"_view_name\": \"IntSliderView\","
                + " \"behavior\": \"drag-tap\", \"continuous_update\": true, \"description\": \"n\", \"description_allow_html\": false,"
                + " \"disabled\": false, \"layout\": \"L\", \"max\": 10, \"min\": 0, \"orientation\": \"horizontal\", \"readout\": true,"
                + " \"readout_format\": \"d\", \"step\": 1, \"style\": \"S\", \"tabbable\": null, \"tooltip\": null, \"value\": 3},"
                + " \"buffer_paths\": []}"), slider);
        assertEquals(json("[{\"text/plain\": \"IntSlider(value=3, description='n', max=10)\","
                + " \"application/vnd.jupyter.widget-view+json\": {\"version_major\": 2, \"version_minor\": 0, \"model_id\": \""
                + id + "\"}}]"), open.get("view"));
        assertTrue(open.get("open_before_view").getAsBoolean());
    }

    @Test
    void anUpdateFromTheFrontEndIsSeenByTheNextCellAndEchoed() {
        JsonObject f = seen.getAsJsonObject("from_frontend");
        assertEquals("7", f.get("next_cell_sees").getAsString());
        assertEquals(json("{\"method\": \"echo_update\", \"state\": {\"value\": 7}, \"buffer_paths\": []}"), f.get("echo"));
    }

    @Test
    void aChangeInJavaArrivesAsAnUpdate() {
        assertEquals(json("[{\"method\": \"update\", \"state\": {\"value\": 9}, \"buffer_paths\": []}]"), seen.get("from_java"));
    }

    @Test
    void aClickRunsItsJavaListenerAlsoWhileACellRuns() {
        assertEquals("[clicked Go]", seen.get("click").getAsString());
        assertEquals("clicked during the cell: true", seen.get("click_during_cell").getAsString(),
                "the click reached Java while the cell waited for it");
        assertEquals("Java", seen.get("kernel_info_during_cell").getAsString(), "a page connecting mid-cell is answered mid-cell");
    }

    @Test
    void aClosedWidgetIsReleasedOnBothSides() {
        JsonObject j = seen.getAsJsonObject("java_close");
        assertTrue(j.get("closed_first").getAsBoolean(), "comm_close for the button, then its layout and style");
        assertEquals(3, j.get("closes").getAsInt());
        assertFalse(j.get("listed").getAsBoolean(), "comm_info no longer lists it");
        assertTrue(j.get("slider_listed").getAsBoolean());
        JsonObject f = seen.getAsJsonObject("frontend_close");
        assertEquals("true", f.get("closed_in_java").getAsString());
        assertFalse(f.get("listed").getAsBoolean());
    }

    @Test
    void aWidgetChangedFromAnotherThreadReachesTheFrontEndInOrder() {
        assertEquals(json("[\"1\", \"2\", \"3\", \"4\", \"5\"]"), seen.get("thread"));
    }

    @Test
    void theTrainingViewsButtonsCheckpointAndStopTheRun() {
        JsonObject t = seen.getAsJsonObject("train");
        System.out.println("the run ended " + t.get("stop_seconds").getAsDouble() + " s after Stop was clicked");
        assertEquals(json("[\"Stop\", \"Checkpoint now\"]"), t.get("buttons"));
        assertEquals(json("[\"stop\", \"save\"]"), t.get("icons"));
        Matcher saved = Pattern.compile("checkpoint saved after step ([0-9]+) \\(step-([0-9]{8})\\)").matcher(t.get("saved_note").getAsString());
        assertTrue(saved.matches(), t.toString());
        assertEquals(Long.parseLong(saved.group(1)) - 1, Long.parseLong(saved.group(2)));
        Matcher ended = Pattern.compile("cancelled ([0-9]+) true").matcher(t.get("ended").getAsString());
        assertTrue(ended.matches(), "cancelled, with a checkpoint at its last step: " + t);
        String last = String.format("step-%08d", Long.parseLong(ended.group(1)));
        String asked = "step-" + saved.group(2);
        assertEquals(asked.equals(last) ? "[" + last + "]" : "[" + asked + ", " + last + "]", t.get("checkpoints").getAsString(),
                "the checkpoint asked for and the one the stop left");
        assertTrue(t.get("controls_closed").getAsBoolean(), "the buttons close when the run ends");
    }

    @Test
    void theGenerateFormSamplesWithTheSlidersAFrontEndMoved() {
        JsonObject g = seen.getAsJsonObject("generate");
        assertEquals(json("{\"max tokens\": [8, 1, 512], \"temperature\": [0.8, 0.0, 2.0], \"top-p\": [1.0, 0.05, 1.0]}"),
                g.get("sliders"), "value, min, max: the options given, in ranges the model takes");
        assertEquals("My fellow", g.get("prompt").getAsString());
        assertEquals("display_data", g.getAsJsonArray("output").get(0).getAsString());
        assertTrue(g.getAsJsonArray("output").get(1).getAsString().startsWith("My fellow"), g.toString());
        assertTrue(g.get("same_as_greedy_magic").getAsBoolean(),
                "temperature moved to 0 in the page: the same text as %generate --temperature 0, sampled on the widget thread");
    }

    @Test
    void aReconnectingFrontEndGetsEveryOpenWidgetsState() {
        assertEquals(json("{\"method\": \"update_states\", \"states\": {}, \"buffer_paths\": []}"), seen.get("request_states_empty"));
        assertEquals(json("[\"ButtonModel\", \"ButtonStyleModel\", \"FloatSliderModel\", \"FloatSliderModel\", \"HBoxModel\","
                + " \"HBoxModel\", \"IntSliderModel\", \"LabelModel\", \"LabelStyleModel\", \"LayoutModel\", \"LayoutModel\","
                + " \"LayoutModel\", \"LayoutModel\", \"LayoutModel\", \"LayoutModel\", \"LayoutModel\", \"LayoutModel\","
                + " \"LayoutModel\", \"LayoutModel\", \"OutputModel\", \"SliderStyleModel\", \"SliderStyleModel\","
                + " \"SliderStyleModel\", \"TextStyleModel\", \"TextareaModel\", \"VBoxModel\"]"), seen.get("request_states"),
                "the label and the generate form still open; what was closed, and what the run's end closed, is gone");
    }

    @Test
    void aRestartClosesEveryWidgetsCommAndTheNewKernelHasNone() {
        assertEquals(0, seen.get("restart_exit_code").getAsInt());
        JsonObject r = seen.getAsJsonObject("restart");
        assertEquals(26, r.get("open_before").getAsInt(), "the label's 3 and the generate form's 23");
        assertTrue(r.get("all_closed").getAsBoolean(), "comm_close for each before the kernel went");
        assertEquals(new JsonObject(), r.get("after"));
    }

    @Test
    void theWidgetsNotebookRunsHeadlessWithItsWidgetsAsText() throws Exception {
        Path notebook = JupyterSandbox.projectHome().resolve("notebooks/08-widgets.ipynb");
        Path done = jupyter.nbconvert.execute(notebook, tmp.resolve("nb"), JupyterSandbox.KERNEL, Duration.ofMinutes(5));
        JsonObject nb = Notebooks.read(done);
        assertFalse(nb.getAsJsonObject("metadata").has("widgets"), "no widget state saved: nothing to load from a CDN");
        List<JsonObject> cells = Notebooks.codeCells(nb);
        for (JsonObject cell : cells) {
            for (JsonObject o : Notebooks.outputs(cell)) {
                assertFalse(o.get("output_type").getAsString().equals("error"), Notebooks.source(cell) + " failed: " + o);
                assertFalse(Notebooks.data(o, "application/vnd.jupyter.widget-view+json").length() > 0, "no widget view: " + o);
            }
        }
        assertEquals("VBox(children=(IntSlider(value=60, description='steps', max=300, min=10, step=10),"
                + " Label(value='60 steps of training')))\n", Notebooks.plainText(cells.get(0)));
        assertEquals("IntSlider(value=60, description='same', max=300, min=10, step=10)\n60\n", Notebooks.plainText(cells.get(1)));
        assertTrue(java.util.regex.Pattern.compile("VBox\\(children=\\(Button\\(description='Roll a die', icon='dice'\\),"
                + " Output\\(outputs=\\(\\{'output_type': 'stream', 'name': 'stdout', 'text': 'rolled [1-6]\\\\n'},\\)\\)\\)\\)\n")
                .matcher(Notebooks.plainText(cells.get(2))).matches(), Notebooks.plainText(cells.get(2)));
        assertTrue(Notebooks.plainText(cells.get(4)).contains("Result[status=completed, lastStep=29"), Notebooks.plainText(cells.get(4)));
        String generate = Notebooks.plainText(cells.get(5));
        assertTrue(generate.startsWith("(--interactive shows a form where the front end draws Jupyter widgets"), generate);
        assertTrue(generate.contains("\nMy fellow Americans,"), generate);
        String html = Files.readString(jupyter.nbconvert.html(done, tmp.resolve("html")), StandardCharsets.UTF_8);
        assertFalse(html.contains("html-manager"), "the export loads no widget manager from a CDN");
        assertTrue(html.contains("Label(value=&#39;60 steps of training&#39;)") || html.contains("Label(value='60 steps of training')"),
                "the widgets' text is in the page");
    }
}
