#!/usr/bin/env bash
# Installs what refdesk needs on a Debian machine, only what is missing:
# Debian packages (Prosody and friends), then a virtualenv in .venv with refdesk in it.
# Usage: scripts/bootstrap.sh [demo|test]
set -euo pipefail

main() {
  cd "$(dirname "${BASH_SOURCE[0]}")/.."
  install_debian_packages "${1:-demo}"
  install_python_packages
  build_widget
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The Debian packages refdesk needs for `purpose` that are not installed, one a line.
missing_debian_packages() {
  local purpose=$1 package
  local packages=(prosody lua-unbound openssl ca-certificates)
  command -v npm >/dev/null || packages+=(nodejs npm)
  if [ "$purpose" = test ]; then
    packages+=(postgresql chromium)
  fi
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || echo "$package"
  done
  if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' \
      2>/dev/null; then
    printf '%s\n' python3 python3-venv
  fi
}

install_debian_packages() {
  local missing
  mapfile -t missing < <(missing_debian_packages "$1")
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
  if printf '%s\n' "${missing[@]}" | grep -qx prosody; then
    stop_prosody_installed_now
  fi
}

# Debian's prosody package starts a system-wide server on every address, which holds the
# ports the lab binds on its own loopback addresses (refdesk runs its own Prosody servers).
# Called only when this very run installed the package: a Prosody that was there before is
# somebody's server, and refdesk never stops or disables it.
stop_prosody_installed_now() {
  echo "bootstrap: stopping and disabling the system-wide Prosody the package just started"
  # update-rc.d and invoke-rc.d act on whichever init system runs (systemd or SysV), and
  # stop nothing where policy-rc.d kept the service from starting (containers).
  as_root update-rc.d prosody disable \
    && as_root invoke-rc.d prosody stop \
    || echo "bootstrap: could not stop the system-wide Prosody; stop it before 'make demo'" >&2
}

install_python_packages() {
  local stamp=.venv/.refdesk-installed wanted
  wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    echo "bootstrap: installing Python packages into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e '.[test,postgres]'
    echo "$wanted" > "$stamp"
  fi
}

# The patron widget and the librarians' console: web/src bundled with strophe.js into
# web/static, rebuilt when a bundle is missing or older than its sources or the locked npm
# packages.
build_widget() {
  local bundle=web/static/widget.js
  [ -f web/static/console.js ] || bundle=web/static/console.js
  if [ ! -f "$bundle" ] || [ package-lock.json -nt "$bundle" ] \
      || [ -n "$(find web/src -newer "$bundle" -print -quit)" ]; then
    echo "bootstrap: building the widget"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    npm run --silent build >/dev/null
  fi
}

# Sourced (by its tests), it only defines the functions above.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  main "$@"
fi
