-- The console's search box on SQLite (issue 15), the counterpart of PostgreSQL's pg_trgm index
-- (postgresql/V14): without an index a term few leads match reads the chatbot's whole range
-- (1.1 s over the benchmark's 200,000-lead chatbot, BENCHMARKS.md, console). An FTS5 table with
-- the trigram tokenizer (SQLite 3.34 and later) finds any substring of 3 or more characters.
--
-- One column per field, so that no match spans two fields (PostgreSQL joins them with line
-- breaks for the same reason). External content, keyed by leads.id, which is leads' INTEGER
-- PRIMARY KEY and so its rowid, stable across VACUUM: the index stores no second copy of the
-- text, 'rebuild' fills it from leads, and 'integrity-check' compares it with leads. In exchange
-- every change to leads must reach it, with the values it indexed: the triggers below are the
-- only writers (they fire for the API's inserts, import batches, erasure, retention's deletes and
-- the cascades from a deleted chatbot or owner alike). columnsize=0: the search never ranks, so
-- the per-row token counts are not kept.
--
-- LeadSearch reads it through a MATCH only as a candidate filter and keeps its LIKE conditions,
-- so the results are exactly those of the range scan (the tokenizer folds more letters than
-- SQLite's lower() does, which only ever adds candidates).
CREATE VIRTUAL TABLE leads_search USING fts5 (
    name, email, phone,
    content = 'leads', content_rowid = 'id',
    tokenize = 'trigram', columnsize = 0
);

CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO leads_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
END;

CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO leads_search (leads_search, rowid, name, email, phone)
    VALUES ('delete', old.id, old.name, old.email, old.phone);
END;

-- Nothing updates a lead today; this keeps the index exact if anything ever does.
CREATE TRIGGER leads_search_update AFTER UPDATE OF id, name, email, phone ON leads BEGIN
    INSERT INTO leads_search (leads_search, rowid, name, email, phone)
    VALUES ('delete', old.id, old.name, old.email, old.phone);
    INSERT INTO leads_search (rowid, name, email, phone) VALUES (new.id, new.name, new.email, new.phone);
END;

-- The leads stored before this migration.
INSERT INTO leads_search (leads_search) VALUES ('rebuild');
