package dev.notebench.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogSetupTest {
    @AfterEach
    void restore() {
        LogSetup.configure(LogFormat.TEXT, "WARN");
    }

    @Test
    void javaLoggingPassesOnlyWhatTheRootLevelShowsSoHiddenMessagesAreNeverFormatted() {
        LogSetup.configure(LogFormat.TEXT, "WARN");
        Logger jul = Logger.getLogger("org.codehaus.janino.UnitCompiler");
        assertEquals(Level.WARNING, Logger.getLogger("").getLevel());
        assertFalse(jul.isLoggable(Level.FINER), "a FINER call (Logger.entering) is dropped before its message is formatted");
        assertFalse(jul.isLoggable(Level.INFO));
        assertTrue(jul.isLoggable(Level.WARNING));

        LogSetup.configure(LogFormat.TEXT, "DEBUG");
        assertTrue(jul.isLoggable(Level.FINE));
        assertFalse(jul.isLoggable(Level.FINER));
    }

    @Test
    void sparksStartUpNoticesAreHiddenUnlessDebugIsAsked() {
        LogSetup.configure(LogFormat.TEXT, "WARN");
        org.slf4j.Logger host = org.slf4j.LoggerFactory.getLogger("org.apache.spark.util.Utils");
        org.slf4j.Logger hadoop = org.slf4j.LoggerFactory.getLogger("org.apache.hadoop.util.NativeCodeLoader");
        assertFalse(host.isWarnEnabled());
        assertFalse(hadoop.isWarnEnabled());
        assertTrue(host.isErrorEnabled() && hadoop.isErrorEnabled(), "errors still show");
        assertTrue(org.slf4j.LoggerFactory.getLogger("org.apache.spark.SparkContext").isWarnEnabled());

        LogSetup.configure(LogFormat.TEXT, "DEBUG");
        assertTrue(host.isDebugEnabled() && hadoop.isDebugEnabled());
    }
}
