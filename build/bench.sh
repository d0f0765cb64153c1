#!/usr/bin/env bash
# Benchmarks of the real service against baselines measured in the same run, on the same PostgreSQL cluster.
# Every figure is a ratio, so it means something on noisy hardware. Prints a table and writes bench/results/latest.json.
#   submit    POST /api/v1/jobs requests/s (wrk)          / pgbench inserting the same row
#   read      GET /api/v1/jobs/{id} requests/s (wrk)      / pgbench selecting the row by primary key
#   read_db   the same with the job snapshots off (every request reads the database; reported)
#   list      p95 of a deep keyset page with 1M jobs      / the same with 10k jobs
#   diarization  DER (0.25 s collar) of the offline diarizer on espeak-ng conversations (two-speaker set; three speakers;
#                a held-out two-speaker set; the two-speaker set with 0.75 s overlaps, reported)
#   search    p95 of GET /api/v1/search over 100k transcripts / the same query over 1k (150 words each, English words)
#   queue     jobs/s claimed and completed by the platform's workers with a no-op step / pg-boss, same concurrency;
#             also against plain SQL claiming and completing the same jobs in batches of 10 (bench/raw/claim-complete.sql)
#   fairness  wait of tenant B's lone job while tenant A has a 1,000-job backlog / its wait in plain FIFO order (estimate from the measured queue)
#   pipeline  wall time of a job on a 60 s recording (parts decoded at once) / bare pocketsphinx_continuous on the same audio
#   accuracy  word error rate on pocketsphinx-testdata's librivox and cards recordings, each a job / bare pocketsphinx_continuous
#   vocabulary the librivox words of 7+ letters taken out of the model: how many the jobs hear with and without them as
#             the job's vocabulary (and with the whole model)
#   long      wall time of a job on a 10-minute recording, an API and 2 worker processes / bare pocketsphinx_continuous
#             (the mean of a run before the job and one after);
#             with the word error rate of both on it (the tests' scorer); reported beside it, the same job against one
#             run of the bare program with the service's search settings (ADR 0032)
#   memory    RSS idle, under the submit load, and growth while uploading a 1 GiB file (MiB, reported as measured)
# The load and speed figures (submit to pipeline) are measured BENCH_RUNS times (3): the ratio reported is the latest run's, with the
# range of all runs beside it (ratio_range, ratios in latest.json).
# Settings: BENCH_SECONDS (10), BENCH_CONNECTIONS (16), BENCH_RUNS (3), BENCH_LOG_LEVEL (Warning: the services' log level), BENCH_KEEP_LOGS (a folder: the services' logs are copied there at the end). BENCH_ONLY=queue,long (a comma-separated list of
# the figures above) measures only those and writes bench/results/only.json instead, leaving latest.json as it is.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
service_runtime
cd "$REPO_ROOT"

seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-16}
runs=${BENCH_RUNS:-3}
only=${BENCH_ONLY:-}
only=${only// /}
# wants FIGURE: whether this run measures FIGURE (every figure without BENCH_ONLY).
wants() { [ -z "$only" ] || [[ ",$only," == *",$1,"* ]]; }
for figure in ${only//,/ }; do
  case "$figure" in submit|read|list|search|queue|fairness|pipeline|accuracy|vocabulary|long|memory|diarization) ;; *) echo "BENCH_ONLY: unknown figure '$figure'" >&2; exit 64 ;; esac
done
data=$(mktemp -d)
export MEDIAPLATFORM_DATA="$data"
db_port=$(free_port)
api_port=$(free_port)
base="http://127.0.0.1:$api_port"
api_dll="$REPO_ROOT/src/MediaPlatform.Api/bin/Release/net10.0/MediaPlatform.Api.dll"
bench_dll="$REPO_ROOT/bench/MediaPlatform.Bench/bin/Release/net10.0/MediaPlatform.Bench.dll"
api_pid=""
cluster=""

