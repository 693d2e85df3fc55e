/**
 * Using a trained model: loading it from a run ({@link dev.notebench.train.generate.TrainedModel}),
 * sampling text ({@link dev.notebench.train.generate.Generator}) and scoring text
 * ({@link dev.notebench.train.generate.Scorer}).
 */
package dev.notebench.train.generate;
