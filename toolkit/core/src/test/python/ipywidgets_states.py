"""Writes the state that ipywidgets 8 sends in comm_open for each widget model Notebench implements,
with its defaults, as JSON on standard output. WidgetStateTest compares the Java widgets' state to it.

Regenerate (needs ipywidgets 8 in the Python that runs it):
    python3 ipywidgets_states.py > ../resources/dev/notebench/widgets/ipywidgets-states.json
References to other models (layout, style) are written as the name of the referenced model's class."""

import json

import ipywidgets as w


def state(widget):
    out = {}
    for key, value in widget.get_state().items():
        if isinstance(value, str) and value.startswith("IPY_MODEL_"):
            value = "IPY_MODEL_" + type(getattr(widget, key)).__name__
        out[key] = value
    return out


widgets = {}
for cls in [w.Button, w.ToggleButton, w.Checkbox, w.IntSlider, w.FloatSlider, w.Dropdown, w.Text, w.Textarea,
            w.Label, w.HTML, w.Output, w.HBox, w.VBox]:
    x = cls()
    widgets[cls.__name__] = state(x)
    if hasattr(x, "style"):
        widgets[type(x.style).__name__] = state(x.style)
widgets["Layout"] = state(w.Layout())
print(json.dumps({"ipywidgets": w.__version__, "widgets": widgets}, indent=1, sort_keys=True))
