# treasury-report
#
#   make demo     run the statements job on samples/ into ./out
#   make test     format lint, the one-importer rule, then every unit and end-to-end test
#   make bench    the benchmark (see BENCHMARKS.md)
#   make test-venv  the Python readers the export tests use (ofxtools, bai2) in .build/test-venv
#   make deps     install missing system packages (apt-get; run as root)
#   make format   rewrite sources with swift format
#
# Every target installs what it needs first, so a fresh machine needs only
# `make demo` and `make test`.

SWIFT ?= swift
APT_PACKAGES := time python3-venv zlib1g-dev libxml2-dev libxml2-utils pkg-config python3 gzip tar libcurl4 ca-certificates \
  ofx chromium-headless-shell poppler-utils fonts-liberation
# Independent readers of the OFX and BAI2 exports, from PyPI, pinned (make test-venv).
TEST_VENV := .build/test-venv
PYPI_TEST_PACKAGES := ofxtools==1.1.1 bai2==0.15.0
BIN := .build/debug

.PHONY: deps build demo test test-venv lint bench format clean

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

build: deps
	$(SWIFT) build

demo: build
	$(BIN)/treasury-report statements samples --out out
	@echo "statements written to ./out (summary.csv, manifest.json, one folder per period)"

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	@# C libraries are imported by exactly one Swift file each.
	@bad=$$(grep -rl '^import CZlib' Sources Tests | grep -v '^Sources/TreasuryReport/Zlib/Zlib.swift$$'); \
	if [ -n "$$bad" ]; then echo "only Zlib/Zlib.swift may import CZlib: $$bad"; exit 1; fi
	@bad=$$(grep -rl '^import CLibXML2' Sources Tests | grep -v '^Sources/TreasuryReport/XML/LibXML2.swift$$'); \
	if [ -n "$$bad" ]; then echo "only XML/LibXML2.swift may import CLibXML2: $$bad"; exit 1; fi
	@bad=$$(grep -rl '^import CCamtSchemas' Sources Tests | grep -v '^Sources/TreasuryReport/XML/EmbeddedSchemas.swift$$'); \
	if [ -n "$$bad" ]; then echo "only XML/EmbeddedSchemas.swift may import CCamtSchemas: $$bad"; exit 1; fi
	@# The schemas are unchanged copies of the official XSDs.
	cd Sources/CCamtSchemas/schemas && sha256sum --quiet -c SHA256SUMS
	cd Tests/reference/ofx-schemas && sha256sum --quiet -c SHA256SUMS
	@# The network stays at the input edge: one file sends HTTP requests.
	@bad=$$(grep -rlE '^ *import FoundationNetworking' Sources | grep -v '^Sources/TreasuryReport/Fetch/StripeClient.swift$$'); \
	if [ -n "$$bad" ]; then echo "only Fetch/StripeClient.swift may import FoundationNetworking: $$bad"; exit 1; fi

test-venv: deps
	@if ! $(TEST_VENV)/bin/python -c 'import ofxtools, bai2' 2>/dev/null; then \
	  python3 -m venv $(TEST_VENV) && $(TEST_VENV)/bin/pip install -q $(PYPI_TEST_PACKAGES); \
	fi

test: deps lint test-venv
	$(SWIFT) build
	$(SWIFT) test

bench: deps
	$(SWIFT) build -c release
	.build/release/treasury-bench

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build out
