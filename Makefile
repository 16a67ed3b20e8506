# treasury-report
#
#   make demo     run the statements job on samples/ into ./out, publish it to ./published and verify it there,
#                 then the monthly run (deploy/run.yaml) into ./published-runs, twice
#   make test     format lint, the layer and pin checks (Tests/lint), every unit and end-to-end test, check-install
#   make install  the release binary (Swift runtime linked in) and its man page into $(PREFIX) (default /usr/local)
#   make check-install  install into .build/install-check and prove the binary needs nothing of the toolchain
#   make man      the man page, from the command's own help (argument-parser's generate-manual plugin)
#   make bench    the benchmark (see BENCHMARKS.md)
#   make test-venv  the Python tools the tests use (ofxtools, ofxparse, bai2, botocore, moto's S3 server) in .build/test-venv
#   make deps     install the missing system packages the build needs (apt-get as root; else it says what to run)
#   make test-deps  the same for the tools the tests and the benchmark also need
#   make format   rewrite sources with swift format
#
# Every target installs what it needs first, so a fresh machine needs only
# `make demo` and `make test`. Not root, or no apt-get: the targets stop
# before building and print the missing packages with the command to install them.

SWIFT ?= swift
# Building and running the tool (fetch needs libcurl and the CA certificates). libdeflate-dev's static libdeflate.a is
# linked into the binary (Package.swift), so running it needs no libdeflate package.
BUILD_PACKAGES := zlib1g-dev libdeflate-dev libxml2-dev pkg-config libcurl4 ca-certificates
# The release binary links the Swift runtime and Foundation in (--static-swift-stdlib); FoundationNetworking's
# static library then needs libcurl at link time (still a shared system library at run time).
RELEASE_PACKAGES := libcurl4-openssl-dev
# Only the tests and the benchmark: independent readers, a browser to print HTML, /usr/bin/time.
TEST_PACKAGES := time pigz python3 python3-venv libxml2-utils gzip tar ofx chromium-headless-shell poppler-utils fonts-liberation
# Independent readers of the OFX and BAI2 exports, botocore's SigV4 signer, moto's S3 server for the storage tests, and kubernetes-validate for deploy/ (offline, bundled schemas), from PyPI, pinned (make test-venv).
TEST_VENV := .build/test-venv
PYPI_TEST_PACKAGES := ofxtools==1.1.1 ofxparse==0.21 bai2==0.15.0 botocore==1.43.11 boto3==1.43.11 'moto[server]==5.2.1' kubernetes-validate==1.34.1
BIN := .build/debug
PREFIX ?= /usr/local
RELEASE_BINARY := .build/release/treasury-report
MAN_PAGE := .build/plugins/GenerateManual/outputs/treasury-report/treasury-report.1
.PHONY: deps release-deps test-deps build release install check-install man demo test test-venv lint bench format clean

# Installs whichever of the packages are missing, or says which they are and the command to install them.
NEED_PACKAGES := sh Tests/install/need-packages.sh

deps:
	@$(NEED_PACKAGES) $(BUILD_PACKAGES)

release-deps: deps
	@$(NEED_PACKAGES) $(RELEASE_PACKAGES)

test-deps: release-deps
	@$(NEED_PACKAGES) $(TEST_PACKAGES)

build: deps
	$(SWIFT) build

# Release mode, with the Swift runtime, Foundation and Dispatch linked into the binary: it runs where the toolchain
# is not installed (check-install proves it). Only treasury-report is built.
release: release-deps
	$(SWIFT) build -c release --static-swift-stdlib -Xlinker -lcurl --product treasury-report

# The man page, from the command's help; the plugin builds the package (in debug mode, as `make build` does) and
# writes one page per command-line product under .build/plugins/GenerateManual/outputs/.
man: build
	$(SWIFT) package generate-manual --configuration debug
	@echo "man page: $(MAN_PAGE) (man -l $(MAN_PAGE))"

install: release man
	install -d "$(DESTDIR)$(PREFIX)/bin" "$(DESTDIR)$(PREFIX)/share/man/man1"
	install -s -m 0755 $(RELEASE_BINARY) "$(DESTDIR)$(PREFIX)/bin/treasury-report"
	install -m 0644 $(MAN_PAGE) "$(DESTDIR)$(PREFIX)/share/man/man1/treasury-report.1"
	@echo "installed $(DESTDIR)$(PREFIX)/bin/treasury-report and its man page"

# Installs into a scratch prefix, then checks the binary there: nothing of the toolchain linked (ldd), and it runs
# from PATH with the toolchain hidden (Tests/install/check-install.sh).
check-install:
	rm -rf .build/install-check
	$(MAKE) --no-print-directory install PREFIX=$(CURDIR)/.build/install-check
	sh Tests/install/check-install.sh .build/install-check samples

demo: build
	$(BIN)/treasury-report statements samples --out out --replace
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
	@# Every dependency in Package.swift is pinned with exact: (byte-identical outputs need one version).
	python3 Tests/lint/pins.py
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
	$(MAKE) --no-print-directory check-install

bench: test-deps
	$(SWIFT) build -c release
	.build/release/treasury-bench --output BENCHMARKS.md

format:
	$(SWIFT) format -i -r Sources Tests Package.swift

clean:
	rm -rf .build out published
