# Sourced by scripts/test.sh (or run directly: bash scripts/go-tools.sh). ensure_go_tools builds
# the deployment checks' command-line tools from the Go module proxy into .toolchain/bin:
#   helm        renders and lints deploy/helm/dezky
#   kubeconform validates the rendered manifests against deploy/schemas/kubernetes
# Each tool is rebuilt only when .toolchain/bin/.<tool>.version (its version, then its ldflags)
# does not match what this script would build.
# The module and build caches live in .toolchain/go/, so a clean clone needs only Go and the proxy.
HELM_VERSION=v3.19.5
KUBECONFORM_VERSION=v0.7.0

GO_TOOLS_ROOT="${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
GO_TOOLS_BIN="$GO_TOOLS_ROOT/.toolchain/bin"
GO_TOOLS_HOME="$GO_TOOLS_ROOT/.toolchain/go"

# Runs a go command with the caches in .toolchain/go.
go_env() {
  env GOBIN="$GO_TOOLS_BIN" \
    GOMODCACHE="$GO_TOOLS_HOME/mod" \
    GOCACHE="$GO_TOOLS_HOME/cache" \
    GOPATH="$GO_TOOLS_HOME/path" \
    GOFLAGS="-modcacherw -buildvcs=false" \
    GOTOOLCHAIN=local \
    CGO_ENABLED=0 \
    "$@"
}

# The Kubernetes minor version of the client-go a helm release is built with (34 for v0.34.2),
# read from that release's go.mod: helm's Makefile sets it as the default of --kube-version and
# of lint's deprecation check, which are 1.20 otherwise.
helm_k8s_minor() {
  local mod
  mod="$(go_env go mod download -json "helm.sh/helm/v3@$1" | sed -nE 's/^[[:space:]]*"GoMod": "(.*)",?$/\1/p')"
  sed -nE 's/^[[:space:]]*k8s\.io\/client-go v0\.([0-9]+)\..*/\1/p' "$mod" | head -n 1
}

# go install <package>@<version> into .toolchain/bin with the given extra ldflags, then writes the stamp.
go_tool_install() {
  local name="$1" package="$2" version="$3" ldflags="$4"
  local stamp="$GO_TOOLS_BIN/.$name.version"
  local recipe
  recipe="$(printf '%s\n%s' "$version" "$ldflags")"
  if [ -x "$GO_TOOLS_BIN/$name" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$recipe" ]; then
    echo "==> $name $version already in .toolchain/bin"
    return 0
  fi
  echo "==> building $name $version ($package) into .toolchain/bin"
  local started=$SECONDS
  rm -f "$stamp"
  go_env go install -trimpath -ldflags "-s -w $ldflags" "$package@$version"
  printf '%s\n' "$recipe" >"$stamp"
  echo "==> $name $version built in $((SECONDS - started)) s"
}

ensure_go_tools() {
  if ! command -v go >/dev/null 2>&1; then
    echo "go-tools: Go is not on PATH; helm and kubeconform are built with go install" >&2
    return 1
  fi
  mkdir -p "$GO_TOOLS_BIN" "$GO_TOOLS_HOME"
  local k8s_minor
  k8s_minor="$(helm_k8s_minor "$HELM_VERSION")" || return 1
  if [ -z "$k8s_minor" ]; then
    echo "go-tools: no k8s.io/client-go in helm $HELM_VERSION's go.mod" >&2
    return 1
  fi
  # As helm's Makefile: its version (helm.sh/helm/v3/internal/version), and the Kubernetes version
  # of its client libraries for --kube-version's default and lint's deprecation check.
  go_tool_install helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" \
    "-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean \
-X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$k8s_minor \
-X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$k8s_minor" || return 1
  # kubeconform -v prints main.version.
  go_tool_install kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" \
    "-X main.version=$KUBECONFORM_VERSION" || return 1
  "$GO_TOOLS_BIN/helm" version --short
  "$GO_TOOLS_BIN/kubeconform" -v
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  ensure_go_tools
fi
