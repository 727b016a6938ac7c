# Analysis of German-language news coverage. `make` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= data/raw
ENTITIES ?=
OUT ?=
FIGURES ?=
TEXT_COLUMN ?=
SOURCE_COLUMN ?=
DATE_COLUMN ?=
ID_COLUMN ?=
TITLE_COLUMN ?=
AUTHOR_COLUMN ?=
WITH_CODE ?=
CACHE ?=
MAX_ARTICLES ?=

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

## Run every notebook on the corpus (CORPUS=data/raw); write reports/ and figures/, or OUT= (figures in OUT/figures) and FIGURES=; README "Command line" lists every variable.
report: $(STAMP)
	$(BIN)/python -m analysis report --corpus '$(CORPUS)' $(if $(OUT),--out '$(OUT)') $(if $(FIGURES),--figures '$(FIGURES)') \
		$(if $(ENTITIES),--entities '$(ENTITIES)') $(if $(TEXT_COLUMN),--text-column '$(TEXT_COLUMN)') \
		$(if $(SOURCE_COLUMN),--source-column '$(SOURCE_COLUMN)') $(if $(DATE_COLUMN),--date-column '$(DATE_COLUMN)') \
		$(if $(ID_COLUMN),--id-column '$(ID_COLUMN)') $(if $(TITLE_COLUMN),--title-column '$(TITLE_COLUMN)') \
		$(if $(AUTHOR_COLUMN),--author-column '$(AUTHOR_COLUMN)') $(if $(WITH_CODE),--with-code) \
		$(if $(CACHE),--cache '$(CACHE)') $(if $(MAX_ARTICLES),--max-articles '$(MAX_ARTICLES)')

## Run the whole test suite.
test: $(STAMP)
	$(BIN)/python -m pytest

## Open JupyterLab on the notebooks, in the project's environment.
lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

## Delete generated figures, reports and processed data.
clean-outputs:
	find figures reports data/processed -type f ! -name .gitkeep -delete
