#!/usr/bin/env bash
# The main job: set up, build, and run it. Until the prover lands (issue 4)
# the main job measures the arithmetic and commitment layer: `zkvm bench`.
# Extra arguments go to `zkvm bench` (try --json, --quick, --threads N).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
echo "run: building zkvm (release)" >&2
swift build -c release --product zkvm
.build/release/zkvm bench "$@"
