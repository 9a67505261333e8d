package dev.nanolet.agent.bindings;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Base64;

/**
 * A query's result as the guest reads it: {@code {"columns":[{"name":..,"type":..}],"rows":[[..]]}},
 * type the PostgreSQL type name. Integers and booleans are JSON numbers and booleans, floats numbers
 * (NaN and infinities strings), {@code numeric} a string (exact), {@code bytea} base64, everything
 * else PostgreSQL's text form, SQL NULL {@code null}. Bounded in rows and bytes. Written by hand
 * straight into one byte array (a Jackson generator per result cost as much as the rest of the encoding).
 */
final class RowSet {

    private byte[] out = new byte[256];
    private int size;
    private final long max;

    private RowSet(long max) {
        this.max = max;
    }

    static byte[] encode(ResultSet rs, int maxRows, long maxBytes) throws SQLException {
        var w = new RowSet(maxBytes);
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        int[] types = new int[n + 1];
        w.ascii("{\"columns\":[");
        for (int c = 1; c <= n; c++) {
            types[c] = meta.getColumnType(c);
            w.ascii(c == 1 ? "{\"name\":" : ",{\"name\":");
            w.string(meta.getColumnLabel(c));
            w.ascii(",\"type\":");
            w.string(meta.getColumnTypeName(c));
            w.ascii("}");
        }
        w.ascii("],\"rows\":[");
        int rows = 0;
        while (rs.next()) {
            if (++rows > maxRows) {
                throw new TooLarge("more than " + maxRows + " rows (add a LIMIT)");
            }
            w.ascii(rows == 1 ? "[" : ",[");
            for (int c = 1; c <= n; c++) {
                if (c > 1) {
                    w.ascii(",");
                }
                w.value(rs, c, types[c]);
            }
            w.ascii("]");
        }
        w.ascii("]}");
        return Arrays.copyOf(w.out, w.size);
    }

    private void value(ResultSet rs, int c, int type) throws SQLException {
        switch (type) {
            case Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.TINYINT -> {
                long v = rs.getLong(c);
                ascii(rs.wasNull() ? "null" : Long.toString(v));
            }
            case Types.REAL, Types.DOUBLE, Types.FLOAT -> {
                double v = rs.getDouble(c);
                if (rs.wasNull()) {
                    ascii("null");
                } else if (Double.isFinite(v)) {
                    ascii(Double.toString(v));
                } else {
                    string(Double.toString(v));
                }
            }
            case Types.BIT, Types.BOOLEAN -> {
                boolean v = rs.getBoolean(c);
                ascii(rs.wasNull() ? "null" : v ? "true" : "false");
            }
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
                byte[] v = rs.getBytes(c);
                if (v == null) {
                    ascii("null");
                } else {
                    string(Base64.getEncoder().encodeToString(v));
                }
            }
            default -> {
                String v = rs.getString(c);
                if (v == null) {
                    ascii("null");
                } else {
                    string(v);
                }
            }
        }
    }

    /** Text known to be ASCII and not in need of escapes (punctuation, numbers, literals). */
    private void ascii(String s) {
        room(s.length());
        for (int i = 0; i < s.length(); i++) {
            out[size++] = (byte) s.charAt(i);
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, the rest UTF-8. */
    private void string(String s) {
        room(s.length() + 2);
        out[size++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x80) {
                byte[] e = ESCAPES[ch];
                if (e == null) {
                    room(1);
                    out[size++] = (byte) ch;
                } else {
                    room(e.length);
                    System.arraycopy(e, 0, out, size, e.length);
                    size += e.length;
                }
            } else if (ch < 0x800) {
                room(2);
                out[size++] = (byte) (0xC0 | ch >> 6);
                out[size++] = (byte) (0x80 | ch & 0x3F);
            } else if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(ch, s.charAt(++i));
                room(4);
                out[size++] = (byte) (0xF0 | cp >> 18);
                out[size++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[size++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[size++] = (byte) (0x80 | cp & 0x3F);
            } else {
                char c = Character.isSurrogate(ch) ? '\uFFFD' : ch;
                room(3);
                out[size++] = (byte) (0xE0 | c >> 12);
                out[size++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
        room(1);
        out[size++] = '"';
    }

    private void room(int len) {
        if (size + (long) len > max) {
            throw new TooLarge("the result is above " + max + " bytes");
        }
        if (size + len > out.length) {
            out = Arrays.copyOf(out, (int) Math.min(Math.max(out.length * 2L, size + (long) len), Integer.MAX_VALUE - 8));
        }
    }

    /** For each ASCII character that JSON escapes, its escape; null for the others. */
    private static final byte[][] ESCAPES = new byte[0x80][];

    static {
        for (int c = 0; c < 0x20; c++) {
            ESCAPES[c] = String.format("\\u%04x", c).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
        ESCAPES['\n'] = "\\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ESCAPES['\r'] = "\\r".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ESCAPES['\t'] = "\\t".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ESCAPES['\b'] = "\\b".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ESCAPES['\f'] = "\\f".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ESCAPES['"'] = "\\\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ESCAPES['\\'] = "\\\\".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A result above a cap. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }
}
