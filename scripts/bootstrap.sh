#!/usr/bin/env bash
# Installs what refdesk needs on a Debian machine, only what is missing:
# Debian packages (Prosody and friends), then a virtualenv in .venv with refdesk in it.
# Usage: scripts/bootstrap.sh [demo|test]
set -euo pipefail
cd "$(dirname "$0")/.."

purpose=${1:-demo}
packages=(prosody lua-unbound openssl ca-certificates)
command -v npm >/dev/null || packages+=(nodejs npm)
if [ "$purpose" = test ]; then
  packages+=(postgresql chromium)
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
then
  missing+=(python3 python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}"
fi
# The Debian package starts a system-wide Prosody where systemd runs; refdesk runs its own.
if command -v systemctl >/dev/null && systemctl is-active --quiet prosody 2>/dev/null; then
  as_root systemctl disable --now prosody >/dev/null 2>&1 || true
fi

stamp=.venv/.refdesk-installed
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

# The patron widget: web/src bundled with strophe.js into web/static/widget.js, rebuilt when
# the bundle is missing or older than its sources or the locked npm packages.
bundle=web/static/widget.js
if [ ! -f "$bundle" ] || [ package-lock.json -nt "$bundle" ] \
    || [ -n "$(find web/src -newer "$bundle" -print -quit)" ]; then
  echo "bootstrap: building the widget"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
  npm run --silent build >/dev/null
fi
