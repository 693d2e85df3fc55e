/**
 * Notebench magics and renderers in a stock IJava kernel
 * ({@link dev.notebench.magics.ijava.IJavaSupport}).
 */
package dev.notebench.magics.ijava;
