-- An API key may carry its own get-leads response shape (data, collectedCustomers or
-- collectedCustomersArray); NULL answers the server's CHATLEADS_RESPONSE_ENVELOPE.
ALTER TABLE api_keys ADD COLUMN response_envelope text;
