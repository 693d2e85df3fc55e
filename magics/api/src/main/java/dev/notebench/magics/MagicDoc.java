package dev.notebench.magics;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The help of one magic, shown by {@code %help name} and in {@code %lsmagic}; goes on the same
 * method as its {@code @LineMagic} or {@code @CellMagic}.
 *
 * <pre>{@code
 * @LineMagic
 * @MagicDoc(usage = "%jars GLOB...",
 *           summary = "Adds jar files matching the globs to the classpath of later cells.",
 *           example = "%jars lib/*.jar")
 * public void jars(List<String> args) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface MagicDoc {

    /**
     * The synopsis, starting with {@code %name} or {@code %%name}; leave it out when the magics
     * object declares the magic's options ({@link DeclaredMagics}), which gives the synopsis.
     */
    String usage() default "";

    /** One paragraph saying what the magic does. */
    String summary();

    /** One example invocation, exactly as typed in a cell. */
    String example();
}
