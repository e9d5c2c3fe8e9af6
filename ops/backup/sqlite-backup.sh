#!/usr/bin/env bash
# Online, consistent backup of Haven's SQLite database, safe while Haven runs.
#
#   sqlite-backup.sh [--keep-days N] DB_FILE DEST_DIR
#
# Writes DEST_DIR/haven-<UTC time>.db (mode 0600) with `VACUUM INTO`, which reads one
# snapshot of the database in a single read transaction (WAL mode: writers are not
# blocked) and leaves out free pages. The copy must pass `PRAGMA integrity_check`
# before it gets its final name.
#
# It copies the database ONLY. It never copies master.key or intake.key, and it
# refuses a DEST_DIR that holds a key file: the database backup and the keys must not
# travel together (see ops/OPERATOR-GUIDE.md, "Key ceremony"). It does not copy
# <data>/outbox/ either (.eml files with addresses in the clear).
#
# --keep-days N deletes haven-*.db backups in DEST_DIR older than N days after a
# successful backup. Purged enquiries live on in old backups until they are deleted.
set -euo pipefail

usage() {
    echo "usage: $0 [--keep-days N] DB_FILE DEST_DIR" >&2
    echo "  DB_FILE   Haven's SQLite database (HAVEN_DATABASE_URL, default <data>/haven.db)" >&2
    echo "  DEST_DIR  directory for the backup (created 0700 if missing; no key files in it)" >&2
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
db="$1"
dest="$2"
if [ -n "$keep_days" ] && ! [[ "$keep_days" =~ ^[0-9]+$ ]]; then
    echo "sqlite-backup: --keep-days needs a whole number of days" >&2
    exit 2
fi

command -v sqlite3 >/dev/null || { echo "sqlite-backup: sqlite3 is not installed" >&2; exit 1; }
[ -f "$db" ] || { echo "sqlite-backup: no database file at $db" >&2; exit 1; }

umask 077
mkdir -p -- "$dest"
for key in master.key intake.key; do
    if [ -e "$dest/$key" ]; then
        echo "sqlite-backup: $dest holds $key; keep keys and database backups apart" >&2
        exit 1
    fi
done
if [ -e "$(dirname -- "$db")/master.key" ]; then
    echo "sqlite-backup: warning: master.key sits beside the database; in production keep it elsewhere" >&2
fi

stamp="$(date -u +%Y%m%dT%H%M%SZ)"
final="$dest/haven-$stamp.db"
partial="$final.partial"
[ ! -e "$final" ] || { echo "sqlite-backup: $final already exists" >&2; exit 1; }
trap 'rm -f -- "$partial"' EXIT

# SQL string literal: double any single quote in the path.
quoted="${partial//\'/\'\'}"
sqlite3 -bail "$db" ".timeout 30000" "VACUUM INTO '$quoted';" >/dev/null

check="$(sqlite3 -readonly "$partial" "PRAGMA integrity_check;" 2>&1)" || true
if [ "$check" != "ok" ]; then
    echo "sqlite-backup: integrity check of the copy failed:" >&2
    echo "$check" >&2
    exit 1
fi
entries="$(sqlite3 -readonly "$partial" "SELECT count(*) FROM audit_log;")"

chmod 600 -- "$partial"
sync -- "$partial" 2>/dev/null || sync
mv -- "$partial" "$final"
trap - EXIT
echo "backup written: $final ($(wc -c <"$final") bytes, integrity ok, $entries audit entries)"

if [ -n "$keep_days" ]; then
    find "$dest" -maxdepth 1 -type f -name 'haven-*.db' -mtime "+$keep_days" -print -delete |
        sed 's/^/deleted old backup: /'
fi
