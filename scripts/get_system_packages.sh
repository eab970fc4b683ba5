#!/usr/bin/env bash
# Debian packages the chapters draw with:
#   graphviz     `dot`, for keras.utils.plot_model's diagrams;
#   fonts-nanum  Hangul fonts; optional: cnnlib ships one (cnnlib/fonts/, NanumSquare, OFL)
#                and uses a system Nanum font only when one is installed.
# Installed when we can (root with apt-get); otherwise this says how, and goes on:
# the chapters print a clear message instead of the diagram.
set -u
missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
[ ${#missing[@]} -eq 0 ] && exit 0

if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing ${missing[*]} from Debian's packages..."
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || { echo "apt-get install ${missing[*]} failed" >&2; exit 1; }
  fi
  exit 0
fi
echo "Missing ${missing[*]}: install them (sudo apt-get install ${missing[*]}; on macOS brew install graphviz)"
echo "to draw model diagrams; the book builds without them."
