#!/usr/bin/env bash
# The main job: set up, build, then assemble and execute a shipped example
# (Programs/logistic_regression) and measure this machine (`zkvm bench`).
# Proving and verification join this pipeline with issue 4.
# Arguments go to `zkvm bench` (try --json, --quick, --threads N, --only ntt).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
echo "run: building zkvm (release)" >&2
swift build -c release --product zkvm
zkvm=.build/release/zkvm
example=Programs/logistic_regression
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== assemble $example" >&2
"$zkvm" asm "$example/logistic_regression.zkasm" -o "$out/logistic_regression.zkbin"
echo "== execute" >&2
"$zkvm" exec "$out/logistic_regression.zkbin" --input "$example/input.json"
echo "== benchmark" >&2
"$zkvm" bench "$@"
