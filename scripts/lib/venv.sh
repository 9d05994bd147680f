# shellcheck shell=bash
# Shared by scripts/test and scripts/demo: create or update the repo's virtualenv `.venv` with
# the project installed in editable mode plus its test extras. Source it, then call ensure_venv.
#
# pip only runs when pyproject.toml (or the Python version) changed since the last install, so a
# second run costs a fraction of a second.

ensure_python_venv_module() {
    # Debian ships `venv` without ensurepip unless python3-venv is installed.
    if python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
        return 0
    fi
    echo "venv: installing python3-venv (apt)..." >&2
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
}

ensure_venv() {
    local root="${1:-$PWD}"
    local venv="$root/.venv"
    local stamp="$venv/.advocacy-hub-installed"
    local want
    want="$(cat "$root/pyproject.toml" <(python3 -V 2>&1) | sha256sum | cut -d' ' -f1)"

    if [ -x "$venv/bin/python" ] && ! "$venv/bin/python" -c 'import sys' >/dev/null 2>&1; then
        echo "venv: $venv is broken; recreating" >&2
        rm -rf "$venv"
    fi
    if [ ! -x "$venv/bin/python" ]; then
        ensure_python_venv_module
        python3 -m venv "$venv"
        rm -f "$stamp"
    fi
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "venv: installing advocacy-hub[test] into $venv" >&2
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" install --quiet --editable "$root[test]"
        # Retired dependencies that pip would leave behind. pytest-rerunfailures: reruns hid
        # real races (issue 11.8); the suite must pass without any.
        PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/pip" uninstall --quiet --yes \
            pytest-rerunfailures >/dev/null 2>&1 || true
        echo "$want" >"$stamp"
    fi
}
