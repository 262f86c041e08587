#!/usr/bin/env bash
# Installs what Forge needs on a Debian/Ubuntu machine, skipping whatever is already there.
# Sourced by scripts/demo and scripts/test; safe to run again.
#   - Debian packages: OpenBLAS + LAPACKE + pkg-config (BLAS/LAPACK), python3-venv when venv is missing.
#   - PostgreSQL's server programs (Debian's postgresql) for the PostgreSQL store tests, only when
#     FORGE_WITH_SERVERS=1 (scripts/test sets it) or FORGE_WITH_PYTHON=1; the tests start their own
#     throw-away server and skip when the programs are missing.
#   - A virtualenv at .venv with the Python tools the interop tests compare against (numpy, safetensors),
#     only when FORGE_WITH_PYTHON=1.
set -euo pipefail

forge_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

forge_install_debian_packages() {
    local wanted=(libopenblas-dev liblapacke-dev pkg-config)
    wanted+=(zlib1g-dev)  # ForgeData (issue 4): .npz deflate and gzip IDX through zlib
    wanted+=(libsqlite3-dev)  # ForgeTracking (issue 6): GRDB builds against the system SQLite
    # ForgeTrackingPostgres / ForgeTuningPostgres (issues 6 and 7): initdb, pg_ctl and postgres for the tests.
    if [[ "${FORGE_WITH_SERVERS:-0}" == 1 || "${FORGE_WITH_PYTHON:-0}" == 1 ]]; then
        wanted+=(postgresql)
    fi
    if [[ "${FORGE_WITH_PYTHON:-0}" == 1 ]] && ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        wanted+=(python3-venv python3-pip)
    fi
    local missing=()
    for package in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
    done
    if ((${#missing[@]})); then
        echo "forge setup: installing Debian packages: ${missing[*]}"
        local sudo=""
        [[ $(id -u) -ne 0 ]] && sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

forge_prepare_python() {
    local venv="$forge_root/.venv"
    if [[ ! -x "$venv/bin/python" ]]; then
        echo "forge setup: creating $venv"
        python3 -m venv "$venv"
    fi
    if ! "$venv/bin/python" -c 'import numpy, safetensors' >/dev/null 2>&1; then
        echo "forge setup: installing numpy and safetensors into $venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check numpy safetensors
    fi
    # ForgeVersioning (issue 5): an S3 server (moto) and the real dvc for the interop tests.
    if ! "$venv/bin/python" -c 'import moto.server, dvc' >/dev/null 2>&1; then
        echo "forge setup: installing moto[server] and dvc into $venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'moto[server]' dvc
    fi
    # ForgeTuning (issue 7): Optuna reads and writes the journals in the interop tests.
    if ! "$venv/bin/python" -c 'import optuna' >/dev/null 2>&1; then
        echo "forge setup: installing optuna into $venv"
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check 'optuna>=5,<6'
    fi
    export FORGE_PYTHON="$venv/bin/python"
}

forge_install_debian_packages
if [[ "${FORGE_WITH_PYTHON:-0}" == 1 ]]; then
    forge_prepare_python
fi
