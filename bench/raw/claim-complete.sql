-- The queue's floor for build/bench.sh: what PostgreSQL does for a claim and a completion of 10 jobs as plain
-- statements on the platform's own job table (its indexes and triggers), one transaction per batch, no client logic.
-- pgbench runs it with one client per worker; :client_id and :batch make each claim's lease owner its own. The
-- completion stamps clock_timestamp(), so the bench clocks the run to the moment of the last one.
\set batch random(1, 1000000000)
BEGIN;
UPDATE job SET status = 'running', attempts = attempts + 1, lease_owner = 'raw:' || :client_id || ':' || :batch,
    lease_expires_at = now() + interval '5 minutes', started_at = now(), updated_at = now()
FROM (SELECT id FROM job WHERE status = 'queued' AND run_after <= now()
      ORDER BY priority DESC, run_after, id LIMIT 10 FOR UPDATE SKIP LOCKED) AS picked
WHERE job.id = picked.id;
UPDATE job SET status = 'succeeded', progress = 100, finished_at = clock_timestamp(), updated_at = now(), lease_owner = NULL, lease_expires_at = NULL
WHERE status = 'running' AND lease_owner = 'raw:' || :client_id || ':' || :batch;
COMMIT;
