#!/usr/bin/env bash
# Restore a backup made by sqlite-backup.sh. Stop every Haven process that uses the
# database first.
#
#   sqlite-restore.sh BACKUP_FILE DB_FILE
#
# Checks the backup (`PRAGMA integrity_check`), then copies it to DB_FILE (mode 0600)
# through a temporary file and a rename. DB_FILE must not exist yet: move the old
# database (and its -wal/-shm files) aside yourself, so that nothing is overwritten by
# mistake. The keys are not in the backup: put master.key and intake.key back from
# where they are kept (ops/OPERATOR-GUIDE.md, "Key ceremony"), then run
# `haven audit verify` and `haven programme list` against the restored database.
set -euo pipefail

usage() {
    echo "usage: $0 BACKUP_FILE DB_FILE" >&2
    echo "  BACKUP_FILE  a haven-*.db file written by sqlite-backup.sh" >&2
    echo "  DB_FILE      where Haven will find the database (must not exist yet)" >&2
    exit 2
}

case "${1:-}" in -h | --help) usage ;; esac
[ $# -eq 2 ] || usage
backup="$1"
db="$2"

command -v sqlite3 >/dev/null || { echo "sqlite-restore: sqlite3 is not installed" >&2; exit 1; }
[ -f "$backup" ] || { echo "sqlite-restore: no backup file at $backup" >&2; exit 1; }
for f in "$db" "$db-wal" "$db-shm"; do
    if [ -e "$f" ]; then
        echo "sqlite-restore: $f exists; stop Haven and move the old database aside first" >&2
        exit 1
    fi
done

check="$(sqlite3 -readonly "$backup" "PRAGMA integrity_check;" 2>&1)" || true
if [ "$check" != "ok" ]; then
    echo "sqlite-restore: the backup fails its integrity check:" >&2
    echo "$check" >&2
    exit 1
fi

umask 077
dir="$(dirname -- "$db")"
mkdir -p -- "$dir"
tmp="$(mktemp -- "$dir/.haven-restore.XXXXXX")"
trap 'rm -f -- "$tmp"' EXIT
cp -- "$backup" "$tmp"
chmod 600 -- "$tmp"
sync -- "$tmp" 2>/dev/null || sync
mv -- "$tmp" "$db"
trap - EXIT

echo "restored $backup to $db"
echo "next: put master.key and intake.key back (not in the backup), then run"
echo "  haven audit verify && haven programme list"
echo "with HAVEN_DATABASE_URL=sqlite://$db and the key settings Haven normally uses."