finish() {
  local status=$?
  trap - EXIT INT TERM HUP
  trap "" PIPE # a closed output (`| head`) must not stop the clean-up half-way
  stop_api
  [ -n "$cluster" ] && stop_cluster "$cluster"
  if [ -n "${BENCH_KEEP_LOGS:-}" ]; then mkdir -p "$BENCH_KEEP_LOGS" && cp "$data"/*.log "$BENCH_KEEP_LOGS"/ 2>/dev/null || true; fi
  remove_outside_cluster "$data"
  rm -rf "$data"
  exit $status
}
trap finish EXIT INT TERM HUP PIPE

ensure_postgres
ensure_media_tools
ensure_test_media
ensure_packages wrk:wrk node:nodejs npm:npm jq:jq
log "building (Release)"
dotnet build src/MediaPlatform.Api -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
dotnet build bench/MediaPlatform.Bench -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
(cd bench/pgboss && { [ -d node_modules/pg-boss ] || npm install --no-audit --no-fund --silent >/dev/null; })
cluster=$(cluster_dir)
start_cluster "$cluster" "$db_port"
# psql, pgbench and the pg-boss baseline (node-postgres reads PGPASSWORD too) authenticate with it.
PGPASSWORD=$(pg_password)
export PGPASSWORD

Database__ConnectionString=$(pg_connection_string "$db_port")
export Database__ConnectionString
# The API's admin key, given rather than generated; every /api/v1 request sends it.
api_key="mp_live_$(random_alnum 43)"
export Auth__BootstrapKey="$api_key"
auth=(-H "Authorization: Bearer $api_key")
export Database__BackupDirectory="$data/backups" Storage__RootPath="$data/blobs" Processing__ScratchPath="$data"
export Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning}
dotnet "$api_dll" db migrate >/dev/null
psql_() { psql -h 127.0.0.1 -p "$db_port" -U postgres -d mediaplatform -v ON_ERROR_STOP=1 -tAq "$@"; }
pgbench_() { "$(pg_bindir)/pgbench" -h 127.0.0.1 -p "$db_port" -U postgres -n -c "$connections" -j 2 -T "$seconds" "$@" mediaplatform 2>/dev/null \
  | awk '/^tps/ {print $3; exit}'; }
wrk_rps() { wrk -t2 -c"$connections" -d"${seconds}s" "${auth[@]}" "$@" | awk '/^Requests\/sec/ {print $2}'; }
# upload FILE: the id of FILE uploaded as media. submit MEDIA [MEMBERS]: the id of a job on MEDIA (MEMBERS: more of
# the body's JSON members, from a comma on). await_job JOB WHAT [SECONDS]: follows JOB's events until it ends (at most
# SECONDS, 300) and dies naming WHAT unless it succeeded. transcript_text JOB: the text of JOB's transcription.
upload() { curl -fsS -F "file=@$1;type=audio/wav" "${auth[@]}" "$base/api/v1/media" | json .id; }
submit() { curl -fsS -H 'Content-Type: application/json' "${auth[@]}" -d "{\"mediaId\":\"$1\"${2:-}}" "$base/api/v1/jobs" | json .id; }
await_job() {
  curl -sN --max-time "${3:-300}" "${auth[@]}" "$base/api/v1/jobs/$1/events" > "$data/events.txt"
  grep -q '"status":"succeeded"' "$data/events.txt" || die "$2 did not succeed: $(tail -c 500 "$data/events.txt")"
}
transcript_text() { curl -fsS "${auth[@]}" "$base/api/v1/jobs/$1/transcription" | json .text; }
# measure_reads JOB API DB RATIOS: after a warm-up (see the submit figure), $runs runs of wrk reading JOB through the API and of
# pgbench selecting its row; sets the variables named API and DB to the latest run's rates and RATIOS to every ratio.
measure_reads() {
  local -n api_rps=$2 db_tps=$3 read_ratios_of=$4
  echo "SELECT * FROM job WHERE id = '$1';" > "$data/select.sql"
  wrk_rps "$base/api/v1/jobs/$1" >/dev/null
  read_ratios_of=()
  for _ in $(seq 1 "$runs"); do
    api_rps=$(wrk_rps "$base/api/v1/jobs/$1")
    db_tps=$(pgbench_ -f "$data/select.sql")
    read_ratios_of+=("$(ratio "$api_rps" "$db_tps")")
  done
}
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
# sample_peak_rss FILE INTERVAL: keeps the service's peak RSS (MiB) in FILE while it runs; run it in the background.
sample_peak_rss() {
  local peak=0 r
  while kill -0 "$api_pid" 2>/dev/null; do
    r=$(rss_mib "$api_pid") || break
    peak=$(awk -v a="$peak" -v b="$r" 'BEGIN {print (b > a ? b : a)}')
    echo "$peak" > "$1"
    sleep "$2"
  done
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.3f\n", a / b }'; }
# spread R1 R2 ...: "min-max" of the runs' ratios; json_list R1 R2 ...: [R1, R2, ...]
spread() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {min = $1} {max = $1} END {printf "%s-%s", min, max}'; }
json_list() { local IFS=,; printf '[%s]' "$*"; }
json_range() { printf '%s\n' "$@" | sort -g | awk 'NR == 1 {min = $1} {max = $1} END {printf "[%s, %s]", min, max}'; }

start_api() { # start_api ROLE [extra env...]
  env "${@:2}" dotnet "$api_dll" --role "$1" --urls "$base" >"$data/api.log" 2>&1 &
  api_pid=$!
  wait_ready "$base" 60 "$api_pid" || die "the service did not start: $(tail -n 20 "$data/api.log")"
}
stop_api() {
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true
  fi
  api_pid=""
}

queue_jobs=${BENCH_QUEUE_JOBS:-2000}
queue_workers=${BENCH_QUEUE_WORKERS:-4}
fair_backlog=${BENCH_FAIR_BACKLOG:-1000}
model=/usr/share/pocketsphinx/model/en-us
# bare_pocketsphinx WAV [arguments...]: the bare program on WAV with the model the service loads, the words on stdout.
bare_pocketsphinx() {
  local wav=$1; shift
  pocketsphinx_continuous -infile "$wav" -hmm "$model/en-us" -lm "$model/en-us.lm.bin" -dict "$model/cmudict-en-us.dict" -logfn /dev/null "$@"
}
list=$(ls /usr/share/pocketsphinx/test/data/librivox/*.wav)
# The 60 s recording of the pipeline figure (also the long figure's warm-up job): the librivox files, three times over.
for f in $list $list $list; do echo "file '$f'"; done > "$data/concat.txt"
ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$data/concat.txt" -t 60 -c:a pcm_s16le "$data/sixty.wav"

# --- submit and read -------------------------------------------------------------------------------------------------
if wants submit || wants read || wants list || wants search || wants memory; then
start_api api
sleep 2
rss_idle=$(rss_mib "$api_pid")
ffmpeg -nostdin -loglevel error -y -f lavfi -i "sine=frequency=440:duration=1" -ar 16000 -ac 1 "$data/tone.wav"
media_id=$(upload "$data/tone.wav")
if wants submit || wants memory; then
cat > "$data/submit.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"mediaId":"$media_id","priority":0}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat > "$data/insert.sql" <<SQL
INSERT INTO job (id, tenant_id, media_asset_id, kind, options, priority, status, progress, attempts, max_attempts, run_after, created_at, updated_at)
VALUES (gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '$media_id', 'transcription', '{"language":null,"analyses":[],"engine":null}', 0, 'queued', 0, 0, 3, now(), now(), now());
SQL
log "submit: wrk vs pgbench, $connections connections, $seconds s each, $runs runs"
# Warm-up: .NET compiles hot paths again with profile data (tiered JIT) during the first seconds; measure the steady state.
wrk_rps -s "$data/submit.lua" "$base/api/v1/jobs" >/dev/null
sample_peak_rss "$data/rss_load" 0.2 2>/dev/null &
sampler=$!
submit_ratios=()
for _ in $(seq 1 "$runs"); do
  submit_api=$(wrk_rps -s "$data/submit.lua" "$base/api/v1/jobs")
  submit_db=$(pgbench_ -f "$data/insert.sql")
  submit_ratios+=("$(ratio "$submit_api" "$submit_db")")
done
kill "$sampler" 2>/dev/null || true
rss_load=$(cat "$data/rss_load")
fi

if wants read; then
[ "$(psql_ -c "SELECT count(*) FROM job")" -gt 0 ] \
  || submit "$media_id" >/dev/null
log "read: wrk vs pgbench, $runs runs"
measure_reads "$(psql_ -c "SELECT id FROM job LIMIT 1")" read_api read_db read_ratios
fi

# --- list: a deep keyset page with 10k and with 1M jobs --------------------------------------------------------------
if wants list; then
cat > "$data/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p95_ms %.3f\n", latency:percentile(95) / 1000))
end
LUA
fill_jobs() { # fill_jobs TOTAL: the job table holds TOTAL jobs, one a second going back in time
  psql_ -q -c "SET client_min_messages = warning" -c "ALTER TABLE job DISABLE TRIGGER job_notify" \
        -c "TRUNCATE job CASCADE" \
        -c "INSERT INTO job (id, tenant_id, media_asset_id, kind, options, priority, status, progress, attempts, max_attempts, run_after, created_at, updated_at)
            SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '$media_id', 'transcription', '{\"language\":null,\"analyses\":[],\"engine\":null}', 0, 'succeeded', 100, 1, 3, t, t, t
            FROM generate_series(1, $1) g, LATERAL (SELECT now() - g * interval '1 second' AS t) s" \
        -c "ALTER TABLE job ENABLE TRIGGER job_notify" -c "VACUUM ANALYZE job"
}
deep_page_p95() { # deep_page_p95 OFFSET: p95 in ms of the page after the row at OFFSET (newest first)
  local cursor # the API's keyset cursor: base64url of the row's created_at (microseconds, big-endian) and id
  cursor=$(psql_ -c "SELECT translate(rtrim(encode(int8send((extract(epoch FROM created_at) * 1000000)::bigint) || uuid_send(id), 'base64'), '='), '+/', '-_')
                     FROM job ORDER BY created_at DESC, id DESC OFFSET $1 LIMIT 1")
  wrk -t2 -c"$connections" -d"${seconds}s" "${auth[@]}" -s "$data/p95.lua" "$base/api/v1/jobs?limit=50&cursor=$cursor" | awk '/^p95_ms/ {print $2}'
}
log "list: filling 10k jobs"
fill_jobs 10000
list_10ks=()
for _ in $(seq 1 "$runs"); do list_10ks+=("$(deep_page_p95 9000)"); done
log "list: filling 1M jobs"
fill_jobs 1000000
list_ratios=()
for i in $(seq 1 "$runs"); do
  list_1m=$(deep_page_p95 900000)
  list_10k=${list_10ks[$((i - 1))]}
  list_ratios+=("$(ratio "$list_1m" "$list_10k")")
done
fi

# --- search: full-text search over 1k and over 100k transcripts ----------------------------------------------------
if wants search; then
# 8,000 dictionary words of three letters or more; each transcript is 150 of them drawn at random.
vocabulary=$(awk '{print $1}' /usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict | grep -E '^[a-z]{3,}$' | awk 'NR % 15 == 0' | head -8000 | paste -sd, -)
fill_transcripts() { # fill_transcripts TOTAL: TOTAL succeeded jobs, each with a transcript of 150 words
  psql_ -q -c "SET client_min_messages = warning" -c "ALTER TABLE job DISABLE TRIGGER job_notify" -c "TRUNCATE job CASCADE" \
        -c "DROP TABLE IF EXISTS bench_vocab" \
        -c "CREATE TABLE bench_vocab AS SELECT n::int, w FROM unnest(string_to_array('$vocabulary', ',')) WITH ORDINALITY AS v(w, n)" \
        -c "CREATE UNIQUE INDEX ON bench_vocab (n)" -c "DROP INDEX IF EXISTS ix_transcription_search_vector" \
        -c "CREATE TEMP TABLE docs AS
              SELECT d, string_agg(v.w, ' ' ORDER BY p) AS text
              FROM (SELECT d, p, 1 + floor(random() * (SELECT count(*) FROM bench_vocab))::int AS n
                    FROM generate_series(1, $1) AS d, generate_series(1, 150) AS p) AS picks
              JOIN bench_vocab AS v USING (n) GROUP BY d;
            WITH j AS (
              INSERT INTO job (id, tenant_id, media_asset_id, kind, options, priority, status, progress, attempts, max_attempts, run_after, created_at, updated_at)
              SELECT gen_random_uuid(), '00000000-0000-0000-0000-000000000001', '$media_id', 'transcription', '{\"language\":null,\"analyses\":[],\"engine\":null}', 0, 'succeeded', 100, 1, 3, now(), now(), now()
              FROM docs RETURNING id),
            numbered AS (SELECT id, row_number() OVER () AS d FROM j)
            INSERT INTO transcription (id, job_id, media_asset_id, language, engine, model, text, segments, confidence, word_count, created_at, tenant_id)
            SELECT gen_random_uuid(), numbered.id, '$media_id', 'en-US', 'pocketsphinx', 'bench', docs.text,
                   jsonb_build_array(jsonb_build_object('start', 0, 'end', 60, 'text', docs.text, 'confidence', 0.9, 'words', '[]'::jsonb)), 0.9, 150, clock_timestamp(),
                   '00000000-0000-0000-0000-000000000001'
            FROM numbered JOIN docs USING (d)" \
        -c "CREATE INDEX ix_transcription_search_vector ON transcription USING gin (search_vector)" \
        -c "ALTER TABLE job ENABLE TRIGGER job_notify" -c "VACUUM ANALYZE transcription"
}
search_word=$(echo "$vocabulary" | cut -d, -f1234)
search_p95() { wrk -t2 -c"$connections" -d"${seconds}s" "${auth[@]}" -s "$data/p95.lua" "$base/api/v1/search?q=$search_word&limit=20" | awk '/^p95_ms/ {print $2}'; }
cat > "$data/p95.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p95_ms %.3f\n", latency:percentile(95) / 1000))
end
LUA
log "search: filling 1k transcripts"
fill_transcripts 1000
search_1ks=()
for _ in $(seq 1 "$runs"); do search_1ks+=("$(search_p95)"); done
log "search: filling 100k transcripts"
fill_transcripts 100000
search_ratios=()
for i in $(seq 1 "$runs"); do
  search_100k=$(search_p95)
  search_1k=${search_1ks[$((i - 1))]}
  search_ratios+=("$(ratio "$search_100k" "$search_1k")")
done
psql_ -q -c "SET client_min_messages = warning" -c "TRUNCATE job CASCADE" -c "DROP TABLE IF EXISTS bench_vocab" >/dev/null
fi

# --- memory while uploading 1 GiB ------------------------------------------------------------------------------------
if wants memory; then
log "memory: uploading 1 GiB"
head -c $((1024 * 1024 * 1024)) /dev/zero > "$data/big.bin"
before=$(rss_mib "$api_pid")
sample_peak_rss "$data/rss_upload" 0.1 2>/dev/null &
sampler=$!
upload_code=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$data/big.bin;type=application/octet-stream" "${auth[@]}" "$base/api/v1/media")
kill "$sampler" 2>/dev/null || true
rm -f "$data/big.bin"
[ "$upload_code" = 201 ] || die "the 1 GiB upload got $upload_code"
upload_growth=$(awk -v a="$(cat "$data/rss_upload")" -v b="$before" 'BEGIN { printf "%.1f\n", a - b }')
fi
if wants read; then
# The same reads with the job snapshots off (Queue__JobSnapshotSeconds=0, docs/adr/0026): every request reads the
# database, as a read of a running job always does. Measured last in this section: the restart would add a fresh
# process's warm-up to the memory figure.
log "read (database every time): wrk vs pgbench, $runs runs"
# A queued job again (the list figure has emptied and refilled the table since).
job_id=$(submit "$media_id")
stop_api
start_api api Queue__JobSnapshotSeconds=0
measure_reads "$job_id" read_db_api read_db_db read_db_ratios
fi
stop_api
fi

# --- queue: the platform's workers (no-op step) vs pg-boss, same worker concurrency ------------------------------------
if wants queue; then
log "queue: $queue_jobs jobs, $queue_workers workers, platform then pg-boss, $runs runs"
queue_ratios=()
queue_raw_ratios=()
for _ in $(seq 1 "$runs"); do
  psql_ -q -c "SET client_min_messages = warning" -c "TRUNCATE job CASCADE" -c "DROP SCHEMA IF EXISTS pgboss_bench CASCADE" >/dev/null
  platform_json=$(dotnet "$bench_dll" queue "$Database__ConnectionString" "$queue_jobs" "$queue_workers" | tail -n 1)
  # pg-boss warms up with as many rounds of 500 jobs as the platform needed to reach a steady state (its JIT quiet).
  pgboss_json=$(node bench/pgboss/queue.mjs "postgres://postgres@127.0.0.1:$db_port/mediaplatform" "$queue_jobs" "$queue_workers" "$(json .warmUpRounds <<< "$platform_json")" | tail -n 1)
  queue_platform=$(json .jobsPerSecond <<< "$platform_json")
  queue_pgboss=$(json .jobsPerSecond <<< "$pgboss_json")
  # Where the time went (CPU seconds while the jobs ran): the queue's own process, and the machine (the rest is
  # PostgreSQL's); both sides have two cores to share.
  platform_cpu=$(json .clientCpuSeconds <<< "$platform_json"); platform_machine_cpu=$(json .machineCpuSeconds <<< "$platform_json")
  # The warm-up rounds both took, and what the JIT still compiled inside the platform's measured run (about nothing).
  queue_warm_up_rounds=$(json .warmUpRounds <<< "$platform_json"); queue_jit_methods=$(json .jitMethods <<< "$platform_json")
  # How it batched: jobs per claim transaction and per group commit of their endings.
  queue_per_claim=$(json .jobsPerClaim <<< "$platform_json"); queue_per_finish=$(json .jobsPerFinish <<< "$platform_json")
  pgboss_cpu=$(json .clientCpuSeconds <<< "$pgboss_json"); pgboss_machine_cpu=$(json .machineCpuSeconds <<< "$pgboss_json")
  queue_ratios+=("$(ratio "$queue_platform" "$queue_pgboss")")
  # The floor the issue names: the same jobs claimed and completed in batches of 10 by plain SQL statements
  # (bench/raw/claim-complete.sql, pgbench, one client per worker), clocked on the database from the start to the
  # last completion (the spare transactions a client runs once the queue is empty do not count).
  psql_ -q -c "SET client_min_messages = warning" -c "TRUNCATE job CASCADE" >/dev/null
  dotnet "$bench_dll" seed "$Database__ConnectionString" "$queue_jobs"
  raw_start=$(psql_ -c "SELECT extract(epoch FROM clock_timestamp())")
  "$(pg_bindir)/pgbench" -h 127.0.0.1 -p "$db_port" -U postgres -n -c "$queue_workers" -j 2 -t $((queue_jobs / 5 / queue_workers + 10)) \
    -f bench/raw/claim-complete.sql mediaplatform >/dev/null 2>&1 || die "the raw SQL queue run failed"
  raw_seconds=$(psql_ -c "SELECT extract(epoch FROM max(finished_at)) - $raw_start FROM job")
  raw_done=$(psql_ -c "SELECT count(*) FROM job WHERE status = 'succeeded'")
  [ "$raw_done" -eq "$queue_jobs" ] || die "the raw SQL queue run completed $raw_done of $queue_jobs jobs"
  queue_raw=$(awk -v n="$raw_done" -v s="$raw_seconds" 'BEGIN { printf "%.1f", n / s }')
  queue_raw_ratios+=("$(ratio "$queue_platform" "$queue_raw")")
done
fi

# --- fairness: a lone job of tenant B while tenant A has a backlog ---------------------------------------------------
if wants fairness; then
log "fairness: tenant B's lone job behind tenant A's backlog of $fair_backlog (20 ms each, $queue_workers workers)"
fair_ratios=()
for _ in $(seq 1 "$runs"); do
  psql_ -q -c "SET client_min_messages = warning" -c "TRUNCATE job CASCADE" >/dev/null
  fairness=$(dotnet "$bench_dll" fairness "$Database__ConnectionString" "$fair_backlog" "$queue_workers" | tail -n 1)
  fair_latency=$(printf '%s' "$fairness" | json .loneJobLatencyMs)
  fair_fifo=$(printf '%s' "$fairness" | json .fifoEstimateMs)
  fair_ratios+=("$(ratio "$fair_latency" "$fair_fifo")")
done
psql_ -q -c "SET client_min_messages = warning" -c "TRUNCATE job CASCADE" >/dev/null
fi

# --- pipeline: a 60 s recording through the service vs bare pocketsphinx ---------------------------------------------
if wants pipeline; then
log "pipeline: 60 s recording"
start_api all Queue__WorkerCount=1
media_id=$(upload "$data/sixty.wav")
sample_peak_rss "$data/rss_pipeline" 0.1 2>/dev/null &
sampler=$!
# Warm-up, as for the HTTP figures: the first job of a fresh process pays for compiling its code paths and reading
# the model from disk (measured: 21 s against 11 s for the same job next), which is not what a running service costs.
warm_id=$(submit "$media_id")
curl -sN --max-time 300 "${auth[@]}" "$base/api/v1/jobs/$warm_id/events" >/dev/null
pipeline_ratios=()
for _ in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  bare_pocketsphinx "$data/sixty.wav" -time yes >/dev/null
  bare=$(seconds_since "$start")
  start=$(date +%s.%N)
  await_job "$(submit "$media_id")" "the pipeline job"
  platform=$(seconds_since "$start")
  pipeline_ratios+=("$(ratio "$platform" "$bare")")
done
kill "$sampler" 2>/dev/null || true
rss_pipeline=$(cat "$data/rss_pipeline")
stop_api
fi

# wer REFERENCE HYPOTHESIS: "WORDS PERCENT", the hypothesis file's word error rate against the reference file (the
# tests' scorer, SpeechSamples.WordErrors), to a tenth of a percent.
wer() { dotnet "$bench_dll" wer "$1" "$2" | jq -r '"\(.words) \((.errors / .words * 1000 | round) / 10)"'; }

# --- accuracy: word error rate on real recordings with reference text, through the service vs the bare engine -------
# pocketsphinx-testdata's two sets of real speech: the five librivox sentences (71 words, issue 16's goal <= 31.7 %)
# and the five card names (21 words), each file a job of its own, against pocketsphinx_continuous on the same file.
if wants accuracy; then
log "accuracy: librivox and cards recordings, through the service and bare"
start_api all Queue__WorkerCount=2
accuracy_json=()
accuracy_rows=()
for set in librivox cards; do
  folder=/usr/share/pocketsphinx/test/data/$set
  references="$folder/transcription"
  [ "$set" = cards ] && references="$folder/cards.transcription"
  : > "$data/acc-ref.txt"; : > "$data/acc-bare.txt"; : > "$data/acc-platform.txt"
  while IFS= read -r line; do
    id=$(sed -E 's/.*\(([^)]+)\)$/\1/' <<<"$line")
    sed -E 's/^<s> (.*) <\/s>.*/\1/' <<<"$line" | tr '\n' ' ' >> "$data/acc-ref.txt"
    bare_pocketsphinx "$folder/$id.wav" | tr '\n' ' ' >> "$data/acc-bare.txt"
    job_id=$(submit "$(upload "$folder/$id.wav")")
    await_job "$job_id" "the $set job for $id"
    printf '%s ' "$(transcript_text "$job_id")" >> "$data/acc-platform.txt"
  done < "$references"
  read -r acc_words acc_wer_bare < <(wer "$data/acc-ref.txt" "$data/acc-bare.txt")
  read -r _ acc_wer_platform < <(wer "$data/acc-ref.txt" "$data/acc-platform.txt")
  accuracy_rows+=("$(printf '%-10s %-38s %-38s' "$set" "WER $acc_wer_platform % (jobs, $acc_words words)" "WER $acc_wer_bare % (bare pocketsphinx)")")
  accuracy_json+=("\"$set\": { \"words\": $acc_words, \"wer_platform_percent\": $acc_wer_platform, \"wer_bare_percent\": $acc_wer_bare }")
done
stop_api
fi

# --- vocabulary: words the model lacks, heard once the job's vocabulary names them -----------------------------------
# No recordings of rare names with reference text exist here (espeak-ng's speech is heard at 82-90 % WER, names never),
# so rare words are made: the librivox set's words of seven letters or more (the rule alone chooses them) are taken out
# of a copy of the model, dictionary and language model both (build/tools/lm-without.c drops their unigrams and every
# n-gram holding them), and the set runs as jobs on that model without and with those words as the job's vocabulary,
# and on the whole model.
if wants vocabulary; then
log "vocabulary: librivox words of 7+ letters out of the model, jobs without and with them as vocabulary"
ensure_packages gcc:gcc sphinx_lm_convert:sphinxbase-utils
librivox=/usr/share/pocketsphinx/test/data/librivox
sed -E 's/^<s> (.*) <\/s>.*/\1/' "$librivox/transcription" | tr ' ' '\n' | awk 'length($0) >= 7' | sort -u > "$data/voc-targets.txt"
reduced="$data/model-reduced"
mkdir -p "$reduced"
ln -sfn "$model/en-us" "$reduced/en-us"
awk 'NR == FNR { out[$1] = 1; next } { w = $1; sub(/\([0-9]+\)$/, "", w) } !(w in out)' "$data/voc-targets.txt" "$model/cmudict-en-us.dict" > "$reduced/cmudict-en-us.dict"
gcc -O2 -o "$data/lm-without" "$REPO_ROOT/build/tools/lm-without.c" -l:libsphinxbase.so.3
"$data/lm-without" "$model/en-us.lm.bin" "$data/voc-targets.txt" "$data/reduced.arpa" 2>"$data/lm.log" \
  || die "build/tools/lm-without.c could not write the reduced language model: $(tail -n 3 "$data/lm.log")"
sphinx_lm_convert -i "$data/reduced.arpa" -o "$reduced/en-us.lm.bin" >>"$data/lm.log" 2>&1 \
  || die "sphinx_lm_convert could not convert the reduced language model: $(tail -n 3 "$data/lm.log")"
rm -f "$data/reduced.arpa"
voc_terms=$(jq -R . < "$data/voc-targets.txt" | jq -cs .)
sed -E 's/^<s> (.*) <\/s>.*/\1/' "$librivox/transcription" | tr '\n' ' ' > "$data/voc-ref.txt"
# voc_jobs NAME [BODY-EXTRA]: each librivox file a job; the transcripts, one line per file, in $data/voc-NAME.txt.
voc_jobs() {
  : > "$data/voc-$1.txt"
  while IFS= read -r line; do
    id=$(sed -E 's/.*\(([^)]+)\)$/\1/' <<<"$line")
    job_id=$(submit "$(upload "$librivox/$id.wav")" "${2:-}")
    await_job "$job_id" "the vocabulary job for $id"
    transcript_text "$job_id" | tr '[:upper:]' '[:lower:]' >> "$data/voc-$1.txt"
  done < "$librivox/transcription"
}
# heard NAME: target words heard, counted per recording as the fewer of the reference's and the transcript's count.
heard() {
  sed -E 's/^<s> (.*) <\/s>.*/\1/' "$librivox/transcription" | paste -d '|' - "$data/voc-$1.txt" |
    awk -F'|' 'NR == FNR { t[$1] = 1; next } {
      delete r; delete h; n = split($1, a, " "); for (i = 1; i <= n; i++) if (a[i] in t) r[a[i]]++
      m = split($2, b, " "); for (i = 1; i <= m; i++) if (b[i] in t) h[b[i]]++
      for (w in r) { total += r[w]; got += (h[w] < r[w] ? h[w] : r[w]) } }
      END { print got + 0, total + 0 }' "$data/voc-targets.txt" -
}
start_api all Queue__WorkerCount=2
voc_jobs full
stop_api
start_api all Queue__WorkerCount=2 Transcription__PocketSphinx__ModelPath="$reduced"
voc_jobs without
voc_jobs with ",\"vocabulary\":$voc_terms"
stop_api
read -r voc_heard_full voc_occurrences < <(heard full)
read -r voc_heard_without _ < <(heard without)
read -r voc_heard_with _ < <(heard with)
voc_distinct=$(wc -l < "$data/voc-targets.txt")
for name in full without with; do tr '\n' ' ' < "$data/voc-$name.txt" > "$data/voc-$name-line.txt"; done
read -r _ voc_wer_full < <(wer "$data/voc-ref.txt" "$data/voc-full-line.txt")
read -r _ voc_wer_without < <(wer "$data/voc-ref.txt" "$data/voc-without-line.txt")
read -r voc_words voc_wer_with < <(wer "$data/voc-ref.txt" "$data/voc-with-line.txt")
fi

