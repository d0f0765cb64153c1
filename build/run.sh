#!/usr/bin/env bash
# Runs MediaPlatform on this machine: installs what is missing, starts a private PostgreSQL cluster under .data/,
# migrates (after a pg_dump backup), then runs the API in the foreground. Ctrl-C stops the API and the cluster.
#   build/run.sh [--role all|api|worker]
#   MEDIAPLATFORM_DB_PORT   PostgreSQL port of the private cluster (default 5433)
#   MEDIAPLATFORM_URLS      where the API listens (default http://127.0.0.1:8080)
#   MEDIAPLATFORM_DATA      data folder: cluster, blobs, scratch, backups, admin.key (default .data in the clone)
#   MEDIAPLATFORM_ROLE      all (API and workers, default), api or worker (--role wins)
# With Database__ConnectionString set, that database is used and no cluster is started; only roles all and api
# migrate it (a worker waits for the schema), so many processes can share one database.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
service_runtime
cd "$REPO_ROOT"

role=${MEDIAPLATFORM_ROLE:-all}
while [ $# -gt 0 ]; do
  case "$1" in
    --role) role=${2:-}; shift 2 ;;
    --role=*) role=${1#--role=}; shift ;;
    *) die "unknown argument '$1' (usage: build/run.sh [--role all|api|worker])" ;;
  esac
done
case "$role" in all|api|worker) ;; *) die "--role must be all, api or worker, not '$role'" ;; esac
external_db=${Database__ConnectionString:-${ConnectionStrings__MediaPlatform:-}}

db_port=${MEDIAPLATFORM_DB_PORT:-5433}
urls=${MEDIAPLATFORM_URLS:-http://127.0.0.1:8080}
data=$(data_dir)
export MEDIAPLATFORM_DATA="$data"   # the API writes admin.key there (its default, .data here, is the same folder)

[ -n "$external_db" ] || ensure_postgres
ensure_media_tools
command -v dotnet >/dev/null || die "the .NET SDK 10 is required (dotnet on PATH)"
dotnet_restore_tools

log "building"
dotnet build src/MediaPlatform.Api -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null \
  || dotnet build src/MediaPlatform.Api -c Release -nologo -v quiet -clp:ErrorsOnly

cluster=""
if [ -z "$external_db" ]; then
  cluster=$(cluster_dir)
  start_cluster "$cluster" "$db_port"
fi

api_pid=""
key_pid=""
cleanup() {
  trap - EXIT INT TERM HUP
  trap "" PIPE # a closed output (`| head`) must not stop the clean-up half-way
  if [ -n "$key_pid" ]; then kill "$key_pid" 2>/dev/null || true; fi
  if [ -n "$api_pid" ] && kill -0 "$api_pid" 2>/dev/null; then
    kill -TERM "$api_pid" 2>/dev/null || true
    wait "$api_pid" 2>/dev/null || true
  fi
  if [ -n "$cluster" ]; then stop_cluster "$cluster"; fi
}
trap cleanup EXIT INT TERM HUP PIPE

if [ -z "$external_db" ]; then
  Database__ConnectionString=$(pg_connection_string "$db_port")
  export Database__ConnectionString
fi
export Database__BackupDirectory="${Database__BackupDirectory:-$data/backups}"
export Storage__RootPath="${Storage__RootPath:-$data/blobs}"
export Processing__ScratchPath="${Processing__ScratchPath:-$data/scratch}"
mkdir -p "$Processing__ScratchPath"
api_dll="$REPO_ROOT/src/MediaPlatform.Api/bin/Release/net10.0/MediaPlatform.Api.dll"

if [ -z "$external_db" ] || [ "$role" != worker ]; then
  log "migrating (backup first)"
  dotnet "$api_dll" db migrate
  dotnet "$api_dll" db verify >/dev/null
fi

if [ -n "$cluster" ]; then
  log "role $role on $urls (health: $urls/health/ready); Ctrl-C stops it and PostgreSQL"
else
  log "role $role on $urls (health: $urls/health/ready), database from Database__ConnectionString; Ctrl-C stops it"
fi
dotnet "$api_dll" --urls "$urls" --role "$role" &
api_pid=$!

# announce_admin_key: once the API is ready, says where its admin key is (never the key itself).
announce_admin_key() {
  local base=${urls%%;*}
  base=$(printf '%s' "$base" | sed -E 's#^(https?://)(\*|\+|0\.0\.0\.0|\[::\])([:/]|$)#\1127.0.0.1\3#')
  base=${base%/}
  until curl -fsSk "$base/health/ready" >/dev/null 2>&1; do
    kill -0 "$api_pid" 2>/dev/null || return 0
    sleep 1
  done
  if [ -n "${Auth__BootstrapKey:-}" ]; then log "admin key: the one given in Auth__BootstrapKey"; return 0; fi
  for _ in $(seq 1 20); do
    if [ -s "$data/admin.key" ]; then log "admin key: $data/admin.key"; return 0; fi
    sleep 0.5
  done
  log "admin key: $data/admin.key was not written (the database already has keys?)"
  return 0
}
case "$role" in
  all|api) announce_admin_key & key_pid=$! ;;
esac
wait "$api_pid"
