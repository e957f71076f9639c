# Upwind: two commands do all set-up. `make demo` runs the main job on the
# embedded demo data; `make test` runs the test suite. Both call `bootstrap`,
# which installs libnetcdf, libdeflate, SQLite (for the HTTP service's job store) and ncgen
# (used by the tests) when missing.

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)

.PHONY: bootstrap build test demo docs clean

bootstrap:
	@if pkg-config --exists netcdf libdeflate sqlite3 2>/dev/null && command -v ncgen >/dev/null 2>&1; then \
	  echo "bootstrap: libnetcdf $$(pkg-config --modversion netcdf), libdeflate $$(pkg-config --modversion libdeflate), sqlite3 $$(pkg-config --modversion sqlite3) and ncgen found"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  echo "bootstrap: installing libnetcdf-dev libdeflate-dev libsqlite3-dev pkg-config netcdf-bin with apt-get"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libnetcdf-dev libdeflate-dev libsqlite3-dev pkg-config netcdf-bin; \
	elif command -v brew >/dev/null 2>&1; then \
	  echo "bootstrap: installing netcdf libdeflate sqlite pkg-config with Homebrew"; \
	  brew install netcdf libdeflate sqlite pkg-config; \
	else \
	  echo "bootstrap: libnetcdf, libdeflate or SQLite is missing and neither apt-get nor brew is available."; \
	  echo "  Fedora: sudo dnf install netcdf-devel libdeflate-devel sqlite-devel pkgconf-pkg-config"; \
	  exit 1; \
	fi

build: bootstrap
	$(SWIFT) build

test: bootstrap
	$(SWIFT) test
	SWIFT="$(SWIFT)" scripts/check-consumer.sh

demo:
	@start=$$(date +%s); \
	$(MAKE) --no-print-directory bootstrap && \
	ready=$$(date +%s) && echo "demo: set-up (libraries) took $$((ready - start)) s" && \
	$(SWIFT) build -c release --product upwind && \
	built=$$(date +%s) && echo "demo: release build took $$((built - ready)) s" && \
	.build/release/upwind demo --out demo-output && \
	echo "demo: the run took $$(($$(date +%s) - built)) s (all: $$(($$(date +%s) - start)) s); outputs in demo-output/" 

# DocC for every library module, warnings as errors (output under .build/plugins/Swift-DocC).
DOC_TARGETS := Upwind UpwindCore UpwindMeteo UpwindAttribution UpwindFormats UpwindWorkflows UpwindReport NetCDFKit
docs: bootstrap
	$(SWIFT) package --disable-sandbox generate-documentation $(foreach t,$(DOC_TARGETS),--target $(t)) --warnings-as-errors

clean:
	rm -rf .build
