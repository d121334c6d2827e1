# naravard: `make report REGION=… YEAR=…` and `make test` are all a new machine needs.
# The first call creates .venv from requirements.txt; later calls reuse it.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.naravard-installed
DATA_ARG = $(if $(DATA),--data "$(DATA)",)
JOBS_ARG = $(if $(JOBS),--jobs $(JOBS),)
FORCE_ARG = $(if $(filter 1 yes true,$(FORCE)),--force,)

.DEFAULT_GOAL := help
.PHONY: help env report reports kommentar diff data lab test bench clean

help: ## list the targets
	@echo "naravard: uppföljning av omställningen till en god och nära vård"
	@echo
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 10
	@echo
	@echo "Exempel: make report REGION=Västerbotten YEAR=2024 DATA=../shared/data/kolada"

$(STAMP): requirements.txt pyproject.toml
	@echo "Skapar miljön i $(VENV) (första körningen tar några minuter)…"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip
	@$(PY) -m pip install --quiet -r requirements.txt
	@$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m ipykernel install --sys-prefix --name naravard --display-name "naravard" >/dev/null
	@touch $(STAMP)

env: $(STAMP) ## create or update the Python environment in .venv

report: $(STAMP) ## one region's report: REGION=<namn|kod> YEAR=<år> [DATA=<katalog>]
	@test -n "$(REGION)" || { echo "fel: ange REGION, t.ex. make report REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@test -n "$(YEAR)" || { echo "fel: ange YEAR, t.ex. make report REGION=$(REGION) YEAR=2024" >&2; exit 2; }
	@$(VENV)/bin/naravard report --region "$(REGION)" --year "$(YEAR)" $(DATA_ARG)

reports: $(STAMP) ## every region's report and the national report: YEAR=<år> [DATA=…] [JOBS=n] [FORCE=1]
	@test -n "$(YEAR)" || { echo "fel: ange YEAR, t.ex. make reports YEAR=2024" >&2; exit 2; }
	@$(VENV)/bin/naravard reports --year "$(YEAR)" $(DATA_ARG) $(JOBS_ARG) $(FORCE_ARG)

kommentar: $(STAMP) ## write the analyst's comment file template: REGION=… YEAR=… [DATA=…]
	@test -n "$$REGION" || { echo "fel: ange REGION, t.ex. make kommentar REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@test -n "$$YEAR" || { echo "fel: ange YEAR, t.ex. make kommentar REGION=Västerbotten YEAR=2024" >&2; exit 2; }
	@$(VENV)/bin/naravard kommentar --region "$$REGION" --year "$$YEAR" $${DATA:+--data "$$DATA"}

diff: $(STAMP) ## what changed between two report folders: A=<mapp> B=<mapp>
	@test -n "$$A" -a -n "$$B" || { echo "fel: ange A och B, t.ex. make diff A=arkiv/vasterbotten-2024-03 B=output/vasterbotten/2024" >&2; exit 2; }
	@$(VENV)/bin/naravard diff "$$A" "$$B"

data: $(STAMP) ## download Kolada into data/cache/kolada, or with DATA=<katalog> check a snapshot
	@if [ -n "$(DATA)" ]; then $(VENV)/bin/naravard data status --data "$(DATA)"; \
	else $(VENV)/bin/naravard data download && $(VENV)/bin/naravard data status; fi

lab: $(STAMP) ## open the notebooks in JupyterLab
	@$(VENV)/bin/jupyter lab notebooks/

test: $(STAMP) ## run the tests (unit, golden values on ../shared, end to end)
	@$(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP) ## time naive papermill→nbconvert→weasyprint against `make reports` [ALL=1]
	@$(PY) bench/bench.py $(if $(filter 1,$(ALL)),--all,) $(DATA_ARG)

clean: ## remove generated reports and figures (not the environment or the cache)
	@rm -rf output/* figures/*
	@touch output/.gitkeep figures/.gitkeep
