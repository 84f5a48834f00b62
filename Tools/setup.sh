#!/usr/bin/env bash
# Installs what zkvm needs on a fresh Debian/Ubuntu machine, quietly and
# idempotently: system libraries through apt-get, Python packages for the
# tools through pip. Prints what it installed, and says clearly what it could
# not do (exit status 1 if a required piece is missing afterwards).
set -u
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }
failed=0

# --- System libraries (headers for the systemLibrary targets) ------------------
apt_packages=(libgmp-dev libssl-dev libzstd-dev pkg-config)
missing=()
for p in "${apt_packages[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo_cmd=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
            say "cannot install ${missing[*]}: not root and no sudo; install them yourself"; failed=1; fi
    fi
    if [ $failed -eq 0 ]; then
        say "installing ${missing[*]} (apt-get)"
        export DEBIAN_FRONTEND=noninteractive
        if ! "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
            "${sudo_cmd[@]}" apt-get update -qq >/dev/null 2>&1
            "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
                || { say "apt-get could not install: ${missing[*]}"; failed=1; }
        fi
    fi
fi
for h in /usr/include/gmp.h /usr/include/openssl/sha.h /usr/include/zstd.h; do
    [ -f "$h" ] || [ -f "/usr/include/x86_64-linux-gnu/$(basename "$h")" ] \
        || { say "missing header $h"; failed=1; }
done

# --- Swift toolchain -------------------------------------------------------------
if ! command -v swift >/dev/null 2>&1; then
    say "swift is not on PATH (Swift 6.1 or later is required)"; failed=1
fi

# --- Python packages for Tools/ ----------------------------------------------------
if command -v python3 >/dev/null 2>&1; then
    if ! python3 -c 'import numpy, zstandard, onnx, onnxruntime, sklearn, skl2onnx, pytest, ray' >/dev/null 2>&1; then
        say "installing Python packages from Tools/requirements.txt (pip)"
        python3 -m pip install -q -r Tools/requirements.txt >/dev/null 2>&1 \
            || say "pip could not install Tools/requirements.txt (Python tools will not run; Swift tests do not need them)"
    fi
    # The Python package, editable so it follows this checkout (`import zkvm`).
    if ! python3 -c 'import zkvm, sys; sys.exit(0 if zkvm.__file__.startswith(sys.argv[1]) else 1)' "$PWD/Tools/python" >/dev/null 2>&1; then
        say "installing the Python package (pip install -e Tools/python)"
        python3 -m pip install -q -e Tools/python >/dev/null 2>&1 \
            || say "pip could not install Tools/python (the tests use it from the checkout anyway)"
    fi
else
    say "python3 not found (only the Python tools need it)"
fi

if [ $failed -ne 0 ]; then
    say "set-up incomplete (see above)"
    exit 1
fi
exit 0