# --- long: a 10-minute recording, an API process and 2 worker processes vs the bare engine -------------------------
if wants long; then
log "long: 10-minute recording, 2 worker processes"
librivox=/usr/share/pocketsphinx/test/data/librivox
for _ in $(seq 1 24); do for f in $list; do echo "file '$f'"; done; done > "$data/concat-long.txt"
ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$data/concat-long.txt" -c:a pcm_s16le "$data/ten.wav"
long_audio=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$data/ten.wav")
for _ in $(seq 1 24); do sed -e 's/<s>//; s/<\/s>.*//' "$librivox/transcription"; done | tr '\n' ' ' > "$data/long-reference.txt"
# The bare engine runs before and after the service's job, and the figure is against the mean of the two: this
# machine's speed drifts by 15-30 % over minutes (the same decode took 68-99 s in runs of one afternoon).
# bare_long OUT [arguments...]: the seconds the bare program takes on the 10-minute recording; its words go to OUT.
bare_long() {
  local start out=$1; shift
  start=$(date +%s.%N)
  bare_pocketsphinx "$data/ten.wav" "$@" > "$out"
  seconds_since "$start"
}
long_bare_before=$(bare_long "$data/long-bare.txt")
start_api api
worker_pids=()
# Two worker processes on this machine's two cores: one engine process each (Transcription__MaxParallelChunks=1), as
# an operator would set it when several workers share a machine; the recording's parts are queued for both.
for w in 1 2; do
  mkdir -p "$data/worker$w"
  env Queue__WorkerCount=1 Transcription__MaxParallelChunks=1 Processing__ScratchPath="$data/worker$w" \
    dotnet "$api_dll" --role worker --urls "http://127.0.0.1:0" >"$data/worker$w.log" 2>&1 &
  worker_pids+=($!)
