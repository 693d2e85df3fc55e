/**
 * The display contract between toolkit code and notebooks: {@link dev.notebench.display.Display}
 * shows values and {@link dev.notebench.display.DisplayHandle} updates them in place.
 */
package dev.notebench.display;
