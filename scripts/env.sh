# Sourced by the scripts in this folder. Puts Node 24 and pnpm 10 first on PATH, installing
# them from the npm registry into .toolchain/ when the machine's own are older (the machines
# ship Node 20 at /usr/bin/node; corepack cannot be used because its signature check fails).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLCHAIN="$ROOT/.toolchain"
NODE_MAJOR=24
PNPM_MAJOR=10

major() { "$@" 2>/dev/null | sed -E 's/^v?([0-9]+).*/\1/' || echo 0; }

if [ -x "$TOOLCHAIN/bin/node" ]; then
  export PATH="$TOOLCHAIN/bin:$PATH"
fi
if [ "$(major node -v)" != "$NODE_MAJOR" ] || [ "$(major pnpm -v)" != "$PNPM_MAJOR" ]; then
  echo "==> installing Node $NODE_MAJOR and pnpm $PNPM_MAJOR into .toolchain/"
  npm install --global --prefix "$TOOLCHAIN" --no-audit --no-fund "node@$NODE_MAJOR" "pnpm@$PNPM_MAJOR" >/dev/null
  export PATH="$TOOLCHAIN/bin:$PATH"
fi
hash -r

# Installs the workspace's dependencies and the MongoDB-wire server's jars; both are no-ops
# when already up to date.
bootstrap() {
  if [ -n "${CI:-}" ]; then
    pnpm install --frozen-lockfile --reporter=append-only
  else
    pnpm install --reporter=silent
  fi
  if [ ! -f "$ROOT/tools/mongo-wire/lib/mongo-java-server-1.47.0.jar" ]; then
    echo "==> fetching mongo-java-server into tools/mongo-wire/lib"
    (cd "$ROOT/tools/mongo-wire" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=lib -DincludeScope=runtime)
  fi
}

# The API fuzzer (schemathesis, from PyPI) in its own virtual environment in .toolchain/, at the
# versions scripts/schemathesis-requirements.txt pins; reinstalled only when that file changes.
# Needs Python 3.10+ with venv (Debian's python3-venv is installed when venv is missing).
SCHEMATHESIS_VENV="$TOOLCHAIN/schemathesis"
ensure_schemathesis() {
  local requirements="$ROOT/scripts/schemathesis-requirements.txt"
  if [ -x "$SCHEMATHESIS_VENV/bin/st" ] && cmp -s "$requirements" "$SCHEMATHESIS_VENV/requirements.txt"; then
    return 0
  fi
  echo "==> installing schemathesis into .toolchain/schemathesis"
  rm -rf "$SCHEMATHESIS_VENV"
  if ! python3 -m venv "$SCHEMATHESIS_VENV" >/dev/null 2>&1; then
    rm -rf "$SCHEMATHESIS_VENV"
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv "$SCHEMATHESIS_VENV"
  fi
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$requirements"
  cp "$requirements" "$SCHEMATHESIS_VENV/requirements.txt"
}
