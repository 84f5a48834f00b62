#!/usr/bin/env bash
# Sets up the machine, builds in release mode (field arithmetic and NTTs are
# 10–50× slower in debug builds) and runs every test. This is the command
# README.md gives and .ci/run calls.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Tools/setup.sh
echo "test: building (release, testable)" >&2
swift build -c release --build-tests -Xswiftc -enable-testing
echo "test: running tests" >&2
swift test -c release -Xswiftc -enable-testing --skip-build "$@"
