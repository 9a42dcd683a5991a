-- Lead capture settings live on the chatbot: capture on by default, no origin restriction, and
-- no default region (numbers must then carry their +country code).
ALTER TABLE chatbots ADD COLUMN capture_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chatbots ADD COLUMN default_region TEXT;

CREATE TABLE chatbot_allowed_origins (
    chatbot_id TEXT NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    origin     TEXT NOT NULL,
    PRIMARY KEY (chatbot_id, origin)
);

-- One row per Idempotency-Key a chatbot has seen. The primary key is what makes concurrent
-- retries safe: exactly one insert wins, the others read its lead. lead_id becomes NULL when the
-- lead is erased, so a late retry cannot bring an erased lead back.
CREATE TABLE lead_idempotency_keys (
    chatbot_id      TEXT    NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    idempotency_key TEXT    NOT NULL,
    lead_id         INTEGER REFERENCES leads (id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (chatbot_id, idempotency_key)
);
CREATE INDEX lead_idempotency_keys_lead ON lead_idempotency_keys (lead_id);
