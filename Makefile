# Bootstrap only: create .venv from the pinned requirements, then delegate to tasks.py.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: serve build check test clean venv debian-test-packages

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

serve: $(VENV)/.installed
	$(PY) tasks.py serve

build: $(VENV)/.installed
	$(PY) tasks.py build

check: $(VENV)/.installed
	$(PY) tasks.py check

# Debian packages the tests drive (Chromium, Java, npm, PostgreSQL), installed only when missing.
debian-test-packages:
	bash .ci/install-debian-packages

# The Nu Html Checker, pinned in package-lock.json (test tool only).
node_modules/.installed: package.json package-lock.json | debian-test-packages
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.installed-dev debian-test-packages node_modules/.installed
	$(PY) -m ruff check .
	$(PY) -m pytest

clean:
	@[ -x $(PY) ] && $(PY) tasks.py clean || rm -rf output .cache
