# The two commands a newcomer needs: `make demo` and `make test`. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest workers (pytest-xdist), one a core up to four: on the two-core machine a fresh clone's
# 2,246 tests took 623 s in two workers, against 1,196 s in one process (sessions 62 and 61). Each
# worker runs whole test files (--dist loadfile), so a module's fixtures are built once.
# `make test TEST_WORKERS=0` runs it in one process.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(min(4, len(os.sched_getaffinity(0))))")

.PHONY: setup demo test lint bench clean chromium

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch is pinned (CPU wheel on the machine); installing it first keeps pip from resolving a CUDA build.
	$(BIN)/pip install --quiet --no-cache-dir "torch==2.13.0"
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/tunesmith demo

test: $(STAMP) chromium
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

# The studio's browser tests drive Debian's chromium (Playwright never downloads a browser), and
# the SVG test renders a score with librsvg's rsvg-convert (as image viewers and Inkscape do), and
# abcmidi's abc2midi plays the ABC files tunesmith writes in a test. Installed when missing and we
# are root; without them those tests are skipped with the reason.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium (Debian) for the studio's browser tests"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >/dev/null 2>&1 \
			|| echo "chromium could not be installed; the browser tests will be skipped"; \
	fi
	@if ! command -v rsvg-convert >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing librsvg2-bin (Debian) for the SVG rendering test"; \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin || \
		  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq librsvg2-bin; }; } >/dev/null 2>&1 \
			|| echo "librsvg2-bin could not be installed; the SVG rendering test will be skipped"; \
	fi
	@if ! command -v abc2midi >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing abcmidi (Debian) to play the ABC files tunesmith writes in a test"; \
		{ DEBIAN_FRONTEND=noninteractive apt-get install -y -qq abcmidi || \
		  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq abcmidi; }; } >/dev/null 2>&1 \
			|| echo "abcmidi could not be installed; the abc2midi test will be skipped"; \
	fi

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
