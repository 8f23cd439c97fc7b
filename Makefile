# The README's two commands: `make demo` and `make test`.
# Each creates .venv and installs the project on first use (re-installs when pyproject.toml changes).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test bench serve clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch first, pinned: the CPU wheel on this machine; an unpinned resolve would pull CUDA builds.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/mentiondesk demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/triage.py

serve: $(STAMP)
	$(BIN)/mentiondesk serve

clean:
	rm -rf $(VENV) mentiondesk.db mentiondesk.db-wal mentiondesk.db-shm mentiondesk.db.startup-lock
