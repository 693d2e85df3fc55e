/**
 * How notebook values look: renderers for Tablesaw tables and figures and Notebench's own display
 * types, registered into basekernel's {@code Renderer} ({@link dev.notebench.magics.render.NotebookRenderers}).
 */
package dev.notebench.magics.render;
