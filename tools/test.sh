#!/usr/bin/env bash
# Set everything up on a fresh machine, then run the style and type checks and the whole test suite.
# Test-only system tools are installed here, not by the main job: GNU gettext's
# msgfmt checks every catalog the tests write, Debian's Chromium and its driver
# open the review page. If they cannot be installed, the tests that need them
# are skipped (with a reason), the others run.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
if [ "${#need_apt[@]}" -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "test: installing ${need_apt[*]} with apt-get" >&2
        if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}"; } \
            >/tmp/termguard-apt.log 2>&1; then
            echo "test: could not install ${need_apt[*]} (see /tmp/termguard-apt.log); tests that need them are skipped" >&2
        fi
    else
        echo "test: please install: ${need_apt[*]} (tests that need them are skipped)" >&2
    fi
fi

# The ray extra lets the tests start a local Ray cluster for translate --ray.
SETUP_EXTRAS=test,ray,lint bash tools/setup.sh
.venv/bin/ruff check glossary translate tests tools benchmarks
.venv/bin/mypy
exec .venv/bin/python -m pytest -q "$@"
