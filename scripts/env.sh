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
