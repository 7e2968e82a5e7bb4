package dev.fedplane.cli.output;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A kubectl-style text table: an upper-case header row, columns left-aligned and separated by three
 * spaces, no trailing spaces, a line feed after every row. Empty cells print as "-" so that columns
 * stay parseable with awk.
 */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public Table(String... headers) {
        this.columns = headers.length;
        rows.add(headers);
    }

    public Table row(Object... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException(
                    "expected " + columns + " cells, got " + cells.length);
        }
        String[] r = new String[columns];
        for (int i = 0; i < columns; i++) {
            String s = cells[i] == null ? "" : String.valueOf(cells[i]);
            r[i] = s.isEmpty() ? "-" : s;
        }
        rows.add(r);
        return this;
    }

    public int size() {
        return rows.size() - 1;
    }

    public String render() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 3));
                }
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return render();
    }

    /** Headers of this table (for tests). */
    public List<String> headers() {
        return Arrays.asList(rows.get(0));
    }
}
