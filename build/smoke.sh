#!/usr/bin/env bash
# Smoke test of the real service, started as build/run.sh starts it, on a fresh data folder and free ports:
# upload a file with curl, submit a job, read both back, then stop everything that was started.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
service_runtime
cd "$REPO_ROOT"

data=$(mktemp -d)
api_port=$(free_port)
db_port=$(free_port)
base="http://127.0.0.1:$api_port"
log_file="$data/run.log"
run_pid=""

finish() {
  local status=$?
  trap - EXIT INT TERM HUP
  trap "" PIPE # a closed output (`| head`) must not stop the clean-up half-way
  if [ -n "$run_pid" ] && kill -0 "$run_pid" 2>/dev/null; then
    kill -TERM "$run_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.5; done
  fi
  remove_outside_cluster "$data"
  if [ $status -ne 0 ]; then echo "smoke: FAILED; service log:" >&2; tail -n 40 "$log_file" >&2 || true; fi
  rm -rf "$data"
  exit $status
}
trap finish EXIT INT TERM HUP PIPE

check() { # check DESCRIPTION EXPECTED ACTUAL
  if [ "$2" != "$3" ]; then echo "smoke: $1: expected '$2', got '$3'" >&2; return 1; fi
  echo "smoke: $1 ok" >&2
}

MEDIAPLATFORM_DATA="$data" MEDIAPLATFORM_DB_PORT="$db_port" MEDIAPLATFORM_URLS="$base" \
  setsid build/run.sh >"$log_file" 2>&1 </dev/null &
run_pid=$!

wait_ready "$base" 120 "$run_pid" || { echo "smoke: build/run.sh exited early or never became ready" >&2; exit 1; }
check "health/ready" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/health/ready")"

# The API wrote its admin key on first start against the empty database; every /api/v1 request sends it.
for _ in $(seq 1 20); do [ -s "$data/admin.key" ] && break; sleep 0.5; done
[ -s "$data/admin.key" ] || { echo "smoke: the service wrote no admin key to $data/admin.key" >&2; exit 1; }
key=$(cat "$data/admin.key")
auth=(-H "Authorization: Bearer $key")
check "no key: 401" 401 "$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/jobs")"
bogus=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' -H "Authorization: Bearer mp_live_$(printf 'x%.0s' $(seq 1 43))" "$base/api/v1/jobs")
check "bogus key: 401 problem+json" "401 application/problem+json" "${bogus%%;*}"

# A real recording (Debian's pocketsphinx-testdata, librivox).
recording=/usr/share/pocketsphinx/test/data/librivox/sense_and_sensibility_01_austen_64kb-0880.wav
cp "$recording" "$data/recording.wav"

media=$(curl -fsS -F "file=@$data/recording.wav;type=audio/wav" -H "Idempotency-Key: smoke-upload" "${auth[@]}" "$base/api/v1/media")
media_id=$(printf '%s' "$media" | json .id)
check "upload sha256" "$(sha256sum "$data/recording.wav" | cut -d' ' -f1)" \
  "$(printf '%s' "$media" | json .sha256)"

job_status=$(curl -s -o "$data/job.json" -w '%{http_code}' -H 'Content-Type: application/json' "${auth[@]}" \
  -d "{\"mediaId\":\"$media_id\",\"language\":\"en-US\",\"analyses\":[\"keywords\",\"summary\"]}" "$base/api/v1/jobs")
check "submit job" 202 "$job_status"
job_id=$(json .id < "$data/job.json")

check "read job" "$job_id" "$(curl -fsS "${auth[@]}" "$base/api/v1/jobs/$job_id" | json .id)"
check "read media" "$media_id" "$(curl -fsS "${auth[@]}" "$base/api/v1/media/$media_id" | json .id)"
check "list jobs" "$job_id" "$(curl -fsS "${auth[@]}" "$base/api/v1/jobs?mediaId=$media_id" | json '.items[0].id')"
check "problem+json on a bad id" "application/problem+json" \
  "$(curl -s -o /dev/null -w '%{content_type}' "${auth[@]}" "$base/api/v1/jobs/00000000-0000-0000-0000-000000000000")"
check "a foreign Host header is refused (DNS rebinding)" 400 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: attacker.example' "$base/health/live")"
check "openapi" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$base/openapi/v1.json")"

# The worker transcribes it: follow the event stream until the job ends.
final=$(curl -sN --max-time 120 "${auth[@]}" "$base/api/v1/jobs/$job_id/events" | grep '^data: ' | tail -n 1 | cut -c7-)
check "job succeeded" succeeded "$(printf '%s' "$final" | json .status)"
words=$(curl -fsS "${auth[@]}" "$base/api/v1/jobs/$job_id/transcription" | json .wordCount)
[ "$words" -gt 3 ] || { echo "smoke: the transcript has $words words" >&2; exit 1; }
echo "smoke: transcript has $words words" >&2
check "analyses" 2 "$(curl -fsS "${auth[@]}" "$base/api/v1/jobs/$job_id/analyses" | json length)"

# Stop the service and check that nothing it started is left running.
kill -TERM "$run_pid"
for _ in $(seq 1 60); do kill -0 "$run_pid" 2>/dev/null || break; sleep 0.5; done
if pgrep -f -- "-D $(readlink -f "$data/pg")/data" >/dev/null || pgrep -f "MediaPlatform.Api.dll --urls $base" >/dev/null; then
  echo "smoke: processes were left running after stopping the service" >&2
  exit 1
fi
echo "smoke: stopped cleanly" >&2
