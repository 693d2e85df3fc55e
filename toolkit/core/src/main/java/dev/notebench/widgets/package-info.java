/**
 * Jupyter widgets for Java: controls (buttons, sliders, text boxes, a drop-down, an output area)
 * and boxes that lay them out, kept in step with the front end by the Jupyter widgets protocol
 * (the models of {@code @jupyter-widgets/base} and {@code @jupyter-widgets/controls} 2.0.0, as
 * ipywidgets 8 and JupyterLab 4 speak it).
 *
 * <p>Widgets are plain objects: toolkit code makes and shows them through a
 * {@link dev.notebench.display.Display} ({@code display.show(new Button("Stop"))}), which draws
 * them where the front end can ({@link dev.notebench.display.Display#showsWidgets()}). A kernel
 * carries them over its comms ({@link dev.notebench.widgets.Comms}) with a
 * {@link dev.notebench.widgets.WidgetSession}; this package imports no kernel.
 *
 * <pre>{@code
 * FloatSlider temperature = new FloatSlider().description("temperature").max(2).value(0.8);
 * Button go = new Button("Generate");
 * Output out = new Output();
 * go.onClick(b -> out.appendStdout("at " + temperature.value() + "\n"));
 * display(new VBox(temperature, go, out));
 * }</pre>
 */
package dev.notebench.widgets;