done
# Warm-up: a short job for each worker process (each holds one job at a time), for the reason given above.
warm_media=$(upload "$data/sixty.wav")
warm_jobs=()
for _ in 1 2; do
  warm_jobs+=("$(submit "$warm_media")")
done
for id in "${warm_jobs[@]}"; do curl -sN --max-time 300 "${auth[@]}" "$base/api/v1/jobs/$id/events" >/dev/null; done
media_id=$(upload "$data/ten.wav")
start=$(date +%s.%N)
job_id=$(submit "$media_id")
await_job "$job_id" "the long job" 1800
long_platform=$(seconds_since "$start")
transcript_text "$job_id" > "$data/long-platform.txt"
for pid in "${worker_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
stop_api
long_bare_after=$(bare_long "$data/long-bare.txt")
long_bare=$(awk -v a="$long_bare_before" -v b="$long_bare_after" 'BEGIN { printf "%.3f", (a + b) / 2 }')
read -r long_words long_wer_bare < <(wer "$data/long-reference.txt" "$data/long-bare.txt")
# Reported beside the figure: the bare program with the service's search settings (without the second pass unless
# Transcription__PocketSphinx__FlatLexiconPass=true, ADR 0032), so the share of the figure that is parallel decoding
# and the share that is the search setting can be told apart.
same_search=()
if [ "${Transcription__PocketSphinx__FlatLexiconPass:-false}" != true ]; then same_search=(-fwdflat no); fi
long_bare_same=$(bare_long "$data/long-bare-same.txt" "${same_search[@]}")
read -r _ long_wer_bare_same < <(wer "$data/long-reference.txt" "$data/long-bare-same.txt")
read -r _ long_wer_platform < <(wer "$data/long-reference.txt" "$data/long-platform.txt")
fi

