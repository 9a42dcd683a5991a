package io.chatleads.support;

import io.chatleads.app.Chatleads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of every contract suite: one fresh database per test class, of the kind the concrete
 * subclass names. The same tests then run once on SQLite and once on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class DatabaseTestBase {

    protected TestDatabase database;
    protected Chatleads app;

    protected abstract TestDatabase.Kind kind();

    @BeforeAll
    void openDatabase() {
        database = TestDatabase.create(kind());
        app = database.open();
    }

    @AfterAll
    void closeDatabase() {
        if (app != null) {
            app.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
