-- Webhooks (issue 4). Timestamps are epoch milliseconds, as everywhere else.
CREATE TABLE webhooks (
    id             TEXT   PRIMARY KEY,
    owner_id       TEXT   NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    -- NULL: every chatbot of the owner, including chatbots created later.
    chatbot_id     TEXT   REFERENCES chatbots (id) ON DELETE CASCADE,
    endpoint       TEXT   NOT NULL,
    -- Comma-separated event types; only leads.submit exists today.
    events         TEXT   NOT NULL,
    -- The signing secret, sealed by SecretBox: AES-GCM under CHATLEADS_WEBHOOK_SECRET_KEY when that is
    -- set. It cannot be a hash like an API key's: the server needs the key itself to sign.
    sealed_secret  TEXT   NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX webhooks_owner ON webhooks (owner_id);

-- The outbox: one row per event and webhook, written in the lead's own transaction.
CREATE TABLE webhook_deliveries (
    -- Sent as webhook-id, the same on every attempt, so receivers can drop duplicates.
    id               TEXT    PRIMARY KEY,
    webhook_id       TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_type       TEXT    NOT NULL,
    -- The body carries the lead's personal data, so erasing the lead erases its deliveries too.
    lead_id          INTEGER REFERENCES leads (id) ON DELETE CASCADE,
    -- The exact bytes every attempt sends, frozen at commit time.
    body             TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    -- Attempts claimed so far; a claim increments it, so attempt numbers are unique per delivery.
    attempts         INTEGER NOT NULL DEFAULT 0,
    -- Automatic attempts stop here; a manual retry raises it by one.
    -- NULL: the worker's CHATLEADS_WEBHOOK_MAX_ATTEMPTS. A manual retry of a finished delivery sets
    -- attempts + 1, so it gets exactly one more attempt.
    attempts_allowed INTEGER,
    -- Due time of the next attempt. A claim moves it to the lease's end, so a lease that is never
    -- completed (its server died) simply becomes due again.
    next_attempt_at  INTEGER,
    lease_owner      TEXT,
    lease_until      INTEGER,
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       INTEGER  NOT NULL,
    completed_at     INTEGER
);
-- The worker's claim: due pending rows in due order. Partial, so finished rows cost nothing.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id, created_at DESC, id);
-- For the cascade when a lead is erased.
CREATE INDEX webhook_deliveries_lead ON webhook_deliveries (lead_id);

-- Every attempt made, by which server: the deliveries API reads it, and the tests prove from it
-- that no attempt was made by two servers (the unique key enforces it as well).
CREATE TABLE webhook_attempts (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id  TEXT    NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      INTEGER NOT NULL,
    server_id    TEXT    NOT NULL,
    started_at   INTEGER  NOT NULL,
    duration_ms  INTEGER  NOT NULL,
    status_code  INTEGER,
    error        TEXT,
    UNIQUE (delivery_id, attempt)
);
