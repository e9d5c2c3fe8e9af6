#!/usr/bin/env bash
# Haven's browser suites: end-to-end flows in headless Chromium (e2e.mjs) and axe-core
# accessibility checks (a11y.mjs), against a real `haven serve` on a free loopback port
# with a throwaway data directory and the file outbox.
#
# Builds nothing: expects target/debug/haven (run `cargo build` first). Installs the
# npm dependencies with `npm ci` when node_modules is missing. Exits non-zero if either
# suite fails. Screenshots go to target/browser-screenshots/.
#
#   tests/browser/run.sh              # both suites
#   tests/browser/run.sh e2e          # one suite (e2e or a11y; a11y alone works too,
#                                     # it just checks fewer states of the pages)
# Environment: HAVEN_BIN (default target/debug/haven), CHROMIUM (default /usr/bin/chromium),
# KEEP_DATA=1 keeps the data directory and Haven's log.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

bin="${HAVEN_BIN:-$repo/target/debug/haven}"
if [[ ! -x "$bin" ]]; then
  echo "run.sh: $bin is missing; run 'cargo build' first" >&2
  exit 2
fi
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [[ ! -x "$CHROMIUM" ]]; then
  echo "run.sh: no Chromium at $CHROMIUM (apt-get install chromium)" >&2
  exit 2
fi

if ! command -v node >/dev/null 2>&1 || ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)'; then
  echo "run.sh: Node.js 20 or newer is needed (with npm)" >&2
  exit 2
fi
if [[ ! -d "$here/node_modules" ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

suites=("$@")
[[ ${#suites[@]} -eq 0 ]] && suites=(e2e a11y)

tmp="$(mktemp -d "${TMPDIR:-/tmp}/haven-browser.XXXXXX")"
haven_pid=""
cleanup() {
  if [[ -n "$haven_pid" ]] && kill -0 "$haven_pid" 2>/dev/null; then
    kill "$haven_pid" 2>/dev/null || true
    wait "$haven_pid" 2>/dev/null || true
  fi
  if [[ "${KEEP_DATA:-}" == 1 ]]; then
    echo "run.sh: data and log kept in $tmp"
  else
    rm -rf "$tmp"
  fi
}
trap cleanup EXIT

port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
unset HAVEN_SMTP_URL HAVEN_DATABASE_URL HAVEN_MASTER_KEY_FILE HAVEN_INTAKE_KEY_FILE HAVEN_PUBLIC_URL
export HAVEN_DATA_DIR="$tmp/data"
export HAVEN_LISTEN="127.0.0.1:$port"
export HAVEN_PASSWORD_HASH=test
export HAVEN_RATE_LIMIT=off
export HAVEN_LOG="${HAVEN_LOG:-warn}"
export HAVEN_URL="http://127.0.0.1:$port"
export HAVEN_CLOSED_SLUG=closed-example
export HAVEN_OWN_SLUG=own-copy-example
export HAVEN_DISCREET_ADDRESS=daily-notes
export HAVEN_TEST_PASSWORD='a long enough password for tests'
mkdir -p "$HAVEN_DATA_DIR"

# A second programme, closed, for the "form is closed" page.
closed="$tmp/closed-example.toml"
sed -e 's/^slug = "afghanistan-2021"/slug = "closed-example"/' -e 's/^status = "open"/status = "closed"/' \
  ops/examples/afghanistan-2021.toml >"$closed"
grep -q '^status = "closed"' "$closed"

# A third, open, with every option a person's pages can show: "What you sent" in the
# reply inbox, the form at a discreet address, the receipt as a text file.
own="$tmp/$HAVEN_OWN_SLUG.toml"
{
  sed -e "s/^slug = \"afghanistan-2021\"/slug = \"$HAVEN_OWN_SLUG\"/" \
    -e 's/^retention_days = \(.*\)$/retention_days = \1\nshow_sent_in_inbox = true/' \
    ops/examples/afghanistan-2021.toml
  printf '\n[public]\ndiscreet_address = "%s"\nsave_as_text = true\n' "$HAVEN_DISCREET_ADDRESS"
} >"$own"
grep -q '^show_sent_in_inbox = true' "$own"

"$bin" programme apply ops/examples/afghanistan-2021.toml >/dev/null
"$bin" programme apply "$closed" >/dev/null
"$bin" programme apply "$own" >/dev/null
add_user() { # email role [programme]
  printf '%s' "$HAVEN_TEST_PASSWORD" | "$bin" user add --email "$1" --role "$2" ${3:+--programme "$3"} --password-stdin >/dev/null
}
# Every account signs in once (a TOTP code works once per 30 s step per account).
add_user agent1@example.org agent afghanistan-2021   # e2e: reply
add_user sup1@example.org supervisor afghanistan-2021 # e2e: creates the bulk reply
add_user sup2@example.org supervisor afghanistan-2021 # e2e: approves it
add_user sup3@example.org supervisor afghanistan-2021 # a11y: console pages
add_user admin1@example.org admin                     # a11y: /admin pages
add_user admin2@example.org admin                     # e2e: opens a programme by copying one
add_user admin3@example.org admin                     # a11y: copies a programme, opening refused
add_user agent2@example.org agent afghanistan-2021   # e2e: takes a call (phone intake)

"$bin" serve >"$tmp/haven.log" 2>&1 &
haven_pid=$!
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$HAVEN_URL/readyz" 2>/dev/null && break
  kill -0 "$haven_pid" 2>/dev/null || { echo "run.sh: haven exited:" >&2; cat "$tmp/haven.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS -o /dev/null "$HAVEN_URL/readyz"
echo "run.sh: haven on $HAVEN_URL (data in $HAVEN_DATA_DIR)"

status=0
for s in "${suites[@]}"; do
  echo "run.sh: --- $s"
  node --test --test-concurrency=1 --test-reporter=spec "$here/$s.mjs" || status=1
done

if ! kill -0 "$haven_pid" 2>/dev/null; then
  echo "run.sh: haven died during the tests" >&2
  status=1
fi
if [[ $status -ne 0 ]]; then
  echo "run.sh: FAILED; last lines of Haven's log:" >&2
  tail -n 40 "$tmp/haven.log" >&2 || true
fi
exit $status
