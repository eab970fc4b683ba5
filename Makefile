# The two commands a newcomer needs: `make book` and `make test`.
# Both run `make setup` first, which creates .venv/ and installs everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NBVAL := -p no:cacheprovider --nbval --nbval-current-env \
         --nbval-sanitize-with tests/nbval_sanitize.cfg --nbval-cell-timeout 1200
export TF_CPP_MIN_LOG_LEVEL ?= 3
# The stored outputs and nbval's re-runs use the same data: never a download.
export CNNLIB_OFFLINE ?= 1
export PYTHONWARNINGS ?= ignore::DeprecationWarning

.PHONY: help setup data system-packages test unit book-tests notebooks book book-strict outputs lint clean \
        student installs site-links book-no-solutions mathjax reproduce

help:
	@echo "make book     build the HTML book into _build/html (runs setup first)"
	@echo "make test     everything below: unit, book-tests, notebooks, book-strict, site-links, installs"
	@echo "make unit     cnnlib's unit tests only (tests/unit, under a minute)"
	@echo "make outputs  re-run every chapter in place in the full profile (stores its outputs)"
	@echo "make setup    create .venv/, install Python packages, data, graphviz and MathJax for the site"
	@echo "make student  write the Colab copies of every chapter: colab/ (with solutions), student/ (without)"
	@echo "make reproduce re-train the headline models with seeds 1 and 2 (results_seeds.json; not CI)"
	@echo "make installs install cnnlib alone into fresh venvs (Python 3.10-3.13, oldest/newest NumPy)"

setup: $(STAMP) data system-packages mathjax

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt -e .
	touch $(STAMP)

data:
	@bash scripts/get_fashion_mnist.sh

system-packages:
	@bash scripts/get_system_packages.sh

# MathJax for the site (offline formulas): npm's mathjax@3 tarball into _vendor/mathjax/.
mathjax:
	@bash scripts/get_mathjax.sh

# cnnlib's own tests (tests/unit/, one file per module): well under a minute.
unit: setup
	$(PY) -m pytest -p no:cacheprovider tests/unit

# The book's tests (tests/book/): stored outputs, student copies, curriculum numbers,
# results table, grading whole submissions. The install matrix and the built site's
# links have their own targets (installs, site-links).
book-tests: setup
	$(PY) -m pytest -p no:cacheprovider tests/book

notebooks: setup
	CNNLIB_PROFILE=quick CNNLIB_REQUIRE_FASHION=1 $(PY) -m pytest $(NBVAL) chapters

book-strict: setup
	$(VENV)/bin/jupyter-book build . -W -n --keep-going

site-links: book-strict
	CNNLIB_REQUIRE_SITE=1 $(PY) -m pytest -q -p no:cacheprovider tests/book/test_student.py tests/book/test_site.py -k built_site

installs:
	bash scripts/check_installs.sh

test: unit book-tests notebooks book-strict site-links installs

book: setup
	$(VENV)/bin/jupyter-book build .
	@echo "Open _build/html/index.html"

outputs: setup
	CNNLIB_PROFILE=full $(PY) scripts/run_notebooks.py chapters/*.ipynb

# Not part of CI: seeds 1 and 2 of every headline chapter (~50 min per seed on 2 cores),
# written to results_seeds.json (seed 0 is the page's stored run).
reproduce: setup
	$(PY) scripts/reproduce.py

student: setup
	$(PY) scripts/make_student.py

book-no-solutions: setup
	$(PY) scripts/make_student.py --site _build/no-solutions
	$(VENV)/bin/jupyter-book build _build/no-solutions

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf _build .pytest_cache .hypothesis
