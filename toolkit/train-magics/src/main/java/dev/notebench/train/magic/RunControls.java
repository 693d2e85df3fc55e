package dev.notebench.train.magic;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.display.Display;
import dev.notebench.train.RunDirectory;
import dev.notebench.widgets.Button;
import dev.notebench.widgets.HBox;
import dev.notebench.widgets.Label;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The controls under a training view, where the front end draws widgets: <b>Stop</b> (the run
 * stops after its current step and writes a checkpoint, as {@code %train cancel} does), <b>Checkpoint
 * now</b> (a checkpoint after the current step; the run goes on), and a line saying what they did.
 * They work through the run directory, so they steer a run in this kernel and one followed with
 * {@code %train attach} alike. When the run ends they close and the front end removes them; where
 * nothing draws widgets there are none, and the view is as it was.
 */
final class RunControls implements AutoCloseable {
    /** Controls that show nothing. */
    static final RunControls NONE = new RunControls(null, null, null, null);

    private final Button stop;
    private final Button checkpoint;
    private final Label status;
    private final HBox box;

    private RunControls(Button stop, Button checkpoint, Label status, HBox box) {
        this.stop = stop;
        this.checkpoint = checkpoint;
        this.status = status;
        this.box = box;
    }

    /**
     * Shows the controls of a run, if the display draws widgets.
     *
     * @param display where the view is
     * @param runDir the run's directory
     * @return the controls, or {@link #NONE}
     */
    static RunControls show(Display display, Path runDir) {
        if (!display.showsWidgets()) {
            return NONE;
        }
        Objects.requireNonNull(runDir, "runDir");
        Button stop = new Button("Stop").icon("stop").buttonStyle("danger")
                .tooltip("Stop after the current step and write a checkpoint; --resume continues the run");
        Button checkpoint = new Button("Checkpoint now").icon("save")
                .tooltip("Write a checkpoint after the current step; the run goes on");
        Label status = new Label("");
        HBox box = new HBox(stop, checkpoint, status).domClasses(List.of("notebench-run-controls"));
        RunControls c = new RunControls(stop, checkpoint, status, box);
        stop.onClick(b -> c.stop(runDir));
        checkpoint.onClick(b -> c.checkpoint(runDir));
        display.show(box);
        return c;
    }

    private void stop(Path runDir) {
        try {
            RunDirectory.open(runDir).requestCancel();
            stop.disabled(true).description("Stopping…");
            checkpoint.disabled(true);
            status.value("stopping after the current step, with a checkpoint");
        } catch (NotebenchException e) {
            status.value(e.message(FrontEnd.NOTEBOOK));
        }
    }

    private void checkpoint(Path runDir) {
        try {
            RunDirectory.open(runDir).requestCheckpoint();
            checkpoint.disabled(true);
            status.value("a checkpoint is written after the current step");
        } catch (NotebenchException e) {
            status.value(e.message(FrontEnd.NOTEBOOK));
        }
    }

    /**
     * Says that a checkpoint was written.
     *
     * @param step the step it holds (0-based)
     * @param dir the checkpoint's directory
     */
    void checkpointSaved(long step, Path dir) {
        if (box != null && !stop.disabled()) {
            checkpoint.disabled(false);
            status.value("checkpoint saved after step " + (step + 1) + " (" + dir.getFileName() + ")");
        }
    }

    /** Closes the controls: the front end removes them. */
    @Override
    public void close() {
        if (box != null) {
            box.close();
            stop.close();
            checkpoint.close();
            status.close();
        }
    }
}
