-- PostgreSQL's V7 drops the foreign key from leads.owner_id to owners, which only cost work on
-- every insert. SQLite cannot drop a constraint without rebuilding the table, and its inserts are
-- not the bottleneck there, so on SQLite the (redundant, harmless) constraint stays. This empty
-- migration keeps both dialects at the same version.
SELECT 1;
