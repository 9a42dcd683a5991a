-- The owner console (issue 15): owners sign in with a password, see their leads in their own time
-- zone, and stay signed in through a session that any server of the deployment accepts.

-- An Argon2id hash in PHC string form ($argon2id$v=19$m=…,t=…,p=…$salt$hash): the parameters
-- travel with each hash, so they can be raised later without invalidating older ones. NULL: the
-- owner has no password yet (created without one, or invited and not yet accepted) and cannot sign in.
ALTER TABLE owners ADD COLUMN password_hash TEXT;
-- An IANA zone id; the console cuts days (the leads table, the chart) in it.
ALTER TABLE owners ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

-- One row per signed-in browser. The cookie carries a random id; only its SHA-256 is stored, so a
-- copy of the database holds no usable session. Looked up by primary key once per page view.
CREATE TABLE console_sessions (
    id_hash      TEXT   PRIMARY KEY,
    owner_id     TEXT   NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    -- The token every state-changing form must carry (CSRF); random, per session.
    csrf_token   TEXT   NOT NULL,
    created_at   INTEGER NOT NULL,
    -- Moved forward at most once a minute: the idle timeout counts from here.
    last_seen_at INTEGER NOT NULL
);
-- "Sign out everywhere" and a password change delete an owner's sessions.
CREATE INDEX console_sessions_owner ON console_sessions (owner_id);
-- The expiry sweep deletes sessions idle too long or past their absolute lifetime.
CREATE INDEX console_sessions_last_seen ON console_sessions (last_seen_at);
CREATE INDEX console_sessions_created ON console_sessions (created_at);

-- One-time links printed by `owner invite`: valid 24 hours, used once. Only the token's SHA-256 is stored.
CREATE TABLE owner_invites (
    token_hash TEXT   PRIMARY KEY,
    owner_id   TEXT   NOT NULL REFERENCES owners (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
CREATE INDEX owner_invites_owner ON owner_invites (owner_id);

-- Failed sign-ins, shared by every server so that none of them lets an attacker try more often.
-- subject is 'email:' + the lower-cased address typed (known or not: an unknown address is
-- throttled and locked exactly like a known one, so the answers cannot tell them apart) or
-- 'net:' + the client's IPv4 address or IPv6 /64.
CREATE TABLE sign_in_failures (
    subject   TEXT   NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_subject ON sign_in_failures (subject, failed_at);
CREATE INDEX sign_in_failures_failed_at ON sign_in_failures (failed_at);
