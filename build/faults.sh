#!/usr/bin/env bash
# Fault suite against the real service on its own PostgreSQL cluster, loopback only, bounded in time:
#   1. storage full: uploads past the blob store's quota get 507 problem+json and leave nothing half-written;
#   2. workers killed with SIGKILL mid-job (3 times, or 20 with --long): every job completes exactly once, none stays running;
#   3. PostgreSQL restarted during a submit load: no job that got a 2xx is lost, requests during the outage get
#      503 problem+json with Retry-After, and the service recovers by itself;
#   4. PostgreSQL stopped for 30 s while a long transcription runs and the API is under load: no process exits,
#      /health/ready is 503 during and 200 within 5 s after, the job succeeds on its first attempt, every 202 is stored;
#   5. the LISTEN connections cut (pg_terminate_backend): workers and an open event stream recover, and the stream
#      still ends when its job ends.
# Prints one line per check and exits non-zero on the first failure. build/test.sh runs the short variant.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
service_runtime
cd "$REPO_ROOT"

kills=3
[ "${1:-}" = "--long" ] && kills=20
deadline=$((SECONDS + (kills * 20) + 420))

data=$(mktemp -d)
export MEDIAPLATFORM_DATA="$data"
db_port=$(free_port)
api_port=$(free_port)
base="http://127.0.0.1:$api_port"
api_dll="$REPO_ROOT/src/MediaPlatform.Api/bin/Release/net10.0/MediaPlatform.Api.dll"
pids=()
cluster=""

