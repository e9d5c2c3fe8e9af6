#!/usr/bin/env bash
# A flood of made-up staff sign-ins against a release build at the production password
# cost (argon2id m=64 MiB, t=4, p=2), as the outside review ran it (issue 17, item 4):
# ROUNDS rounds of CONCURRENT sign-ins with random addresses from 3 client addresses
# (behind a trusted proxy), while a visitor loads the public form and a staff member
# signs in. Reports the server's peak RSS (VmHWM), how the flood was answered, how long
# the form took, and how many tries the staff member needed.
#
#   ops/bench/signin_flood.sh            # builds --release first
#
# Environment: CONCURRENT (90), ROUNDS (3), HAVEN_PASSWORD_HASHES (unset: one per core).
# Needs curl. Writes ops/bench/results/signin-flood.md.
set -euo pipefail

concurrent="${CONCURRENT:-90}"
rounds="${ROUNDS:-3}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cargo build --release --quiet
haven="$root/target/release/haven"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

export HAVEN_DATA_DIR="$work" HAVEN_DATABASE_URL="sqlite://$work/haven.db"
export HAVEN_TRUSTED_PROXIES=127.0.0.1 HAVEN_LOG=warn
"$haven" programme apply ops/examples/afghanistan-2021.toml >/dev/null 2>&1
password="correct horse battery staple 42"
printf '%s' "$password" | "$haven" user add --email agent@example.org --role agent \
    --programme afghanistan-2021 --password-stdin >/dev/null
port=$(( 20000 + RANDOM % 20000 ))
base="http://127.0.0.1:$port"
HAVEN_LISTEN="127.0.0.1:$port" "$haven" serve 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 1 100); do
    curl -fs "$base/readyz" >/dev/null 2>&1 && break
    sleep 0.1
done

token() {
    curl -fs -c "$1" -b "$1" "$base/console/sign-in" |
        sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p'
}
csrf="$(token "$work/flood.jar")"

one_attempt() {
    # $1: the client address the proxy reports.
    curl -s -o /dev/null -w '%{http_code}\n' -H "X-Forwarded-For: $1" \
        --data-urlencode "csrf=$csrf" \
        --data-urlencode "email=$RANDOM$RANDOM@example.org" \
        --data-urlencode "password=not the password at all" \
        "$base/console/sign-in"
}
export -f one_attempt
export base csrf

flood() {
    for round in $(seq 1 "$rounds"); do
        for i in $(seq 1 "$concurrent"); do
            case $(( (i + round) % 3 )) in
                0) echo 203.0.113.1 ;;
                1) echo 198.51.100.1 ;;
                *) echo 192.0.2.1 ;;
            esac
        done | xargs -P "$concurrent" -I{} bash -c 'one_attempt {}'
    done
}

flood >"$work/flood.codes" &
flood_pid=$!

# Meanwhile: the public form, and a staff member signing in (retrying while "busy").
form_times=()
tries=0
staff="no"
while kill -0 "$flood_pid" 2>/dev/null && [ "$staff" = "no" ] && [ "$tries" -lt 60 ]; do
    tries=$((tries + 1))
    form_times+=("$(curl -s -o /dev/null -w '%{http_code}:%{time_total}' "$base/p/afghanistan-2021")")
    jar="$work/staff.jar"
    rm -f "$jar"
    t="$(token "$jar")"
    code="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" \
        --data-urlencode "csrf=$t" --data-urlencode "email=agent@example.org" \
        --data-urlencode "password=$password" "$base/console/sign-in")"
    [ "$code" = "303" ] && staff="yes"
done
while kill -0 "$flood_pid" 2>/dev/null; do
    form_times+=("$(curl -s -o /dev/null -w '%{http_code}:%{time_total}' "$base/p/afghanistan-2021")")
    sleep 0.2
done
wait "$flood_pid" || true

peak_kib=$(awk '/VmHWM/ {print $2}' "/proc/$server_pid/status")
total=$(wc -l <"$work/flood.codes")
summary=$(sort "$work/flood.codes" | uniq -c | awk '{printf "%s× %s, ", $1, $2}' | sed 's/, $//')
slowest=$(printf '%s\n' "${form_times[@]}" | cut -d: -f2 | sort -n | tail -1)
statuses=$(printf '%s\n' "${form_times[@]}" | cut -d: -f1 | sort | uniq -c | awk '{printf "%s× %s ", $1, $2}')

report="$root/ops/bench/results/signin-flood.md"
{
    echo "# Sign-in flood (ops/bench/signin_flood.sh)"
    echo
    echo "- Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); commit $(git rev-parse --short HEAD); release build; SQLite"
    echo "- Flood: $rounds rounds of $concurrent concurrent sign-ins with random addresses from 3 client addresses (argon2id m=64 MiB, t=4, p=2)"
    echo "- HAVEN_PASSWORD_HASHES: ${HAVEN_PASSWORD_HASHES:-one per core}"
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| server peak RSS (VmHWM) | $((peak_kib / 1024)) MiB |"
    echo "| flood answers ($total) | $summary |"
    echo "| public form during the flood | ${statuses}; slowest ${slowest} s |"
    echo "| staff member signed in | $staff, after $tries tries |"
} >"$report"
cat "$report"
