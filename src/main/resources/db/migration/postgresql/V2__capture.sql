-- Lead capture settings live on the chatbot: capture on by default, no origin restriction, and
-- no default region (numbers must then carry their +country code).
ALTER TABLE chatbots ADD COLUMN capture_enabled boolean NOT NULL DEFAULT true;
ALTER TABLE chatbots ADD COLUMN default_region text;

CREATE TABLE chatbot_allowed_origins (
    chatbot_id text NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    origin     text NOT NULL,
    PRIMARY KEY (chatbot_id, origin)
);

-- One row per Idempotency-Key a chatbot has seen. The primary key is what makes concurrent
-- retries safe: exactly one insert wins, the others read its lead. lead_id becomes NULL when the
-- lead is erased, so a late retry cannot bring an erased lead back.
CREATE TABLE lead_idempotency_keys (
    chatbot_id      text   NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    idempotency_key text   NOT NULL,
    lead_id         bigint REFERENCES leads (id) ON DELETE SET NULL,
    created_at      bigint NOT NULL,
    PRIMARY KEY (chatbot_id, idempotency_key)
);
CREATE INDEX lead_idempotency_keys_lead ON lead_idempotency_keys (lead_id);
