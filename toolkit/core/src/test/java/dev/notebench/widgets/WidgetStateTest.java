package dev.notebench.widgets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.ToNumberPolicy;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The state each widget sends in comm_open, as ipywidgets 8 sends it for the same model. */
class WidgetStateTest {

    /** ipywidgets 8.1.9's get_state() of each model with its defaults, written by src/test/python/ipywidgets_states.py. */
    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> ipywidgets() throws Exception {
        try (Reader r = new InputStreamReader(WidgetStateTest.class.getResourceAsStream("ipywidgets-states.json"),
                StandardCharsets.UTF_8)) {
            Map<String, Object> all = new com.google.gson.GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
                    .create().fromJson(r, Map.class);
            assertEquals("8.1.9", all.get("ipywidgets"));
            return (Map<String, Map<String, Object>>) all.get("widgets");
        }
    }

    /** A widget's state with references written as the referenced model's class, and JSON's numbers as Gson reads them. */
    private static Map<String, Object> comparable(Widget w) {
        Map<String, Object> out = new TreeMap<>();
        for (Map.Entry<String, Object> e : w.state().entrySet()) {
            Object v = e.getValue();
            if (v instanceof String s && s.startsWith("IPY_MODEL_")) {
                v = "IPY_MODEL_" + (e.getKey().equals("layout") ? "Layout" : ((DOMWidget.Styled) w).style().modelName()
                        .replace("Model", ""));
            }
            out.put(e.getKey(), v instanceof Integer i ? Long.valueOf(i) : v);
        }
        return out;
    }

    @Test
    void everyWidgetSendsTheStateIpywidgetsSendsForItsModel() throws Exception {
        Map<String, Map<String, Object>> expected = ipywidgets();
        List<Widget> widgets = List.of(new Button(), new ToggleButton(), new Checkbox(), new IntSlider(), new FloatSlider(),
                new Dropdown(List.of()), new Text(), new Textarea(), new Label(), new HTML(), new Output(), new HBox(), new VBox());
        for (Widget w : widgets) {
            String name = w.modelName().replace("Model", "");
            assertEquals(new TreeMap<>(expected.get(name)), comparable(w), name);
            if (w instanceof DOMWidget.Styled s) {
                String style = s.style().modelName().replace("Model", "");
                assertEquals(new TreeMap<>(expected.get(style)), new TreeMap<>(s.style().state()), style);
            }
            assertEquals(new TreeMap<>(expected.get("Layout")), new TreeMap<>(((DOMWidget<?>) w).layout().state()));
        }
        assertEquals(22, expected.size(), "13 controls, 8 styles and the layout");
    }

