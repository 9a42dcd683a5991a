-- The database work of one widget submission on the bench data, which has no webhooks (so no
-- outbox row; with webhooks, add the webhook_deliveries INSERT of issue 4): LeadRepository's
-- INSERT ... RETURNING id in its own transaction. Re-check against the capture path after merging.
\set n random(1, 1000000000)
\set p random(0, 9999)
BEGIN;
INSERT INTO leads (chatbot_id, owner_id, name, email, phone, conversation_id, created_at)
VALUES (:cb, :owner, 'Bench Lead ' || :n, 'bench-' || :n || '@example.com', '+1415555' || lpad(:p::text, 4, '0'), NULL,
        (extract(epoch from clock_timestamp()) * 1000)::bigint)
RETURNING id;
COMMIT;