finish() {
  local status=$?
  trap - EXIT INT TERM HUP
  trap "" PIPE # a closed output (`| head`) must not stop the clean-up half-way
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  pkill -f "pocketsphinx_continuous.*$data" 2>/dev/null || true
  [ -n "$cluster" ] && stop_cluster "$cluster"
  remove_outside_cluster "$data"
  if [ $status -ne 0 ]; then echo "faults: FAILED (logs in $data kept)" >&2; tail -n 30 "$data"/*.log 2>/dev/null >&2 || true; else rm -rf "$data"; fi
  exit $status
}
trap finish EXIT INT TERM HUP PIPE

ok() { echo "faults: $*" >&2; }
fail() { echo "faults: FAIL: $*" >&2; exit 1; }
in_time() { [ $SECONDS -lt $deadline ] || fail "the suite ran out of time"; }
sql() { psql -h 127.0.0.1 -p "$db_port" -U postgres -d mediaplatform -tAc "$1"; }

Database__ConnectionString=$(pg_connection_string "$db_port")
export Database__ConnectionString
# The API's admin key, given rather than generated; every /api/v1 request sends it.
api_key="mp_live_$(random_alnum 43)"
export Auth__BootstrapKey="$api_key"
auth=(-H "Authorization: Bearer $api_key")
export Database__MaxRetryCount=2 Database__MaxRetryDelaySeconds=1 Database__ConnectionTimeoutSeconds=3
export Database__BackupDirectory="$data/backups" Storage__RootPath="$data/blobs" Processing__ScratchPath="$data/scratch"
export Queue__LeaseSeconds=3 Queue__HeartbeatSeconds=1 Queue__ReaperSeconds=1 Queue__PollSeconds=1 Queue__WorkerCount=1
export Logging__LogLevel__Default=Warning
mkdir -p "$data/scratch"

ensure_postgres
ensure_media_tools
ensure_test_media
[ -f "$api_dll" ] || dotnet build src/MediaPlatform.Api -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
cluster=$(cluster_dir)
start_cluster "$cluster" "$db_port"
PGPASSWORD=$(pg_password)
export PGPASSWORD
dotnet "$api_dll" db migrate >/dev/null

start_worker() { # start_worker NAME [library|process]: how the worker runs the offline engine
  Transcription__PocketSphinx__Mode="${2:-library}" dotnet "$api_dll" --role worker --urls "http://127.0.0.1:0" >"$data/$1.log" 2>&1 &
  pids+=($!)
  echo $!
}

# --- 1. storage full ------------------------------------------------------------------------------------------
Storage__QuotaBytes=300000 dotnet "$api_dll" --role api --urls "$base" >"$data/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
wait_ready "$base" 30 || true
head -c 200000 /dev/urandom > "$data/a.bin"
code=$(curl -s -o /dev/null -w '%{http_code}' -F "file=@$data/a.bin;type=audio/wav" "${auth[@]}" "$base/api/v1/media")
[ "$code" = 201 ] || fail "the first upload under the quota got $code"
code=$(curl -s -o "$data/full.json" -w '%{http_code}' -D "$data/full.headers" -F "file=@$data/a.bin;type=audio/wav" "${auth[@]}" "$base/api/v1/media")
[ "$code" = 507 ] || fail "an upload past the quota got $code, not 507"
grep -qi '^content-type: application/problem+json' "$data/full.headers" || fail "the 507 is not problem+json"
[ "$(find "$data/blobs" -type f | wc -l)" = 1 ] || fail "a refused upload left a file: $(find "$data/blobs" -type f)"
[ "$(sql 'SELECT count(*) FROM media_asset')" = 1 ] || fail "a refused upload left a row"
ok "storage full: 507 problem+json, nothing half-written"
kill -TERM "$api_pid"; wait "$api_pid" 2>/dev/null || true
dotnet "$api_dll" --role api --urls "$base" >"$data/api.log" 2>&1 &
api_pid=$!
pids+=($api_pid)
wait_ready "$base" 30 || true

# --- 2. workers killed with SIGKILL mid-job ------------------------------------------------------------------------
for f in /usr/share/pocketsphinx/test/data/librivox/*.wav; do echo "file '$f'"; done > "$data/list.txt"
ffmpeg -nostdin -loglevel error -y -f concat -safe 0 -i "$data/list.txt" -c:a pcm_s16le "$data/speech.wav"
media_id=$(curl -fsS -F "file=@$data/speech.wav;type=audio/wav" "${auth[@]}" "$base/api/v1/media" | json .id)
jobs=()
for round in $(seq 1 "$kills"); do
  in_time
  # Odd rounds run the engine as pocketsphinx_continuous (whose process must die with the worker), even rounds in
  # the worker's own process (the default): a kill must lose no job either way.
  mode=library; [ $((round % 2)) = 1 ] && mode=process
  worker=$(start_worker "worker-$round" "$mode")
  pids+=("$worker") # start_worker ran in a subshell: remember the pid here too, so a failure still stops it
  job=$(curl -fsS -H 'Content-Type: application/json' "${auth[@]}" -d "{\"mediaId\":\"$media_id\",\"analyses\":[\"speechStatistics\"]}" "$base/api/v1/jobs" | json .id)
  jobs+=("$job")
  for _ in $(seq 1 200); do
    [ "$(sql "SELECT lease_owner LIKE '%:$worker:%' AND current_step = 'transcribe' FROM job WHERE id = '$job'")" = t ] && break
    sleep 0.1
  done
  [ "$(sql "SELECT lease_owner LIKE '%:$worker:%' FROM job WHERE id = '$job'")" = t ] || fail "round $round: worker $worker never took job $job"
  kill -KILL "$worker"
  # The decoder it started must not outlive it (the process guard kills it within a second).
  [ "$mode" = process ] || continue
  for _ in $(seq 1 30); do pgrep -f "pocketsphinx_continuous.*$data" >/dev/null || break; sleep 0.1; done
  if pgrep -f "pocketsphinx_continuous.*$data" >/dev/null; then fail "round $round: the killed worker's decoder is still running"; fi
done
ok "killed $kills workers with SIGKILL mid-transcription (the engine in process and as a program, alternately); no decoder outlived its worker"
start_worker survivor-1 >/dev/null
start_worker survivor-2 >/dev/null
for job in "${jobs[@]}"; do
  while [ "$(sql "SELECT status FROM job WHERE id = '$job'")" != succeeded ]; do
    in_time
    [ "$(sql "SELECT status FROM job WHERE id = '$job'")" = failed ] && fail "job $job failed: $(sql "SELECT error_message FROM job WHERE id = '$job'")"
    sleep 0.5
  done
done
ids=$(printf "'%s'," "${jobs[@]}"); ids=${ids%,}
[ "$(sql "SELECT count(*) FROM transcription WHERE job_id IN ($ids)")" = "$kills" ] || fail "transcriptions are not one per job"
[ "$(sql "SELECT count(*) FROM analysis_result WHERE job_id IN ($ids)")" = "$kills" ] || fail "analyses are not one per job"
[ "$(sql "SELECT count(*) FROM job WHERE status = 'running'")" = 0 ] || fail "a job stayed running"
[ "$(sql "SELECT min(attempts) FROM job WHERE id IN ($ids)")" -ge 2 ] || fail "a killed job was not retried"
ok "every killed job completed exactly once, none left running"

# --- 3. PostgreSQL restarted during a submit load --------------------------------------------------------------------
: > "$data/submits.txt"
(
  end=$((SECONDS + 14))
  while [ $SECONDS -lt $end ]; do
    code=$(curl -s -o "$data/last.json" -D "$data/last.headers" -w '%{http_code}' --max-time 20 \
      -H 'Content-Type: application/json' "${auth[@]}" -d "{\"mediaId\":\"$media_id\",\"priority\":-100}" "$base/api/v1/jobs" || echo 000)
    id=$(json .id < "$data/last.json" 2>/dev/null || true)
    retry=$(grep -i '^retry-after:' "$data/last.headers" | tr -d '\r' | cut -d' ' -f2 || true)
    ctype=$(grep -i '^content-type:' "$data/last.headers" | tr -d '\r' | cut -d' ' -f2 | cut -d';' -f1 || true)
    echo "$code ${id:--} ${retry:--} ${ctype:--}" >> "$data/submits.txt"
    sleep 0.05
  done
) &
load=$!
sleep 3
as_pg "$(pg_bindir)/pg_ctl" stop -D "$cluster/data" -m fast -w >/dev/null
sleep 4
start_cluster "$cluster" "$db_port" 2>/dev/null
wait "$load"
accepted=$(awk '$1 == 202 {print $2}' "$data/submits.txt")
unavailable=$(awk '$1 == 503' "$data/submits.txt" | wc -l)
[ -n "$accepted" ] || fail "no submission succeeded"
[ "$unavailable" -gt 0 ] || fail "no request saw the outage: $(cut -d' ' -f1 "$data/submits.txt" | sort | uniq -c | tr '\n' ' ')"
awk '$1 != 202 && $1 != 503 {exit 1}' "$data/submits.txt" || fail "unexpected answers: $(cut -d' ' -f1 "$data/submits.txt" | sort | uniq -c | tr '\n' ' ')"
awk '$1 == 503 && ($3 == "-" || $4 != "application/problem+json") {exit 1}' "$data/submits.txt" || fail "a 503 lacked Retry-After or problem+json"
for id in $accepted; do
  [ "$(sql "SELECT count(*) FROM job WHERE id = '$id'")" = 1 ] || fail "job $id was accepted (202) but is not stored"
done
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' "${auth[@]}" -d "{\"mediaId\":\"$media_id\",\"priority\":-100}" "$base/api/v1/jobs")
[ "$code" = 202 ] || fail "the service did not recover after the restart ($code)"
ok "PostgreSQL restart: $(echo "$accepted" | wc -w) accepted jobs all stored, $unavailable requests got 503 + Retry-After, recovered"
# --- 4. a 30 s outage during a long transcription, under load ----------------------------------------------------
for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
# A lease longer than the outage: a live worker must keep its job (and its attempt) through it.
Queue__LeaseSeconds=60 Queue__HeartbeatSeconds=2 Queue__WorkerCount=1 \
  dotnet "$api_dll" --role all --urls "$base" >"$data/all.log" 2>&1 &
all_pid=$!
pids+=($all_pid)
wait_ready "$base" 30 || true
ffmpeg -nostdin -loglevel error -y -i "$data/speech.wav" -i "$data/speech.wav" -i "$data/speech.wav" \
  -filter_complex "[0:a][1:a][2:a]concat=n=3:v=0:a=1" -c:a pcm_s16le "$data/long.wav"
long_media=$(curl -fsS -F "file=@$data/long.wav;type=audio/wav" "${auth[@]}" "$base/api/v1/media" | json .id)
long_job=$(curl -fsS -H 'Content-Type: application/json' "${auth[@]}" -d "{\"mediaId\":\"$long_media\"}" "$base/api/v1/jobs" | json .id)
for _ in $(seq 1 600); do
  [ "$(sql "SELECT current_step FROM job WHERE id = '$long_job'")" = transcribe ] && break
  sleep 0.1
done
[ "$(sql "SELECT current_step FROM job WHERE id = '$long_job'")" = transcribe ] || fail "the long job never started transcribing"
: > "$data/outage.txt"
(
  end=$((SECONDS + 36))
  while [ $SECONDS -lt $end ]; do
    code=$(curl -s -o "$data/o.json" -w '%{http_code}' --max-time 20 -H 'Content-Type: application/json' "${auth[@]}" \
      -d "{\"mediaId\":\"$media_id\",\"priority\":-100}" "$base/api/v1/jobs" || echo 000)
    id=$(json .id < "$data/o.json" 2>/dev/null || true)
    echo "$code ${id:--}" >> "$data/outage.txt"
    sleep 0.2
  done
) &
load=$!
sleep 2
as_pg "$(pg_bindir)/pg_ctl" stop -D "$cluster/data" -m fast -w >/dev/null
outage_start=$SECONDS
sleep 5
ready=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$base/health/ready" || echo 000)
[ "$ready" = 503 ] || fail "/health/ready answered $ready during the outage, not 503"
while [ $((SECONDS - outage_start)) -lt 30 ]; do sleep 1; done
kill -0 "$all_pid" 2>/dev/null || fail "the service exited during the outage: $(tail -n 20 "$data/all.log")"
start_cluster "$cluster" "$db_port" 2>/dev/null
back=$SECONDS
until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$base/health/ready")" = 200 ]; do
  [ $((SECONDS - back)) -le 5 ] || fail "/health/ready was not 200 within 5 s of the database's return"
  sleep 0.2
done
ready_after=$((SECONDS - back))
wait "$load"
while [ "$(sql "SELECT status FROM job WHERE id = '$long_job'")" != succeeded ]; do
  in_time
  status=$(sql "SELECT status FROM job WHERE id = '$long_job'")
  [ "$status" = failed ] && fail "the long job failed: $(sql "SELECT error_code FROM job WHERE id = '$long_job'")"
  sleep 1
done
[ "$(sql "SELECT attempts FROM job WHERE id = '$long_job'")" = 1 ] || fail "the long job lost its attempt: attempts = $(sql "SELECT attempts FROM job WHERE id = '$long_job'")"
kill -0 "$all_pid" 2>/dev/null || fail "the service exited after the outage"
for id in $(awk '$1 == 202 {print $2}' "$data/outage.txt"); do
  [ "$(sql "SELECT count(*) FROM job WHERE id = '$id'")" = 1 ] || fail "job $id was accepted (202) but is not stored"
done
awk '$1 != 202 && $1 != 503 {exit 1}' "$data/outage.txt" || fail "unexpected answers during the outage: $(cut -d' ' -f1 "$data/outage.txt" | sort | uniq -c | tr '\n' ' ')"
ok "30 s outage: the service stayed up, ready again ${ready_after}s after, the long job succeeded on attempt 1, $(awk '$1 == 202' "$data/outage.txt" | wc -l) accepted submits stored"

# --- 5. the LISTEN connections cut --------------------------------------------------------------------------------
sql "UPDATE job SET status = 'cancelled', finished_at = now(), lease_owner = NULL, lease_expires_at = NULL WHERE status IN ('queued', 'running')" >/dev/null
short_job=$(curl -fsS -H 'Content-Type: application/json' "${auth[@]}" -d "{\"mediaId\":\"$media_id\"}" "$base/api/v1/jobs" | json .id)
curl -sN --max-time 120 "${auth[@]}" "$base/api/v1/jobs/$short_job/events" > "$data/stream.txt" &
stream=$!
sleep 1
cut=$(sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'")
[ "$cut" -ge 1 ] || fail "no LISTEN connection to cut"
wait "$stream" || true
grep -q '"status":"succeeded"' "$data/stream.txt" || fail "the event stream did not end with its job after the LISTEN cut: $(tail -c 300 "$data/stream.txt")"
[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'LISTEN%'")" -ge 1 ] || fail "the listener did not reconnect"
ok "LISTEN cut ($cut connections): the listener reconnected and the open event stream ended with its job"

echo "faults: all passed" >&2
