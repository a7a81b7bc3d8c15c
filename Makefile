# Two commands: `make serve` builds the dataset and serves it in Datasette;
# `make test` installs what the tests need and runs them. Both create .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8001

.PHONY: serve test install build validate chromium

$(BIN)/weapon-use-positions: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(BIN)/weapon-use-positions

validate: install
	$(BIN)/weapon-use-positions validate

build: install
	$(BIN)/weapon-use-positions build

serve: build
	$(BIN)/weapon-use-positions serve --host $(HOST) --port $(PORT)

# The browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# pytest exits 5 when it collects no tests: say so plainly instead of failing obscurely.
test: install chromium
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests"; exit 0; fi; \
	exit $$status
