#!/usr/bin/env bash
# Shared helpers of build/*.sh. Source it; do not run it.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# ensure_packages CMD:PKG ... : installs the Debian packages whose command (or file, for a path) is missing,
# with one apt-get update.
ensure_packages() {
  local missing=() pair cmd pkg
  for pair in "$@"; do
    cmd=${pair%%:*}; pkg=${pair#*:}
    if ! command -v "$cmd" >/dev/null 2>&1 && ! [ -e "$cmd" ]; then missing+=("$pkg"); fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing missing packages: ${missing[*]}"
  local sudo=""
  is_root || sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Note: functions say "return 0", never a bare "return": inside a trap handler a bare return reports the status of
# the command the trap interrupted (bash 5.2), which set -e then treats as a failure.
# pg_bindir: where initdb and pg_ctl live (Debian keeps them off PATH).
pg_bindir() {
  local dir
  if [ -n "${MEDIAPLATFORM_PG_BINDIR:-}" ]; then echo "$MEDIAPLATFORM_PG_BINDIR"; return 0; fi
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir)
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
    if [ -x "$dir/initdb" ]; then echo "$dir"; return 0; fi
  done
  die "PostgreSQL server binaries not found (initdb); install postgresql"
}

ensure_postgres() {
  ensure_packages pg_config:postgresql psql:postgresql-client
  [ -x "$(pg_bindir)/initdb" ] || ensure_packages /usr/lib/postgresql/15/bin/initdb:postgresql-15
}

# as_pg COMMAND...: PostgreSQL refuses to run as root, so root runs it as the postgres user.
# It runs from / because the postgres user may not be allowed into the clone (every path passed is absolute).
as_pg() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# data_dir: the data folder (cluster, blobs, backups, the cluster's password, the admin key), created if missing.
data_dir() {
  local data="${MEDIAPLATFORM_DATA:-$REPO_ROOT/.data}"
  mkdir -p "$data"
  (cd "$data" && pwd)
}

# random_alnum N: N random characters from [A-Za-z0-9]. (tr ends on SIGPIPE once head has enough; with pipefail that
# status would fail the caller, hence the "|| true".)
random_alnum() {
  { LC_ALL=C tr -dc A-Za-z0-9 </dev/urandom 2>/dev/null || true; } | head -c "$1"
}

# pg_password: the password of the private cluster's postgres user (scram-sha-256), kept in <data>/pg-password
# (mode 600); created on first use, reused afterwards.
pg_password() {
  local file; file="$(data_dir)/pg-password"
  if [ ! -s "$file" ]; then
    (umask 077 && random_alnum 32 > "$file.tmp" && mv -f "$file.tmp" "$file")
  fi
  chmod 600 "$file"
  cat "$file"
}

# pg_connection_string PORT: the Npgsql connection string of the private cluster on 127.0.0.1:PORT.
pg_connection_string() {
  local pw; pw=$(pg_password)
  printf 'Host=127.0.0.1;Port=%s;Database=mediaplatform;Username=postgres;Password=%s\n' "$1" "$pw"
}

# cluster_dir: the private cluster lives under .data/pg. When the postgres user cannot enter the clone (a clone
# under /root, or in a mode-700 mktemp folder), the cluster lives in a folder it owns and .data/pg links to it.
cluster_dir() {
  local data; data=$(data_dir)
  if [ -L "$data/pg" ]; then readlink -f "$data/pg"; return 0; fi
  if is_root && ! runuser -u postgres -- test -x "$data" 2>/dev/null; then
    local hash; hash=$(readlink -f "$data" | sha256sum | cut -c1-12)
    local outside="/var/tmp/mediaplatform-$hash/pg"
    mkdir -p "$outside"
    chown postgres:postgres "$(dirname "$outside")" "$outside"
    ln -sfn "$outside" "$data/pg"
    echo "$outside"
    return 0
  fi
  mkdir -p "$data/pg"
  is_root && chown postgres:postgres "$data/pg"
  echo "$data/pg"
}

# remove_outside_cluster DATA: cluster_dir may have put the cluster outside DATA (when postgres cannot enter it);
# removes that folder. DATA itself is the caller's to remove (or keep, for its logs).
remove_outside_cluster() {
  local outside; outside=$(readlink -f "$1/pg" 2>/dev/null || true)
  if [ -n "$outside" ] && [ "$outside" != "$1/pg" ]; then rm -rf "$(dirname "$outside")"; fi
  return 0
}

# start_cluster DIR PORT: initdb on first use (scram-sha-256, the password of pg_password), then start on
# 127.0.0.1:PORT unless already running. A cluster made earlier with trust authentication gets the password and
# scram-sha-256 on its next start.
start_cluster() {
  local dir=$1 port=$2 bin; bin=$(pg_bindir)
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "creating PostgreSQL cluster in $dir"
    # initdb reads the password from a file the postgres user can read: a copy in the cluster folder, removed after.
    local pwfile="$dir/.pwfile.$$" rc=0
    (umask 077 && pg_password > "$pwfile")
    if is_root; then chown postgres:postgres "$pwfile"; fi
    as_pg "$bin/initdb" -D "$dir/data" -A scram-sha-256 --pwfile="$pwfile" -U postgres -E UTF8 --locale=C \
      --no-instructions >/dev/null || rc=$?
    rm -f "$pwfile"
    [ "$rc" -eq 0 ] || die "initdb failed in $dir"
  elif [ ! -s "$(data_dir)/pg-password" ] && ! cluster_trusts "$dir"; then
    die "$(data_dir)/pg-password, the password of the cluster in $dir, is missing; remove the cluster to start over"
  fi
  if as_pg "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
    log "PostgreSQL already running in $dir"
  else
    log "starting PostgreSQL on 127.0.0.1:$port"
    as_pg "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1" >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start (log above: $dir/server.log)"; }
  fi
  if cluster_trusts "$dir"; then
    log "switching the cluster in $dir from trust to scram-sha-256 authentication"
    # Over the socket, which still trusts; the port is the running server's (postmaster.pid, line 4). The password
    # goes in on stdin, not on a command line.
    local running_port; running_port=$(sed -n 4p "$dir/data/postmaster.pid")
    printf "SET password_encryption = 'scram-sha-256';\nALTER USER postgres PASSWORD '%s';\n" "$(pg_password)" \
      | as_pg "$bin/psql" -h "$dir" -p "$running_port" -U postgres -d postgres -X -q -v ON_ERROR_STOP=1 -f - >/dev/null
    as_pg sed -i -E 's/^([^#]*[[:space:]])trust([[:space:]]*)$/\1scram-sha-256\2/' "$dir/data/pg_hba.conf"
    as_pg "$bin/pg_ctl" reload -D "$dir/data" >/dev/null
  fi
  return 0
}

# cluster_trusts DIR: whether the cluster's pg_hba.conf still has a "trust" line (a cluster made before passwords).
cluster_trusts() {
  grep -Eq '^[^#]*[[:space:]]trust[[:space:]]*$' "$1/data/pg_hba.conf" 2>/dev/null
}

stop_cluster() {
  local dir=$1 bin; bin=$(pg_bindir)
  if as_pg "$bin/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
    log "stopping PostgreSQL"
    as_pg "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -t 30 >/dev/null || true
  fi
}

# service_runtime: the .NET runtime settings the service runs with that only the environment can give
# (docs/adr/0028): tiering starts counting calls at once instead of waiting for 100 ms without a new method, so a
# fresh process reaches its optimised code during its first work, not in the middle of later work. A value the
# caller set is kept.
service_runtime() {
  export DOTNET_TC_CallCountingDelayMs="${DOTNET_TC_CallCountingDelayMs:-0}"
}

# free_port: a free TCP port on loopback.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $((20000 + RANDOM % 20000))
}

