#!/usr/bin/env bash
# MathJax 3, served with the site so formulas render offline (_config.yml's mathjax_path).
# Fetched once by `make setup` from npm's registry (`npm pack`, or the same tarball with
# curl), checked against its sha256, unpacked into _vendor/mathjax/ (not committed; _ext/cnnbook.py
# serves it as _static/mathjax/ — not from _static/ itself, where Jupyter Book would add
# every .js file to every page).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=3.2.2
SHA256=1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09
DEST=_vendor/mathjax
[ -f "$DEST/tex-mml-chtml.js" ] && [ -f "$DEST/.version-$VERSION" ] && exit 0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tarball="$tmp/mathjax-$VERSION.tgz"
if command -v npm >/dev/null 2>&1; then
  (cd "$tmp" && npm pack --silent "mathjax@$VERSION" >/dev/null)
else
  curl -fsSL -o "$tarball" "https://registry.npmjs.org/mathjax/-/mathjax-$VERSION.tgz"
fi
echo "$SHA256  $tarball" | sha256sum -c --quiet - || { echo "mathjax-$VERSION.tgz: wrong sha256" >&2; exit 1; }
rm -rf "$DEST"
mkdir -p "$DEST"
tar xzf "$tarball" -C "$tmp"
cp -r "$tmp/package/es5/." "$DEST/"
cp "$tmp/package/LICENSE" "$DEST/LICENSE"
# The site loads tex-mml-chtml.js (HTML-CSS output); the other combined builds and the SVG
# output are never loaded: half the size.
( cd "$DEST" && rm -rf mml-*.js tex-svg*.js tex-mml-svg.js tex-chtml-full*.js node-main.js output/svg* )
touch "$DEST/.version-$VERSION"
echo "MathJax $VERSION in $DEST ($(du -sh "$DEST" | cut -f1))"
