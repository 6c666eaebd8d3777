# The two commands: `make demo` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/xuncha/static/vendor

.PHONY: demo test setup assets lint browser office bench clean messages core-messages

demo: setup
	$(BIN)/xuncha demo

test: setup browser office
	$(BIN)/pytest

setup: $(STAMP) assets

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

# Front-end libraries come from npm and are served by the app itself (no CDN).
assets: node_modules/.installed $(STAMP)
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx.min.js
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts.min.js
	$(BIN)/xuncha compile-messages > /dev/null

# Headless Chromium for the screenshot tests: Debian's package, installed when missing.
browser:
	@command -v chromium > /dev/null || { \
	  echo "Installing Debian's chromium and CJK fonts for the browser tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk'; }

# LibreOffice renders the generated .docx/.xlsx to PDF in the tests (and poppler reads the PDF's text).
office:
	@{ command -v soffice > /dev/null && command -v pdftotext > /dev/null; } || { \
	  echo "Installing Debian's LibreOffice (writer, calc) and poppler-utils for the document tests…"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui \
	    libreoffice-calc-nogui poppler-utils fonts-noto-cjk) \
	  || sudo sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk'; }

lint: setup
	$(BIN)/ruff check .

# Refresh the translation catalogue after adding strings (needs GNU gettext's xgettext).
messages: setup
	cd src/xuncha && ../../$(BIN)/xuncha manage makemessages -l zh_Hans --no-location --no-obsolete

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var

# Regenerate the core catalogue (model labels, service messages) from tools/fill_core_po.py.
core-messages: setup
	cd src/xuncha && xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=gettext \
	  --keyword=gettext_lazy --keyword=_g --no-location --sort-output -o /tmp/xuncha-core.pot \
	  core/*.py org/*.py rounds/*.py findings/models.py findings/services.py findings/selectors.py \
	  rectification/*.py notifications/*.py reports/models.py stats/*.py fieldwork/*.py \
	  pool/models.py pool/recusal.py pool/services.py
	$(BIN)/python tools/fill_core_po.py /tmp/xuncha-core.pot src/xuncha/core/locale/zh_Hans/LC_MESSAGES/django.po
