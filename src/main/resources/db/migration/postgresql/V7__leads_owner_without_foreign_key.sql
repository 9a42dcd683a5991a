-- leads.owner_id is a copy of its chatbot's owner, kept so that the get-leads page can check
-- ownership in the same index scan (V4). Its foreign key to owners added nothing: deleting an owner
-- deletes its chatbots, and those delete their leads through leads.chatbot_id. It cost a lookup in
-- owners for every stored lead (about a third of PostgreSQL's work in a bulk COPY import), and a
-- scan of leads for every deleted owner, since no index leads with owner_id.
ALTER TABLE leads DROP CONSTRAINT leads_owner_id_fkey;
