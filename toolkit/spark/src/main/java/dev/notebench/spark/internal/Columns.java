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
     * @return its index in the schema
     * @throws NotebenchException (DATA_INVALID) naming the columns there are when it is missing, and
     *     saying how to cast it when it is of another type
     */
    public static int string(StructType schema, String column) {
        int i = index(schema, column);
        DataType type = schema.fields()[i].dataType();
        if (!type.sameType(org.apache.spark.sql.types.DataTypes.StringType)) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + column + "' of the DataFrame holds "
                    + type.simpleString() + ", not text (string); cast it first, e.g. df.withColumn(\"" + column + "\", df.col(\""
                    + column + "\").cast(\"string\"))");
        }
        return i;
    }

    /**
     * The index of a column.
     *
     * @throws NotebenchException (DATA_INVALID) naming the columns there are when it is missing
     */
    public static int index(StructType schema, String column) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(column)) {
                return i;
            }
        }
        throw new NotebenchException(ErrorCode.DATA_INVALID, "the DataFrame has no column '" + column + "'; its columns are "
                + Arrays.toString(names));
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
