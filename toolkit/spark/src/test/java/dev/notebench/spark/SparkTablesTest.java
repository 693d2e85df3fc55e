package dev.notebench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

class SparkTablesTest {
    private static SparkSession spark;

    @BeforeAll
    static void open() {
        spark = TestData.local("spark-tables-test");
    }

    @AfterAll
    static void close() {
        spark.stop();
    }

    static final StructType TYPES = new StructType().add("text", DataTypes.StringType).add("small", DataTypes.ShortType)
            .add("n", DataTypes.IntegerType).add("big", DataTypes.LongType).add("f", DataTypes.FloatType)
            .add("x", DataTypes.DoubleType).add("ok", DataTypes.BooleanType)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType));

    @Test
    void everyColumnKeepsItsTypeAndValuesExactlyAndNullsAreMissing() {
        Dataset<Row> data = spark.createDataFrame(List.of(
                RowFactory.create("a cat", (short) 3, 7, 1L << 40, 0.1f, 1.0 / 3, true, List.of(0.1f, -2.5e-8f)),
                RowFactory.create(null, null, null, null, null, null, null, null)), TYPES);
        Table t = SparkTables.toTable(data, 2, "typed");
        assertEquals("typed", t.name());
        assertEquals(List.of("text", "small", "n", "big", "f", "x", "ok", "vector"), t.columnNames());
        assertEquals(List.of(ColumnType.STRING, ColumnType.SHORT, ColumnType.INTEGER, ColumnType.LONG, ColumnType.FLOAT,
                ColumnType.DOUBLE, ColumnType.BOOLEAN, ColumnType.STRING), t.columns().stream().map(c -> c.type()).toList());
        assertEquals(List.of("a cat", (short) 3, 7, 1L << 40, 0.1f, 1.0 / 3, true, "[0.1, -2.5E-8]"),
                t.columns().stream().map(c -> (Object) c.get(0)).toList());
        assertEquals(List.of(true, true, true, true, true, true, true, true), t.columns().stream().map(c -> c.isMissing(1)).toList());
    }

    @Test
    void moreRowsThanAllowedAreRefusedSayingToFilterOrLimit() {
        Dataset<Row> ten = spark.range(10).toDF("id");
        assertEquals(10, SparkTables.toTable(ten, 10).rowCount());
        NotebenchException e = assertThrows(NotebenchException.class, () -> SparkTables.toTable(ten, 9));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the DataFrame has more than 9 rows, too many to collect into a table; filter it, aggregate it or take its"
                + " first rows (df.limit(9)), or allow more rows", e.getMessage());
    }

    @Test
    void aColumnOfATypeATableCannotHoldIsRefusedBeforeAnyJob() {
        Dataset<Row> dates = spark.range(3).selectExpr("id", "date_add(date'2024-01-01', cast(id as int)) as day");
        NotebenchException e = TestData.refusedBeforeAnyJob(spark, () -> SparkTables.toTable(dates, 3));
        assertEquals(ErrorCode.DATA_INVALID, e.code());
        assertEquals("the column 'day' holds date values, which a table here cannot hold (string, short, int, long, float, double,"
                + " boolean or an array); drop it or cast it first: df.withColumn(\"day\", col(\"day\").cast(\"string\"))", e.getMessage());
    }
}
