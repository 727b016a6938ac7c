"""Analyse German-language news coverage: load, clean, count mentions, cluster topics, compare outlets."""
from analysis.clean import audit, clean_corpus, clean_text
from analysis.load import CorpusError, load_corpus

__all__ = ["CorpusError", "audit", "clean_corpus", "clean_text", "load_corpus"]
