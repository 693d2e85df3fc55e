package dev.notebench.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLayoutTest {

    @Test
    void eventBecomesOneJsonLineWithMdcKeyValuesAndError() {
        LoggerContext ctx = new LoggerContext();
        Logger logger = ctx.getLogger("dev.notebench.train");
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.WARN, "loss is \"nan\"\nstopping", null, null);
        e.setTimeStamp(1_700_000_000_000L);
        e.setThreadName("trainer-1");
        e.setMDCPropertyMap(Map.of("run_id", "r-42"));
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("event", "nan_loss"));
        e.addKeyValuePair(new org.slf4j.event.KeyValuePair("error_code", ErrorCode.MODEL_TRAIN_FAILED));
        e.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(
                new NotebenchException(ErrorCode.MODEL_TRAIN_FAILED, "loss became NaN at step 7")));

        assertEquals("{\"ts\":\"2023-11-14T22:13:20Z\",\"level\":\"WARN\",\"logger\":\"dev.notebench.train\","
                + "\"thread\":\"trainer-1\",\"msg\":\"loss is \\\"nan\\\"\\nstopping\",\"run_id\":\"r-42\","
                + "\"event\":\"nan_loss\",\"error_code\":\"MODEL_TRAIN_FAILED\","
                + "\"error_class\":\"dev.notebench.NotebenchException\",\"error\":\"loss became NaN at step 7\"}\n",
                new JsonLayout().doLayout(e));
    }

    @Test
    void formatNamesParseCaseInsensitivelyAndOthersSayWhatToUse() {
        assertEquals(LogFormat.JSON, LogFormat.parse(" Json "));
        assertEquals(LogFormat.TEXT, LogFormat.parse("text"));
        NotebenchException e = assertThrows(NotebenchException.class, () -> LogFormat.parse("xml"));
        assertEquals("CONFIG_INVALID: unknown log format 'xml'; use text or json", e.toString());
    }
}
