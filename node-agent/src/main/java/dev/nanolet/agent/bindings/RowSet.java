package dev.nanolet.agent.bindings;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Base64;
import tools.jackson.core.JsonGenerator;

/**
 * A query's result as the guest reads it: {@code {"columns":[{"name":..,"type":..}],"rows":[[..]]}},
 * type the PostgreSQL type name. Integers and booleans are JSON numbers and booleans, floats numbers
 * (NaN and infinities strings), {@code numeric} a string (exact), {@code bytea} base64, everything
 * else PostgreSQL's text form, SQL NULL {@code null}. Bounded in rows and bytes.
 */
final class RowSet {

    private RowSet() {}

    static byte[] encode(ResultSet rs, int maxRows, long maxBytes) throws SQLException {
        var out = new Capped(maxBytes);
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        try (JsonGenerator g = Statement.JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayPropertyStart("columns");
            for (int c = 1; c <= n; c++) {
                g.writeStartObject();
                g.writeStringProperty("name", meta.getColumnLabel(c));
                g.writeStringProperty("type", meta.getColumnTypeName(c));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayPropertyStart("rows");
            int rows = 0;
            while (rs.next()) {
                if (++rows > maxRows) {
                    throw new TooLarge("more than " + maxRows + " rows (add a LIMIT)");
                }
                g.writeStartArray();
                for (int c = 1; c <= n; c++) {
                    value(g, rs, c, meta.getColumnType(c));
                }
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void value(JsonGenerator g, ResultSet rs, int c, int type) throws SQLException {
        switch (type) {
            case Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.TINYINT -> {
                long v = rs.getLong(c);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeNumber(v);
                }
            }
            case Types.REAL, Types.DOUBLE, Types.FLOAT -> {
                double v = rs.getDouble(c);
                if (rs.wasNull()) {
                    g.writeNull();
                } else if (Double.isFinite(v)) {
                    g.writeNumber(v);
                } else {
                    g.writeString(Double.toString(v));
                }
            }
            case Types.BIT, Types.BOOLEAN -> {
                boolean v = rs.getBoolean(c);
                if (rs.wasNull()) {
                    g.writeNull();
                } else {
                    g.writeBoolean(v);
                }
            }
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY -> {
                byte[] v = rs.getBytes(c);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeString(Base64.getEncoder().encodeToString(v));
                }
            }
            default -> {
                String v = rs.getString(c);
                if (v == null) {
                    g.writeNull();
                } else {
                    g.writeString(v);
                }
            }
        }
    }

    /** A result above a cap. */
    static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /** Refuses to grow past the byte cap while the result is written. */
    private static final class Capped extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final long max;

        Capped(long max) {
            this.max = max;
        }

        @Override
        public void write(int b) {
            room(1);
            bytes.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            room(len);
            bytes.write(b, off, len);
        }

        private void room(int len) {
            if (bytes.size() + (long) len > max) {
                throw new TooLarge("the result is above " + max + " bytes");
            }
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }
}
