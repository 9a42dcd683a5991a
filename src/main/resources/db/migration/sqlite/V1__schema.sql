-- Timestamps are epoch milliseconds (UTC) in an INTEGER on both dialects: the API promises
-- millisecond precision, and one representation keeps a single repository code path.
CREATE TABLE owners (
    id         TEXT    PRIMARY KEY,
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX owners_email_unique ON owners (lower(email));

CREATE TABLE chatbots (
    id         TEXT    PRIMARY KEY,
    owner_id   TEXT    NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX chatbots_owner ON chatbots (owner_id);

CREATE TABLE api_keys (
    id           TEXT    PRIMARY KEY,
    owner_id     TEXT    NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX api_keys_owner ON api_keys (owner_id);

-- AUTOINCREMENT so that an erased lead's id is never handed out again: syncing clients
-- key their copies by id.
CREATE TABLE leads (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    chatbot_id      TEXT    NOT NULL REFERENCES chatbots (id) ON DELETE CASCADE,
    owner_id        TEXT    NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    name            TEXT,
    email           TEXT,
    phone           TEXT,
    conversation_id TEXT,
    created_at      INTEGER NOT NULL
);
-- The get-leads page: equality on chatbot, range and order on (created_at, id), newest first.
CREATE INDEX leads_chatbot_created_id ON leads (chatbot_id, created_at DESC, id DESC);
