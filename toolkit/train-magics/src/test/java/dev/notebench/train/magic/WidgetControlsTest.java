package dev.notebench.train.magic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.notebench.display.Html;
import dev.notebench.magics.RecordingContext;
import dev.notebench.train.RunListener;
import dev.notebench.train.RunState;
import dev.notebench.train.TinyRuns;
import dev.notebench.train.TrainRun;
import dev.notebench.widgets.Button;
import dev.notebench.widgets.FloatSlider;
import dev.notebench.widgets.HBox;
import dev.notebench.widgets.IntSlider;
import dev.notebench.widgets.Label;
import dev.notebench.widgets.Output;
import dev.notebench.widgets.Textarea;
import dev.notebench.widgets.VBox;
import dev.notebench.widgets.Widget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controls %train and %generate offer where the front end draws widgets, clicked as a person would. */
class WidgetControlsTest {
    @TempDir
    Path tmp;

    private static Button button(HBox box, String description) {
        return box.children().stream().filter(w -> w instanceof Button b && b.description().equals(description))
                .map(Button.class::cast).findFirst().orElseThrow();
    }

    @Test
    void theTrainingViewsCheckpointAndStopButtonsSteerTheRun() throws Exception {
        RecordingContext notebook = new RecordingContext().withWidgets();
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "steered").steps(1000).eval(1000, 2).build());
        List<Long> checkpoints = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        run.listener(new TrainingView(notebook.display())).listener(new RunListener() {
            @Override
            public void step(Step s) {
                HBox controls = notebook.shown(HBox.class).get(0);
                Label status = (Label) controls.children().get(2);
                if (s.step() == 3) {
                    button(controls, "Checkpoint now").click();
                    notes.add(status.value());
                } else if (s.step() == 4) {
                    notes.add(status.value());
                } else if (s.step() == 6) {
                    button(controls, "Stop").click();
                    notes.add(status.value() + "; Stop disabled: " + button(controls, "Stopping…").disabled());
                }
            }

            @Override
            public void checkpoint(long step, Path dir) {
                checkpoints.add(step);
            }
        });
        TrainRun.Result r = run.run();
        assertEquals(RunState.CANCELLED, r.status());
        assertEquals(6, r.lastStep());
        assertEquals(List.of(3L, 6L), checkpoints, "the one asked for, and the one the stop leaves");
        assertEquals(List.of("a checkpoint is written after the current step",
                "checkpoint saved after step 4 (step-00000003)",
                "stopping after the current step, with a checkpoint; Stop disabled: true"), notes);
        HBox controls = notebook.shown(HBox.class).get(0);
        assertEquals(List.of("notebench-run-controls"), controls.state().get("_dom_classes"));
        assertTrue(controls.isClosed() && controls.children().stream().allMatch(Widget::isClosed), "closed when the run ends");
    }

    @Test
    void withoutAWidgetsFrontEndTheTrainingViewShowsNoControls() throws Exception {
        RecordingContext notebook = new RecordingContext();
        TrainRun.create(TinyRuns.gpt(tmp, "plain").steps(3).build()).listener(new TrainingView(notebook.display())).run();
        assertEquals(List.of(), notebook.shown(Widget.class));
    }

    @Test
    void generateInteractiveShowsAFormWhoseButtonSamplesWithTheSlidersValues() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "gen").steps(10).build());
        run.run();
        RecordingContext notebook = new RecordingContext().withWidgets();
        TrainMagics magics = new TrainMagics(notebook);
        List<?> samples = magics.generate(List.of("--run", run.directory().toString(), "--interactive", "--max-new-tokens", "5",
                "--temperature", "0.5", "The", "state"));
        assertEquals(List.of(), samples, "the samples come with each click");
        VBox form = notebook.shown(VBox.class).get(0);
        Textarea prompt = (Textarea) form.children().get(0);
        HBox sliders = (HBox) form.children().get(1);
        FloatSlider temperature = (FloatSlider) sliders.children().get(0);
        FloatSlider topP = (FloatSlider) sliders.children().get(1);
        HBox row = (HBox) form.children().get(2);
        IntSlider maxTokens = (IntSlider) row.children().get(0);
        Button generate = (Button) row.children().get(1);
        Output output = (Output) form.children().get(3);
        assertEquals("The state", prompt.value());
        assertEquals(List.of("temperature", 0.5, 0.0, 2.0), List.of(temperature.description(), temperature.value(), temperature.min(),
                temperature.max()));
        assertEquals(List.of("top-p", 1.0, 0.05, 1.0), List.of(topP.description(), topP.value(), topP.min(), topP.max()));
        assertEquals(List.of("max tokens", 5, 1, 512), List.of(maxTokens.description(), maxTokens.value(), maxTokens.min(),
                maxTokens.max()));
        assertEquals("Generate", generate.description());
        assertEquals(List.of(), output.outputs());

        prompt.value("My fellow");
        temperature.value(0.0); // greedy: the same text as %generate at temperature 0
        maxTokens.value(3);
        generate.click();
        RecordingContext plain = new RecordingContext();
        List<?> expected = new TrainMagics(plain).generate(List.of("--run", run.directory().toString(), "--max-new-tokens", "3",
                "--temperature", "0", "My", "fellow"));
        Html shown = (Html) plain.shown.get(0);
        assertEquals(List.of(Map.of("output_type", "display_data", "data", Map.of("text/html", shown.html(), "text/plain", shown.text()),
                "metadata", Map.of())), output.outputs());
        assertEquals(1, expected.size());
        assertEquals(false, generate.disabled());
        assertEquals("Generate", generate.description());
    }

    @Test
    void generateInteractiveWithoutAWidgetsFrontEndSamplesOnceAndSaysWhy() throws Exception {
        TrainRun run = TrainRun.create(TinyRuns.gpt(tmp, "once").steps(10).build());
        run.run();
        RecordingContext notebook = new RecordingContext();
        List<?> samples = new TrainMagics(notebook).generate(List.of("--run", run.directory().toString(), "--interactive",
                "--max-new-tokens", "3", "Hello"));
        assertEquals(1, samples.size());
        assertEquals(List.of("(--interactive shows a form where the front end draws Jupyter widgets: JupyterLab or Notebook 7 with"
                + " ipywidgets; here the samples are generated once with the options given)"), notebook.shownText().subList(0, 1));
        assertTrue(notebook.shownText().get(1).startsWith("Hello"), notebook.shownText().get(1));
        assertEquals(List.of(), notebook.shown(Widget.class));
    }
}