# --- report ----------------------------------------------------------------------------------------------------------
# The latest run's figures, with the range of every run's ratio; only the figures measured (BENCH_ONLY).
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
row() { printf '%-10s %-38s %-38s %8s %-13s %8s\n' "$@"; }
row benchmark "platform (latest run)" "baseline (latest run)" ratio "range ($runs)" target
figures=()
if wants submit; then
  submit_ratio=${submit_ratios[-1]}
  row submit "$submit_api req/s" "$submit_db tps (pgbench insert)" "$submit_ratio" "$(spread "${submit_ratios[@]}")" ">= 0.5"
  figures+=("\"submit\": { \"platform_rps\": $submit_api, \"pgbench_insert_tps\": $submit_db, \"ratio\": $submit_ratio, \"target\": \">= 0.5\", \"ratio_range\": $(json_range "${submit_ratios[@]}"), \"ratios\": $(json_list "${submit_ratios[@]}") }")
fi
if wants read; then
  read_ratio=${read_ratios[-1]}
  row read "$read_api req/s" "$read_db tps (pgbench select)" "$read_ratio" "$(spread "${read_ratios[@]}")" ">= 0.5"
  figures+=("\"read\": { \"platform_rps\": $read_api, \"pgbench_select_tps\": $read_db, \"ratio\": $read_ratio, \"target\": \">= 0.5\", \"ratio_range\": $(json_range "${read_ratios[@]}"), \"ratios\": $(json_list "${read_ratios[@]}") }")
  read_db_ratio=${read_db_ratios[-1]}
  row read_db "$read_db_api req/s (snapshots off)" "$read_db_db tps (pgbench select)" "$read_db_ratio" "$(spread "${read_db_ratios[@]}")" "(report)"
  figures+=("\"read_database\": { \"platform_rps\": $read_db_api, \"pgbench_select_tps\": $read_db_db, \"ratio\": $read_db_ratio, \"ratio_range\": $(json_range "${read_db_ratios[@]}"), \"ratios\": $(json_list "${read_db_ratios[@]}") }")
