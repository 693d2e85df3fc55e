/**
 * Cascades: a cheap annotator (the offline labeler, a small model) labels every row with a
 * confidence, and only rows whose confidence is below a threshold go to an expensive one. The
 * threshold is chosen on a labelled sample so that the cascade's accuracy meets a stated target
 * with a stated probability ({@link dev.notebench.enrich.cascade.ThresholdSelection}: exact
 * finite-population tail bounds, fixed-sequence testing).
 */
package dev.notebench.enrich.cascade;
