#!/usr/bin/env bash
# Install Debian's chromium (and its driver) for the web app's browser tests.
#
# Sourced by .ci/run (so: no `exit`, no `set` changes) or run on its own. The tests drive
# /usr/bin/chromium headless through the `playwright` Python package (`executable_path`);
# `playwright install` is never used: it downloads its own browser builds.
# Skipped when chromium is already there; tests skip cleanly when it is absent.

presslens_install_chromium() {
    if [ -x /usr/bin/chromium ]; then
        echo "browser.sh: $(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed" >&2
        return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    echo "browser.sh: installing Debian's chromium and chromium-driver" >&2
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -qq >&2 || return 0
    # Fonts so screenshots have readable text; failure here only skips the browser tests.
    $sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver fonts-dejavu-core >&2 \
        || echo "browser.sh: chromium could not be installed; browser tests will be skipped" >&2
}

presslens_install_chromium
