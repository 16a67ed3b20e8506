# treasury-report
#
#   make demo     run the statements job on samples/ into ./out, publish it to ./published and verify it there,
#                 then the monthly run (deploy/run.yaml) into ./published-runs, twice
#   make test     format lint, the layer check (Tests/lint/layers.py), then every unit and end-to-end test
#   make bench    the benchmark (see BENCHMARKS.md)
#   make test-venv  the Python tools the tests use (ofxtools, ofxparse, bai2, botocore, moto's S3 server) in .build/test-venv
#   make deps     install the missing system packages the build needs (apt-get; run as root)
#   make test-deps  the same for the tools the tests and the benchmark also need
#   make format   rewrite sources with swift format
#
# Every target installs what it needs first, so a fresh machine needs only
# `make demo` and `make test`.

SWIFT ?= swift
# Building and running the tool (fetch needs libcurl and the CA certificates).
BUILD_PACKAGES := zlib1g-dev libxml2-dev pkg-config libcurl4 ca-certificates
# Only the tests and the benchmark: independent readers, a browser to print HTML, /usr/bin/time.
TEST_PACKAGES := time python3 python3-venv libxml2-utils gzip tar ofx chromium-headless-shell poppler-utils fonts-liberation
# Independent readers of the OFX and BAI2 exports, botocore's SigV4 signer, moto's S3 server for the storage tests, and kubernetes-validate for deploy/ (offline, bundled schemas), from PyPI, pinned (make test-venv).
TEST_VENV := .build/test-venv
PYPI_TEST_PACKAGES := ofxtools==1.1.1 ofxparse==0.21 bai2==0.15.0 botocore==1.43.11 boto3==1.43.11 'moto[server]==5.2.1' kubernetes-validate==1.34.1
BIN := .build/debug
.PHONY: deps test-deps build demo test test-venv lint bench format clean

# Installs whichever of the packages $(1) are missing.
define apt-install
missing=""; \
	for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	@$(call apt-install,$(BUILD_PACKAGES))

test-deps: deps
	@$(call apt-install,$(TEST_PACKAGES))

build: deps
	$(SWIFT) build

demo: build
	$(BIN)/treasury-report statements samples --out out
	@echo "statements written to ./out (summary.csv, manifest.json, one folder per period)"
	@# Published as to storage (a folder here; s3://… the same way), then proven there. Published objects are
	@# never replaced, so the previous demo's copy goes first.
	rm -rf published
	$(BIN)/treasury-report publish out --to published
	$(BIN)/treasury-report verify file://$(CURDIR)/published
	@# The scheduled pass on the same dumps (deploy/run.yaml): final months published as v1 into ./published-runs,
	@# with index.jsonl and a run record; a second run publishes nothing.
	rm -rf published-runs run-work
	$(BIN)/treasury-report run --config deploy/run.yaml
	$(BIN)/treasury-report run --config deploy/run.yaml

lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift
	@# Each target imports only what it declares in Package.swift (the layers below it), C libraries and
	@# FoundationNetworking are imported by one file each, and Glibc.read/write are called only through Syscall.
	python3 Tests/lint/layers.py
	@# The schemas and the SigV4 test suite are unchanged copies of the official files.
	cd Sources/CCamtSchemas/schemas && sha256sum --quiet -c SHA256SUMS
	cd Tests/reference/ofx-schemas && sha256sum --quiet -c SHA256SUMS
	cd Tests/reference/aws-sigv4 && sha256sum --quiet -c SHA256SUMS

test-venv: test-deps
	@if ! $(TEST_VENV)/bin/python -c 'import ofxtools, ofxparse, bai2, botocore, boto3, moto.server, kubernetes_validate' 2>/dev/null; then \
	  python3 -m venv $(TEST_VENV) && $(TEST_VENV)/bin/pip install -q $(PYPI_TEST_PACKAGES); \
	fi

test: test-deps lint test-venv
	$(SWIFT) build
	@# Every tool a test runs is installed above: a missing one fails its test instead of skipping it.
	TREASURY_REPORT_REQUIRE_TOOLS=1 $(SWIFT) test

bench: test-deps
	$(SWIFT) build -c release
	.build/release/treasury-bench --output BENCHMARKS.md

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build out published
