package io.chatleads.lead;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query written with JDBI's {@code :name} parameters, as every repository writes them, turned
 * into JDBC's positional {@code ?} once, for the few queries that run on plain JDBC. A name may
 * occur more than once; binding a value for each name fills every position it has.
 */
record PositionalSql(String text, List<String> positions) {

    // A colon that is not part of a "::" cast, then a name.
    private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9]*)");

    static PositionalSql of(String named) {
        List<String> positions = new ArrayList<>();
        Matcher matcher = NAMED.matcher(named);
        StringBuilder positional = new StringBuilder();
        while (matcher.find()) {
            positions.add(matcher.group(1));
            matcher.appendReplacement(positional, "?");
        }
        matcher.appendTail(positional);
        return new PositionalSql(positional.toString(), List.copyOf(positions));
    }

    /** Binds every position; a name without a value is a programming error, reported by name. */
    void bind(PreparedStatement statement, Map<String, Object> values) throws SQLException {
        if (!values.keySet().equals(new java.util.HashSet<>(positions))) {
            throw new IllegalArgumentException("the SQL names " + positions + ", the values " + values.keySet());
        }
        for (int i = 0; i < positions.size(); i++) {
            statement.setObject(i + 1, values.get(positions.get(i)));
        }
    }
}
