-- Issue 20: a webhook's signing secret can be rotated. The secret it replaced (sealed like
-- sealed_secret) keeps signing each delivery beside the new one until previous_secret_expires_at
-- (epoch milliseconds), so receivers can switch without rejecting an event; both NULL otherwise.
ALTER TABLE webhooks ADD COLUMN previous_sealed_secret TEXT;
ALTER TABLE webhooks ADD COLUMN previous_secret_expires_at INTEGER;
