package dev.notebench.magics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a line magic that takes the rest of its line verbatim (Java code, say) rather than split
 * into arguments: the Notebench kernel passes the text after the magic's name as the only
 * argument. Kernels that do not know this annotation (a stock IJava) split the line as usual, so
 * such a magic should also accept split arguments, joining them with spaces.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RawLine {
}
