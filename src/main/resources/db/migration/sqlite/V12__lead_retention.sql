-- Retention (issue 18 point 4): how many days an owner's leads are kept. NULL: the server-wide
-- CHATLEADS_LEAD_RETENTION_DAYS applies; 0: kept forever, whatever the server default says.
-- Read by every server's retention job, which deletes older leads chatbot by chatbot through
-- leads_chatbot_created_id, so no new index on leads is needed.
ALTER TABLE owners ADD COLUMN lead_retention_days integer CHECK (lead_retention_days >= 0);
