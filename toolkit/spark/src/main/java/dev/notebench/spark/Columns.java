package dev.notebench.spark;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Checks of a DataFrame's schema made on the driver, before any task runs, so that a wrong column is
 * one clear error and not a failed stage on the executors.
 */
public final class Columns {
    private Columns() {
    }

    /**
     * Requires a string column.
     *
     * @param data the DataFrame
     * @param column the column's name
     * @param what what the column should hold, for the message (e.g. "the texts")
     * @return the column's position in the schema
     * @throws NotebenchException DATA_INVALID naming the DataFrame's columns when {@code column} is
     *                            missing or does not hold strings
     */
    public static int requireString(Dataset<Row> data, String column, String what) {
        StructType schema = data.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        int at = names.indexOf(column);
        if (at < 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the DataFrame has no column '" + column + "' for " + what
                    + "; its columns are " + describe(schema) + ". Name a string column.");
        }
        StructField field = schema.fields()[at];
        if (!field.dataType().equals(DataTypes.StringType)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + column + "' holds " + field.dataType().simpleString()
                    + " values, not strings, so it cannot be " + what + "; the DataFrame's columns are " + describe(schema)
                    + ". Name a string column, or cast this one: df.withColumn(\"" + column + "\", col(\"" + column
                    + "\").cast(\"string\")).");
        }
        return at;
    }

    /** The columns with their types, e.g. {@code [id: int, text: string]}. */
    private static String describe(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + ": " + f.dataType().simpleString()).toList().toString();
    }
}
