#!/usr/bin/env bash
# Runs the whole platform locally: the MongoDB-wire server (data kept in .data/), the dev
# OpenID provider, platform-api and both Nuxt apps. Self-sufficient on a fresh machine:
# installs Node 24, pnpm, the dependencies and the jars, builds, then starts everything and
# prints the URLs. Ctrl-C stops it all.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ROOT"
bootstrap
echo "==> building"
pnpm turbo run build --output-logs=errors-only
exec node scripts/dev.mjs
