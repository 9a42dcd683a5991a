package io.chatleads.lead;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The one dialect seam of bulk import: on PostgreSQL, COPY … FROM STDIN carries a batch of leads in
 * one round trip and skips per-row statement work, several times faster than batched INSERTs.
 * Other databases (SQLite) take the batched INSERT path.
 */
final class PostgresCopy {

    private static final String COPY_SQL = "COPY leads (chatbot_id, owner_id, name, email, phone, conversation_id, created_at)"
            + " FROM STDIN WITH (FORMAT csv)";

    private PostgresCopy() {
    }

    /** Whether the handle's connection is PostgreSQL, under the pool's proxy. */
    static boolean supports(Handle handle) {
        try {
            return handle.getConnection().isWrapperFor(PGConnection.class);
        } catch (SQLException e) {
            return false;
        }
    }

    static void copy(Handle handle, List<NewLead> batch) {
        StringBuilder csv = new StringBuilder(batch.size() * 128);
        for (NewLead lead : batch) {
            field(csv, lead.chatbotId()).append(',');
            field(csv, lead.ownerId()).append(',');
            field(csv, lead.name()).append(',');
            field(csv, lead.email()).append(',');
            field(csv, lead.phone()).append(',');
            field(csv, lead.conversationId()).append(',');
            csv.append(lead.createdAt().toEpochMilli()).append('\n');
        }
        try {
            Connection connection = handle.getConnection();
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL, new StringReader(csv.toString()));
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("COPY of " + batch.size() + " leads failed: " + e.getMessage(), e);
        }
    }

    /** In COPY's CSV format an unquoted empty field is NULL, so every present value is quoted. */
    private static StringBuilder field(StringBuilder csv, String value) {
        if (value == null) {
            return csv;
        }
        csv.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                csv.append('"');
            }
            csv.append(c);
        }
        return csv.append('"');
    }
}
