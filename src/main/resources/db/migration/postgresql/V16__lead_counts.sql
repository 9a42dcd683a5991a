-- Leads counted per chatbot and quarter hour (issue 18): the console's chart, GET .../lead-stats and
-- the chatbot list read these counts instead of counting leads. Counting the leads of a range reads
-- one index entry per lead, so at 10,000,000 leads the chart of the 2,000,000-lead chatbot over 365
-- days took 0.34 s, 9 to 11 times what it took at 1,000,000 (BENCHMARKS.md, growth). Here a chart
-- reads at most one row per quarter hour of its range, however many leads fall in it.
--
-- A quarter hour, because every time zone's offset from UTC today, and the instants at which the
-- offsets change, are whole quarter hours: a local day is then a whole number of buckets in any
-- zone. LeadStats checks that for the range asked and counts the leads themselves where it does not
-- hold (zones' offsets before about 1980, with seconds in them).
--
-- bucket = floor(created_at / 900,000): the shift by 10^6 days before the division makes every
-- created_at of a four-digit year positive, where integer division (truncating) is floor division.
-- Keep in step with LeadStats.BUCKET_MILLIS and with sqlite/V16.
--
-- The triggers below are the only writers but one. They fire for every insert and delete of leads:
-- the API's captures, erasure, retention's deletes, and the cascades from a deleted chatbot or
-- owner; batches of inserts (COPY, an import's JDBC batch) add their own counts instead
-- (lead/LeadCounts.java). Nothing updates a lead's chatbot or time (the update triggers keep the
-- counts exact if anything ever does).
--
-- An insert is counted by a row trigger, a delete by a statement trigger with a transition table.
-- A capture inserts one lead per statement, and there a row trigger's one upsert is the cheaper:
-- the capture path's SQL ran at 6,600 transactions a second with it against 6,050 with a statement
-- trigger, and 8,080 with none (BENCHMARKS.md, 2026-12-02 10:05 UTC). Deletes come in batches
-- (retention's 1,000, a chatbot's cascade), where one grouped update per statement is the cheaper.
--
-- A capture holds its bucket's row lock from its insert to its commit, so captures for one chatbot
-- in one quarter hour commit one after another (a commit's flush each). A delete's rows are updated
-- in key order. A batch insert's are not: two imports into one chatbot at once, or an import beside
-- a retention batch of the same chatbot and quarter hours, can wait on each other in a cycle, which
-- PostgreSQL ends by failing one of them (its transaction rolls back whole).
CREATE TABLE lead_counts (
    chatbot_id text   NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    bucket     bigint NOT NULL,
    leads      bigint NOT NULL CHECK (leads >= 0), -- 0 only inside the transaction that removed its last lead
    -- The count in the key's index, so a chart is an index-only scan: a chatbot's rows lie scattered
    -- over the heap (a new quarter hour's row goes wherever there is room), and at 10,000,000 leads
    -- the 35,040 rows of a year took 13,868 heap pages and 27 ms, against 8.7 ms from the index alone.
    -- The price: a capture's update changes an indexed column, so it is never a heap-only update and
    -- adds an index entry (removed again by vacuum or by the index's own bottom-up deletion).
    PRIMARY KEY (chatbot_id, bucket) INCLUDE (leads)
);

-- A batch on PostgreSQL (COPY, an import's JDBC batch) counts its own leads in one statement
-- (lead/LeadCounts.java says why) and sets chatleads.lead_counts to 'batch' for that while.
CREATE FUNCTION lead_counts_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('chatleads.lead_counts', true) = 'batch' THEN
        RETURN NULL;
    END IF;
    INSERT INTO lead_counts AS c (chatbot_id, bucket, leads)
    VALUES (NEW.chatbot_id, (NEW.created_at + 86400000000000) / 900000 - 96000000, 1)
    ON CONFLICT (chatbot_id, bucket) DO UPDATE SET leads = c.leads + 1;
    RETURN NULL;
END
$$;

-- Two statements: the update, unconditional, takes each row's newest version (it waits for a
-- capture that holds the row, then subtracts from what that capture left), and the delete, with a
-- snapshot of its own, removes the rows it left at zero unless a capture has added to them since.
-- (An update that skipped rows its snapshot saw at the count being removed, for the delete to take,
-- lost the removal whenever a capture committed in between: AbstractLeadStatsTest caught it.)
CREATE FUNCTION lead_counts_remove() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE lead_counts c SET leads = c.leads - gone.leads
    FROM (SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000 AS bucket, count(*) AS leads
          FROM removed_leads
          GROUP BY 1, 2
          ORDER BY 1, 2) gone
    WHERE c.chatbot_id = gone.chatbot_id AND c.bucket = gone.bucket;
    DELETE FROM lead_counts c
    USING (SELECT DISTINCT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000 AS bucket
           FROM removed_leads) gone
    WHERE c.chatbot_id = gone.chatbot_id AND c.bucket = gone.bucket AND c.leads = 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER lead_counts_insert AFTER INSERT ON leads
    FOR EACH ROW EXECUTE FUNCTION lead_counts_add();

CREATE TRIGGER lead_counts_delete AFTER DELETE ON leads
    REFERENCING OLD TABLE AS removed_leads
    FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_remove();

-- An update as the addition of the new rows (row triggers fire first) and the removal of the old.
CREATE TRIGGER lead_counts_update_add AFTER UPDATE OF chatbot_id, created_at ON leads
    FOR EACH ROW EXECUTE FUNCTION lead_counts_add();

CREATE TRIGGER lead_counts_update_remove AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS removed_leads
    FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_remove();

-- The leads stored before this migration, counted while the migration's lock on leads (taken by
-- CREATE TRIGGER, held to its commit) keeps every server from adding or removing one meanwhile.
INSERT INTO lead_counts (chatbot_id, bucket, leads)
SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000, count(*)
FROM leads
GROUP BY 1, 2;
