#!/usr/bin/env bash
# Runs every check of the workspace: lint, typecheck, unit, service, integration, API fuzz and browser tests.
# Self-sufficient on a fresh machine: installs Node 24, pnpm, the dependencies, the
# MongoDB-wire server's jars and schemathesis first. Exits non-zero on any failure.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bootstrap
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
node scripts/test-summary.mjs "$VITEST_REPORT_DIR" || status=$?
exit "$status"
