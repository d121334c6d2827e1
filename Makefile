# naravard: `make report REGION=… YEAR=…` and `make test` are all a new machine needs.
# The first call creates .venv from the report lock (requirements.txt); `make test` adds the
# test and dev groups (requirements-test.txt), `make lab` builds JupyterLab's own .venv-lab
# (requirements-lab.txt). `make lock` makes all three from pyproject.toml; later calls reuse
# the environments and reinstall only when a lock changes. See docs/environment.md.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.naravard-installed
TEST_STAMP := $(VENV)/.naravard-test-installed
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.naravard-installed
# The user's variables reach programs only through the environment, quoted in the shell
# ("$$REGION"), never pasted into recipe text, so quotes, `;`, backticks or $(…) in a value
# are data, not commands. `override X := $(value X)` keeps make itself from expanding them.
USER_VARS := REGION YEAR DATA JOBS FORCE ALL PYTEST_ARGS A B JAMFOR SEDAN
# JAMFOR= (given, empty) is an empty group and refused; export defines it, so ask first
JAMFOR_GIVEN := $(if $(filter undefined,$(origin JAMFOR)),,1)
$(foreach v,$(USER_VARS),$(if $(filter undefined,$(origin $(v))),,$(eval override $(v) := $$(value $(v)))))
export $(USER_VARS)
DATA_ARG = $${DATA:+--data "$$DATA"}
JAMFOR_ARG = $(if $(JAMFOR_GIVEN),--jamfor "$$JAMFOR")

.DEFAULT_GOAL := help
.PHONY: help env lock browser office report reports kommentar arkivera diff data lab egen test lint bench clean

help: ## list the targets
	@echo "naravard: uppföljning av omställningen till en god och nära vård"
	@echo
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 10
	@echo
	@echo "Exempel: make report REGION=Västerbotten YEAR=2024   (projektets Kolada-ögonblicksbild data/kolada)"

# $(call install,<venv>,<lock>): exactly the hashed lock, then naravard itself without deps
define install
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1)
	@$(1)/bin/python -m pip install --quiet --require-hashes -r $(2)
	@$(1)/bin/python -m pip install --quiet --no-deps -e .
endef

$(STAMP): requirements.txt pyproject.toml
	@echo "Skapar rapportmiljön i $(VENV) från requirements.txt (första körningen tar några minuter)…"
	$(call install,$(VENV),requirements.txt)
	@$(PY) -m ipykernel install --sys-prefix --name naravard --display-name "naravard" >/dev/null
	@rm -f $(TEST_STAMP)
	@touch $(STAMP)

# the test and dev groups on top of the report lock (same pins: make lock constrains them)
$(TEST_STAMP): $(STAMP) requirements-test.txt
	@echo "Lägger till test- och utvecklarverktygen (requirements-test.txt) i $(VENV)…"
	@$(PY) -m pip install --quiet --require-hashes -r requirements-test.txt
	@touch $(TEST_STAMP)

# JupyterLab lives in its own environment: its server packages would slow every report render
$(LAB_STAMP): requirements-lab.txt pyproject.toml
	@echo "Skapar JupyterLab-miljön i $(LAB_VENV) från requirements-lab.txt (första gången tar några minuter)…"
	$(call install,$(LAB_VENV),requirements-lab.txt)
	@$(LAB_VENV)/bin/python -m ipykernel install --sys-prefix --name naravard --display-name "naravard" >/dev/null
	@touch $(LAB_STAMP)

env: $(STAMP) ## create or update the report environment .venv (exactly requirements.txt)

# The report lock first; the other two start from its pins (-c), so a package has one version
# in all three. uv keeps every pin already in an output file unless pyproject.toml needs a change.
UV_COMPILE = $(VENV)/bin/uv pip compile pyproject.toml --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock"
lock: $(TEST_STAMP) ## re-resolve pyproject.toml into the hashed locks requirements*.txt (needs PyPI)
	@$(UV_COMPILE) -o requirements.txt
	@$(UV_COMPILE) -c requirements.txt --group test --group dev -o requirements-test.txt
	@$(UV_COMPILE) -c requirements.txt --group lab -o requirements-lab.txt
	@echo "requirements*.txt uppdaterade; kör make test, checka in pyproject.toml och låsfilerna"

browser: ## install Debian's chromium + chromedriver for the accessibility test (as root)
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
		echo "chromium och chromedriver finns"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver >/dev/null; \
	else echo "kör som root: apt-get install chromium chromium-driver" >&2; exit 1; fi

office: ## install Debian's LibreOffice Impress, which the slides' rendering test draws with (as root)
	@if command -v soffice >/dev/null; then \
		echo "LibreOffice (soffice) finns"; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libreoffice-impress >/dev/null; \
	else echo "kör som root: apt-get install libreoffice-impress" >&2; exit 1; fi

report: $(STAMP) ## one region's report: REGION=<namn|kod> YEAR=<år> [DATA=<katalog>|exempel] [JAMFOR="A, B"] [FORCE=1] [SEDAN=arkiv/…]
	@test -n "$$REGION" || { echo "fel: ange REGION, t.ex. make report REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@test -n "$$YEAR" || { echo "fel: ange YEAR, t.ex. make report REGION=$$REGION YEAR=2024" >&2; exit 2; }
	@case "$$FORCE" in 1|yes|true) force=--force;; *) force=;; esac; \
	$(VENV)/bin/naravard report --region "$$REGION" --year "$$YEAR" $(DATA_ARG) $(JAMFOR_ARG) $$force \
		$${SEDAN:+--sedan "$$SEDAN"}

