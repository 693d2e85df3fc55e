/**
 * Associations over a cluster: the records of {@link dev.notebench.associations.Extractor} from a
 * DataFrame's text column, and term co-occurrence with PMI by Spark aggregation
 * ({@link dev.notebench.spark.associations.SparkAssociations}).
 */
package dev.notebench.spark.associations;
