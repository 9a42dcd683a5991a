package io.chatleads.db;

import io.vertx.sqlclient.Tuple;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query written with JDBI's {@code :name} parameters, as every repository writes them, turned
 * once into JDBC's positional {@code ?} ({@link #text}) and into PostgreSQL's numbered {@code $n}
 * ({@link #numberedText}, for vertx-pg-client), for the few queries that run outside JDBI. A name
 * may occur more than once; binding a value for each name fills every position it has.
 */
public record PositionalSql(String text, String numberedText, List<String> positions, Set<String> names) {

    // A colon that is not part of a "::" cast, then a name.
    private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9]*)");

    public static PositionalSql of(String named) {
        List<String> positions = new ArrayList<>();
        Matcher matcher = NAMED.matcher(named);
        StringBuilder positional = new StringBuilder();
        while (matcher.find()) {
            positions.add(matcher.group(1));
            matcher.appendReplacement(positional, "?");
        }
        matcher.appendTail(positional);
        String text = positional.toString();
        return new PositionalSql(text, numbered(text), List.copyOf(positions), Set.copyOf(positions));
    }

    /**
     * JDBC's {@code ?} placeholders as PostgreSQL's {@code $1, $2, …}, in order: for the repositories'
     * few positional queries. The queries this is for hold no {@code ?} inside a literal or operator.
     */
    public static String numbered(String positional) {
        StringBuilder numbered = new StringBuilder(positional.length() + 16);
        int next = 1;
        for (int i = 0; i < positional.length(); i++) {
            char c = positional.charAt(i);
            if (c == '?') {
                numbered.append('$').append(next++);
            } else {
                numbered.append(c);
            }
        }
        return numbered.toString();
    }

    /** Binds every position; a name without a value is a programming error, reported by name. */
    public void bind(PreparedStatement statement, Map<String, Object> values) throws SQLException {
        checkNames(values);
        for (int i = 0; i < positions.size(); i++) {
            statement.setObject(i + 1, values.get(positions.get(i)));
        }
    }

    /** The values in the order of {@link #numberedText}'s {@code $n}; checked as {@link #bind} checks them. */
    public Tuple tuple(Map<String, Object> values) {
        checkNames(values);
        Object[] ordered = new Object[positions.size()];
        for (int i = 0; i < ordered.length; i++) {
            ordered[i] = values.get(positions.get(i));
        }
        return Tuple.wrap(ordered);
    }

    private void checkNames(Map<String, Object> values) {
        if (!values.keySet().equals(names)) {
            throw new IllegalArgumentException("the SQL names " + positions + ", the values " + values.keySet());
        }
    }
}
