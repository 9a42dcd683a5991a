package io.chatleads.lead;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

/**
 * The one dialect seam of bulk import: on PostgreSQL, COPY … FROM STDIN carries a batch of leads in
 * one round trip and skips per-row statement work, several times faster than batched INSERTs.
 * Other databases (SQLite) take the batched INSERT path.
 */
final class PostgresCopy {

    private static final String COPY_SQL = LeadRow.sql("COPY leads ({newColumns}) FROM STDIN WITH (FORMAT csv)");

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

    /**
     * One batch in one COPY, through {@link Stream}: its UTF-8 encoding is the only one, so a
     * character outside the BMP can never be split between two encoded chunks.
     */
    static void copy(Handle handle, List<NewLead> batch) {
        try (Stream stream = open(handle)) {
            stream.write(batch);
            long stored = stream.finish();
            if (stored != batch.size()) {
                throw new IllegalStateException("COPY stored " + stored + " of " + batch.size() + " leads");
            }
        }
    }

    /** Opens one COPY on the handle's connection for many batches; see {@link Stream}. */
    static Stream open(Handle handle) {
        try {
            LeadCounts counts = LeadCounts.begin(handle);
            return new Stream(handle, counts, handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(COPY_SQL));
        } catch (SQLException e) {
            throw new IllegalStateException("COPY of leads failed to start: " + e.getMessage(), e);
        }
    }

    /**
     * One COPY … FROM STDIN kept open across batches, for a bulk import: rows are encoded straight
     * into UTF-8 bytes and sent in chunks of {@link #CHUNK} bytes, so PostgreSQL parses and stores
     * rows while the importer prepares the next ones, instead of one COPY round trip per batch with
     * the importer waiting for each. {@link #copy} uses it for a single batch. Nothing else may use the
     * connection until {@link #finish} or {@link #close}; close without finish cancels the COPY,
     * which leaves the transaction to be rolled back.
     */
    static final class Stream implements AutoCloseable {
        static final int CHUNK = 256 * 1024;

        private final Handle handle;
        // The rows' lead_counts, added when the COPY ends (the row trigger is off meanwhile).
        private final LeadCounts counts;
        private final CopyIn copy;
        private final byte[] buffer = new byte[CHUNK];
        private int length;
        private long rows;

        private Stream(Handle handle, LeadCounts counts, CopyIn copy) {
            this.handle = handle;
            this.counts = counts;
            this.copy = copy;
        }

        void write(List<NewLead> batch) {
            for (NewLead lead : batch) {
                write(lead);
            }
        }

        /** One row: {@link LeadRow#values}, text quoted and numbers plain, comma-separated. */
        void write(NewLead lead) {
            Object[] values = LeadRow.values(lead);
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    put((byte) ',');
                }
                if (values[i] instanceof Long number) {
                    number(number);
                } else {
                    field((String) values[i]);
                }
            }
            put((byte) '\n');
            counts.add(lead);
            rows++;
        }

        /** Sends what is buffered, ends the COPY and returns the number of rows PostgreSQL stored. */
        long finish() {
            try {
                flush();
                long stored = copy.endCopy();
                counts.store(handle);
                return stored;
            } catch (SQLException e) {
                throw failed(e);
            }
        }

        @Override
        public void close() {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException e) {
                    // The transaction is being abandoned anyway; its rollback reports a broken connection.
                }
            }
        }

        /**
         * In COPY's CSV format an unquoted empty field is NULL, so every present value is quoted,
         * quotes doubled, in UTF-8.
         */
        private void field(String value) {
            if (value == null) {
                return;
            }
            put((byte) '"');
            int n = value.length();
            boolean ascii = true;
            for (int i = 0; i < n; i++) {
                if (value.charAt(i) >= 0x80) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                for (int i = 0; i < n; i++) {
                    byte b = (byte) value.charAt(i);
                    if (b == '"') {
                        put(b);
                    }
                    put(b);
                }
            } else {
                // A quote byte never occurs inside a multi-byte UTF-8 sequence.
                for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                    if (b == '"') {
                        put(b);
                    }
                    put(b);
                }
            }
            put((byte) '"');
        }

        private void number(long value) {
            if (value < 0) {
                for (byte b : Long.toString(value).getBytes(StandardCharsets.US_ASCII)) {
                    put(b);
                }
                return;
            }
            if (length + 20 > buffer.length) {
                flush();
            }
            int start = length;
            do {
                buffer[length++] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value != 0);
            for (int i = start, j = length - 1; i < j; i++, j--) {
                byte t = buffer[i];
                buffer[i] = buffer[j];
                buffer[j] = t;
            }
        }

        private void put(byte b) {
            if (length == buffer.length) {
                flush();
            }
            buffer[length++] = b;
        }

        private void flush() {
            if (length == 0) {
                return;
            }
            try {
                copy.writeToCopy(buffer, 0, length);
            } catch (SQLException e) {
                throw failed(e);
            }
            length = 0;
        }

        private IllegalStateException failed(SQLException e) {
            return new IllegalStateException("COPY of leads failed after " + rows + " rows: " + e.getMessage(), e);
        }
    }
}
