-- Kept in step with postgresql/V10, which adds a trigram index for the console's search. SQLite's
-- search reads the chatbot's range on leads_chatbot_created_id, newest first, and stops when the
-- page is full (LeadSearch; BENCHMARKS.md, console). This empty migration keeps both dialects at
-- the same version.
SELECT 1;
