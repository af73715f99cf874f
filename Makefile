# One entry point for readers, students, instructors and CI.
#   make book     build the HTML book into _build/html (sets up .venv on first use)
#   make test     run every test: unit tests, nbval on every chapter, the warning-free book build
#                 and its pages checked in headless Chromium
#   make refresh  re-execute chapter notebooks in place (NB=chapters/01_overfitting.ipynb for one)
#   make student-book  build the student edition (no solutions) into _build/student/_build/html
#   make assignments   generate student notebooks and autograders into dist/assignments (A=01 filters);
#                      the autograder zips are Gradescope-ready (regbook wheel and pinned stack inside)
#   make student-kit   what students receive: student notebooks of the chapters and assignments, a regbook
#                      wheel, pinned requirements, a set-up page -> dist/student-kit/ and dist/student-kit.zip
#   make grade A=<name> SUBMISSIONS=<dir> [CSV=scores.csv]  grade a folder of submitted notebooks
#   make bench    run the benchmarks and print their table (BENCH=ridge for one module)
#   make lab      open JupyterLab on the chapters, in the project's environment
#   make links    check the links of the built book (_build/html) and list the external ones
#   make measure  measure build, test and chapter execution times (medians of several runs)
#   make venv     only create .venv and install the pinned requirements
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
CSV    ?= scores.csv

.PHONY: book student-book student-kit assignments grade test refresh bench lab links measure venv clean

$(STAMP): requirements.txt code/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	cd "$(ROOT)" && $(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip check
	touch $(STAMP)

venv: $(STAMP)

book: $(STAMP)
	$(BIN)/python tools/build_book.py

student-book: $(STAMP)
	$(BIN)/python tools/build_student_book.py

assignments: $(STAMP)
	$(BIN)/python tools/assignments.py generate $(A)

student-kit: $(STAMP)
	$(BIN)/python tools/assignments.py generate
	$(BIN)/python tools/student_kit.py

grade: $(STAMP)
	@test -n "$(A)" -a -n "$(SUBMISSIONS)" || { echo "usage: make grade A=<assignment> SUBMISSIONS=<folder> [CSV=scores.csv]"; exit 2; }
	$(BIN)/python tools/assignments.py grade $(A) $(SUBMISSIONS) --csv $(CSV)

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
