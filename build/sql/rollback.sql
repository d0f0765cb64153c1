-- MediaPlatform rollback point "post-schema": drops every table the migrations created, children first.
-- Run through `build/db.sh rollback --drop`, which takes a pg_dump backup before it runs this.
BEGIN;
DROP TABLE IF EXISTS worker_process;
DROP TABLE IF EXISTS webhook_delivery;
DROP TABLE IF EXISTS webhook_event;
DROP TABLE IF EXISTS webhook_subscription;
DROP TABLE IF EXISTS job_part;
DROP TABLE IF EXISTS idempotency_key;
DROP TABLE IF EXISTS analysis_result;
DROP TABLE IF EXISTS vocabulary;
DROP TABLE IF EXISTS transcription_revision;
DROP TABLE IF EXISTS transcription;
DROP TABLE IF EXISTS job;
DROP TABLE IF EXISTS media_asset;
DROP TABLE IF EXISTS api_key;
DROP TABLE IF EXISTS tenant;
DROP TABLE IF EXISTS __ef_migrations_history;
DROP FUNCTION IF EXISTS job_notify();
DROP FUNCTION IF EXISTS job_part_notify();
DROP FUNCTION IF EXISTS tenant_storage_guard();
DROP FUNCTION IF EXISTS tenant_queue_guard();
DROP AGGREGATE IF EXISTS mp_tsquery_or(tsquery);
DROP FUNCTION IF EXISTS mp_unaccent(text);
DROP FUNCTION IF EXISTS mp_text_config(text);
COMMIT;
