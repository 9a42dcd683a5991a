-- V16 counted an update of leads as the removal of every old row (a statement trigger: a trigger
-- with transition tables cannot name columns, so it fired for any update) and the addition of the
-- rows whose chatbot_id or created_at the statement set (a row trigger with a column list). An
-- update of a lead's name, email or phone alone therefore removed its count and added nothing:
-- `UPDATE leads SET name = ...` over a chatbot's 200,000 leads left it with none in lead_counts.
-- Nothing in chatleads updates a lead, but an operator's SQL may.
--
-- Now one statement trigger sees both the old and the new rows and applies only the difference per
-- chatbot and quarter hour, which is nothing for an update that moves no lead (so such an update
-- writes no lead_counts row at all). The difference, not a join on id: exact even if a statement
-- changed ids. Additions first, in key order, then removals as in lead_counts_remove (an
-- unconditional update, then the delete of rows it left at zero), so no row passes through zero
-- while leads still belong to it.
DROP TRIGGER lead_counts_update_add ON leads;
DROP TRIGGER lead_counts_update_remove ON leads;

-- The difference is computed by each of the three statements (they need a snapshot each, as in
-- lead_counts_remove, so they cannot share one statement's common table expression).
CREATE FUNCTION lead_counts_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO lead_counts AS c (chatbot_id, bucket, leads)
    SELECT chatbot_id, bucket, leads
    FROM (SELECT chatbot_id, bucket, sum(change) AS leads
          FROM (SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000 AS bucket, 1 AS change FROM moved_to
                UNION ALL
                SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000, -1 FROM moved_from) changes
          GROUP BY 1, 2
          HAVING sum(change) > 0
          ORDER BY 1, 2) added
    ON CONFLICT (chatbot_id, bucket) DO UPDATE SET leads = c.leads + EXCLUDED.leads;
    UPDATE lead_counts c SET leads = c.leads + gone.leads
    FROM (SELECT chatbot_id, bucket, sum(change) AS leads
          FROM (SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000 AS bucket, 1 AS change FROM moved_to
                UNION ALL
                SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000, -1 FROM moved_from) changes
          GROUP BY 1, 2
          HAVING sum(change) < 0
          ORDER BY 1, 2) gone
    WHERE c.chatbot_id = gone.chatbot_id AND c.bucket = gone.bucket;
    DELETE FROM lead_counts c
    USING (SELECT chatbot_id, bucket, sum(change) AS leads
          FROM (SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000 AS bucket, 1 AS change FROM moved_to
                UNION ALL
                SELECT chatbot_id, (created_at + 86400000000000) / 900000 - 96000000, -1 FROM moved_from) changes
          GROUP BY 1, 2
          HAVING sum(change) < 0
          ORDER BY 1, 2) gone
    WHERE c.chatbot_id = gone.chatbot_id AND c.bucket = gone.bucket AND c.leads = 0;
    RETURN NULL;
END
$$;

CREATE TRIGGER lead_counts_update AFTER UPDATE ON leads
    REFERENCING OLD TABLE AS moved_from NEW TABLE AS moved_to
    FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_move();
