#!/usr/bin/env bash
# The database tool and the offline key commands against the private cluster of build/run.sh (which must be
# running, or pass Database__ConnectionString for another server):
#   build/db.sh backup | migrate | verify | rollback <migration|0> | rollback --drop
#   build/db.sh keys create --tenant NAME --scopes read,write | keys list | keys revoke KEY-ID
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$REPO_ROOT"
db_port=${MEDIAPLATFORM_DB_PORT:-5433}
export Database__ConnectionString="${Database__ConnectionString:-$(pg_connection_string "$db_port")}"
export Database__BackupDirectory="${Database__BackupDirectory:-$REPO_ROOT/.data/backups}"
dotnet build src/MediaPlatform.Api -c Release -nologo -v quiet -clp:ErrorsOnly >/dev/null
api_dll="$REPO_ROOT/src/MediaPlatform.Api/bin/Release/net10.0/MediaPlatform.Api.dll"
if [ "${1:-}" = keys ]; then exec dotnet "$api_dll" "$@"; fi
exec dotnet "$api_dll" db "$@"
