import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Makes an application's own database and login role on a PostgreSQL server, if they are missing
 * (./nanolet up: the todo example's database in the embedded server). Run as a single-file program
 * with pgjdbc on the class path: java -cp postgresql.jar scripts/AppDatabase.java ADMIN_URL ADMIN_USER DATABASE ROLE PASSWORD
 */
class AppDatabase {
    public static void main(String[] a) throws SQLException {
        String database = name(a[2]);
        String role = name(a[3]);
        try (Connection c = DriverManager.getConnection(a[0], a[1], "")) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role)) {
                // a role name cannot be a bound parameter; both names are checked to be plain identifiers
                c.createStatement().execute("CREATE ROLE " + role + " LOGIN PASSWORD '" + a[4].replace("'", "''") + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", database)) {
                c.createStatement().execute("CREATE DATABASE " + database + " OWNER " + role);
            }
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String name(String s) {
        if (!s.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain identifier: " + s);
        }
        return s;
    }
}
