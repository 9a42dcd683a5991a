-- get-leads folds the ownership check into the page query (chatbot_id = ? AND owner_id = ?).
-- A lead's owner is always its chatbot's owner, but the planner assumes the two conditions are
-- independent, expects a handful of rows, and then reads the chatbot's whole range through a
-- bitmap scan and sorts it, instead of reading size + 1 entries in index order: on the benchmark
-- data 0.34 ms and 29 buffers against 0.055 ms and 11 (BENCHMARKS.md). Functional-dependency
-- statistics tell it that owner_id follows from chatbot_id. ANALYZE (and autovacuum's) fills them.
CREATE STATISTICS leads_chatbot_owner (dependencies) ON chatbot_id, owner_id FROM leads;
ANALYZE leads;
