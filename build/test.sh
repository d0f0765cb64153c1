#!/usr/bin/env bash
# Builds and runs every test project against real PostgreSQL (the fixture starts a throwaway cluster unless
# MEDIAPLATFORM_TEST_DB or a Docker engine is available), then the smoke test of the running service.
# Ends with one line "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
source "$(dirname "$0")/lib.sh"
set +e
cd "$REPO_ROOT"

ensure_postgres
ensure_media_tools
ensure_test_media
command -v dotnet >/dev/null || die "the .NET SDK 10 is required (dotnet on PATH)"
dotnet_restore_tools
# The S3-protocol server the storage tests start on loopback (npm package s3rver); chromium for the dashboard's browser tests.
ensure_packages node:nodejs npm:npm chromium:chromium
(cd tests/s3rver && { [ -d node_modules/s3rver ] || npm install --no-audit --no-fund --silent >/dev/null; }) \
  || die "npm could not install s3rver into tests/s3rver"
# The OpenAPI typed-client checker (openapi-typescript, tsc, redocly, ajv) the API tests run on the live document.
(cd tests/openapi-client && { [ -d node_modules/.bin ] || npm ci --no-audit --no-fund --silent >/dev/null; }) \
  || die "npm could not install the OpenAPI checker into tests/openapi-client"

results="$REPO_ROOT/.data/test-results"
rm -rf "$results"; mkdir -p "$results"

log "building (warnings are errors)"
if ! dotnet build MediaPlatform.sln -c Release -nologo -v quiet -clp:ErrorsOnly; then
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0
for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  # The services the tests start log warnings and errors (with stack traces) into $name.log, so a failure on CI
  # can be read afterwards, not only reproduced.
  # --blame: if the test host crashes, the log names the test that was running.
  Logging__LogLevel__Default=Warning dotnet test "$project" -c Release --no-build -nologo --blame \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=detailed" --results-directory "$results" > "$results/$name.log" 2>&1
  # Show the summary and, for failures, the test name with its message (the full log stays in $results).
  grep -E "^\s+Failed [A-Z]" -A4 "$results/$name.log" | grep -vE "^\s+Stack Trace:|^--$" | head -80
  trx="$results/$name.trx"
  if [ -f "$trx" ]; then
    p=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
    f=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
    e=$(grep -o ' error="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
    log "$name: ${p:-0} passed, $(( ${f:-0} + ${e:-0} )) failed (log: $results/$name.log)"
  fi
  # An aborted run's counts say only what ran before the crash: the run itself is one failure more.
  if [ ! -f "$trx" ] || grep -qE "Test Run Aborted|Test host process crashed" "$results/$name.log"; then
    log "$name: the test host crashed or gave no results (see $results/$name.log)"
    failed=$((failed + 1))
  fi
done

if [ -x build/smoke.sh ]; then
  log "smoke test of the running service"
  if build/smoke.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi

# The dashboard's job watcher (reconnects, backoff, shared polling, Retry-After) against a fake fetch; no npm needed.
log "dashboard job watcher (node)"
if node tests/dashboard/live-watcher.test.mjs > "$results/live-watcher.log" 2>&1; then
  passed=$((passed + 1))
else
  failed=$((failed + 1)); grep -E "^FAIL" "$results/live-watcher.log" | head -20
fi

if [ -x build/faults.sh ]; then
  log "fault suite (short variant; build/faults.sh --long for 20 kills)"
  if build/faults.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
fi

# The fixture's watchdogs stop throwaway clusters once their test process is gone; make sure none is left.
for _ in $(seq 1 40); do
  ls -d /tmp/mediaplatform-pg-* "${TMPDIR:-/tmp}"/mediaplatform-pg-* >/dev/null 2>&1 || break
  sleep 0.5
done
if ls -d /tmp/mediaplatform-pg-* "${TMPDIR:-/tmp}"/mediaplatform-pg-* >/dev/null 2>&1; then
  log "a throwaway PostgreSQL cluster was left behind"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
