CREATE TABLE IF NOT EXISTS __ef_migrations_history (
    migration_id character varying(150) NOT NULL,
    product_version character varying(32) NOT NULL,
    CONSTRAINT pk___ef_migrations_history PRIMARY KEY (migration_id)
);

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE TABLE media_asset (
        id uuid NOT NULL,
        source text NOT NULL,
        status text NOT NULL,
        original_file_name character varying(255),
        source_url character varying(2048),
        storage_key character varying(512),
        content_type character varying(255),
        size_bytes bigint,
        sha256 character(64),
        duration interval,
        audio_codec character varying(64),
        video_codec character varying(64),
        channels integer,
        sample_rate integer,
        has_audio boolean NOT NULL,
        has_video boolean NOT NULL,
        rejection_reason character varying(2000),
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_media_asset PRIMARY KEY (id),
        CONSTRAINT ck_media_asset_sha256 CHECK (sha256 IS NULL OR sha256 ~ '^[0-9a-f]{64}$'),
        CONSTRAINT ck_media_asset_size CHECK (size_bytes IS NULL OR size_bytes >= 0),
        CONSTRAINT ck_media_asset_source CHECK (source IN ('upload', 'url')),
        CONSTRAINT ck_media_asset_status CHECK (status IN ('registered', 'stored', 'ready', 'rejected')),
        CONSTRAINT ck_media_asset_stored CHECK (status = 'registered' OR storage_key IS NOT NULL),
        CONSTRAINT ck_media_asset_url_source CHECK (source <> 'url' OR source_url IS NOT NULL)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE TABLE job (
        id uuid NOT NULL,
        media_asset_id uuid NOT NULL,
        kind text NOT NULL,
        options jsonb NOT NULL,
        priority integer NOT NULL,
        status text NOT NULL,
        progress integer NOT NULL,
        current_step character varying(64),
        attempts integer NOT NULL,
        max_attempts integer NOT NULL,
        run_after timestamp with time zone NOT NULL,
        lease_owner character varying(200),
        lease_expires_at timestamp with time zone,
        error_code character varying(100),
        error_message character varying(2000),
        created_at timestamp with time zone NOT NULL,
        started_at timestamp with time zone,
        finished_at timestamp with time zone,
        updated_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_job PRIMARY KEY (id),
        CONSTRAINT ck_job_attempts CHECK (attempts >= 0 AND max_attempts >= 1),
        CONSTRAINT ck_job_kind CHECK (kind IN ('transcription', 'analysis')),
        CONSTRAINT ck_job_lease CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
        CONSTRAINT ck_job_priority CHECK (priority BETWEEN -100 AND 100),
        CONSTRAINT ck_job_progress CHECK (progress BETWEEN 0 AND 100),
        CONSTRAINT ck_job_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        CONSTRAINT fk_job_media_asset_id FOREIGN KEY (media_asset_id) REFERENCES media_asset (id) ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE TABLE transcription (
        id uuid NOT NULL,
        job_id uuid NOT NULL,
        media_asset_id uuid NOT NULL,
        language character varying(16) NOT NULL,
        engine character varying(64) NOT NULL,
        model character varying(200) NOT NULL,
        text text NOT NULL,
        segments jsonb NOT NULL,
        confidence double precision,
        word_count integer NOT NULL,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_transcription PRIMARY KEY (id),
        CONSTRAINT ck_transcription_confidence CHECK (confidence IS NULL OR confidence BETWEEN 0 AND 1),
        CONSTRAINT ck_transcription_word_count CHECK (word_count >= 0),
        CONSTRAINT fk_transcription_job_id FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE,
        CONSTRAINT fk_transcription_media_asset_id FOREIGN KEY (media_asset_id) REFERENCES media_asset (id) ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE TABLE analysis_result (
        id uuid NOT NULL,
        job_id uuid NOT NULL,
        transcription_id uuid NOT NULL,
        kind text NOT NULL,
        payload jsonb NOT NULL,
        score numeric(12,6),
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_analysis_result PRIMARY KEY (id),
        CONSTRAINT ck_analysis_result_kind CHECK (kind IN ('keywords', 'summary', 'sentiment', 'speech_statistics')),
        CONSTRAINT ck_analysis_result_payload CHECK (jsonb_typeof(payload) = 'object'),
        CONSTRAINT fk_analysis_result_job_id FOREIGN KEY (job_id) REFERENCES job (id) ON DELETE CASCADE,
        CONSTRAINT fk_analysis_result_transcription_id FOREIGN KEY (transcription_id) REFERENCES transcription (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_analysis_result_transcription_id ON analysis_result (transcription_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE UNIQUE INDEX ux_analysis_result_job_id_kind ON analysis_result (job_id, kind);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_job_created_at_id ON job (created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_job_lease_expiry ON job (lease_expires_at) WHERE status = 'running';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_job_media_asset_id_created_at ON job (media_asset_id, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_job_queue_claim ON job (priority DESC, run_after, id) WHERE status = 'queued';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_job_status_created_at_id ON job (status, created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_media_asset_created_at_id ON media_asset (created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_media_asset_sha256 ON media_asset (sha256);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE UNIQUE INDEX ux_media_asset_storage_key ON media_asset (storage_key);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE INDEX ix_transcription_media_asset_id ON transcription (media_asset_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    CREATE UNIQUE INDEX ux_transcription_job_id ON transcription (job_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124230421_InitialSchema') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261124230421_InitialSchema', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124232657_IdempotencyKeys') THEN
    CREATE TABLE idempotency_key (
        key character varying(255) NOT NULL,
        fingerprint character varying(200),
        status_code integer,
        content_type character varying(255),
        location character varying(2048),
        body bytea,
        created_at timestamp with time zone NOT NULL,
        expires_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_idempotency_key PRIMARY KEY (key),
        CONSTRAINT ck_idempotency_key_completed CHECK ((fingerprint IS NULL) = (status_code IS NULL))
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124232657_IdempotencyKeys') THEN
    CREATE INDEX ix_idempotency_key_expires_at ON idempotency_key (expires_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124232657_IdempotencyKeys') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261124232657_IdempotencyKeys', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124233912_JobEventsNotify') THEN
    CREATE OR REPLACE FUNCTION job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('job_events', json_build_object(
            'id', NEW.id, 'status', NEW.status, 'progress', NEW.progress, 'step', NEW.current_step)::text);
        RETURN NULL;
    END
    $$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124233912_JobEventsNotify') THEN
    CREATE TRIGGER job_notify AFTER INSERT OR UPDATE OF status, progress, current_step ON job
    FOR EACH ROW EXECUTE FUNCTION job_notify();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261124233912_JobEventsNotify') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261124233912_JobEventsNotify', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE idempotency_key DROP CONSTRAINT pk_idempotency_key;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE transcription ADD tenant_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE media_asset ADD tenant_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE job ADD tenant_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE idempotency_key ADD tenant_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE analysis_result ADD tenant_id uuid NOT NULL DEFAULT '00000000-0000-0000-0000-000000000001';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE idempotency_key ADD CONSTRAINT pk_idempotency_key PRIMARY KEY (tenant_id, key);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE TABLE tenant (
        id uuid NOT NULL,
        name character varying(100) NOT NULL,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        max_concurrent_jobs integer,
        max_media_seconds integer,
        max_queued_jobs integer,
        requests_per_minute integer,
        retention_days integer,
        storage_bytes bigint,
        CONSTRAINT pk_tenant PRIMARY KEY (id),
        CONSTRAINT ck_tenant_max_concurrent_jobs CHECK (max_concurrent_jobs IS NULL OR max_concurrent_jobs >= 1),
        CONSTRAINT ck_tenant_max_media_seconds CHECK (max_media_seconds IS NULL OR max_media_seconds >= 1),
        CONSTRAINT ck_tenant_max_queued_jobs CHECK (max_queued_jobs IS NULL OR max_queued_jobs >= 1),
        CONSTRAINT ck_tenant_requests_per_minute CHECK (requests_per_minute IS NULL OR requests_per_minute >= 1),
        CONSTRAINT ck_tenant_retention_days CHECK (retention_days IS NULL OR retention_days >= 1),
        CONSTRAINT ck_tenant_storage_bytes CHECK (storage_bytes IS NULL OR storage_bytes >= 1)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    INSERT INTO tenant (id, name, created_at, updated_at)
    VALUES ('00000000-0000-0000-0000-000000000001', 'default', now(), now())
    ON CONFLICT DO NOTHING;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE TABLE api_key (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        name character varying(100) NOT NULL,
        scopes text[] NOT NULL,
        hash bytea NOT NULL,
        prefix character varying(12) NOT NULL,
        expires_at timestamp with time zone,
        revoked_at timestamp with time zone,
        last_used_at timestamp with time zone,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_api_key PRIMARY KEY (id),
        CONSTRAINT ck_api_key_hash CHECK (octet_length(hash) = 32),
        CONSTRAINT ck_api_key_scopes CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['admin', 'read', 'write']::text[]),
        CONSTRAINT fk_api_key_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_transcription_tenant_id ON transcription (tenant_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_media_asset_tenant_id_created_at_id ON media_asset (tenant_id, created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_job_tenant_id_created_at_id ON job (tenant_id, created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_job_tenant_queue_claim ON job (tenant_id, priority DESC, run_after, id) WHERE status = 'queued';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_job_tenant_running ON job (tenant_id) WHERE status = 'running';
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_analysis_result_tenant_id ON analysis_result (tenant_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_api_key_tenant_id_created_at ON api_key (tenant_id, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE UNIQUE INDEX ux_api_key_hash ON api_key (hash);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE INDEX ix_tenant_created_at_id ON tenant (created_at, id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    CREATE UNIQUE INDEX ux_tenant_name ON tenant (name);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE analysis_result ADD CONSTRAINT fk_analysis_result_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE idempotency_key ADD CONSTRAINT fk_idempotency_key_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE job ADD CONSTRAINT fk_job_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE media_asset ADD CONSTRAINT fk_media_asset_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE transcription ADD CONSTRAINT fk_transcription_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE analysis_result ALTER COLUMN tenant_id DROP DEFAULT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE transcription ALTER COLUMN tenant_id DROP DEFAULT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE job ALTER COLUMN tenant_id DROP DEFAULT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE media_asset ALTER COLUMN tenant_id DROP DEFAULT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    ALTER TABLE idempotency_key ALTER COLUMN tenant_id DROP DEFAULT;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125084837_Tenants') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125084837_Tenants', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125093132_JobEventsPayload') THEN
    CREATE OR REPLACE FUNCTION job_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM pg_notify('job_events', json_build_object(
                'id', OLD.id, 'status', 'deleted', 'progress', OLD.progress, 'step', NULL, 'lease', NULL,
                'xid', txid_current() % 4294967296)::text);
        ELSE
            PERFORM pg_notify('job_events', json_build_object(
                'id', NEW.id, 'status', NEW.status, 'progress', NEW.progress, 'step', NEW.current_step,
                'lease', NEW.lease_owner, 'xid', txid_current() % 4294967296)::text);
        END IF;
        RETURN NULL;
    END
    $$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125093132_JobEventsPayload') THEN
    DROP TRIGGER IF EXISTS job_notify ON job;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125093132_JobEventsPayload') THEN
    CREATE TRIGGER job_notify AFTER INSERT OR UPDATE OF status, progress, current_step OR DELETE ON job
    FOR EACH ROW EXECUTE FUNCTION job_notify();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125093132_JobEventsPayload') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125093132_JobEventsPayload', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125100633_IdempotencyOwner') THEN
    ALTER TABLE idempotency_key ADD owner uuid;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125100633_IdempotencyOwner') THEN
    ALTER TABLE idempotency_key ADD renewed_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125100633_IdempotencyOwner') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125100633_IdempotencyOwner', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125114529_TenantQuotaGuards') THEN
    CREATE OR REPLACE FUNCTION tenant_storage_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        quota bigint;
        used bigint;
    BEGIN
        IF NEW.size_bytes IS NULL OR (TG_OP = 'UPDATE' AND NEW.size_bytes <= coalesce(OLD.size_bytes, 0)) THEN
            RETURN NEW;
        END IF;
        SELECT storage_bytes INTO quota FROM tenant WHERE id = NEW.tenant_id;
        IF quota IS NULL THEN
            RETURN NEW;
        END IF;
        PERFORM pg_advisory_xact_lock(1297108279, hashtext(NEW.tenant_id::text));
        SELECT coalesce(sum(size_bytes), 0) INTO used FROM media_asset WHERE tenant_id = NEW.tenant_id AND id <> NEW.id;
        IF used + NEW.size_bytes > quota THEN
            RAISE EXCEPTION USING ERRCODE = 'MP507', MESSAGE = format('tenant.storage_bytes %s %s', quota, used);
        END IF;
        RETURN NEW;
    END
    $$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125114529_TenantQuotaGuards') THEN
    CREATE TRIGGER tenant_storage_guard BEFORE INSERT OR UPDATE OF size_bytes ON media_asset
    FOR EACH ROW EXECUTE FUNCTION tenant_storage_guard();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125114529_TenantQuotaGuards') THEN
    CREATE OR REPLACE FUNCTION tenant_queue_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        max_queued integer;
        queued integer;
    BEGIN
        -- Only a new queued job or a retry of a finished one; a running job put back (lease lost, worker
        -- stopping) was counted when it was queued and is never refused.
        IF NEW.status <> 'queued' OR (TG_OP = 'UPDATE' AND OLD.status IN ('queued', 'running')) THEN
            RETURN NEW;
        END IF;
        SELECT max_queued_jobs INTO max_queued FROM tenant WHERE id = NEW.tenant_id;
        IF max_queued IS NULL THEN
            RETURN NEW;
        END IF;
        PERFORM pg_advisory_xact_lock(1297108273, hashtext(NEW.tenant_id::text));
        SELECT count(*) INTO queued FROM job WHERE tenant_id = NEW.tenant_id AND status = 'queued' AND id <> NEW.id;
        IF queued >= max_queued THEN
            RAISE EXCEPTION USING ERRCODE = 'MP429', MESSAGE = format('tenant.max_queued_jobs %s %s', max_queued, queued);
        END IF;
        RETURN NEW;
    END
    $$;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125114529_TenantQuotaGuards') THEN
    CREATE TRIGGER tenant_queue_guard BEFORE INSERT OR UPDATE OF status ON job
    FOR EACH ROW EXECUTE FUNCTION tenant_queue_guard();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125114529_TenantQuotaGuards') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125114529_TenantQuotaGuards', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125145808_JobParts') THEN
    CREATE TABLE job_part (
        job_id uuid NOT NULL REFERENCES job (id) ON DELETE CASCADE,
        part_index integer NOT NULL,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        engine character varying(64) NOT NULL,
        language character varying(32),
        span_start double precision NOT NULL,
        span_end double precision NOT NULL,
        decode_start double precision NOT NULL,
        blob_key character varying(512) NOT NULL,
        status text NOT NULL DEFAULT 'queued',
        attempts integer NOT NULL DEFAULT 0,
        lease_owner character varying(200),
        lease_expires_at timestamp with time zone,
        run_after timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
        progress double precision NOT NULL DEFAULT 0,
        transcript jsonb,
        error_code character varying(100),
        error_message text,
        created_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT pk_job_part PRIMARY KEY (job_id, part_index),
        CONSTRAINT ck_job_part_status CHECK (status IN ('queued', 'running', 'done', 'failed')),
        CONSTRAINT ck_job_part_lease CHECK ((status = 'running') = (lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
        CONSTRAINT ck_job_part_done CHECK ((status = 'done') = (transcript IS NOT NULL)),
        CONSTRAINT ck_job_part_span CHECK (decode_start <= span_start AND span_start < span_end AND part_index >= 0 AND attempts >= 0)
    );
    CREATE INDEX ix_job_part_claimable ON job_part (created_at, job_id, part_index) WHERE status IN ('queued', 'running');
    CREATE INDEX ix_job_part_blob_key ON job_part (blob_key);

    CREATE FUNCTION job_part_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('job_parts', NEW.job_id::text || ':' || NEW.status);
        RETURN NULL;
    END;
    $$;
    CREATE TRIGGER job_part_notify AFTER INSERT OR UPDATE OF status ON job_part
        FOR EACH ROW EXECUTE FUNCTION job_part_notify();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125145808_JobParts') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125145808_JobParts', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125152700_JobTraceParent') THEN
    ALTER TABLE job ADD trace_parent character varying(64);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125152700_JobTraceParent') THEN
    CREATE INDEX ix_job_finished_at ON job (finished_at) WHERE finished_at IS NOT NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125152700_JobTraceParent') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125152700_JobTraceParent', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    CREATE TABLE webhook_event (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        type character varying(64) NOT NULL,
        job_id uuid,
        payload jsonb NOT NULL,
        created_at timestamp with time zone NOT NULL,
        fanned_out_at timestamp with time zone,
        CONSTRAINT pk_webhook_event PRIMARY KEY (id),
        CONSTRAINT fk_webhook_event_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    CREATE TABLE webhook_subscription (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        url character varying(2048) NOT NULL,
        events text[] NOT NULL,
        description character varying(500),
        secret character varying(100) NOT NULL,
        created_at timestamp with time zone NOT NULL,
        updated_at timestamp with time zone NOT NULL,
        disabled_at timestamp with time zone,
        disabled_reason character varying(500),
        CONSTRAINT pk_webhook_subscription PRIMARY KEY (id),
        CONSTRAINT ck_webhook_subscription_events CHECK (cardinality(events) >= 1),
        CONSTRAINT fk_webhook_subscription_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    CREATE INDEX ix_webhook_event_pending ON webhook_event (created_at) WHERE fanned_out_at IS NULL;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    CREATE INDEX ix_webhook_event_tenant_id ON webhook_event (tenant_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    CREATE INDEX ix_webhook_subscription_tenant_id_created_at ON webhook_subscription (tenant_id, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
        event_id uuid NOT NULL REFERENCES webhook_event (id) ON DELETE CASCADE,
        tenant_id uuid NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
        job_id uuid,
        event_created_at timestamp with time zone NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamp with time zone NOT NULL,
        retry_until timestamp with time zone NOT NULL,
        locked_until timestamp with time zone,
        last_status_code integer,
        last_latency_ms integer,
        last_error text,
        created_at timestamp with time zone NOT NULL,
        delivered_at timestamp with time zone,
        CONSTRAINT ck_webhook_delivery_status CHECK (status IN ('pending', 'delivered', 'failed')),
        CONSTRAINT ux_webhook_delivery_event UNIQUE (event_id, subscription_id)
    );
    CREATE INDEX ix_webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
    CREATE INDEX ix_webhook_delivery_order ON webhook_delivery (subscription_id, job_id, event_created_at, id) WHERE status = 'pending';
    CREATE INDEX ix_webhook_delivery_subscription ON webhook_delivery (subscription_id, created_at DESC, id DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125155948_Webhooks') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125155948_Webhooks', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125163327_WebhookSecretRotation') THEN
    ALTER TABLE webhook_subscription ADD previous_secret character varying(100);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125163327_WebhookSecretRotation') THEN
    ALTER TABLE webhook_subscription ADD previous_secret_expires_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261125163327_WebhookSecretRotation') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261125163327_WebhookSecretRotation', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204191712_WebhookHeadersAndJobWebhooks') THEN
    ALTER TABLE webhook_subscription ADD headers jsonb NOT NULL DEFAULT ('{}'::jsonb);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204191712_WebhookHeadersAndJobWebhooks') THEN
    ALTER TABLE tenant ADD job_webhook_secret character varying(100);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204191712_WebhookHeadersAndJobWebhooks') THEN
    ALTER TABLE tenant ADD previous_job_webhook_secret character varying(100);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204191712_WebhookHeadersAndJobWebhooks') THEN
    ALTER TABLE tenant ADD previous_job_webhook_secret_expires_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204191712_WebhookHeadersAndJobWebhooks') THEN
    ALTER TABLE webhook_delivery ALTER COLUMN subscription_id DROP NOT NULL;
    ALTER TABLE webhook_delivery ADD COLUMN url character varying(2048);
    ALTER TABLE webhook_delivery ADD COLUMN headers jsonb;
    ALTER TABLE webhook_delivery ADD CONSTRAINT ck_webhook_delivery_target CHECK (subscription_id IS NOT NULL OR url IS NOT NULL);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204191712_WebhookHeadersAndJobWebhooks') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261204191712_WebhookHeadersAndJobWebhooks', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204203236_TranscriptSearch') THEN
    ALTER TABLE transcription ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, text) || to_tsvector('simple'::regconfig, text)) STORED;
    CREATE INDEX ix_transcription_search_vector ON transcription USING gin (search_vector);
    CREATE INDEX ix_transcription_tenant_id_created_at ON transcription (tenant_id, created_at DESC, id DESC);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204203236_TranscriptSearch') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261204203236_TranscriptSearch', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204214843_TranscriptEdits') THEN
    ALTER TABLE transcription ADD edited_at timestamp with time zone;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204214843_TranscriptEdits') THEN
    ALTER TABLE transcription ADD revision integer NOT NULL DEFAULT 1;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204214843_TranscriptEdits') THEN
    ALTER TABLE transcription ADD speaker_names jsonb NOT NULL DEFAULT ('{}'::jsonb);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204214843_TranscriptEdits') THEN
    CREATE TABLE transcription_revision (
        transcription_id uuid NOT NULL,
        revision integer NOT NULL,
        tenant_id uuid NOT NULL,
        text text NOT NULL,
        segments jsonb NOT NULL,
        speaker_names jsonb NOT NULL DEFAULT ('{}'::jsonb),
        confidence double precision,
        word_count integer NOT NULL,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_transcription_revision PRIMARY KEY (transcription_id, revision),
        CONSTRAINT ck_transcription_revision_revision CHECK (revision >= 1),
        CONSTRAINT fk_transcription_revision_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT,
        CONSTRAINT fk_transcription_revision_transcription_id FOREIGN KEY (transcription_id) REFERENCES transcription (id) ON DELETE CASCADE
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204214843_TranscriptEdits') THEN
    CREATE INDEX ix_transcription_revision_tenant_id ON transcription_revision (tenant_id);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204214843_TranscriptEdits') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261204214843_TranscriptEdits', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204215532_TranscriptSearchLanguages') THEN
    CREATE OR REPLACE FUNCTION mp_text_config(language text) RETURNS regconfig
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
    BEGIN
      RETURN CASE split_part(lower(language), '-', 1)
        WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french' WHEN 'es' THEN 'spanish'
        WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese' WHEN 'nl' THEN 'dutch' WHEN 'sv' THEN 'swedish'
        WHEN 'da' THEN 'danish' WHEN 'no' THEN 'norwegian' WHEN 'nb' THEN 'norwegian' WHEN 'nn' THEN 'norwegian'
        WHEN 'fi' THEN 'finnish' WHEN 'ru' THEN 'russian' WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian'
        WHEN 'tr' THEN 'turkish'
        ELSE 'simple' END::regconfig;
    END $$;
    CREATE OR REPLACE FUNCTION mp_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
      SELECT CASE WHEN value !~ '[^[:ascii:]]' THEN value ELSE replace(replace(replace(replace(translate(value,
        'ÀÁÂÃÄÅàáâãäåĀāĂăĄąÇçĆćĈĉĊċČčĎďĐđÈÉÊËèéêëĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĦħÌÍÎÏìíîïĨĩĪīĬĭĮįİıĴĵĶķĹĺĻļĽľĿŀŁłÑñŃńŅņŇňÒÓÔÕÖØòóôõöøŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲųŴŵÝýÿŶŷŸŹźŻżŽž',
        'AAAAAAaaaaaaAaAaAaCcCcCcCcCcDdDdEEEEeeeeEeEeEeEeEeGgGgGgGgHhHhIIIIiiiiIiIiIiIiIiJjKkLlLlLlLlLlNnNnNnNnOOOOOOooooooOoOoOoRrRrRrSsSsSsSsTtTtTtUUUUuuuuUuUuUuUuUuUuWwYyyYyYZzZzZz'),
        'ß', 'ss'), 'æ', 'ae'), 'Æ', 'AE'), 'œ', 'oe') END;
    $$;
    CREATE OR REPLACE AGGREGATE mp_tsquery_or(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
    ALTER TABLE transcription DROP COLUMN search_vector;
    ALTER TABLE transcription ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector(mp_text_config(language), text) || to_tsvector('simple'::regconfig, text)
        || to_tsvector('simple'::regconfig, mp_unaccent(text))) STORED;
    CREATE INDEX ix_transcription_search_vector ON transcription USING gin (search_vector);
    CREATE INDEX ix_transcription_tenant_id_language ON transcription (tenant_id, language);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204215532_TranscriptSearchLanguages') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261204215532_TranscriptSearchLanguages', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204221333_PiiRedaction') THEN
    ALTER TABLE api_key DROP CONSTRAINT ck_api_key_scopes;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204221333_PiiRedaction') THEN
    ALTER TABLE transcription ADD redactions jsonb;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204221333_PiiRedaction') THEN
    ALTER TABLE transcription ADD unredacted_segments jsonb;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204221333_PiiRedaction') THEN
    ALTER TABLE api_key ADD CONSTRAINT ck_api_key_scopes CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['admin', 'read', 'write', 'pii']::text[]);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204221333_PiiRedaction') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261204221333_PiiRedaction', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204225000_Vocabularies') THEN
    CREATE TABLE vocabulary (
        id uuid NOT NULL,
        tenant_id uuid NOT NULL,
        name character varying(100) NOT NULL,
        terms text[] NOT NULL,
        created_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_vocabulary PRIMARY KEY (id),
        CONSTRAINT ck_vocabulary_terms CHECK (cardinality(terms) BETWEEN 1 AND 1000),
        CONSTRAINT fk_vocabulary_tenant_id FOREIGN KEY (tenant_id) REFERENCES tenant (id) ON DELETE RESTRICT
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204225000_Vocabularies') THEN
    CREATE INDEX ix_vocabulary_tenant_id_created_at ON vocabulary (tenant_id, created_at);
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261204225000_Vocabularies') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261204225000_Vocabularies', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261205114856_QueueGuardOnlyForQueuedRows') THEN
    DROP TRIGGER IF EXISTS tenant_queue_guard ON job;
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261205114856_QueueGuardOnlyForQueuedRows') THEN
    CREATE TRIGGER tenant_queue_guard BEFORE INSERT OR UPDATE OF status ON job
    FOR EACH ROW WHEN (NEW.status = 'queued') EXECUTE FUNCTION tenant_queue_guard();
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261205114856_QueueGuardOnlyForQueuedRows') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261205114856_QueueGuardOnlyForQueuedRows', '10.0.15');
    END IF;
END $EF$;
COMMIT;

START TRANSACTION;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261206154408_WorkerProcesses') THEN
    CREATE TABLE worker_process (
        id character varying(200) NOT NULL,
        host character varying(200) NOT NULL,
        pid integer NOT NULL,
        job_loops integer NOT NULL,
        part_loops integer NOT NULL,
        started_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
        last_seen_at timestamp with time zone NOT NULL DEFAULT clock_timestamp(),
        expires_at timestamp with time zone NOT NULL,
        CONSTRAINT pk_worker_process PRIMARY KEY (id),
        CONSTRAINT ck_worker_process_loops CHECK (job_loops >= 0 AND part_loops >= 0)
    );
    END IF;
END $EF$;

DO $EF$
BEGIN
    IF NOT EXISTS(SELECT 1 FROM __ef_migrations_history WHERE "migration_id" = '20261206154408_WorkerProcesses') THEN
    INSERT INTO __ef_migrations_history (migration_id, product_version)
    VALUES ('20261206154408_WorkerProcesses', '10.0.15');
    END IF;
END $EF$;
COMMIT;