reports: $(STAMP) ## every region's report and the national report: YEAR=<år> [DATA=…] [JOBS=n] [JAMFOR="A, B"] [FORCE=1]
	@test -n "$$YEAR" || { echo "fel: ange YEAR, t.ex. make reports YEAR=2024" >&2; exit 2; }
	@case "$$FORCE" in 1|yes|true) force=--force;; *) force=;; esac; \
	$(VENV)/bin/naravard reports --year "$$YEAR" $(DATA_ARG) $${JOBS:+--jobs "$$JOBS"} $(JAMFOR_ARG) $$force

kommentar: $(STAMP) ## write the analyst's comment file template: REGION=… YEAR=… [DATA=…]
	@test -n "$$REGION" || { echo "fel: ange REGION, t.ex. make kommentar REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@test -n "$$YEAR" || { echo "fel: ange YEAR, t.ex. make kommentar REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@$(VENV)/bin/naravard kommentar --region "$$REGION" --year "$$YEAR" $${DATA:+--data "$$DATA"}

arkivera: $(STAMP) ## keep the published report as sent: REGION=<namn|kod|Riket> YEAR=<år> → arkiv/<region>/<år>/<datum>/
	@test -n "$$REGION" || { echo "fel: ange REGION, t.ex. make arkivera REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@test -n "$$YEAR" || { echo "fel: ange YEAR, t.ex. make arkivera REGION=$$REGION YEAR=2024" >&2; exit 2; }
	@$(VENV)/bin/naravard arkivera --region "$$REGION" --year "$$YEAR"

diff: $(STAMP) ## what changed between two report folders: A=<mapp> B=<mapp>
	@test -n "$$A" -a -n "$$B" || { echo "fel: ange A och B, t.ex. make diff A=arkiv/vasterbotten/2024/2025-03-14 B=output/vasterbotten/2024" >&2; exit 2; }
	@$(VENV)/bin/naravard diff "$$A" "$$B"

data: $(STAMP) ## refresh the snapshot data/kolada from live Kolada, or with DATA=<katalog> check one
	@if [ -n "$$DATA" ]; then $(VENV)/bin/naravard data status --data "$$DATA"; \
	else $(VENV)/bin/naravard data download; fi

lab: $(LAB_STAMP) ## JupyterLab (own environment .venv-lab) on notebooks/regionrapport.ipynb [DATA=…]
	@# the kernels start in notebooks/: a relative DATA is made absolute before it is passed on
	@case "$$DATA" in ""|exempel|exempeldata) d="$$DATA";; *) d="$$(realpath -m -- "$$DATA")";; esac; \
	echo "JupyterLab: notebooks/regionrapport.ipynb, filbläddraren i projektets rot (output/, figures/, data/kommentarer/)."; \
	echo "Underlag: $${d:-projektets ögonblicksbild data/kolada}. Diagram från en körning här sparas i scratch/figures/."; \
	echo "På en annan maskin: ssh -L 8888:localhost:8888 <den här maskinen>, öppna sedan adressen med token nedan (http://localhost:8888/lab/…)."; \
	NARAVARD_DATA="$$d" exec $(LAB_VENV)/bin/jupyter lab --ServerApp.root_dir="$(CURDIR)" \
		$$([ -n "$$DISPLAY" ] || echo --no-browser) $$([ "$$(id -u)" != 0 ] || echo --allow-root) \
		notebooks/regionrapport.ipynb

egen: $(STAMP) ## copy the own-analysis template notebooks/egna/mall.ipynb for a region: REGION=…
	@$(PY) -m naravard.report.own_template "$$REGION"

test: $(TEST_STAMP) lint ## lint, then the tests (unit, golden values on ../shared, end to end)
	@# pytest splits PYTEST_ADDOPTS itself (quotes work), so the shell never parses PYTEST_ARGS
	@PYTEST_ADDOPTS="$${PYTEST_ADDOPTS:+$$PYTEST_ADDOPTS }$$PYTEST_ARGS" $(PY) -m pytest

lint: $(TEST_STAMP) ## ruff (check and format), deptry (imports vs declared dependencies) and the layers (.importlinter)
	@$(VENV)/bin/ruff check --quiet src tests bench
	@$(VENV)/bin/ruff format --check --quiet src tests bench
	@$(VENV)/bin/deptry src notebooks
	@# quiet when every contract is kept; the whole report when one is broken
	@out=$$($(VENV)/bin/lint-imports --no-cache --no-logo .importlinter 2>&1) || { echo "$$out"; exit 1; }

bench: $(STAMP) ## time naive papermill→nbconvert→weasyprint against `make reports` [ALL=1]
	@case "$$ALL" in 1) all=--all;; *) all=;; esac; $(PY) bench/bench.py $$all $(DATA_ARG)

clean: ## remove generated reports and figures (not the environment or the cache)
	@rm -rf output/* figures/*
	@touch output/.gitkeep figures/.gitkeep
