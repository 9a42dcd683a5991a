-- Leads counted per chatbot and quarter hour (issue 18): the counterpart of postgresql/V16, which
-- says why (the chart, lead-stats and the chatbot list read these instead of counting leads) and
-- why a quarter hour. bucket = floor(created_at / 900,000), by the same shift. Keep in step with
-- LeadStats.BUCKET_MILLIS.
--
-- WITHOUT ROWID: the primary key is the table, so a chart's range is one B-tree walk. Row triggers
-- (SQLite has no statement triggers); they fire for every insert and delete of leads, the
-- cascades from a deleted chatbot or owner included, as the search index's triggers (V15) do.
CREATE TABLE lead_counts (
    chatbot_id TEXT    NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    bucket     INTEGER NOT NULL,
    leads      INTEGER NOT NULL CHECK (leads > 0),
    PRIMARY KEY (chatbot_id, bucket)
) WITHOUT ROWID;

CREATE TRIGGER lead_counts_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_counts (chatbot_id, bucket, leads)
    VALUES (new.chatbot_id, (new.created_at + 86400000000000) / 900000 - 96000000, 1)
    ON CONFLICT (chatbot_id, bucket) DO UPDATE SET leads = leads + 1;
END;

-- The row goes with its last lead, so that a chart never reads buckets that retention emptied.
CREATE TRIGGER lead_counts_delete AFTER DELETE ON leads BEGIN
    DELETE FROM lead_counts
    WHERE chatbot_id = old.chatbot_id AND bucket = (old.created_at + 86400000000000) / 900000 - 96000000 AND leads = 1;
    UPDATE lead_counts SET leads = leads - 1
    WHERE chatbot_id = old.chatbot_id AND bucket = (old.created_at + 86400000000000) / 900000 - 96000000;
END;

-- Nothing moves a lead today; this keeps the counts exact if anything ever does.
CREATE TRIGGER lead_counts_update AFTER UPDATE OF chatbot_id, created_at ON leads BEGIN
    DELETE FROM lead_counts
    WHERE chatbot_id = old.chatbot_id AND bucket = (old.created_at + 86400000000000) / 900000 - 96000000 AND leads = 1;
    UPDATE lead_counts SET leads = leads - 1
    WHERE chatbot_id = old.chatbot_id AND bucket = (old.created_at + 86400000000000) / 900000 - 96000000;
    INSERT INTO lead_counts (chatbot_id, bucket, leads)
    VALUES (new.chatbot_id, (new.created_at + 86400000000000) / 900000 - 96000000, 1)
    ON CONFLICT (chatbot_id, bucket) DO UPDATE SET leads = leads + 1;
END;

-- The leads stored before this migration.
INSERT INTO lead_counts (chatbot_id, bucket, leads)
SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000, count(*)
FROM leads
GROUP BY 1, 2;
