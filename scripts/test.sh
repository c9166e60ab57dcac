#!/usr/bin/env bash
# The whole test suite, as CI runs it: install what is missing, start a virtual screen,
# lint and format check (ruff), type-check (mypy), then pytest (PostgreSQL clusters are started by the
# tests themselves on loopback). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
PY=.venv/bin/python

if [[ -z ${DISPLAY:-} ]]; then
  export DISPLAY=":$((90 + RANDOM % 400))"
  Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  XVFB_PID=$!
  trap 'kill $XVFB_PID 2>/dev/null || true' EXIT
  for _ in $(seq 50); do xdpyinfo -display "$DISPLAY" >/dev/null 2>&1 && break; sleep 0.1; done
fi
export CI=${CI:-1}
unset QT_QPA_PLATFORM

echo "==> ruff"
$PY -m ruff check .
$PY -m ruff format --check .
echo "==> mypy"
$PY -m mypy
echo "==> pytest"
$PY -m pytest -p no:cacheprovider -n 2 --dist loadfile "$@"
