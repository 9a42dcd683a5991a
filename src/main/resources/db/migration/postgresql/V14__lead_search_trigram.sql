-- The console's search box (issue 15): name, email and phone of a chatbot's leads, by substring.
-- Without an index, a term that few leads match reads the chatbot's whole range (0.5 s over the
-- benchmark's 200,000-lead chatbot). A trigram GIN index on the three fields joined by line breaks
-- (which a search term never holds, so a match never spans two fields) finds those leads at once:
-- 17 ms (BENCHMARKS.md, console). pg_trgm ships with PostgreSQL's contrib and is a trusted
-- extension, which a database owner may create; where it cannot be created, the search still
-- works, by reading the range, and this migration only says so.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): the console search reads each chatbot''s leads instead of an index', SQLERRM;
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        -- Keep in step with LeadSearch.SEARCH_TEXT_POSTGRESQL: the planner uses the index only for that very expression.
        EXECUTE $index$CREATE INDEX leads_search_trgm ON leads USING gin
            ((lower(coalesce(name, '') || E'\n' || coalesce(email, '') || E'\n' || coalesce(phone, ''))) gin_trgm_ops)$index$;
    END IF;
END
$$;
