#!/usr/bin/env bash
# Builds (via deploy/bootstrap.sh) and runs every test project of the solution.
# Privileged tests (libpcap capture, network namespaces) need root; with CAPTURE_REQUIRE_PRIVILEGED=1
# (as in CI) a missing privilege fails them instead of skipping them. Extra arguments go to `dotnet test`
# (e.g. --filter "FullyQualifiedName~Integration").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/deploy/bootstrap.sh" --for-tests
cd "$root"
mkdir -p .build
log="$root/.build/test.log"
set +e
dotnet test CaptureActors.sln -c Release --no-build -nologo --logger "console;verbosity=minimal" \
  --blame-hang-timeout 5m "$@" > "$log" 2>&1
status=$?
set -e
# Failures with their messages, then one summary line per test project.
grep -E -A12 '^\s+Failed [A-Za-z]' "$log" || true
grep -E '^(Passed|Failed|Skipped)!|Test Run Aborted|error' "$log" || true
# One closing line over all projects.
sum() { grep -Eo "$1: +[0-9]+" "$log" | awk '{s+=$2} END {print s+0}'; }
echo "$(sum Passed) passed, $(sum Failed) failed, $(sum Skipped) skipped"
exit "$status"
