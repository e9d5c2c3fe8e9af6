#!/usr/bin/env bash
# Checks the systemd units in this directory without a running systemd (CI runs it from
# .ci/run): each must parse cleanly (`systemd-analyze verify`, with ExecStart pointed at
# a built haven binary, so a typo or an unknown directive fails instead of being
# ignored), score 2.0 or below ("OK") in `systemd-analyze security --offline=yes`, and
# keep what its role needs and nothing more (only console and worker load the master key).
#
#   ops/systemd/check-units.sh [PATH-TO-HAVEN-BINARY]    (default: target/debug/haven)
set -euo pipefail
cd "$(dirname "$0")/../.."
binary="$(realpath "${1:-target/debug/haven}")"
[[ -x "$binary" ]] || { echo "no haven binary at $binary (cargo build first)"; exit 1; }
command -v systemd-analyze >/dev/null || { echo "systemd-analyze is missing (apt-get install systemd)"; exit 1; }

# Exposure is 0.0 (best) to 10.0; --threshold counts tenths.
max_exposure=2.0
threshold=20

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
for unit in ops/systemd/*.service; do
  name="$(basename "$unit")"
  # The same unit, with ExecStart at the binary just built (verify checks that it
  # exists and is executable; the units name /usr/local/bin/haven).
  sed "s|^ExecStart=/usr/local/bin/haven |ExecStart=$binary |" "$unit" >"$work/$name"
  grep -q "^ExecStart=$binary serve --role " "$work/$name" || {
    echo "$name: ExecStart is not '/usr/local/bin/haven serve --role …'"; failed=1; continue; }

  said="$(systemd-analyze verify --man=no --generators=no "$work/$name" 2>&1)" || true
  if [[ -n "$said" ]]; then
    echo "$name: systemd-analyze verify:"; echo "$said"; failed=1
  fi

  if out="$(systemd-analyze security --offline=yes --threshold="$threshold" "$unit" 2>&1)"; then
    echo "$name: $(grep 'Overall exposure level' <<<"$out" | sed 's/.*: //')"
  else
    echo "$out" | grep -v '✓'
    echo "$name: exposure above $max_exposure"; failed=1
  fi

  role="${name#haven-}"; role="${role%.service}"
  loads_master=$(grep -c '^LoadCredential=master\.key:' "$unit" || true)
  case "$role" in
    public) [[ "$loads_master" == 0 ]] || { echo "$name: the public role must not load the master key"; failed=1; } ;;
    console|worker) [[ "$loads_master" == 1 ]] || { echo "$name: the $role role needs the master key"; failed=1; } ;;
    *) echo "$name: unknown role $role"; failed=1 ;;
  esac
  grep -q '^StateDirectory=haven$' "$unit" || { echo "$name: no StateDirectory=haven (the data directory)"; failed=1; }
done
exit "$failed"
