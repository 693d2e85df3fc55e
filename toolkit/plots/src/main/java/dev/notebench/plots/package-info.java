/**
 * Plots that draw offline: Tablesaw plotly figures rendered as HTML with a bundled plotly.js
 * ({@link dev.notebench.plots.FigureHtml}, {@link dev.notebench.plots.PlotlyJs}).
 */
package dev.notebench.plots;
