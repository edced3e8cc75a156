#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs the whole suite offline.
# Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh Debian has python3 without venv (and pip); as root, install it, as for chromium below.
if ! python3 -c "import ensurepip, venv" >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
  else
    echo "python3-venv is missing: run 'sudo apt-get install -y python3-venv'" >&2
    exit 1
  fi
fi
python3 -m venv .venv
. .venv/bin/activate
pip install --quiet --upgrade pip
pip install --quiet -r requirements.txt -r requirements-dev.txt
pip install --quiet --no-deps -r requirements-offline.txt
# llama.cpp's server for the remote-endpoint tests. The first run builds llama-cpp-python from source (about
# 8 minutes; pip caches the wheel). Without a C++ compiler it cannot build: those tests are then skipped.
# The build targets any x86-64 CPU with AVX2 (GGML_NATIVE=OFF): one tuned to the build machine's own CPU (the
# default) died with "Illegal instruction" in llama.cpp's decode on the very VM that built it (2026-12-06).
# pip keys the wheels it built by source, not by build flags, so this build keeps a cache folder of its own.
if ! CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" \
    pip install --quiet --cache-dir "${HOME}/.cache/scamlab-pip-portable" -r requirements-bench.txt; then
  echo "requirements-bench.txt did not install: the llama.cpp server tests will be skipped" >&2
fi

# Browser tests drive Debian's Chromium with Playwright (Playwright's own browser download cannot work offline).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install -y chromium' (browser tests will be skipped)" >&2
  fi
fi

export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false GRADIO_ANALYTICS_ENABLED=False
# Two workers, each taking whole test files (their module fixtures: one app, one browser): the suite waits on
# apps, browsers and servers about half its time. `-n 0` runs it in one process.
python -m pytest -q -ra -n 2 --dist loadfile "$@"
