# Two commands: `make serve` builds the dataset and serves it in Datasette;
# `make test` installs what the tests need, lints with ruff and runs the tests. Both create .venv
# first, installing the exact versions pinned in requirements.lock (`make lock` regenerates it).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8001
LOCK := $(CURDIR)/requirements.lock

# Every pip run from here, build-isolation environments included, gets the lock's versions:
# PIP_CONSTRAINT for pip's own installs (and build isolation before pip 25.3),
# PIP_BUILD_CONSTRAINT for build isolation from pip 25.3 on (26.2+ ignores PIP_CONSTRAINT there).
export PIP_CONSTRAINT := $(LOCK)
export PIP_BUILD_CONSTRAINT := $(LOCK)

.PHONY: serve test install lint build validate chromium lock publish-folder

$(BIN)/weapon-use-positions: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

install: $(BIN)/weapon-use-positions

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

validate: install
	$(BIN)/weapon-use-positions validate

build: install
	$(BIN)/weapon-use-positions build

serve: build
	$(BIN)/weapon-use-positions serve --host $(HOST) --port $(PORT)

# The site as a self-contained folder for `datasette publish`; prints the command that deploys it.
publish-folder: build
	$(BIN)/weapon-use-positions publish-folder build/publish

# Re-resolve from pyproject.toml's lower bounds in a throwaway venv, ignoring the current lock.
lock:
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	unset PIP_CONSTRAINT PIP_BUILD_CONSTRAINT; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip install --quiet --upgrade pip; \
	"$$tmp/venv/bin/python" -m pip install --quiet -e ".[test]"; \
	{ echo '# Exact versions of everything `pip install -e ".[test]"` brings in; the Makefile installs with it as constraints.'; \
	  echo '# pyproject.toml keeps only lower bounds. Regenerate with `make lock` (a fresh throwaway venv, then'; \
	  echo '# `pip freeze --exclude-editable`), and commit the result.'; \
	  "$$tmp/venv/bin/python" -m pip freeze --exclude-editable; } > "$$tmp/requirements.lock"; \
	mv "$$tmp/requirements.lock" requirements.lock; \
	echo "wrote requirements.lock ($$(grep -c '==' requirements.lock) pins)"

# The browser tests drive Debian's Chromium (never a downloaded browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# pytest exits 5 when it collects no tests: say so plainly instead of failing obscurely.
test: install chromium lint
	@$(BIN)/python -m pytest $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests"; exit 0; fi; \
	exit $$status
