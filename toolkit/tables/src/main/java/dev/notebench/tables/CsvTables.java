package dev.notebench.tables;

import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import dev.notebench.files.AtomicFiles;
import dev.notebench.files.TextFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * CSV files in and out, exactly: RFC 4180 (comma, double quotes, CRLF or LF) read as UTF-8 into a
 * table of string columns, so that values such as {@code 00061} come back written as they were; a
 * malformed file is refused with the line to fix. Tables are written to a temporary file and moved
 * into place, so a reader never sees half a file and a crash never leaves one.
 */
public final class CsvTables {
    private CsvTables() {
    }

    /**
     * Reads a CSV file with a header line.
     *
     * @param file the file
     * @return a table named after the file, one string column per header field
     * @throws NotebenchException (DATA_NOT_FOUND, DATA_INVALID) naming the file and the line to fix
     */
    public static Table read(Path file) {
        String text = TextFiles.readUtf8(file, "the CSV file");
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.isBlank()) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + " is empty; give a CSV file with a header line and rows");
        }
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        parse(file, text, records, lines);
        List<String> header = records.get(0);
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            if (name.isEmpty() || !seen.add(name)) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, "the header of " + file + " has " + (name.isEmpty()
                        ? "an empty column name" : "the column name '" + name + "' twice") + "; every column needs its own name");
            }
        }
        List<StringColumn> columns = new ArrayList<>();
        for (String name : header) {
            columns.add(StringColumn.create(name));
        }
        for (int r = 1; r < records.size(); r++) {
            List<String> record = records.get(r);
            if (record.size() != header.size()) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, file + ": line " + lines.get(r) + " has " + record.size()
                        + " field" + (record.size() == 1 ? "" : "s") + ", the header has " + header.size()
                        + "; quote fields that contain commas, quotes or line breaks (\"a, b\", \"say \"\"hi\"\"\")");
            }
            for (int c = 0; c < record.size(); c++) {
                columns.get(c).append(record.get(c));
            }
        }
        String name = file.getFileName().toString();
        return Table.create(name, columns.toArray(new StringColumn[0]));
    }


    private static void parse(Path file, String text, List<List<String>> records, List<Integer> lines) {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int quoteLine = 0;
        boolean quoted = false;
        boolean afterQuote = false;
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                afterQuote = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                afterQuote = false;
                if (!(record.size() == 1 && record.get(0).isEmpty())) {
                    records.add(record);
                    lines.add(recordLine);
                }
                record = new ArrayList<>();
                line++;
                recordLine = line;
            } else if (c == '"' && field.length() == 0 && !afterQuote) {
                quoted = true;
                quoteLine = line;
            } else if (afterQuote) {
                throw new NotebenchException(ErrorCode.DATA_INVALID, file + ": line " + line + " has text after a closing quote;"
                        + " inside a quoted field write a quote as two quotes (\"say \"\"hi\"\"\")");
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new NotebenchException(ErrorCode.DATA_INVALID, file + ": the quote opened on line " + quoteLine
                    + " is never closed; close it, or write a quote inside a quoted field as two quotes");
        }
        if (field.length() > 0 || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
    }

    /**
     * Writes a table as CSV (header, comma, quotes where needed, LF line ends) through a temporary
     * file moved into place.
     *
     * @param table the table
     * @param file where to write it
     */
    public static void write(Table table, Path file) {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            table.write().csv(CsvWriteOptions.builder(w).lineEnd("\n").build());
            w.flush();
        });
    }
}
