#!/usr/bin/env bash
# Set up a fresh machine for termguard's main job: a virtualenv with termguard in it.
# Sourced by tools/demo.sh and tools/test.sh; safe to run again (idempotent).
# Quiet unless something goes wrong: pip's output goes to .venv/setup.log and is
# shown only on failure. System packages the tests need are tools/test.sh's job.
# SETUP_EXTRAS picks optional dependency groups (tools/test.sh: test,ray,lint).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $PYTHON" >&2
    "$PYTHON" -m venv .venv
fi
log=.venv/setup.log
extras="${SETUP_EXTRAS:-}"
target="."
[ -n "$extras" ] && target=".[$extras]"
if ! {
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip &&
    .venv/bin/python -m pip install -q --disable-pip-version-check -e "$target"
} >"$log" 2>&1; then
    echo "setup: installing termguard into .venv failed; the installer said:" >&2
    grep -v "^WARNING: Location .* is ignored" "$log" | tail -n 30 >&2
    exit 1
fi
echo "setup: termguard $(.venv/bin/termguard --version | awk '{print $NF}') is ready: run .venv/bin/termguard (or: source .venv/bin/activate)" >&2
