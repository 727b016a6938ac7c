"""Analyse German-language news coverage: load, clean, count mentions, cluster topics, compare outlets."""
from analysis.clean import audit, clean_corpus, clean_text
from analysis.compare import keyness, keyness_all, mention_profile, outlet_profile, outlet_similarity, shared_passages
from analysis.load import CorpusError, articles_for_analysis, load_corpus
from analysis.mentions import Gazetteer, count_mentions, find_mentions, kwic
from analysis.plots import save_figure
from analysis.quotes import find_quotes
from analysis.topics import cluster_documents, document_similarity, nearest_neighbours

__all__ = [
    "CorpusError", "Gazetteer", "articles_for_analysis", "audit", "clean_corpus", "clean_text", "cluster_documents", "count_mentions",
    "document_similarity", "find_mentions", "find_quotes", "keyness", "keyness_all", "kwic", "load_corpus", "mention_profile",
    "nearest_neighbours", "outlet_profile", "outlet_similarity", "save_figure", "shared_passages",
]
