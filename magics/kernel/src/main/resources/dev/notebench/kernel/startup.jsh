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
