-- The database work of one widget submission on the bench data, as the capture path sends it
-- (chatbot settings come from the server's cache): LeadRepository's INSERT ... RETURNING id and the
-- webhook outbox's look-up of the owner's webhooks (the bench data has none, so no delivery row),
-- in one transaction. pgjdbc sends BEGIN in the same flight as the first statement; the pipeline
-- does the same here. Re-check against the capture path whenever it changes.
\set n random(1, 1000000000)
\set p random(0, 9999)
\startpipeline
BEGIN;
INSERT INTO leads (chatbot_id, owner_id, name, email, phone, conversation_id, created_at)
VALUES (:cb, :owner, 'Bench Lead ' || :n, 'bench-' || :n || '@example.com', '+1415555' || lpad(:p::text, 4, '0'), NULL,
        (extract(epoch from clock_timestamp()) * 1000)::bigint)
RETURNING id;
\endpipeline
SELECT id, events FROM webhooks WHERE owner_id = :owner AND (chatbot_id IS NULL OR chatbot_id = :cb);
COMMIT;
