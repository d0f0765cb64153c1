#!/usr/bin/env bash
# Scaffolds EF Core migrations with the pinned local dotnet-ef (docs/adr/0003) and regenerates
# build/sql/schema.sql, the idempotent script a test keeps current.
#   build/migrations.sh add <Name>     scaffold a migration from the model, then regenerate schema.sql
#   build/migrations.sh remove         remove the last (unapplied) migration, then regenerate schema.sql
#   build/migrations.sh script         regenerate schema.sql only
set -euo pipefail
cd "$(dirname "$0")/.."
project=src/MediaPlatform.Infrastructure
dotnet tool restore >/dev/null
case "${1:-}" in
  add)
    [ -n "${2:-}" ] || { echo "usage: $0 add <MigrationName>" >&2; exit 64; }
    dotnet ef migrations add "$2" -p "$project" -s "$project" -o Persistence/Migrations ;;
  remove) dotnet ef migrations remove -p "$project" -s "$project" ;;
  script) ;;
  *) echo "usage: $0 add <Name> | remove | script" >&2; exit 64 ;;
esac
dotnet ef migrations script --idempotent -p "$project" -s "$project" -o build/sql/schema.sql
echo "build/sql/schema.sql regenerated"
