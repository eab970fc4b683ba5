#!/usr/bin/env bash
# Colab-proof installs: cnnlib on its own, as a reader or Colab installs it.
#
#   bash scripts/check_installs.sh            (make installs)
#
# From a fresh clone of the committed HEAD (so a file that is not committed fails here):
#
# 1. Matrix: for each "python:numpy" in MATRIX, a fresh venv gets `pip install <clone>`
#    (cnnlib and what pyproject.toml asks for, nothing from requirements.txt) with that
#    NumPy, plus pytest and hypothesis; then cnnlib must import from site-packages and
#    pass its unit tests (those that need TensorFlow or Jupyter skip themselves).
#    "latest" means whatever pip picks for cnnlib's ranges.
# 2. Colab: a fresh Python 3.12 venv with only what Colab preinstalls for the book
#    (numpy, matplotlib, tensorflow, and Jupyter's kernel), then the chapter's own
#    install line, `pip install "cnnlib @ git+file://<clone>"`, then one chapter runs
#    top to bottom in the quick profile, offline, and every exercise check must pass.
#
# Settings (environment):
#   MATRIX          default "3.10:1.23.0 3.10:latest 3.11:1.23.2 3.11:latest 3.13:2.1.0 3.13:latest"
#                   (1.23.0 and 1.23.2 are the oldest NumPy wheels for 3.10 and 3.11;
#                    2.1.0 the oldest for 3.13)
#   COLAB_PYTHON    default 3.12;  COLAB_PACKAGES  default "numpy matplotlib tensorflow ipykernel nbclient nbformat"
#   COLAB_CHAPTER   default convolution
#   SKIP_COLAB=1 / SKIP_MATRIX=1 skip a part.  KEEP=1 keeps the work folder.
#   PYTHON3_10=... (etc.) point at an interpreter; by default pyenv's newest 3.10.x, ...
# pip's cache (~/.cache/pip) makes a second run take a few minutes.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
MATRIX=${MATRIX:-"3.10:1.23.0 3.10:latest 3.11:1.23.2 3.11:latest 3.13:2.1.0 3.13:latest"}
COLAB_PYTHON=${COLAB_PYTHON:-3.12}
COLAB_PACKAGES=${COLAB_PACKAGES:-"numpy matplotlib tensorflow ipykernel nbclient nbformat"}
COLAB_CHAPTER=${COLAB_CHAPTER:-convolution}
work=$(mktemp -d "${TMPDIR:-/tmp}/cnnlib-installs.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi
export PIP_DISABLE_PIP_VERSION_CHECK=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore::DeprecationWarning
unset PYTHONPATH VIRTUAL_ENV CNNLIB_GRADE_LOG

results=()
failed=0
start_all=$SECONDS

python_for() {  # python_for 3.10 -> path of an interpreter
    local var="PYTHON${1//./_}"
    if [ -n "${!var:-}" ]; then echo "${!var}"; return; fi
    local root
    root=${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}
    local found
    found=$(ls -d "$root"/versions/"$1".*/bin/python 2>/dev/null | sort -V | tail -1)
    if [ -n "$found" ]; then echo "$found"; return; fi
    command -v "python$1" || true
}

record() {  # record "label" status seconds [detail]
    results+=("$(printf '%-28s %-5s %4ss  %s' "$1" "$2" "$3" "${4:-}")")
    [ "$2" = ok ] || failed=1
}

echo "== fresh clone of $(git -C "$repo" rev-parse --short HEAD)"
git clone -q --no-local "$repo" "$work/clone" || { echo "git clone failed" >&2; exit 1; }
clone=$work/clone

if [ "${SKIP_MATRIX:-0}" != 1 ]; then
    for entry in $MATRIX; do
        py=${entry%%:*}
        np=${entry#*:}
        label="python $py, numpy $np"
        t0=$SECONDS
        exe=$(python_for "$py")
        if [ -z "$exe" ]; then record "$label" FAIL 0 "no Python $py found"; continue; fi
        venv=$work/py$py-np$np
        log=$venv.log
        echo "== $label"
        spec=()
        [ "$np" = latest ] || spec=("numpy==$np")
        if ! { "$exe" -m venv "$venv" && "$venv/bin/pip" install -q --only-binary=numpy \
                   "${spec[@]}" "$clone" pytest hypothesis; } >"$log" 2>&1; then
            tail -20 "$log"
            record "$label" FAIL $((SECONDS - t0)) "pip install failed (log above)"
            continue
        fi
        versions=$(cd "$work" && "$venv/bin/python" -c '
import sys, numpy, matplotlib, cnnlib, cnnlib.check, cnnlib.exercises
assert "site-packages" in cnnlib.__file__, cnnlib.__file__
print(f"numpy {numpy.__version__}, matplotlib {matplotlib.__version__}")' 2>>"$log")
        if [ -z "$versions" ]; then
            tail -20 "$log"
            record "$label" FAIL $((SECONDS - t0)) "cnnlib does not import (log above)"
            continue
        fi
        # --import-mode=importlib and the pytest script (not python -m) keep the clone's
        # cnnlib/ off sys.path: the tests exercise the installed package.
        if (cd "$clone" && "$venv/bin/pytest" -q -p no:cacheprovider --import-mode=importlib \
                tests --ignore=tests/test_installs.py) >>"$log" 2>&1; then
            record "$label" ok $((SECONDS - t0)) "$versions; $(grep -Eo '[0-9]+ passed.*' "$log" | tail -1)"
        else
            grep -E "^(FAILED|ERROR)|Error" "$log" | head -20
            record "$label" FAIL $((SECONDS - t0)) "$versions; unit tests failed (above)"
        fi
    done
fi

if [ "${SKIP_COLAB:-0}" != 1 ]; then
    label="colab: python $COLAB_PYTHON + tf"
    t0=$SECONDS
    exe=$(python_for "$COLAB_PYTHON")
    venv=$work/colab
    log=$venv.log
    echo "== $label: $COLAB_PACKAGES, then cnnlib @ git+file://, then chapters/$COLAB_CHAPTER.ipynb"
    # shellcheck disable=SC2086
    if [ -z "$exe" ]; then
        record "$label" FAIL 0 "no Python $COLAB_PYTHON found"
    elif ! { "$exe" -m venv "$venv" && "$venv/bin/pip" install -q $COLAB_PACKAGES \
               && "$venv/bin/pip" freeze >"$work/before.txt" \
               && "$venv/bin/pip" install -q "cnnlib @ git+file://$clone" \
               && "$venv/bin/pip" freeze >"$work/after.txt"; } >"$log" 2>&1; then
        tail -20 "$log"
        record "$label" FAIL $((SECONDS - t0)) "pip install failed (log above)"
    elif changed=$(diff <(grep -v '^cnnlib' "$work/before.txt") <(grep -v '^cnnlib' "$work/after.txt")); [ -n "$changed" ]; then
        echo "$changed"
        record "$label" FAIL $((SECONDS - t0)) "installing cnnlib changed Colab's packages (above)"
    else
        mkdir -p "$work/run"
        cp "$clone/chapters/$COLAB_CHAPTER.ipynb" "$work/run/"
        if (cd "$work/run" && CNNLIB_PROFILE=quick CNNLIB_OFFLINE=1 MPLBACKEND=Agg \
                "$venv/bin/python" - "$COLAB_CHAPTER.ipynb") >>"$log" 2>&1 <<'EOF'
import sys
import nbformat
from nbclient import NotebookClient

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell("import cnnlib, sys; print('CNNLIB', cnnlib.__file__, sys.executable)"))
NotebookClient(nb, timeout=1200, kernel_name="python3").execute()
text = lambda c: "".join(o.get("text", "") for o in c.get("outputs", []))
where = text(nb.cells[-1])
assert "site-packages" in where and sys.prefix in where, f"kernel did not use the venv's cnnlib: {where}"
checks = [c for c in nb.cells if c.cell_type == "code" and "check.exercise(" in c.source]
bad = [text(c) for c in checks if not text(c).startswith("✔")]
assert not bad, f"exercise checks did not pass: {bad}"
first = text(nb.cells[[c.cell_type for c in nb.cells].index("code")])
print("RESULT", first.splitlines()[1], f"| {len(checks)} checks passed")
EOF
        then
            record "$label" ok $((SECONDS - t0)) "$(grep RESULT "$log" | cut -c8-)"
        else
            tail -25 "$log"
            record "$label" FAIL $((SECONDS - t0)) "the chapter did not run (log above)"
        fi
    fi
fi

echo
echo "== install checks ($((SECONDS - start_all)) s)"
printf '%s\n' "${results[@]}"
exit $failed
