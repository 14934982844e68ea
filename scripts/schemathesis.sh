#!/usr/bin/env bash
# Runs schemathesis (`st`) from .toolchain/schemathesis, installing it first when missing or when
# scripts/schemathesis-requirements.txt changed: `bash scripts/schemathesis.sh run ...`.
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_schemathesis >&2
exec "$SCHEMATHESIS_VENV/bin/st" "$@"
