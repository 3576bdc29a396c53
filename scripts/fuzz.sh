#!/usr/bin/env bash
# Runs every fuzz target of the module for the given time each (default 60s).
set -euo pipefail
dur=${1:-60s}
for pkg in $(go list ./...); do
  for t in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep -E '^Fuzz' || true); do
    echo "fuzz $pkg $t ($dur)"
    go test -run '^$' -fuzz "^$t\$" -fuzztime "$dur" "$pkg"
  done
done
