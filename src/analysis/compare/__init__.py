"""Compare outlets: profiles, distinctive vocabulary, mentions, similarity, topics and shared text.

Every function of this sub-package groups the articles of a corpus by one column (``by="source"`` by
default). Articles without a value there are kept as one group named
:data:`UNKNOWN_OUTLET` ("unbekannt"), so that nothing silently disappears from
the comparison; drop them beforehand if that group is not wanted.

All comparisons carry the number of articles behind them (``n_articles``
columns). Outlets with fewer than :data:`MIN_ARTICLES_PER_OUTLET` articles are
flagged (``descriptive_only``) and a :class:`SmallSampleWarning` says that
differences involving them describe these few articles only.

Shared text (agency copy, syndication, boilerplate that two outlets have in
common) can dominate both the vocabulary and the similarity of outlets.
:func:`shared_passages` finds word sequences that occur in articles of more than
one outlet and :func:`remove_shared_passages` returns a corpus without them, on
which the other comparisons can be repeated.

Modules: :mod:`~analysis.compare.outlets` (grouping and the shared checks),
:mod:`~analysis.compare.profiles`, :mod:`~analysis.compare.keyness`,
:mod:`~analysis.compare.similarity` (vocabulary similarity and topic mix),
:mod:`~analysis.compare.shared_text` and :mod:`~analysis.compare.attention` (over time).

Examples
--------
>>> from analysis import load_corpus
>>> from analysis import compare
>>> corpus = load_corpus()                                     # doctest: +SKIP
>>> compare.outlet_profile(corpus)                             # doctest: +SKIP
>>> counts = compare.term_counts(corpus)                       # doctest: +SKIP
>>> compare.keyness_all(corpus, counts=counts, top_n=10)       # doctest: +SKIP
"""
from analysis.compare.attention import (
    MAX_PERIODS,
    MIN_ARTICLES_PER_PERIOD,
    PERIOD_NAMES,
    PERIODS,
    attention_over_time,
    choose_period,
    why_no_time_line,
)
from analysis.compare.keyness import (
    DOCS_SHARE_FROM,
    LOG_RATIO_ZERO,
    MIN_DOCS,
    MIN_DOCS_SHARE,
    keyness,
    keyness_all,
    term_counts,
)
from analysis.compare.outlets import (
    MIN_ARTICLES_PER_OUTLET,
    UNKNOWN_OUTLET,
    SmallSampleWarning,
    label_with_n,
    outlet_labels,
)
from analysis.compare.profiles import mention_profile, outlet_profile
from analysis.compare.shared_text import (
    passage_table,
    remove_shared_passages,
    shared_passages,
    shared_text_by_outlet,
)
from analysis.compare.similarity import outlet_similarity, topic_mix
from analysis.text import TermCounts

__all__ = [
    "DOCS_SHARE_FROM",
    "LOG_RATIO_ZERO",
    "MAX_PERIODS",
    "MIN_ARTICLES_PER_OUTLET",
    "MIN_ARTICLES_PER_PERIOD",
    "MIN_DOCS",
    "MIN_DOCS_SHARE",
    "PERIODS",
    "PERIOD_NAMES",
    "UNKNOWN_OUTLET",
    "SmallSampleWarning",
    "TermCounts",
    "attention_over_time",
    "choose_period",
    "keyness",
    "keyness_all",
    "label_with_n",
    "mention_profile",
    "outlet_labels",
    "outlet_profile",
    "outlet_similarity",
    "passage_table",
    "remove_shared_passages",
    "shared_passages",
    "shared_text_by_outlet",
    "term_counts",
    "topic_mix",
    "why_no_time_line",
]
