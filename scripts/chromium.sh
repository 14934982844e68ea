# Sourced by the test scripts: `ensure_chromium` installs Debian's Chromium, which the browser
# tests (e2e/) drive through playwright-core, when /usr/bin/chromium is missing.
ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return 0
  fi
  echo "==> installing Debian's chromium"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
}
