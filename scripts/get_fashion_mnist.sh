#!/usr/bin/env bash
# Fetch Fashion-MNIST for cnnlib.data without reaching keras's origin: Debian's package
# dataset-fashion-mnist, downloaded with `apt-get download` (no root needed) and unpacked
# with `dpkg-deb -x` into DEST, where cnnlib.data.load_fashion_mnist() looks for it.
#
# Usage: scripts/get_fashion_mnist.sh [DEST]      DEST defaults to <repo>/.data/fashion-mnist
#        (cnnlib also looks in ~/.cache/cnnlib/fashion-mnist, a good DEST outside the repo)
#
# Idempotent: does nothing when /usr/share/datasets/fashion-mnist or DEST already holds the
# four files. Without apt it says so and exits 0 (the loader then downloads from keras's origin
# when online). Exits non-zero only when apt is there and the download or unpacking fails.
# The loader checks every file's sha256 before use, so this script does not.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
dest=${1:-$repo/.data/fashion-mnist}
package=dataset-fashion-mnist
inside=usr/share/datasets/fashion-mnist  # the Debian entry in cnnlib/data/catalogue.py
files="train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz"

have_all() {
    local f
    for f in $files; do [ -s "$1/$f" ] || return 1; done
}

if have_all "/$inside"; then
    echo "Fashion-MNIST: already installed at /$inside (nothing to do)"
    exit 0
fi
if have_all "$dest/$inside"; then
    echo "Fashion-MNIST: already at $dest/$inside (nothing to do)"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-deb >/dev/null 2>&1; then
    echo "Fashion-MNIST: apt-get/dpkg-deb not found; cnnlib will download it from keras's origin when online"
    exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chmod 755 "$tmp"  # lets apt's _apt user write here (otherwise it warns and downloads as root)

download() { (cd "$tmp" && apt-get download -q "$package") >>"$tmp/apt.log" 2>&1; }

if ! download; then
    if [ "$(id -u)" = 0 ]; then
        apt-get update -qq >>"$tmp/apt.log" 2>&1 || true
        download || { cat "$tmp/apt.log" >&2; echo "Fashion-MNIST: apt-get download $package failed (log above)" >&2; exit 1; }
    else
        cat "$tmp/apt.log" >&2
        echo "Fashion-MNIST: apt-get download $package failed; as root run 'apt-get update' and retry," \
             "or 'apt-get install $package'" >&2
        exit 1
    fi
fi

deb=$(ls "$tmp"/"$package"_*.deb)
mkdir -p "$dest"
stage=$(mktemp -d "$dest/.extract.XXXXXX")  # same filesystem as DEST: the final mv is a rename
trap 'rm -rf "$tmp" "$stage"' EXIT
dpkg-deb -x "$deb" "$stage"
if ! have_all "$stage/$inside"; then
    echo "Fashion-MNIST: $(basename "$deb") does not hold $inside/{$files}" >&2
    exit 1
fi
mkdir -p "$dest/$(dirname "$inside")"
rm -rf "${dest:?}/$inside"
mv "$stage/$inside" "$dest/$inside"
echo "Fashion-MNIST: unpacked $(basename "$deb") into $dest/$inside"
