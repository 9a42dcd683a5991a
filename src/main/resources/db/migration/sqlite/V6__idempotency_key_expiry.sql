-- Idempotency keys are kept for CHATLEADS_IDEMPOTENCY_KEY_HOURS and then deleted by every server
-- in turn (IdempotentLeadCreation.expireKeys); this index makes that a range delete.
CREATE INDEX lead_idempotency_keys_created ON lead_idempotency_keys (created_at);
