#!/usr/bin/env bash
# Install what is missing, then start the client on its embedded default database
# (created and filled with demo data on first start). Extra arguments go to main.py,
# e.g. ./scripts/run.sh --lang en   or   ./scripts/run.sh --demo
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [[ -z ${DISPLAY:-} && -z ${WAYLAND_DISPLAY:-} ]]; then
  # No screen (a server or CI): run on a virtual one; `import -window root shot.png` shows it.
  export DISPLAY=:77
  if ! xdpyinfo -display "$DISPLAY" >/dev/null 2>&1; then
    Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
    for _ in $(seq 50); do xdpyinfo -display "$DISPLAY" >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  echo "No screen found: the app runs on the virtual screen $DISPLAY"
  echo "  (screenshot: DISPLAY=$DISPLAY import -window root shot.png)"
fi
exec .venv/bin/python main.py "$@"
