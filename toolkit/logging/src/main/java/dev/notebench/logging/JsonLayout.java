package dev.notebench.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each log event as one JSON object per line, for batch and detached runs whose logs are
 * read by programs.
 *
 * <p>Fields: {@code ts}, {@code level}, {@code logger}, {@code thread}, {@code msg}, then every
 * MDC entry (for example {@code run_id}) and every SLF4J key-value pair (for example
 * {@code event}, {@code error_code}), then {@code error} and {@code error_class} when the event
 * carries a throwable.
 *
 * <pre>{@code
 * log.atInfo().addKeyValue("event", "checkpoint_saved").addKeyValue("step", 400).log("saved");
 * // {"ts":"...","level":"INFO","logger":"...","thread":"main","msg":"saved","event":"checkpoint_saved","step":"400"}
 * }</pre>
 */
public final class JsonLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder out = new StringBuilder(256);
        out.append('{');
        field(out, "ts", Instant.ofEpochMilli(event.getTimeStamp()).toString(), true);
        field(out, "level", event.getLevel().toString(), false);
        field(out, "logger", event.getLoggerName(), false);
        field(out, "thread", event.getThreadName(), false);
        field(out, "msg", event.getFormattedMessage(), false);
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> field(out, k, v, false));
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair kv : event.getKeyValuePairs()) {
                field(out, kv.key, String.valueOf(kv.value), false);
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            field(out, "error_class", error.getClassName(), false);
            field(out, "error", error.getMessage() == null ? "" : error.getMessage(), false);
        }
        out.append('}').append('\n');
        return out.toString();
    }

    private static void field(StringBuilder out, String key, String value, boolean first) {
        if (!first) {
            out.append(',');
        }
        quote(out, key);
        out.append(':');
        quote(out, value == null ? "" : value);
    }

    static void quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
