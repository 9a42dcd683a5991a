package io.chatleads.lead;

import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The one shape of a row of {@code leads}: the column list every query reads and writes, and the
 * one mapper and binder of each client (JDBC, vertx-pg-client, COPY). Adding a column is a change
 * here, to {@link Lead}/{@link NewLead}, and to the migrations. By position everywhere: a look-up
 * by name per cell showed in the hot page's profile.
 */
final class LeadRow {

    /** What a stored lead is read from, in this order: {@code {columns}} in {@link #sql}. */
    static final String COLUMNS = "id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at";

    /** What a new lead is written to, in this order (the database gives the id): {@code {newColumns}}. */
    static final String NEW_COLUMNS = "chatbot_id, owner_id, name, email, phone, conversation_id, created_at";

    /** {@code {newValues}}: one JDBC placeholder per new column. */
    private static final String NEW_VALUES = "?, ?, ?, ?, ?, ?, ?";

    private LeadRow() {
    }

    /** A query with {@code {columns}}, {@code {newColumns}} and {@code {newValues}} filled in. */
    static String sql(String template) {
        return template.replace("{columns}", COLUMNS).replace("{newColumns}", NEW_COLUMNS).replace("{newValues}", NEW_VALUES);
    }

    /** The current row of a JDBC result that selected {@link #COLUMNS} first. */
    static Lead read(ResultSet row) throws SQLException {
        return new Lead(row.getLong(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), Instant.ofEpochMilli(row.getLong(8)));
    }

    /** A vertx-pg-client row that selected {@link #COLUMNS} first. */
    static Lead read(Row row) {
        return new Lead(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getString(6), Instant.ofEpochMilli(row.getLong(7)));
    }

    /** The values of {@link #NEW_COLUMNS}, in order. */
    static Object[] values(NewLead lead) {
        return new Object[] {lead.chatbotId(), lead.ownerId(), lead.name(), lead.email(), lead.phone(),
                lead.conversationId(), lead.createdAt().toEpochMilli()};
    }

    /** Binds {@link #NEW_COLUMNS} to placeholders {@code first} to {@code first + 6}. */
    static void bind(PreparedStatement statement, int first, NewLead lead) throws SQLException {
        Object[] values = values(lead);
        for (int i = 0; i < values.length; i++) {
            statement.setObject(first + i, values[i]);
        }
    }

    /** {@link #values} for vertx-pg-client. */
    static Tuple tuple(NewLead lead) {
        return Tuple.wrap(values(lead));
    }

    /** The lead as stored: with its id, and created_at at the millisecond the column keeps. */
    static Lead stored(long id, NewLead lead) {
        return new Lead(id, lead.chatbotId(), lead.ownerId(), lead.name(), lead.email(), lead.phone(),
                lead.conversationId(), Instant.ofEpochMilli(lead.createdAt().toEpochMilli()));
    }
}
