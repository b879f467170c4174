#!/usr/bin/env bash
# Set up a fresh machine for termguard: system tools, a virtualenv, the package.
# Sourced by tools/demo.sh and tools/test.sh; safe to run again (idempotent).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

# GNU gettext's msgfmt checks every catalog the tests write.
need_apt=()
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)
# Debian's Chromium and its driver open the review page in the browser tests.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
if [ "${#need_apt[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "setup: installing ${need_apt[*]} with apt-get" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
    else
        echo "setup: please install: ${need_apt[*]} (tests that need them are skipped)" >&2
    fi
fi

if [ ! -x .venv/bin/python ]; then
    echo "setup: creating .venv with $PYTHON" >&2
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
echo "setup: installing termguard and its test dependencies into .venv" >&2
# The ray extra lets the tests start a local Ray cluster for translate --ray.
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test,ray]"
