/**
 * Tablesaw tables and plotly figures as HTML that shows offline: tables ({@link dev.notebench.plots.TableHtml})
 * and figures drawn with a bundled plotly.js
 * ({@link dev.notebench.plots.FigureHtml}, {@link dev.notebench.plots.PlotlyJs}).
 */
package dev.notebench.plots;
