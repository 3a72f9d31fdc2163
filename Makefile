# Two commands do everything on a fresh Debian machine with Python 3.11+:
#   make site    install what is needed, build site/ (web pages and PDFs) in strict mode
#   make test    install test tools too, lint, run the whole test suite
# Also: make serve (live preview, no PDFs), make kit (the offline zip), make linkcheck (needs internet),
# make bench.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
CONFIG ?= mkdocs.yml
SITE   ?= site
DISTRICT ?=
EDITIONS ?= editions
export NO_MKDOCS_2_WARNING := 1

# Debian packages: WeasyPrint's Pango; for tests, the browser, poppler (an independent PDF reader),
# Java for the W3C HTML checker (vnu.jar, from npm), LibreOffice (opens every Word copy and slide deck)
# and nginx (tests/test_nginx.py serves the site with deploy/nginx.conf).
SITE_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
TEST_DEBS := chromium poppler-utils default-jre-headless libreoffice-writer libreoffice-impress nginx

.PHONY: editions site test lint serve kit linkcheck bench deps test-deps system-deps test-system-deps clean

site: deps
	$(if $(DISTRICT),CURRICULUM_DISTRICT=$(DISTRICT)) $(PY) -m curriculum build --config $(CONFIG) --site $(SITE)

# One site per district file in $(EDITIONS) (site-editions/<name>/), sharing one PDF cache.
editions: deps
	$(PY) -m curriculum editions $(EDITIONS) --config $(CONFIG)

test: test-deps lint
	@mkdir -p .cache
	$(PY) -m pytest -n 2 --basetemp=.cache/pytest

# ruff (style, imports, likely bugs) and mypy (types) over the engine; `make test` runs it first.
lint: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

serve: deps
	CURRICULUM_PDF=0 CURRICULUM_DOCX=0 CURRICULUM_DECKS=0 $(VENV)/bin/mkdocs serve --config-file $(CONFIG)

# The offline kit: one zip, dist/<site name>-kit.zip (KIT=path to choose), that opens from file:// with
# search, every PDF, a checksum list and a page saying when it was built (curriculum/kit.py). npm brings
# the iframe-worker shim that makes search work from file://.
kit: deps node_modules/.installed
	$(PY) -m curriculum kit --config $(CONFIG) $(if $(KIT),--out $(KIT))

linkcheck: deps
	$(PY) -m curriculum linkcheck --config $(CONFIG) --site $(SITE) $(LINKCHECK_ARGS)

# Slow (about an hour at full scale); writes bench/results-*.md. See bench/RESULTS.md.
bench: test-deps
	$(PY) bench/pdf.py
	$(PY) bench/build.py
	$(PY) bench/page_weight.py
	$(PY) bench/peers.py
	$(PY) bench/docx.py
	$(PY) bench/decks.py

deps: $(VENV)/.deps-installed system-deps
$(VENV)/.deps-installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { echo "Could not create $(VENV): install python3-venv (apt-get install python3-venv)"; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

test-deps: deps test-system-deps node_modules/.installed

# --ignore-scripts: vnu-jar's install script would download a Java runtime when none is found; Java
# comes from Debian (TEST_DEBS) instead, and nothing here needs an install script.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { $(call need_debs,nodejs npm); }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

system-deps:
	@$(call need_debs,$(SITE_DEBS))

test-system-deps:
	@$(call need_debs,$(TEST_DEBS))
	@command -v npm >/dev/null || { $(call need_debs,nodejs npm); }

# Install missing Debian packages when root; otherwise print the one line to run.
define need_debs
	missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Missing system packages. Run: sudo apt-get install -y$$missing"; exit 1; fi; \
	fi
endef

clean:
	rm -rf $(SITE) .cache .site-building-* .site-old .site.lock .pytest_cache dist
