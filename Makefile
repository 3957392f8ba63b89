# Bootstrap only: create .venv from the pinned requirements, then delegate to tasks.py.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DEBIAN_TEST_PACKAGES := chromium

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

# Debian packages the tests drive (real Chromium); installed only when missing.
debian-test-packages:
	@missing=""; for p in $(DEBIAN_TEST_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing from Debian:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

test: $(VENV)/.installed-dev debian-test-packages
	$(PY) -m ruff check .
	$(PY) -m pytest

clean:
	@[ -x $(PY) ] && $(PY) tasks.py clean || rm -rf output .cache