    @Test
    void aConfiguredSliderSendsExactlyItsValuesAndReferences() {
        IntSlider s = new IntSlider().description("max tokens").max(512).min(1).value(100).step(5);
        s.layout().put("width", "400px");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("_dom_classes", List.of());
        expected.put("_model_module", "@jupyter-widgets/controls");
        expected.put("_model_module_version", "2.0.0");
        expected.put("_model_name", "IntSliderModel");
        expected.put("_view_count", null);
        expected.put("_view_module", "@jupyter-widgets/controls");
        expected.put("_view_module_version", "2.0.0");
        expected.put("_view_name", "IntSliderView");
        expected.put("behavior", "drag-tap");
        expected.put("continuous_update", true);
        expected.put("description", "max tokens");
        expected.put("description_allow_html", false);
        expected.put("disabled", false);
        expected.put("layout", "IPY_MODEL_" + s.layout().id());
        expected.put("max", 512);
        expected.put("min", 1);
        expected.put("orientation", "horizontal");
        expected.put("readout", true);
        expected.put("readout_format", "d");
        expected.put("step", 5);
        expected.put("style", "IPY_MODEL_" + s.style().id());
        expected.put("tabbable", null);
        expected.put("tooltip", null);
        expected.put("value", 100);
        assertEquals(expected, s.state());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(s.state().keySet()), "sorted by name");
        assertEquals("400px", s.layout().state().get("width"));
        assertEquals(32, s.id().length());
    }

    @Test
    void boxesReferToTheirChildrenAndOutputsHoldNbformatOutputs() {
        Button a = new Button("a");
        Label b = new Label("b");
        VBox box = new VBox(a, b);
        assertEquals(List.of("IPY_MODEL_" + a.id(), "IPY_MODEL_" + b.id()), box.state().get("children"));
        assertEquals(List.of(box.layout(), a, b), box.references(), "opened before the box, in this order");

        Output out = new Output().appendStdout("step 1\n").appendHtml(new dev.notebench.display.Html("<b>x</b>", "x"));
        assertEquals(List.of(Map.of("output_type", "stream", "name", "stdout", "text", "step 1\n"),
                Map.of("output_type", "display_data", "data", Map.of("text/html", "<b>x</b>", "text/plain", "x"), "metadata", Map.of())),
                out.state().get("outputs"));
        assertEquals(List.of(), out.clear().outputs());
    }

    @Test
    void dropdownsSyncTheIndexOfTheChosenLabel() {
        Dropdown d = new Dropdown(List.of("gpt", "char-lstm"));
        assertEquals(0, d.state().get("index"));
        assertEquals(List.of("gpt", "char-lstm"), d.state().get("_options_labels"));
        assertEquals("char-lstm", d.value("char-lstm").value());
        assertEquals(1, d.index());
        assertEquals("'lstm' is not one of the options [gpt, char-lstm]",
                assertThrows(IllegalArgumentException.class, () -> d.value("lstm")).getMessage());
        assertEquals(null, new Dropdown(List.of()).value());
    }

    @Test
    void bothSlidersMoveTheirValueIntoANewRangeAndRefuseAnEmptyOne() {
        FloatSlider f = new FloatSlider().max(2).value(1.5);
        assertEquals(2.0, f.value(7.25).value());
        assertEquals(0.5, f.value(-1).min(0.5).value()); // clamped to 0.0, then moved up by the new min
        assertEquals(1.0, f.value(1.75).max(1).value());
        assertEquals("max 0.25 is below min 0.5; set min first",
                assertThrows(IllegalArgumentException.class, () -> f.max(0.25)).getMessage());
        assertEquals(Double.class, f.state().get("value").getClass());
        IntSlider i = new IntSlider().min(10).value(20).max(15);
        assertEquals(15, i.value());
        assertEquals(Integer.class, i.state().get("value").getClass());
        List<Integer> heard = new java.util.ArrayList<>();
        i.onValue(heard::add);
        i.value(3).readoutFormat("03d");
        assertEquals(List.of(10), heard);
        assertEquals("03d", i.state().get("readout_format"));
    }

    @Test
    void valuesAreCheckedAndSlidersStayInTheirRange() {
        IntSlider s = new IntSlider().max(10);
        assertEquals(10, s.value(99).value());
        assertEquals(5, s.min(5).max(5).value());
        assertEquals("min 6 is above max 5; set max first", assertThrows(IllegalArgumentException.class, () -> s.min(6)).getMessage());
        assertEquals("button_style takes one of [primary, success, info, warning, danger, ], got 'red'",
                assertThrows(IllegalArgumentException.class, () -> new Button().buttonStyle("red")).getMessage());
        assertEquals("Layout has no trait 'colour'; its traits are [align_content, align_items, align_self, border_bottom,"
                        + " border_left, border_right, border_top, bottom, display, flex, flex_flow, grid_area, grid_auto_columns,"
                        + " grid_auto_flow, grid_auto_rows, grid_column, grid_gap, grid_row, grid_template_areas,"
                        + " grid_template_columns, grid_template_rows, height, justify_content, justify_items, left, margin,"
                        + " max_height, max_width, min_height, min_width, object_fit, object_position, order, overflow, padding,"
                        + " right, top, visibility, width]",
                assertThrows(IllegalArgumentException.class, () -> new Layout().put("colour", "red")).getMessage());
        assertEquals("_model_name is fixed by the widget's model; it cannot be set",
                assertThrows(IllegalStateException.class, () -> new Label().write("_model_name", "X")).getMessage());
        assertEquals("value takes a whole number (an int), got 2.5",
                assertThrows(IllegalArgumentException.class, () -> new IntSlider().write("value", 2.5)).getMessage());
        IntSlider fromJson = new IntSlider();
        fromJson.write("value", 3L); // a JSON number as the kernel reads it
        assertEquals(3, fromJson.value());
        FloatSlider f = new FloatSlider();
        f.write("value", 1L);
        assertEquals(1.0, f.value());
    }

    @Test
    void widgetsReadAsIpywidgetsWritesThem() {
        assertEquals("IntSlider(value=3, description='n')", new IntSlider().description("n").value(3).toString());
        assertEquals("Button(description='Stop', button_style='danger')",
                new Button("Stop").buttonStyle("danger").toString());
        assertEquals("HBox(children=(Label(value='a'),))", new HBox(new Label("a")).toString());
        assertEquals("Dropdown(options=('a', 'b'), index=0)", new Dropdown(List.of("a", "b")).toString());
        assertEquals("Checkbox(value=True)", new Checkbox().value(true).toString());
        assertEquals("Output(outputs=({'output_type': 'stream', 'name': 'stdout', 'text': 'rolled 5\\n'},))",
                new Output().appendStdout("rolled 5\n").toString());
    }
}
