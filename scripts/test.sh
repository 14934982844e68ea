#!/usr/bin/env bash
# Runs every check of the workspace: lint, typecheck, unit, service, integration, API fuzz and browser
# tests, then the deployment checks (deploy/: Compose file, Helm chart, Grafana dashboard).
# Self-sufficient on a fresh machine: installs Node 24, pnpm, the dependencies, the
# MongoDB-wire server's jars and schemathesis first, and builds helm and kubeconform with Go
# while the other checks run. Exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
source "$ROOT/scripts/go-tools.sh"
cd "$ROOT"
bootstrap
# helm and kubeconform for the deployment checks, built from the Go module proxy in the background
# (minutes on a clean clone); waited for after turbo.
mkdir -p "$TOOLCHAIN"
GO_TOOLS_LOG="$TOOLCHAIN/go-tools.log"
# At the lowest priority, so the tests' timings feel it as little as they can.
( renice -n 19 -p "$BASHPID" >/dev/null 2>&1 || true; ensure_go_tools ) >"$GO_TOOLS_LOG" 2>&1 &
go_tools_pid=$!
# The API fuzz (services/platform-api test:fuzz) runs schemathesis from .toolchain/schemathesis.
ensure_schemathesis
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot work here).
source "$ROOT/scripts/chromium.sh"
ensure_chromium

export VITEST_REPORT_DIR="$ROOT/.reports"
rm -rf "$VITEST_REPORT_DIR" && mkdir -p "$VITEST_REPORT_DIR"

status=0
# What each part may import (ARCHITECTURE.md); within the API, dependency-cruiser in its lint.
node scripts/check-parts.mjs || status=$?
pnpm turbo run build lint typecheck test:unit test:service test:integration test:fuzz test:e2e --concurrency=2 --continue --output-logs=errors-only --log-order=grouped || status=$?
# The deployment checks need helm and kubeconform; they run here, not in turbo. Without the tools
# the chart's checks fail, saying so, and the others still run.
go_tools_status=0
wait "$go_tools_pid" || go_tools_status=$?
if [ "$go_tools_status" -ne 0 ]; then
  echo "==> building helm and kubeconform failed (exit $go_tools_status); the end of .toolchain/go-tools.log:" >&2
  tail -n 40 "$GO_TOOLS_LOG" >&2
  status=$go_tools_status
fi
pnpm --filter @dezky/deploy run test:deploy || status=$?
node scripts/test-summary.mjs "$VITEST_REPORT_DIR" || status=$?
exit "$status"
