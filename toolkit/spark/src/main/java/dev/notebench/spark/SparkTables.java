package dev.notebench.spark;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A small Spark result as a Tablesaw {@link Table}, to show in a notebook or to compare with the
 * local API's tables. Each column keeps its type: string, short, int, long, float, double and
 * boolean as the same Tablesaw column type, a null as a missing value; an array (an embedding's
 * {@code array<float>}) becomes a string column holding it as {@code [v1, v2, ...]}, each element
 * as Java prints it, so nothing is rounded. Other types (dates, maps, structs, decimals) are refused.
 *
 * <pre>{@code
 * Table top = SparkTables.toTable(counts.orderBy(col("n").desc()).limit(10), 10);
 * }</pre>
 */
public final class SparkTables {
    /** The Tablesaw column of each Spark type a table holds as it is. */
    private static final Map<DataType, Function<String, Column<?>>> COLUMNS = Map.of(
            DataTypes.StringType, StringColumn::create, DataTypes.ShortType, ShortColumn::create,
            DataTypes.IntegerType, IntColumn::create, DataTypes.LongType, LongColumn::create,
            DataTypes.FloatType, FloatColumn::create, DataTypes.DoubleType, DoubleColumn::create,
            DataTypes.BooleanType, BooleanColumn::create);

    private SparkTables() {
    }

    /**
     * Collects a DataFrame of at most {@code maxRows} rows into a table named "result".
     *
     * @see #toTable(Dataset, int, String)
     */
    public static Table toTable(Dataset<Row> data, int maxRows) {
        return toTable(data, maxRows, "result");
    }

    /**
     * Collects a DataFrame of at most {@code maxRows} rows into a table.
     *
     * @param data the DataFrame; its rows are collected to the driver
     * @param maxRows how many rows it may have
     * @param name the table's name
     * @return the table, its columns in the DataFrame's order with the DataFrame's names
     * @throws NotebenchException DATA_INVALID, before any job runs, when a column's type has no
     *     Tablesaw column; and, after collecting at most {@code maxRows + 1} rows, when there are
     *     more than {@code maxRows}
     */
    public static Table toTable(Dataset<Row> data, int maxRows, String name) {
        if (maxRows < 0) {
            throw new IllegalArgumentException("maxRows must be at least 0, not " + maxRows);
        }
        StructField[] fields = data.schema().fields();
        List<Column<?>> columns = new ArrayList<>();
        for (StructField f : fields) {
            columns.add(column(f));
        }
        List<Row> rows = data.limit(maxRows + 1).collectAsList();
        if (rows.size() > maxRows) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the DataFrame has more than " + maxRows
                    + " rows, too many to collect into a table; filter it, aggregate it or take its first rows"
                    + " (df.limit(" + maxRows + ")), or allow more rows");
        }
        for (Row row : rows) {
            for (int c = 0; c < fields.length; c++) {
                append(columns.get(c), fields[c].dataType(), row, c);
            }
        }
        return Table.create(name, columns);
    }

    private static Column<?> column(StructField f) {
        DataType t = f.dataType();
        Function<String, Column<?>> make = t instanceof ArrayType ? StringColumn::create : COLUMNS.get(t);
        if (make == null) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, "the column '" + f.name() + "' holds " + t.simpleString()
                    + " values, which a table here cannot hold (string, short, int, long, float, double, boolean or an array);"
                    + " drop it or cast it first: df.withColumn(\"" + f.name() + "\", col(\"" + f.name() + "\").cast(\"string\"))");
        }
        return make.apply(f.name());
    }

    private static void append(Column<?> column, DataType type, Row row, int c) {
        if (row.isNullAt(c)) {
            column.appendMissing();
        } else if (type instanceof ArrayType) {
            ((StringColumn) column).append(row.getList(c).toString());
        } else {
            column.appendObj(row.get(c));
        }
    }
}
