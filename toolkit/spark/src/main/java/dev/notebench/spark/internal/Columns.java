package dev.notebench.spark.internal;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * Checks of a DataFrame's schema, made on the driver before any task runs, so that bad input is
 * one clear error instead of a failed task on every executor.
 */
public final class Columns {
    private Columns() {
    }

    /**
     * The index of a column that must hold strings.
     *
     * @param schema the DataFrame's schema
     * @param column the column's name
     * @param what what the column should hold, for the message (e.g. "the texts to embed")
     * @return its index in the schema
     * @throws NotebenchException (DATA_INVALID) naming the columns there are, with their types, when
     *     it is missing, and saying how to cast it when it is of another type
     */
    public static int string(StructType schema, String column, String what) {
        int at = java.util.Arrays.asList(schema.fieldNames()).indexOf(column);
        if (at < 0) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the DataFrame has no column '" + column + "' for " + what
                    + "; its columns are " + describe(schema) + ". Name a string column.");
        }
        DataType type = schema.fields()[at].dataType();
        if (!type.sameType(org.apache.spark.sql.types.DataTypes.StringType)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + column + "' holds " + type.simpleString()
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

    /**
     * Refuses a new column's name that the DataFrame already has.
     *
     * @param schema the DataFrame's schema
     * @param column the new column's name
     * @param fix what to do about it, e.g. {@code "name the new one otherwise"}
     * @throws NotebenchException (CONFIG_INVALID) when the name is taken
     */
    public static void absent(StructType schema, String column, String fix) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "the DataFrame already has a column '" + column + "'; " + fix);
        }
    }
}
