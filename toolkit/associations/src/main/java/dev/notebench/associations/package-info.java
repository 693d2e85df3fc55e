/**
 * Associations from text: typed relations found by patterns that are data
 * ({@link dev.notebench.associations.PatternSet}: is-a, part-of, causes, used-for, located-in,
 * has-property, before/after), term co-occurrence with PMI, extracted in parallel with results
 * identical to a sequential run ({@link dev.notebench.associations.Extractor}), and aggregated
 * into a graph exported as CSV, GraphML or DOT ({@link dev.notebench.associations.AssociationGraph}).
 */
package dev.notebench.associations;
