package dev.notebench.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logging for a Notebench application (the CLI, the kernel), never for a library.
 *
 * <p>Logs go to standard error so that standard output stays for results. Java's own logging
 * (used by the Jupyter base kernel) is routed through SLF4J so one switch controls everything.
 *
 * <pre>{@code
 * LogSetup.configure(LogFormat.JSON, "INFO");
 * }</pre>
 */
public final class LogSetup {
    private LogSetup() {
    }

    /**
     * Replaces the logging configuration.
     *
     * @param format text or JSON lines
     * @param level the root level name, e.g. {@code WARN}, {@code INFO}, {@code DEBUG}
     */
    public static void configure(LogFormat format, String level) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding owns logging; leave it alone
        }
        context.reset();
        // Java's loggers get the levels of ours, so that a message no one will see is not even formatted:
        // with JUL at ALL every FINER call (Janino's, in Spark's code generation) was formatted for the bridge,
        // and some of those messages fail to format
        LevelChangePropagator levels = new LevelChangePropagator();
        levels.setContext(context);
        levels.setResetJUL(true);
        levels.start();
        context.addListener(levels);
        Layout<ILoggingEvent> layout;
        if (format == LogFormat.JSON) {
            layout = new JsonLayout();
        } else {
            PatternLayout pattern = new PatternLayout();
            pattern.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n");
            layout = pattern;
        }
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setTarget("System.err");
        appender.setEncoder(encoder);
        appender.setName("notebench");
        appender.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level, Level.WARN));
        root.addAppender(appender);
        // DJL probes for CUDA on every engine start and warns when a machine has CUDA tools but
        // no GPU, and its ONNX Runtime engine warns that the CPU build has no CUDA provider;
        // nothing a user can act on, unless they asked for DEBUG
        if (!root.isDebugEnabled()) {
            context.getLogger("ai.djl.util.cuda.CudaUtils").setLevel(Level.ERROR);
            context.getLogger("ai.djl.onnxruntime.engine.OrtEngine").setLevel(Level.ERROR);
            // a Spark session in a notebook warns at every start that Hadoop has no native library
            // and which address the driver took when the host name resolves to loopback
            context.getLogger("org.apache.hadoop.util.NativeCodeLoader").setLevel(Level.ERROR);
            context.getLogger("org.apache.spark.util.Utils").setLevel(Level.ERROR);
        }

        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
    }
}
