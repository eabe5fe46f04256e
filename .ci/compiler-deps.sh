#!/usr/bin/env bash
# The C++ compiler that builds the compiled day-route search (planner/solve/_routes.cpp) when
# pip installs the package: Debian's g++. Without it the package still installs and plans,
# searching in Python, but CI should test the compiled search. Idempotent: installs only
# what is missing.
set -euo pipefail
if ! command -v g++ >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq g++
fi
g++ --version | head -1