fi
if wants list; then
  list_ratio=${list_ratios[-1]}
  row list "p95 $list_1m ms (1M jobs)" "p95 $list_10k ms (10k jobs)" "$list_ratio" "$(spread "${list_ratios[@]}")" "<= 1.5"
  figures+=("\"list\": { \"p95_ms_1m\": $list_1m, \"p95_ms_10k\": $list_10k, \"ratio\": $list_ratio, \"target\": \"<= 1.5\", \"ratio_range\": $(json_range "${list_ratios[@]}"), \"ratios\": $(json_list "${list_ratios[@]}") }")
fi
if wants search; then
  search_ratio=${search_ratios[-1]}
  row search "p95 $search_100k ms (100k transcripts)" "p95 $search_1k ms (1k transcripts)" "$search_ratio" "$(spread "${search_ratios[@]}")" "(report)"
  figures+=("\"search\": { \"p95_ms_100k\": $search_100k, \"p95_ms_1k\": $search_1k, \"query\": \"$search_word\", \"ratio\": $search_ratio, \"ratio_range\": $(json_range "${search_ratios[@]}"), \"ratios\": $(json_list "${search_ratios[@]}") }")
fi
if wants queue; then
  queue_ratio=${queue_ratios[-1]}
  row queue "$queue_platform jobs/s ($queue_workers workers)" "$queue_pgboss jobs/s (pg-boss)" "$queue_ratio" "$(spread "${queue_ratios[@]}")" ">= 1.0"
  printf '%-10s %-38s %-38s %8s %-13s\n' 'queue SQL' "$queue_platform jobs/s (platform)" "$queue_raw jobs/s (plain SQL, batches of 10)" \
    "${queue_raw_ratios[-1]}" "$(spread "${queue_raw_ratios[@]}")"
  printf '%-10s %-38s %-38s %s\n' 'queue CPU' "$platform_cpu s workers, $platform_machine_cpu s machine" "$pgboss_cpu s pg-boss, $pgboss_machine_cpu s machine" \
    "(warm-up: $queue_warm_up_rounds rounds of 500 jobs each; $queue_jit_methods methods compiled in the platform's run; $queue_per_claim jobs per claim, $queue_per_finish per finishing write)"
  figures+=("\"queue\": { \"platform_jobs_per_second\": $queue_platform, \"pgboss_jobs_per_second\": $queue_pgboss, \"jobs\": $queue_jobs, \"workers\": $queue_workers, \"ratio\": $queue_ratio, \"target\": \">= 1.0\", \"ratio_range\": $(json_range "${queue_ratios[@]}"), \"ratios\": $(json_list "${queue_ratios[@]}"), \"platform_cpu_seconds\": $platform_cpu, \"platform_machine_cpu_seconds\": $platform_machine_cpu, \"pgboss_cpu_seconds\": $pgboss_cpu, \"pgboss_machine_cpu_seconds\": $pgboss_machine_cpu, \"warm_up_rounds\": $queue_warm_up_rounds, \"platform_jit_methods\": $queue_jit_methods, \"platform_jobs_per_claim\": $queue_per_claim, \"platform_jobs_per_finish\": $queue_per_finish, \"raw_sql_jobs_per_second\": $queue_raw, \"ratio_to_raw_sql\": ${queue_raw_ratios[-1]}, \"ratio_to_raw_sql_range\": $(json_range "${queue_raw_ratios[@]}") }")
