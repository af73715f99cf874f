# One entry point for readers, students, instructors and CI.
#   make book     build the HTML book into _build/html (sets up .venv on first use)
#   make unit     run the fast tests only (tests/unit without the `slow` sweeps: the package and the tools; no chapter, no build)
#   make test     run every test: unit tests, nbval on every chapter, the warning-free book build
#                 and its pages checked in headless Chromium (what CI runs)
#   make refresh  re-execute chapter notebooks in place (NB=chapters/01_overfitting.ipynb for one)
#   make student-book  build the student edition (no solutions) into _build/student/_build/html
#   make pdf      build the whole book as one PDF into _build/pdf/ (needs TeX: see the README)
#   make student-pdf   the student edition's PDF, into _build/pdf/
#   make assignments   generate student notebooks and autograders into dist/assignments (A=01 filters);
#                      the autograder zips are Gradescope-ready (regbook wheel and pinned stack inside)
#   make student-kit   what students receive: student notebooks of the chapters and assignments, a regbook
#                      wheel, pinned requirements, a set-up page -> dist/student-kit/ and dist/student-kit.zip
#   make grade A=<name> SUBMISSIONS=<dir or zip> [OUT=<dir>] [JOBS=2]  grade submissions, one sandbox each
#   make bench    run the benchmarks and print their table (BENCH=ridge for one module)
#   make lab      open JupyterLab on the chapters, in the project's environment
#   make links    check the links of the built book (_build/html) and list the external ones
#   make measure  measure build, test and chapter execution times (medians of several runs)
#   make venv     only create .venv and install the pinned requirements
#   make lock     compile requirements.in (the direct dependencies) into the pinned requirements.txt
# Every target but venv, lock, test, unit, bench and lab is one `book` subcommand (tools/booktools/cli.py):
# `.venv/bin/book --help` lists them with their options.

# The repository root (this file's folder). Every path below is relative to it, and pip must read
# requirements.txt from it (its `-e ./code` line is relative to the current folder): refuse to run
# from anywhere else, e.g. `make -f path/to/Makefile`, instead of failing in pip.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))
ifneq ($(ROOT),$(CURDIR))
$(error run make from the repository root: cd $(ROOT) && make ... (or make -C $(ROOT) ...))
endif
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PIP_VERSION := 26.3
NB     ?=
BENCH  ?=
A      ?=
SUBMISSIONS ?=
OUT    ?=
JOBS   ?= 0

.PHONY: lock book student-book student-kit pdf student-pdf assignments grade test unit refresh bench lab links measure venv clean

$(STAMP): requirements.txt code/pyproject.toml tools/pyproject.toml tools/ipython_kernel_config.py
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	mkdir -p $(VENV)/etc/ipython && cp tools/ipython_kernel_config.py $(VENV)/etc/ipython/
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	cd "$(ROOT)" && $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip check
	touch $(STAMP)

venv: $(STAMP)

# requirements.txt is generated: edit requirements.in, then `make lock` (pip-tools, in a venv of its own
# under _build/; it asks PyPI, and keeps the existing pins of packages whose requirements did not change).
LOCK_VENV := _build/lock-venv
lock:
	test -x $(LOCK_VENV)/bin/pip-compile || { $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/python -m pip install --quiet pip-tools==7.6.2; }
	CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet --allow-unsafe --strip-extras \
	    --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in

# The HTML builds link the edition's PDF when `make pdf` / `make student-pdf` has built it (_ext/book_pdf.py).
book student-book: export REGBOOK_PDF_DIR = $(CURDIR)/_build/pdf

book: $(STAMP)
	$(BIN)/book build

student-book: $(STAMP)
	$(BIN)/book student

pdf: $(STAMP)
	$(BIN)/book pdf

student-pdf: $(STAMP)
	$(BIN)/book pdf --student

assignments: $(STAMP)
	$(BIN)/book assignments $(A)

student-kit: $(STAMP)
	$(BIN)/book student-kit --generate

grade: $(STAMP)
	@test -n "$(A)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade A=<assignment> SUBMISSIONS=<folder or zip> [OUT=<folder>] [JOBS=n]"; exit 2; }
	$(BIN)/book grade $(A) "$(SUBMISSIONS)" --jobs $(JOBS) $(if $(OUT),--out "$(OUT)")

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

unit: $(STAMP)
	$(BIN)/python -m pytest -n 2 -m "not slow" tests/unit

refresh: $(STAMP)
	$(BIN)/book refresh $(NB)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH)

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

links: $(STAMP)
	$(BIN)/book links

measure: $(STAMP)
	$(BIN)/book measure

clean:
	rm -rf _build dist
