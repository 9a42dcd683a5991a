-- Each server looks for keys revoked in the last minute several times a second
-- (ApiKeyAuthenticator.watchRevocations), so that lookup is an index range scan.
CREATE INDEX api_keys_revoked_at ON api_keys (revoked_at);