fi
if wants fairness; then
  fair_ratio=${fair_ratios[-1]}
  row fairness "B's lone job: $fair_latency ms" "$fair_fifo ms (FIFO behind A's backlog)" "$fair_ratio" "$(spread "${fair_ratios[@]}")" "<= 0.05"
  figures+=("\"fairness\": { \"lone_job_latency_ms\": $fair_latency, \"fifo_estimate_ms\": $fair_fifo, \"backlog\": $fair_backlog, \"workers\": $queue_workers, \"ratio\": $fair_ratio, \"target\": \"<= 0.05\", \"ratio_range\": $(json_range "${fair_ratios[@]}"), \"ratios\": $(json_list "${fair_ratios[@]}") }")
fi
if wants pipeline; then
  pipeline_ratio=${pipeline_ratios[-1]}
  row pipeline "$platform s (job, 60 s audio)" "$bare s (bare pocketsphinx)" "$pipeline_ratio" "$(spread "${pipeline_ratios[@]}")" "<= 0.75"
  figures+=("\"pipeline\": { \"platform_seconds\": $platform, \"bare_pocketsphinx_seconds\": $bare, \"ratio\": $pipeline_ratio, \"target\": \"<= 0.75\", \"peak_rss_mib\": $rss_pipeline, \"ratio_range\": $(json_range "${pipeline_ratios[@]}"), \"ratios\": $(json_list "${pipeline_ratios[@]}") }")
