# Analysis of German-language news coverage. `make` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= data/raw
ENTITIES ?=
OUT ?= reports
FIGURES ?= figures

.DEFAULT_GOAL := help
.PHONY: help report test lab clean-outputs

## List the targets.
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z-]+:/{if(doc){split($$0,t,":"); printf "  make %-14s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 > /dev/null
	touch $(STAMP)

## Run every notebook on the corpus (CORPUS=data/raw), write figures/ and reports/*.html (FIGURES=, OUT=).
report: $(STAMP)
	$(BIN)/python -m analysis report --corpus $(CORPUS) --out $(OUT) --figures $(FIGURES) $(if $(ENTITIES),--entities $(ENTITIES))

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

## Open JupyterLab on the notebooks, in the project's environment.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## Delete generated figures, reports and processed data.
clean-outputs:
	find figures reports data/processed -type f ! -name .gitkeep -delete
