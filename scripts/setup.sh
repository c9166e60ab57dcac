#!/usr/bin/env bash
# Install everything the client, the county server and the tests need on Debian 12:
# system packages with apt-get (only those missing), Python packages into .venv from
# pyproject.toml (only when pyproject.toml changed), and the compiled translations.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3 python3-venv python3-pip
  libvlc5 vlc-plugin-base vlc-plugin-video-output ffmpeg
  xvfb xauth x11-utils imagemagick fonts-noto-cjk openssl
  postgresql
  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
  libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0
  libxcb-xkb1 libegl1 libgl1 libfontconfig1 libdbus-1-3 libglib2.0-0
  espeak-ng sox poppler-utils
)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "==> apt-get install ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [[ ! -f $stamp ]]; then
  echo "==> pip install -e .[test]"
  # pip's output goes to a log (it is noisy); on failure the log is shown and setup stops.
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -e ".[test]"; } >.venv/pip.log 2>&1; then
    cat .venv/pip.log >&2
    echo "pip install failed (log above)" >&2
    exit 1
  fi
  rm -f .venv/.installed-* && touch "$stamp"
fi
.venv/bin/python -m resources.i18n build >/dev/null