fi
if wants accuracy; then
  printf '%s\n' "${accuracy_rows[@]}"
  figures+=("\"accuracy\": { $(IFS=,; echo "${accuracy_json[*]}"), \"target\": \"librivox wer_platform_percent <= 31.7\" }")
fi
if wants vocabulary; then
  # The error rate on the target words themselves (issue 16's "WER on those words"): the share of their occurrences missed.
  voc_target_with=$(awk -v h="$voc_heard_with" -v n="$voc_occurrences" 'BEGIN { printf "%.1f", (n - h) * 100 / n }')
  voc_target_without=$(awk -v h="$voc_heard_without" -v n="$voc_occurrences" 'BEGIN { printf "%.1f", (n - h) * 100 / n }')
  printf '%-10s %-38s %-38s %8s\n' vocabulary "$voc_heard_with of $voc_occurrences heard (WER $voc_wer_with %)" "$voc_heard_without without it (WER $voc_wer_without %)" "reported"
  printf '%-10s %-38s %-38s\n' vocabulary "target words missed: $voc_target_with %" "$voc_target_without % without the vocabulary"
  printf '%-10s %-38s\n' vocabulary "$voc_heard_full of $voc_occurrences with the whole model (WER $voc_wer_full %)"
  figures+=("\"vocabulary\": { \"target_words\": $voc_distinct, \"occurrences\": $voc_occurrences, \"words\": $voc_words, \"heard_with_vocabulary\": $voc_heard_with, \"heard_without_vocabulary\": $voc_heard_without, \"heard_whole_model\": $voc_heard_full, \"target_word_error_with_vocabulary_percent\": $voc_target_with, \"target_word_error_without_vocabulary_percent\": $voc_target_without, \"wer_with_vocabulary_percent\": $voc_wer_with, \"wer_without_vocabulary_percent\": $voc_wer_without, \"wer_whole_model_percent\": $voc_wer_full }")
fi
if wants long; then
  long_ratio=$(ratio "$long_platform" "$long_bare")
  row long "$long_platform s (${long_audio%.*} s audio, 2 workers)" "$long_bare s (bare, mean of $long_bare_before and $long_bare_after)" "$long_ratio" "(1 run)" "<= 0.6"
  printf '%-10s %-38s %-38s\n' 'long WER' "WER $long_wer_platform % (job, $long_words words)" "WER $long_wer_bare % (bare pocketsphinx, same file)"
  long_same_ratio=$(ratio "$long_platform" "$long_bare_same")
  row 'long same' "$long_platform s (as above)" "$long_bare_same s (bare, ${same_search[*]:-default search}; WER $long_wer_bare_same %)" "$long_same_ratio" "(1 run)" "reported"
  figures+=("\"long\": { \"audio_seconds\": $long_audio, \"platform_seconds\": $long_platform, \"bare_pocketsphinx_seconds\": $long_bare, \"bare_runs_seconds\": [$long_bare_before, $long_bare_after], \"worker_processes\": 2, \"ratio\": $long_ratio, \"target\": \"<= 0.6\", \"words\": $long_words, \"wer_platform_percent\": $long_wer_platform, \"wer_bare_percent\": $long_wer_bare, \"bare_same_search_seconds\": $long_bare_same, \"ratio_same_search\": $long_same_ratio, \"wer_bare_same_search_percent\": $long_wer_bare_same }")
fi
if wants diarization; then
  log "diarization: DER of conversations of espeak-ng voices"
  diarization=$(dotnet "$bench_dll" diarize | tail -n 1)
  der2=$(jq -r .two_speaker_der_percent <<<"$diarization")
  der3=$(jq -r .three_speaker_der_percent <<<"$diarization")
  printf '%-10s %-38s %-38s %8s\n' diarization "DER $der2 % (two-speaker set, 3 pairs)" "DER $der3 % (three speakers)" "<= 20 %"
  der_held=$(jq -r .held_out_der_percent <<<"$diarization")
  printf '%-10s %-38s %-38s %8s\n' diarization "DER $der_held % (held-out set, 3 pairs)" "(other words and voices)" "<= 20 %"
  der_overlap=$(jq -r .overlap_der_percent <<<"$diarization")
  printf '%-10s %-38s %-38s %8s\n' diarization "DER $der_overlap % (same pairs, 0.75 s overlaps)" "(overlapped speech: one label per word)" "reported"
  figures+=("\"diarization\": $(jq -c '. + {target: "two_speaker_der_percent <= 20"}' <<<"$diarization")")
fi
if wants memory; then
  printf '%-10s %-38s %-38s\n' memory "RSS idle $rss_idle MiB, submit load $rss_load MiB" "1 GiB upload growth $upload_growth MiB"
  figures+=("\"memory\": { \"idle_rss_mib\": $rss_idle, \"submit_load_rss_mib\": $rss_load, \"upload_1gib_growth_mib\": $upload_growth }")
fi
out=bench/results/latest.json
[ -z "$only" ] || out=bench/results/only.json
{
  printf '{\n  "commit": "%s",\n  "date": "%s",\n  "machine": "%s",\n' "$commit" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
  printf '  "settings": { "seconds": %s, "connections": %s, "runs": %s }' "$seconds" "$connections" "$runs"
  for figure in "${figures[@]}"; do printf ',\n  %s' "$figure"; done
  printf '\n}\n'
} > "$out"
jq -e . "$out" >/dev/null || die "$out is not valid JSON"
log "wrote $out"
