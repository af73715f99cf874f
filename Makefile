# One entry point for readers, students, instructors and CI.
#   make book     build the HTML book into _build/html (sets up .venv on first use)
#   make test     run every test: unit tests, nbval on every chapter, the warning-free book build
#                 and its pages checked in headless Chromium
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

.PHONY: lock book student-book student-kit pdf student-pdf assignments grade test refresh bench lab links measure venv clean

$(STAMP): requirements.txt code/pyproject.toml tools/ipython_kernel_config.py
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
	$(BIN)/python tools/build_book.py

student-book: $(STAMP)
	$(BIN)/python tools/build_student_book.py

pdf: $(STAMP)
	$(BIN)/python tools/build_pdf.py

student-pdf: $(STAMP)
	$(BIN)/python tools/build_pdf.py --student

assignments: $(STAMP)
	$(BIN)/python tools/assignments.py generate $(A)

student-kit: $(STAMP)
	$(BIN)/python tools/assignments.py generate
	$(BIN)/python tools/student_kit.py

grade: $(STAMP)
	@test -n "$(A)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade A=<assignment> SUBMISSIONS=<folder or zip> [OUT=<folder>] [JOBS=n]"; exit 2; }
	$(BIN)/python tools/assignments.py grade $(A) "$(SUBMISSIONS)" --jobs $(JOBS) $(if $(OUT),--out "$(OUT)")

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile

refresh: $(STAMP)
	$(BIN)/python tools/refresh_notebooks.py $(NB)

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH)

lab: $(STAMP)
	$(BIN)/jupyter lab chapters

links: $(STAMP)
	$(BIN)/python tools/check_links.py

measure: $(STAMP)
	$(BIN)/python tools/measure_build.py

clean:
	rm -rf _build dist
