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
#    pass its unit tests (those that need TensorFlow or Jupyter skip themselves; the
#    tests of the chapters and student copies are left to make test).
#    "latest" means whatever pip picks for cnnlib's ranges.
# 2. Colab: a fresh Python 3.12 venv with a current pip and only what Colab preinstalls
#    for the book (numpy, matplotlib, tensorflow, and Jupyter's kernel), then the chapter's own
#    install line, `pip install "cnnlib @ git+file://<clone>"`, then one chapter runs
#    top to bottom in the quick profile, offline, and every exercise check must pass.
#
# Settings (environment):
#   MATRIX          default "3.10:1.23.0 3.10:latest 3.11:1.23.2 3.11:latest 3.13:2.1.0 3.13:latest"
#                   (1.23.0 and 1.23.2 are the oldest NumPy wheels for 3.10 and 3.11;
#                    2.1.0 the oldest for 3.13)
#   COLAB_PYTHON    default 3.12;  COLAB_PACKAGES  default "numpy matplotlib threadpoolctl tensorflow ipykernel nbclient nbformat"
#   COLAB_CHAPTER   default convolution
#   JOBS            matrix venvs built and tested at once (default 2)
#   SKIP_COLAB=1 / SKIP_MATRIX=1 skip a part.  KEEP=1 keeps the work folder.
#   PYTHON3_10=... (etc.) point at an interpreter; by default pyenv's newest 3.10.x, ...,
#                   else python3.10 on PATH. A version found nowhere is skipped with one
#                   line (status "skip"), never a failure; everything else still runs.
# pip's cache (~/.cache/pip) makes a second run take a few minutes.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
MATRIX=${MATRIX:-"3.10:1.23.0 3.10:latest 3.11:1.23.2 3.11:latest 3.13:2.1.0 3.13:latest"}
COLAB_PYTHON=${COLAB_PYTHON:-3.12}
COLAB_PACKAGES=${COLAB_PACKAGES:-"numpy matplotlib threadpoolctl tensorflow ipykernel nbclient nbformat"}
COLAB_CHAPTER=${COLAB_CHAPTER:-convolution}
JOBS=${JOBS:-2}
work=$(mktemp -d "${TMPDIR:-/tmp}/cnnlib-installs.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then echo "work folder: $work"; else trap 'rm -rf "$work"' EXIT; fi
export PIP_DISABLE_PIP_VERSION_CHECK=1 TF_CPP_MIN_LOG_LEVEL=3 PYTHONWARNINGS=ignore::DeprecationWarning
unset PYTHONPATH VIRTUAL_ENV CNNLIB_GRADE_LOG

mkdir -p "$work/results"
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
    printf '%-28s %-5s %4ss  %s\n' "$1" "$2" "$3" "${4:-}" >"$work/results/$(echo "$1" | tr -c 'a-z0-9.' _)"
}

quiet() {  # drop pip's notes about this machine's extra local indexes
    grep -v "^WARNING: Location 'file://" "$@" || true
}

pip_install() {  # pip_install VENV ARGS...: no .pyc compiling (saves minutes), retry once
    local venv=$1; shift
    "$venv/bin/pip" install -q --no-compile "$@" || "$venv/bin/pip" install -q --no-compile "$@"
}

echo "== fresh clone of $(git -C "$repo" rev-parse --short HEAD)"
git clone -q --no-local "$repo" "$work/clone" || { echo "git clone failed" >&2; exit 1; }
clone=$work/clone

