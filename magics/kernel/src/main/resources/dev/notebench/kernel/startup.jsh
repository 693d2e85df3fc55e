import java.io.*;
import java.math.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.function.*;
import java.util.regex.*;
import java.util.stream.*;
import dev.notebench.display.Display;
import dev.notebench.display.DisplayHandle;
import dev.notebench.display.Html;
import dev.notebench.widgets.Button;
import dev.notebench.widgets.Checkbox;
import dev.notebench.widgets.Dropdown;
import dev.notebench.widgets.FloatSlider;
import dev.notebench.widgets.HBox;
import dev.notebench.widgets.HTML;
import dev.notebench.widgets.IntSlider;
import dev.notebench.widgets.Label;
import dev.notebench.widgets.Link;
import dev.notebench.widgets.Output;
import dev.notebench.widgets.Text;
import dev.notebench.widgets.Textarea;
import dev.notebench.widgets.ToggleButton;
import dev.notebench.widgets.VBox;
import dev.notebench.widgets.Widget;
import tech.tablesaw.api.*;
import tech.tablesaw.plotly.api.*;
import tech.tablesaw.plotly.components.*;

String display(Object value) { return dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").display(value); }
String display(Object value, String... mimeTypes) { return dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").display(value, mimeTypes); }
void updateDisplay(String displayId, Object value) { dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").updateDisplay(displayId, value); }
void updateDisplay(String displayId, Object value, String... mimeTypes) { dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").updateDisplay(displayId, value, mimeTypes); }
@SuppressWarnings("unchecked") <T> T lineMagic(String name, List<String> args) throws Exception { return (T) dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").lineMagic(name, args); }
@SuppressWarnings("unchecked") <T> T cellMagic(String name, List<String> args, String body) throws Exception { return (T) dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").cellMagic(name, args, body); }
Display notebook() { return dev.notebench.kernel.runtime.CellSessions.get("@SESSION@").notebook(); }
void printf(String format, Object... args) { System.out.printf(format, args); }
