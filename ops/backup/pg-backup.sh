#!/usr/bin/env bash
# Consistent backup of Haven's PostgreSQL database with `pg_dump -Fc` (one snapshot;
# Haven keeps running).
#
#   pg-backup.sh [--keep-days N] DATABASE DEST_DIR
#
# DATABASE is a database name or a connection URI without a password
# (postgres://haven@db.internal/haven?sslmode=verify-full). Give the password through
# ~/.pgpass or PGPASSFILE, never on the command line, where `ps` shows it.
#
# Writes DEST_DIR/haven-<UTC time>.pgdump (mode 0600) and checks that pg_restore can
# read its table of contents before giving it its final name. It dumps the database
# only: the master key and intake key are never in it and never go next to it (see
# ops/OPERATOR-GUIDE.md, "Key ceremony").
#
# --keep-days N deletes haven-*.pgdump files in DEST_DIR older than N days after a
# successful backup. Purged enquiries live on in old backups until they are deleted.
set -euo pipefail

usage() {
    echo "usage: $0 [--keep-days N] DATABASE DEST_DIR" >&2
    echo "  DATABASE  database name or postgres:// URI (password in ~/.pgpass, not here)" >&2
    echo "  DEST_DIR  directory for the dump (created 0700 if missing; no key files in it)" >&2
    exit 2
}

keep_days=""
while [ $# -gt 0 ]; do
    case "$1" in
        --keep-days)
            [ $# -ge 2 ] || usage
            keep_days="$2"
            shift 2
            ;;
        -h | --help) usage ;;
        --) shift; break ;;
        -*) usage ;;
        *) break ;;
    esac
done
[ $# -eq 2 ] || usage
database="$1"
dest="$2"
if [ -n "$keep_days" ] && ! [[ "$keep_days" =~ ^[0-9]+$ ]]; then
    echo "pg-backup: --keep-days needs a whole number of days" >&2
    exit 2
fi
if [[ "$database" =~ ^postgres(ql)?://[^/@]*:[^/@]*@ ]]; then
    echo "pg-backup: put the password in ~/.pgpass or PGPASSFILE, not in the URI" >&2
    exit 2
fi
for tool in pg_dump pg_restore; do
    command -v "$tool" >/dev/null || { echo "pg-backup: $tool is not installed" >&2; exit 1; }
done

umask 077
mkdir -p -- "$dest"
for key in master.key intake.key; do
    if [ -e "$dest/$key" ]; then
        echo "pg-backup: $dest holds $key; keep keys and database backups apart" >&2
        exit 1
    fi
done

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$dest/haven-$stamp.pgdump"
partial="$final.partial"
[ ! -e "$final" ] || { echo "pg-backup: $final already exists" >&2; exit 1; }
trap 'rm -f -- "$partial"' EXIT

# --format=custom is compressed and restorable table by table; --lock-wait-timeout
# gives up instead of queueing behind a migration's exclusive lock.
pg_dump --format=custom --lock-wait-timeout=60s --file="$partial" --dbname="$database"

# A dump that pg_restore cannot list is not a backup.
tables="$(pg_restore --list "$partial" | grep -c ' TABLE public ' || true)"
if [ "$tables" -eq 0 ]; then
    echo "pg-backup: the dump lists no tables; is $database Haven's database?" >&2
    exit 1
fi

chmod 600 -- "$partial"
sync -- "$partial" 2>/dev/null || sync
mv -- "$partial" "$final"
trap - EXIT
echo "backup written: $final ($(wc -c <"$final") bytes, $tables tables)"

if [ -n "$keep_days" ]; then
    find "$dest" -maxdepth 1 -type f -name 'haven-*.pgdump' -mtime "+$keep_days" -print -delete |
        sed 's/^/deleted old backup: /'
fi
