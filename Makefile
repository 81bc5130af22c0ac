# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.requirements-installed
DEV_STAMP := $(VENV)/.dev-requirements-installed
export PYTHAINLP_OFFLINE := 1
export FLASK_APP := app

# Local try-out without a LINE channel: the bot talks to the emulator that `make chat` starts.
# PORT is the bot's; LINE_PORT the emulator's. Give the same values to run and to every chat terminal.
LOCAL_SECRET := chuaycheck-local-secret
LOCAL_TOKEN := chuaycheck-local-token
# Signs the web desk's cookies in local mode, served over plain http on 127.0.0.1 only.
LOCAL_DESK_SECRET := chuaycheck-local-desk-secret
PORT ?= 8000
LINE_PORT ?= 8091
LOCAL_LINE := http://127.0.0.1:$(LINE_PORT)
CHAT := LINE_CHANNEL_SECRET=$${LINE_CHANNEL_SECRET:-$(LOCAL_SECRET)} \
	LINE_CHANNEL_ACCESS_TOKEN=$${LINE_CHANNEL_ACCESS_TOKEN:-$(LOCAL_TOKEN)} \
	$(BIN)/flask chat --bot-url http://127.0.0.1:$(PORT)/callback --line-url $(LOCAL_LINE)

.PHONY: run test lint bench model chat chat-coordinator chat-volunteer clean tesseract browser image-set

# Reading text in pictures needs Tesseract with its Thai data (Debian packages). Installed here when missing,
# with sudo unless root; if that fails the bot still runs and answers pictures by their hash alone.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
tesseract:
	@if ! command -v tesseract >/dev/null || ! tesseract --list-langs 2>/dev/null | grep -qx tha; then \
	  echo "Installing Tesseract OCR with Thai (apt-get install tesseract-ocr tesseract-ocr-tha)"; \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq tesseract-ocr tesseract-ocr-tha) || \
	    echo "Could not install Tesseract: pictures will be answered by their hash only"; \
	fi

# The web desk's browser tests drive Debian's Chromium headless (Playwright never downloads a browser of its own).
# Installed here when missing, like Tesseract; under CI=true the tests fail without it, elsewhere they are skipped.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
	  echo "Installing Chromium for the desk's browser tests (apt-get install chromium chromium-driver)"; \
	  ($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver) || \
	    echo "Could not install Chromium: the browser tests will be skipped (and fail under CI=true)"; \
	fi

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(DEV_STAMP)

run: $(STAMP) tesseract
	@if [ -z "$$LINE_CHANNEL_SECRET" ]; then \
	  echo "No LINE channel configured: serving in local mode. In another terminal run:  make chat"; \
	  export LINE_CHANNEL_SECRET=$(LOCAL_SECRET) LINE_CHANNEL_ACCESS_TOKEN=$(LOCAL_TOKEN) \
	         LINE_API_BASE_URL=$(LOCAL_LINE) LINE_DATA_API_BASE_URL=$(LOCAL_LINE) \
	         SECRET_KEY=$${SECRET_KEY:-$(LOCAL_DESK_SECRET)} DESK_COOKIE_SECURE=0; \
	fi; \
	$(BIN)/flask db upgrade && \
	$(BIN)/flask claims import data/afnc_claims.csv --if-empty && \
	$(BIN)/flask agencies sync && \
	$(BIN)/flask centres import data/sample/centres.csv && \
	$(BIN)/flask courses import data/sample/courses.csv && \
	$(BIN)/flask courses import-sessions data/sample/course_sessions.csv --include-illustrative && \
	$(BIN)/flask faq import data/sample/faq.csv && \
	echo "ChuayCheck is serving on http://127.0.0.1:$(PORT) (webhook: POST /callback, health: /healthz)" && \
	WARM_UP=1 OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE exec $(BIN)/gunicorn 'app:create_app()' --bind 127.0.0.1:$(PORT) --workers 1 --threads 8 --timeout 30

# Each terminal is one LINE user; start them in any order (the first serves the LINE emulator, the others
# attach to it). Two people in the same role need two user ids: U and 32 hex digits, e.g.
#   make chat-coordinator AGENCY=gsb COORDINATOR=Uc00dc00dc00dc00dc00dc00dc00dc002
CITIZEN ?= Uc0ffee00c0ffee00c0ffee00c0ffee00
AGENCY ?= afnc
COORDINATOR ?= Uc00dc00dc00dc00dc00dc00dc00dc00d
VOLUNTEER ?= U0a5d0a5d0a5d0a5d0a5d0a5d0a5d0a5d

chat: $(STAMP)
	$(CHAT) --user $(CITIZEN)

# The agency must be loaded: `make run` runs `flask agencies sync`.
chat-coordinator: $(STAMP)
	$(CHAT) --role coordinator --agency $(AGENCY) --user $(COORDINATOR) --name "เจ้าหน้าที่ $(AGENCY)"

chat-volunteer: $(STAMP)
	$(CHAT) --role volunteer --user $(VOLUNTEER) --name "อสด. ทดลอง"

# Lint, import order, types and the import layers (.importlinter); `make test` runs these first, so a style
# error, a type error or an import against the layers fails the build.
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint tesseract browser
	$(BIN)/python -m pytest -q

bench: $(STAMP) tesseract
	$(BIN)/python -m bench

# Regenerate the image bench's pictures (bench/data/images/, kept in the repo): needs Debian's Thai fonts.
image-set: $(STAMP)
	@if [ ! -f /usr/share/fonts/truetype/tlwg/Garuda.ttf ]; then \
	  echo "Installing Thai fonts (apt-get install fonts-thai-tlwg)"; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq fonts-thai-tlwg; \
	fi
	$(BIN)/python -m bench.image_set

# Rebuild the same-story decision models (nlp/models/) from bench/data/stories and the AFNC seed: 20-30 min on 2 cores.
model: $(STAMP)
	OMP_NUM_THREADS=1 $(BIN)/python -m bench.train_matcher

clean:
	rm -rf $(VENV) instance .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
