-- Kept in step with postgresql/V4, which adds statistics for the get-leads page query's
-- chatbot_id + owner_id conditions. SQLite needs none: the only index that starts with chatbot_id
-- is also the one that gives the page's order, so its planner always chooses it (the plan test in
-- AbstractLeadRepositoryTest checks this on both databases).
SELECT 1;
