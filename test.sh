#!/usr/bin/env bash
# Builds (via deploy/bootstrap.sh) and runs every test project of the solution.
# Privileged tests (libpcap capture, network namespaces) need root; with CAPTURE_REQUIRE_PRIVILEGED=1
# (as in CI) a missing privilege fails them instead of skipping them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/deploy/bootstrap.sh"
cd "$root"
dotnet test CaptureActors.sln -c Release --no-build -nologo \
  --logger "console;verbosity=normal" --blame-hang-timeout 5m "$@" 2>&1 | tee "$root/.build/test.log" | \
  grep -E --line-buffered '^\s*(Failed|Passed!|Failed!|Skipped) |error|Total tests|Test Run|^\s+(at |Assert|Expected|Actual)' || true
status=${PIPESTATUS[0]}
# One closing line over all projects: 'N passed, N failed'.
passed=$(grep -Eo 'Passed: +[0-9]+' "$root/.build/test.log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$root/.build/test.log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$root/.build/test.log" | awk '{s+=$2} END {print s+0}')
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