colab_check() {
    label="colab: python $COLAB_PYTHON + tf"
    t0=$SECONDS
    exe=$(python_for "$COLAB_PYTHON")
    venv=$work/colab
    log=$venv.log
    echo "== $label (in the background): $COLAB_PACKAGES, then cnnlib @ git+file://, then chapters/$COLAB_CHAPTER.ipynb"
    # shellcheck disable=SC2086
    if [ -z "$exe" ]; then
        echo "== $label: skipped, no Python $COLAB_PYTHON here (install it with pyenv, or set PYTHON${COLAB_PYTHON//./_}=...)"
        record "$label" skip 0 "no Python $COLAB_PYTHON found"
    elif ! { "$exe" -m venv "$venv" && pip_install "$venv" --upgrade pip \
               && pip_install "$venv" $COLAB_PACKAGES \
               && "$venv/bin/pip" freeze >"$work/before.txt" \
               && pip_install "$venv" "cnnlib @ git+file://$clone" \
               && "$venv/bin/pip" freeze >"$work/after.txt"; } >"$log" 2>&1; then
        quiet "$log" | tail -20
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
bad = [text(c) for c in checks  # the verdict is the last line (a checker may say where its data came from)
       if not (text(c).strip().splitlines() or [""])[-1].startswith("✔")]
assert not bad, f"exercise checks did not pass: {bad}"
first = text(nb.cells[[c.cell_type for c in nb.cells].index("code")])
print("RESULT", first.splitlines()[1], f"| {len(checks)} checks passed")
EOF
        then
            record "$label" ok $((SECONDS - t0)) "$(grep RESULT "$log" | cut -c8-)"
        else
            quiet "$log" | tail -25
            record "$label" FAIL $((SECONDS - t0)) "the chapter did not run (log above)"
        fi
    fi
}

# The Colab check spends most of its time unpacking TensorFlow: it runs in the
# background while the matrix runs in the foreground.
colab_pid=
if [ "${SKIP_COLAB:-0}" != 1 ]; then
    colab_check &
    colab_pid=$!
fi

matrix_entry() {  # matrix_entry "3.10:1.23.0"
    local entry=$1 py np label t0 exe venv log spec versions
    py=${entry%%:*}
    np=${entry#*:}
    label="python $py, numpy $np"
    t0=$SECONDS
    exe=$(python_for "$py")
    if [ -z "$exe" ]; then
        echo "== $label: skipped, no Python $py here (install it with pyenv, or set PYTHON${py//./_}=/path/to/python$py)"
        record "$label" skip 0 "no Python $py found"
        return
    fi
    venv=$work/py$py-np$np
    log=$venv.log
    echo "== $label"
    spec=()
    [ "$np" = latest ] || spec=("numpy==$np")
    if ! { "$exe" -m venv "$venv" && pip_install "$venv" --only-binary=numpy \
               "${spec[@]}" "$clone" pytest hypothesis; } >"$log" 2>&1; then
        quiet "$log" | tail -20
        record "$label" FAIL $((SECONDS - t0)) "pip install failed (log above)"
        return
    fi
    versions=$(cd "$work" && "$venv/bin/python" -c '
import sys, numpy, matplotlib, cnnlib, cnnlib.check, cnnlib.exercises
assert "site-packages" in cnnlib.__file__, cnnlib.__file__
print(f"numpy {numpy.__version__}, matplotlib {matplotlib.__version__}")' 2>>"$log")
    if [ -z "$versions" ]; then
        quiet "$log" | tail -20
        record "$label" FAIL $((SECONDS - t0)) "cnnlib does not import (log above)"
        return
    fi
    # --import-mode=importlib and the pytest script (not python -m) keep the clone's
    # cnnlib/ off sys.path: the tests exercise the installed package. The tests of the
    # book itself (chapters, student copies) are make test's business, not cnnlib's.
    if (cd "$clone" && "$venv/bin/pytest" -q -p no:cacheprovider --import-mode=importlib \
            tests/unit) >>"$log" 2>&1; then
        record "$label" ok $((SECONDS - t0)) "$versions; $(grep -Eo '[0-9]+ passed.*' "$log" | tail -1)"
    else
        grep -E "^(FAILED|ERROR)|Error" "$log" | head -20
        record "$label" FAIL $((SECONDS - t0)) "$versions; unit tests failed (above)"
    fi
}

if [ "${SKIP_MATRIX:-0}" != 1 ]; then
    running=0
    for entry in $MATRIX; do
        if [ "$running" -ge "$JOBS" ]; then
            wait -n || true
            running=$((running - 1))
        fi
        matrix_entry "$entry" &
        running=$((running + 1))
    done
fi
wait
echo
echo "== install checks ($((SECONDS - start_all)) s)"
cat "$work"/results/*
! grep -q " FAIL " "$work"/results/*
