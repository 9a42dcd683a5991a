-- The database work of one `hot` request once the key and owner caches are warm: exactly
-- LeadRepository.PAGE_FIRST_SQL for page 1 of size 10 without dates (limit is size + 1). The owner
-- condition is the folded ownership check, so this is the whole per-request SQL. bench/run.sh makes
-- one copy per chatbot, with :cb and :owner renamed, because pgbench variables are per run; with
-- -M prepared every :name is a bound parameter.
SELECT id, chatbot_id, owner_id, name, email, phone, conversation_id, created_at
FROM leads
WHERE chatbot_id = :cb
  AND owner_id = :owner
  AND created_at >= :lo
  AND created_at <= :hi
ORDER BY created_at DESC, id DESC
LIMIT 11;
