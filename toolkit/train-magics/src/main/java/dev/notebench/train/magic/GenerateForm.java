package dev.notebench.train.magic;

import dev.notebench.FrontEnd;
import dev.notebench.NotebenchException;
import dev.notebench.display.Html;
import dev.notebench.train.generate.GenerateOptions;
import dev.notebench.train.generate.Generator;
import dev.notebench.train.generate.TrainedModel;
import dev.notebench.widgets.Button;
import dev.notebench.options.ValueType;
import dev.notebench.widgets.FloatSlider;
import dev.notebench.widgets.HBox;
import dev.notebench.widgets.IntSlider;
import dev.notebench.widgets.Output;
import dev.notebench.widgets.Textarea;
import dev.notebench.widgets.VBox;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * {@code %generate --interactive}: a prompt box, sliders for the temperature, top-p and the number
 * of new tokens, and a Generate button whose samples appear below it, in an output area. Each click
 * loads the run's best checkpoint, samples with the values set, and closes the model again.
 */
final class GenerateForm {
    private final Path run;
    private final GenerateOptions options;
    private final Function<Path, TrainedModel> loader;
    final Textarea prompt;
    final FloatSlider temperature;
    final FloatSlider topP;
    final IntSlider maxTokens;
    final Button generate;
    final Output output;
    final VBox form;

    /**
     * Builds a form.
     *
     * @param run the run directory
     * @param prompt the prompt to start with
     * @param options the other options (top-k, seed, stop sequences, number of samples) and the sliders' first values
     * @param loader loads the run's model
     */
    GenerateForm(Path run, String prompt, GenerateOptions options, Function<Path, TrainedModel> loader) {
        this.run = run;
        this.options = options;
        this.loader = loader;
        this.prompt = new Textarea().description("prompt").rows(3).value(prompt).placeholder("My fellow Americans,");
        this.prompt.layout().put("width", "90%");
        this.temperature = new FloatSlider().description("temperature").max(2.0).step(0.05).value(options.temperature());
        this.topP = new FloatSlider().description("top-p").max(1.0).min(0.05).step(0.05).value(options.topP());
        ValueType.Range tokens = GenerateOptions.MAX_NEW_TOKENS.type().range().orElseThrow();
        this.maxTokens = new IntSlider().description("max tokens").max((int) tokens.max()).min((int) tokens.min())
                .value(options.maxNewTokens());
        this.generate = new Button("Generate").icon("play").buttonStyle("primary");
        this.output = new Output();
        for (var w : List.of(this.prompt.style(), temperature.style(), topP.style(), maxTokens.style())) {
            w.put("description_width", "initial"); // the whole label, not cut to ipywidgets' default width
        }
        this.form = new VBox(this.prompt, new HBox(temperature, topP), new HBox(maxTokens, generate), output)
                .domClasses(List.of("notebench-generate"));
        generate.onClick(b -> run());
    }

    /** Samples with the form's values and shows the samples below it; what goes wrong is shown there too. */
    void run() {
        generate.disabled(true).description("Generating…");
        try {
            GenerateOptions o = new GenerateOptions(maxTokens.value(), temperature.value(), options.topK(), topP.value(),
                    options.stopOnEos(), options.stopSequences(), options.seed(), options.numReturnSequences());
            String text = prompt.value();
            try (TrainedModel m = loader.apply(run)) {
                List<Generator.Sample> samples = new Generator(m).generate(text, o);
                output.clear().appendHtml(TrainMagics.samplesHtml(text, samples));
            }
        } catch (RuntimeException e) {
            output.clear().appendStderr((e instanceof NotebenchException n ? n.message(FrontEnd.NOTEBOOK) : e.getMessage()) + "\n");
        } finally {
            generate.disabled(false).description("Generate");
        }
    }

    /** The text shown where the front end draws no widgets. */
    static Html unavailable() {
        String text = "(--interactive shows a form where the front end draws Jupyter widgets: JupyterLab or Notebook 7"
                + " with ipywidgets; here the samples are generated once with the options given)";
        return new Html("<p><i>" + Html.escape(text) + "</i></p>", text);
    }
}