# The media pipeline: ffmpeg/ffprobe and the offline speech engine with its English model, espeak-ng for the
# pronunciations of custom vocabulary words (docs/adr/0024); curl and jq for the scripts.
ensure_media_tools() {
  ensure_packages ffmpeg:ffmpeg ffprobe:ffmpeg pocketsphinx_continuous:pocketsphinx \
    /usr/share/pocketsphinx/model/en-us/en-us.lm.bin:pocketsphinx-en-us espeak-ng:espeak-ng curl:curl jq:jq python3:python3
}

# json FILTER: the jq filter's value of the JSON on standard input, raw ("" for null): json .id
json() { jq -r "$1 // empty"; }

# seconds_since START: seconds (3 decimals) since START, a `date +%s.%N` reading.
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", e - s }'; }

# wait_ready BASE_URL [SECONDS] [PID]: waits until BASE_URL/health/ready answers 200; false when SECONDS (60) pass
# or the process PID exits first.
wait_ready() {
  local base=$1 limit=${2:-60} pid=${3:-} start=$SECONDS
  until curl -fsS --max-time 5 "$base/health/ready" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    [ $((SECONDS - start)) -lt "$limit" ] || return 1
    sleep 0.5
  done
}

# Test data: real recordings with reference text, and a speech synthesiser.
ensure_test_media() {
  ensure_packages /usr/share/pocketsphinx/test/data/librivox/transcription:pocketsphinx-testdata espeak-ng:espeak-ng
}

dotnet_restore_tools() { (cd "$REPO_ROOT" && dotnet tool restore >/dev/null); }
