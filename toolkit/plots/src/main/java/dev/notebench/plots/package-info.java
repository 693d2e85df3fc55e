/**
 * Tablesaw tables and plotly figures as HTML that shows offline: tables ({@link dev.notebench.plots.TableHtml})
 * and figures drawn with a bundled plotly.js
 * ({@link dev.notebench.plots.FigureHtml}, {@link dev.notebench.plots.PlotlyJs}); plots that grow in
 * place while something runs ({@link dev.notebench.plots.LivePlot}), whose figures
 * ({@link dev.notebench.plots.PlotlyFigure}) Notebench writes as plotly JSON itself.
 */
package dev.notebench.plots;
