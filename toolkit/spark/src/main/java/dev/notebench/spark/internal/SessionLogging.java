package dev.notebench.spark.internal;

import java.net.URISyntaxException;
import java.net.URL;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.slf4j.LoggerFactory;

/**
 * Spark's logging for a session opened where no one configured it (a notebook cell, JShell, a
 * plain {@code main}): Spark would fall back to its default profile, INFO on standard error, and
 * print about 120 lines before the first job. Notebench's profile shows warnings and errors only,
 * without the start-up notices no one can act on (Hadoop's native library, the driver's host
 * name). A Log4j 2 configuration given by the user or by {@code spark-submit}, and any other
 * SLF4J binding (a kernel's Logback), are left alone.
 */
public final class SessionLogging {
    private static final String PROFILE = "log4j2-session.properties";

    private SessionLogging() {
    }

    /**
     * Applies Notebench's profile when Spark logs through Log4j 2 and Log4j 2 has no configuration
     * yet; otherwise does nothing.
     *
     * @return whether the profile was applied
     */
    public static boolean quietUnlessConfigured() {
        if (!LoggerFactory.getILoggerFactory().getClass().getName().startsWith("org.apache.logging.slf4j")) {
            return false;
        }
        if (!(LogManager.getContext(false) instanceof LoggerContext context)
                || !(context.getConfiguration() instanceof DefaultConfiguration)) {
            return false;
        }
        URL profile = SessionLogging.class.getResource(PROFILE);
        try {
            context.setConfigLocation(profile.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Notebench's logging profile " + profile + " has no URI", e);
        }
        return true;
    }
}
