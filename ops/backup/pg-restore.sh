#!/usr/bin/env bash
# Restore a dump made by pg-backup.sh into an EMPTY database.
#
#   pg-restore.sh DUMP_FILE DATABASE
#
# Create the target first, owned by the role Haven connects as, and run this as that
# role (objects then belong to it: the dump is restored with --no-owner
# --no-privileges):
#
#   createdb --owner=haven haven_restored
#   pg-restore.sh haven-20250101T000000Z.pgdump postgres://haven@db.internal/haven_restored
#
# It refuses a database that already has tables in the public schema, and restores in
# one transaction (all or nothing). The keys are not in the dump: give Haven its usual
# master.key and intake.key, then run `haven audit verify` and `haven programme list`
# against the restored database before pointing any role at it.
set -euo pipefail

usage() {
    echo "usage: $0 DUMP_FILE DATABASE" >&2
    echo "  DUMP_FILE  a haven-*.pgdump file written by pg-backup.sh" >&2
    echo "  DATABASE   name or postgres:// URI of an existing, empty database" >&2
    exit 2
}

case "${1:-}" in -h | --help) usage ;; esac
[ $# -eq 2 ] || usage
dump="$1"
database="$2"
if [[ "$database" =~ ^postgres(ql)?://[^/@]*:[^/@]*@ ]]; then
    echo "pg-restore: put the password in ~/.pgpass or PGPASSFILE, not in the URI" >&2
    exit 2
fi
for tool in pg_restore psql; do
    command -v "$tool" >/dev/null || { echo "pg-restore: $tool is not installed" >&2; exit 1; }
done
[ -f "$dump" ] || { echo "pg-restore: no dump file at $dump" >&2; exit 1; }
pg_restore --list "$dump" >/dev/null

existing="$(psql --no-psqlrc --quiet --tuples-only --no-align --dbname="$database" \
    --command="SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")"
if [ "$existing" != "0" ]; then
    echo "pg-restore: the target database already has $existing tables; restore into an empty one" >&2
    exit 1
fi

pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
    --dbname="$database" "$dump"

echo "restored $dump into $database"
echo "next: with Haven's usual master.key and intake.key, run"
echo "  haven audit verify && haven programme list"
echo "with HAVEN_DATABASE_URL pointing at the restored database."
