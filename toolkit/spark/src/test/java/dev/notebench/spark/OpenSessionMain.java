package dev.notebench.spark;

import org.apache.spark.sql.SparkSession;

/** A notebook cell's session, in its own JVM: opens a session on local[2], counts ten rows, closes it. */
final class OpenSessionMain {
    private OpenSessionMain() {
    }

    public static void main(String[] args) throws java.io.IOException {
        try (SparkSession spark = SparkSessions.builder().master("local[2]").config("spark.ui.enabled", "false").build().open()) {
            System.out.println("rows " + spark.range(10).count());
        }
    }
}
