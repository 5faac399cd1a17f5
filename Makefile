# The two commands: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test lint typecheck pytest bench bench-quick bench-tools ui translations translations-update bundle clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (set PYTHON=...)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup translations
	$(VENV)/bin/bimail-desktop

lint: setup
	$(VENV)/bin/ruff check .

typecheck: setup
	$(VENV)/bin/mypy

pytest: setup translations
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

test: lint typecheck pytest

# `make bench` (about 15 min; BENCH_ARGS=--quick for a first look, or names: sending gui).
# The sqlite3 command line is the baseline of the CSV export: installed here if missing.
bench: setup translations bench-tools
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m bench $(BENCH_ARGS)

bench-quick: setup translations bench-tools
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(PY) -m bench --quick $(BENCH_ARGS)

bench-tools:
	@command -v sqlite3 >/dev/null 2>&1 || { \
		echo "installing the sqlite3 command line (the CSV export's baseline)"; \
		if command -v apt-get >/dev/null 2>&1; then \
			SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
			$$SUDO apt-get install -y sqlite3 >/dev/null || echo "could not install sqlite3: \
the CSV figure will say which baseline it used instead"; \
		elif command -v brew >/dev/null 2>&1; then brew install sqlite; \
		else echo "no sqlite3 command line: the CSV figure will say which baseline it used"; fi; }

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache

# --- translations (resources/translations/*.ts -> *.qm) --------------------------------------
# The .ts files are the source (committed); the .qm files are compiled from them here and
# never committed. `make translations-update` rescans the code and forms for new strings.
TS_FILES := $(wildcard resources/translations/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)
I18N_SOURCES = $(shell find bimail_desktop -name '*.py' -not -path '*/generated/*' | sort) \
               $(wildcard ui/*.ui)

translations: setup $(QM_FILES)

resources/translations/%.qm: resources/translations/%.ts
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

translations-update: setup
	$(VENV)/bin/pyside6-lupdate -no-obsolete -locations relative -no-ui-lines \
		$(I18N_SOURCES) -ts $(TS_FILES)

# --- the installable application (PyInstaller onedir; see build_installer.spec) ---------
bundle: setup translations
	$(PY) -c 'import PyInstaller' 2>/dev/null || $(PY) -m pip install --quiet -e '.[dev,bundle]'
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN \
		--distpath dist --workpath build/pyinstaller build_installer.spec
