#!/usr/bin/env bash
# The main job: set up, build, then on a shipped example
#   assemble → execute → prove → verify
# printing each stage's time, the proof size and its security level.
# Usage: bash Tools/run.sh [example]   (default: cnn; any name in Programs/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
echo "run: building zkvm (release)" >&2
swift build -c release --product zkvm
zkvm=.build/release/zkvm
name=${1:-cnn}
example=Programs/$name
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== assemble $example/$name.zkasm" >&2
"$zkvm" asm "$example/$name.zkasm" -o "$out/$name.zkbin"
echo "== execute" >&2
"$zkvm" exec "$out/$name.zkbin" --input "$example/input.json"
echo "== prove" >&2
"$zkvm" prove "$out/$name.zkbin" --input "$example/input.json" -o "$out/$name.zkp"
echo "== verify" >&2
"$zkvm" verify "$out/$name.zkp" --program "$out/$name.zkbin"
