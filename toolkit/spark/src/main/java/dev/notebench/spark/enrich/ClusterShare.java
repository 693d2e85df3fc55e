package dev.notebench.spark.enrich;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * How many executors share a cluster-wide limit ({@link SparkAnnotator.Limits#share}). Each
 * executor JVM has one annotator, which enforces its share on its own.
 *
 * <p>The executors counted: {@code spark.executor.instances} when set; with dynamic allocation,
 * {@code spark.dynamicAllocation.maxExecutors} when set; a {@code local} master is one JVM; else
 * the executors registered with the driver when the job is planned (at least one). A cluster that
 * grows later exceeds the limit by the newcomers' shares: set {@code spark.executor.instances}
 * (or the maximum) to make the division exact.
 */
final class ClusterShare {
    private ClusterShare() {
    }

    /** The executors that will share the limit, as the class comment says. */
    static int executors(SparkSession spark) {
        SparkConf conf = spark.sparkContext().getConf();
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false) && conf.contains("spark.dynamicAllocation.maxExecutors")) {
            return Math.max(1, conf.getInt("spark.dynamicAllocation.maxExecutors", 1));
        }
        if (conf.contains("spark.executor.instances")) {
            return Math.max(1, conf.getInt("spark.executor.instances", 1));
        }
        if (spark.sparkContext().master().startsWith("local")) {
            return 1;
        }
        return Math.max(1, spark.sparkContext().statusTracker().getExecutorInfos().length - 1); // less the driver
    }
}
