/**
 * The magics every Notebench kernel has: {@code %lsmagic}, {@code %help}, {@code %jars},
 * {@code %classpath}, {@code %maven}, {@code %mavenRepo} and {@code %time}/{@code %%time};
 * IJava-compatible in name and arguments where IJava has the same magic.
 */
package dev.notebench.magics.builtin;
