#!/usr/bin/env bash
# Graphviz's `dot` draws keras.utils.plot_model's diagrams. Installs it from
# Debian when we can (root with apt-get); otherwise says how, and goes on:
# the chapters print a clear message instead of the diagram.
set -u
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "Installing graphviz from Debian's packages..."
  if ! apt-get install -y -qq graphviz >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    apt-get install -y -qq graphviz >/dev/null || { echo "graphviz: apt-get install failed" >&2; exit 1; }
  fi
  exit 0
fi
echo "graphviz is missing: install it (sudo apt-get install graphviz, brew install graphviz) to draw model diagrams."
