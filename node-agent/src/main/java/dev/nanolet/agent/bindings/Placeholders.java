package dev.nanolet.agent.bindings;

import java.util.ArrayList;
import java.util.List;

/**
 * PostgreSQL's own parameter style ({@code $1}, {@code $2}, a number used as often as wanted) turned
 * into JDBC's ({@code ?} in order): {@code $n} outside string literals, quoted identifiers, dollar
 * quotes and comments becomes {@code ?}, a lone {@code ?} (a jsonb operator) becomes pgjdbc's {@code ??}.
 *
 * The rewrite depends on the SQL text only, so a pool keeps it per text ({@link Pool#placeholders}) and
 * each call only {@link #check}s that the parameters it uses were sent.
 *
 * @param sql the statement for {@code prepareStatement}
 * @param order for each {@code ?} in turn, the 0-based index of the guest's parameter it binds
 * @param highest the highest {@code $n} the statement uses (0 for none)
 */
record Placeholders(String sql, List<Integer> order, int highest) {

    /** This, if the statement uses only parameters 1 to {@code params}. */
    Placeholders check(int params) {
        if (highest > params) {
            throw new Statement.Invalid("the statement uses $" + highest + " but " + params + " parameters were sent");
        }
        return this;
    }

    /** Rewrites {@code sql}; a {@code $0} is {@link Statement.Invalid}. */
    static Placeholders of(String sql) {
        var out = new StringBuilder(sql.length());
        List<Integer> order = new ArrayList<>();
        int highest = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end = skip(sql, i);
            if (end > i) {
                out.append(sql, i, end);
                i = end;
            } else if (c == '$' && i + 1 < n && Character.isDigit(sql.charAt(i + 1))) {
                int j = i + 1;
                while (j < n && Character.isDigit(sql.charAt(j))) {
                    j++;
                }
                int index = Integer.parseInt(sql.substring(i + 1, Math.min(j, i + 7))) - 1;
                if (index < 0) {
                    throw new Statement.Invalid("the statement uses $0; parameters are numbered from $1");
                }
                order.add(index);
                highest = Math.max(highest, index + 1);
                out.append('?');
                i = j;
            } else {
                out.append(c == '?' ? "??" : String.valueOf(c));
                i++;
            }
        }
        return new Placeholders(out.toString(), List.copyOf(order), highest);
    }

    /** The end of a literal, quoted identifier, dollar quote or comment starting at {@code i}; {@code i} if none does. */
    private static int skip(String sql, int i) {
        char c = sql.charAt(i);
        if (c == '\'' || c == '"') {
            int j = i + 1;
            while (j < sql.length()) {
                if (sql.charAt(j) == c) {
                    if (j + 1 < sql.length() && sql.charAt(j + 1) == c) {
                        j += 2;
                        continue;
                    }
                    return j + 1;
                }
                j++;
            }
            return sql.length();
        }
        if (sql.startsWith("--", i)) {
            int nl = sql.indexOf('\n', i);
            return nl < 0 ? sql.length() : nl + 1;
        }
        if (sql.startsWith("/*", i)) {
            int close = sql.indexOf("*/", i + 2);
            return close < 0 ? sql.length() : close + 2;
        }
        if (c == '$' && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)) && sql.charAt(i - 1) != '_')) {
            int j = i + 1;
            while (j < sql.length() && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                j++;
            }
            if (j < sql.length() && sql.charAt(j) == '$' && (j == i + 1 || !Character.isDigit(sql.charAt(i + 1)))) {
                String tag = sql.substring(i, j + 1);
                int close = sql.indexOf(tag, j + 1);
                return close < 0 ? sql.length() : close + tag.length();
            }
        }
        return i;
    }
}
