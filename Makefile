# The README's two commands: `make demo` and `make test`. After `make demo`, run the command line
# as ./mentiondesk (the launcher at the root: this checkout's .venv, the demo database by default).
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
	./mentiondesk demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --durations=15

bench: $(STAMP)
	$(BIN)/python bench/triage.py

serve: $(STAMP)
	./mentiondesk serve

clean:
	rm -rf $(VENV) mentiondesk.db mentiondesk.db-wal mentiondesk.db-shm mentiondesk.db.startup-lock \
		mentiondesk-demo.db mentiondesk-demo.db-wal mentiondesk-demo.db-shm mentiondesk-demo.db.startup-lock
