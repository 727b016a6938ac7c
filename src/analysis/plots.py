"""Draw and save the project's charts in one consistent, reproducible style.

Every chart helper applies :func:`use_style`, takes an optional ``ax`` and
returns the axes it drew on, so that notebooks can either let the helper
create a figure (sized to the number of rows shown) or draw into a subplot.
Top-N limits and label shortening keep charts readable whether the corpus
has five articles or forty thousand, and :func:`save_figure` writes PNG, SVG
and the plotted numbers as CSV with fixed metadata, so that the same input
gives byte-identical files.

Examples
--------
>>> import pandas as pd
>>> from analysis import plots
>>> counts = pd.Series({"Trump": 12, "Tokajew": 7, "Mirziyoyev": 5})
>>> ax = plots.bar_chart(counts, title="Erwähnungen", xlabel="Artikel")
>>> paths = plots.save_figure(ax.figure, "03-mentions", data=counts)  # doctest: +SKIP
"""
from __future__ import annotations

import logging
import os
import re
import textwrap
import warnings
from collections.abc import Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from analysis import paths

logger = logging.getLogger(__name__)

#: Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)
#: Colours of the groups in :func:`scatter_map`: Tableau 10 without its grey and olive. Small,
#: translucent points need hues further apart than Okabe–Ito's orange, vermillion and yellow.
GROUP_PALETTE = (
    "#1F77B4",  # blue
    "#FF7F0E",  # orange
    "#2CA02C",  # green
    "#D62728",  # red
    "#9467BD",  # purple
    "#8C564B",  # brown
    "#E377C2",  # pink
    "#17BECF",  # cyan
)
#: Markers that tell groups (e.g. outlets) apart in :func:`scatter_map`, each a clearly different shape.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Line styles combined with :data:`PALETTE` when a line chart has more series than colours.
LINESTYLES = ("-", "--", ":", "-.")
#: German month names as date axes show them.
GERMAN_MONTH_LABELS = ("Jan.", "Feb.", "März", "Apr.", "Mai", "Juni", "Juli", "Aug.", "Sep.", "Okt.", "Nov.", "Dez.")
#: Label shown for a missing group value.
MISSING_LABEL = "k. A."  # keine Angabe
#: Environment variable that overrides the default figures folder of :func:`save_figure`.
FIGURES_DIR_ENV = "ANALYSIS_FIGURES_DIR"

#: rcParams applied by :func:`use_style`. ``svg.fonttype = "none"`` keeps text as
#: text (searchable, umlauts intact) and a fixed ``svg.hashsalt`` makes SVG ids stable.
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.titlesize": 12,
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.title_fontsize": 9,
    "legend.frameon": False,
    "figure.titlesize": 13,
    "figure.figsize": (7.0, 4.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.constrained_layout.use": True,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(color=PALETTE),
    "image.cmap": "viridis",
    "svg.fonttype": "none",
    "svg.hashsalt": "analysis",
    "text.parse_math": False,  # outlet names and titles are data: "$5 und $10" stays as written
}
#: First characters that make a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_FIG_WIDTH = 7.0
_ROW_HEIGHT = 0.3  # inches per bar or heatmap row
_COL_WIDTH = 0.45  # inches per heatmap column
_ANNOTATE_MAX_CELLS = 150


def use_style() -> None:
    """Apply the project's plotting style to matplotlib's global rcParams.

    The chart helpers call this themselves; call it directly before drawing
    a figure by hand so that it matches the others.

    Examples
    --------
    >>> use_style()
    >>> import matplotlib as mpl
    >>> mpl.rcParams["svg.fonttype"]
    'none'
    """
    mpl.rcParams.update(STYLE)


def shorten(label: object, width: int = 30, max_lines: int = 2) -> str:
    """Wrap a label onto at most ``max_lines`` lines of ``width`` characters.

    Whitespace is collapsed, lines break at spaces and hyphens, and a label
    that does not fit ends in an ellipsis ("…").

    Parameters
    ----------
    label : object
        The label; converted with ``str``.
    width : int, default 30
        Maximum number of characters per line (at least 2).
    max_lines : int, default 2
        Maximum number of lines (at least 1).

    Returns
    -------
    str
        The label, lines joined with ``"\\n"``.

    Examples
    --------
    >>> shorten("Bundesministerium", width=10, max_lines=1)
    'Bundesmin…'
    >>> shorten("Präsident Kassym-Jomart Tokajew", width=12)
    'Präsident\\nKassym…'
    """
    if not isinstance(width, int) or width < 2:
        raise ValueError(f"width must be an integer >= 2, got {width!r}")
    if not isinstance(max_lines, int) or max_lines < 1:
        raise ValueError(f"max_lines must be an integer >= 1, got {max_lines!r}")
    text = " ".join(str(label).split())
    lines = textwrap.wrap(text, width=width, break_on_hyphens=True) or [""]
    if len(lines) > max_lines:
        last = lines[max_lines - 1][: width - 1].rstrip(" -")
        lines = [*lines[: max_lines - 1], last + "…"]
    return "\n".join(lines)


def article_labels(corpus: pd.DataFrame, width: int = 45) -> pd.Series:
    """Name articles in a figure: by their title, or by the first eight words of their text, on one line.

    Parameters
    ----------
    corpus : pandas.DataFrame
        Articles with ``title`` and ``text``.
    width : int, default 45
        Characters of a label (see :func:`shorten`).

    Returns
    -------
    pandas.Series
        One label per article, with the corpus's index.

    Examples
    --------
    >>> corpus = pd.DataFrame({"title": ["Gipfel in Astana", None],
    ...                        "text": ["…", "Der Präsident reiste am Montag nach Taschkent und traf dort"]})
    >>> article_labels(corpus, width=60).tolist()
    ['Gipfel in Astana', 'Der Präsident reiste am Montag nach Taschkent und …']
    """
    first_words = corpus["text"].str.slice(0, 300).str.split().str[:8].str.join(" ") + " …"
    titles = corpus["title"].where(corpus["title"].notna() & (corpus["title"] != ""), first_words)
    return titles.map(lambda title: shorten(title, width, 1))


def format_number(value: float, spec: str = ",") -> str:
    """Write a number as German text does, with thousands points and a decimal comma.

    Parameters
    ----------
    value : float
        The number.
    spec : str, default ","
        Format spec in Python's notation (``","`` for thousands separators), e.g. ``",.1f"``.

    Returns
    -------
    str
        The formatted number, ``"."`` and ``","`` swapped.

    Examples
    --------
    >>> format_number(11652)
    '11.652'
    >>> format_number(0.0712, ".3f")
    '0,071'

    A number that reads as zero carries no sign:

    >>> format_number(-0.04, ".1f")
    '0,0'
    """
    written = format(value, spec)
    if written.startswith("-") and not written.strip("-0.,"):
        written = written[1:]
    return _decimal_comma(written)


def save_figure(
    fig: Figure,
    name: str,
    data: pd.DataFrame | pd.Series | None = None,
    figures_dir: str | os.PathLike | None = None,
) -> dict[str, Path]:
    """Write a figure as PNG and SVG, and the plotted numbers as CSV.

    The files carry no timestamps or random ids, so saving the same figure
    twice gives byte-identical files. Every text of the figure is drawn as written
    (a ``$`` starts no formula), and the CSV cells are made :func:`spreadsheet_safe`.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to save (it stays open, so a notebook still displays it).
    name : str
        File stem such as ``"03-mentions-by-source"``: letters, digits, ``-``
        and ``_`` only, no folder and no extension.
    data : pandas.DataFrame or pandas.Series, optional
        The numbers shown in the figure, written to ``<name>.csv`` with the index.
    figures_dir : str or path-like, optional
        Output folder, created if needed. Defaults to the environment variable
        ``ANALYSIS_FIGURES_DIR`` if set, else :data:`analysis.paths.FIGURES_DIR`.

    Returns
    -------
    dict of str to pathlib.Path
        Paths written, keyed ``"png"``, ``"svg"`` and (with ``data``) ``"csv"``.

    Examples
    --------
    >>> ax = bar_chart(pd.Series({"Trump": 3, "Tokajew": 2}))
    >>> save_figure(ax.figure, "demo", figures_dir="/tmp/figs")  # doctest: +SKIP
    {'png': PosixPath('/tmp/figs/demo.png'), 'svg': PosixPath('/tmp/figs/demo.svg')}
    """
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
        raise ValueError(
            f"name must be a file stem of letters, digits, '-' and '_' without folder "
            f"or extension (e.g. '03-mentions-by-source'), got {name!r}"
        )
    if data is not None and not isinstance(data, (pd.DataFrame, pd.Series)):
        raise ValueError(f"data must be a pandas DataFrame or Series, got {type(data).__name__}")
    out_dir = _figures_dir(figures_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {"png": out_dir / f"{name}.png", "svg": out_dir / f"{name}.svg"}
    for text in fig.findobj(Text):  # also the texts drawn before use_style: every string is literal
        text.set_parse_math(False)
    for ax in fig.axes:
        _decimal_commas(ax)
    _spaced_number_ticks(fig)
    with mpl.rc_context({"svg.hashsalt": STYLE["svg.hashsalt"], "svg.fonttype": STYLE["svg.fonttype"]}):
        fig.savefig(written["png"], format="png", bbox_inches="tight", metadata={"Software": None})
        fig.savefig(written["svg"], format="svg", bbox_inches="tight", metadata={"Date": None})
    if data is not None:
        written["csv"] = out_dir / f"{name}.csv"
        spreadsheet_safe(data).to_csv(written["csv"], lineterminator="\n")
    logger.info("Saved figure %s to %s", name, out_dir)
    return written


def spreadsheet_safe(data: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
    r"""Return a copy of a table whose text cells no spreadsheet runs as a formula.

    A text cell, index label or column name that begins with ``=``, ``+``, ``-``, ``@``,
    a tab or a carriage return gets a leading apostrophe, as OWASP recommends against
    CSV injection; numbers stay numbers.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The table to be written as CSV.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        The escaped copy.

    Examples
    --------
    >>> spreadsheet_safe(pd.Series([3, -1], index=['=HYPERLINK("http://x","klick")', "taz"])).index.tolist()
    ['\'=HYPERLINK("http://x","klick")', 'taz']
    """
    data = data.copy()
    data.index = _escaped_labels(data.index)
    if isinstance(data, pd.DataFrame):
        data.columns = _escaped_labels(data.columns)
        for column in range(data.shape[1]):
            values = data.iloc[:, column]
            if not pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_datetime64_any_dtype(values):
                data.isetitem(column, values.map(_escaped_cell))
    elif not pd.api.types.is_numeric_dtype(data) and not pd.api.types.is_datetime64_any_dtype(data):
        data = data.map(_escaped_cell)
    return data


def _escaped_cell(value: object) -> object:
    """Prefix a text that a spreadsheet would take for a formula with an apostrophe."""
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _escaped_labels(labels: pd.Index) -> pd.Index:
    """Escape the text labels of an index, level by level, as :func:`_escaped_cell` escapes a cell."""
    if isinstance(labels, pd.MultiIndex):
        return labels.set_levels([_escaped_labels(level) for level in labels.levels])
    return labels.map(_escaped_cell) if labels.dtype == object or pd.api.types.is_string_dtype(labels) else labels


def bar_chart(
    values: pd.Series,
    top_n: int = 20,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    annotate: bool = False,
    fmt: str | None = None,
    label_width: int = 30,
) -> Axes:
    """Draw a sorted horizontal bar chart of the ``top_n`` largest values.

    With negative values (e.g. keyness scores) the ``top_n`` values of largest
    magnitude are shown, positive bars in blue above negative bars in orange.

    Parameters
    ----------
    values : pandas.Series
        Numeric values indexed by label; missing and infinite values are dropped.
    top_n : int, default 20
        Maximum number of bars.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure whose height grows with the bars.
    title, xlabel, ylabel : str, optional
        Title and axis labels (put units in ``xlabel``, e.g. "Erwähnungen (Anzahl)").
    annotate : bool, default False
        Write each value next to its bar.
    fmt : str, optional
        Format spec for the annotations; default ``",.0f"`` for whole numbers, else ``",.2f"`` (German thousands points).
    label_width : int, default 30
        Characters per line of the bar labels (see :func:`shorten`).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> ax = bar_chart(pd.Series({"Trump": 12, "Tokajew": 7, "Mirziyoyev": 5}), top_n=2)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Trump', 'Tokajew']
    """
    values = _numeric_series(values, "values")
    _check_positive_int(top_n, "top_n")
    shown = _top_values(values, top_n)
    if len(shown) < len(values):
        logger.info("bar_chart: showing the top %d of %d values", len(shown), len(values))
    ax = _axes(ax, height=1.2 + _ROW_HEIGHT * len(shown))
    positions = np.arange(len(shown))
    colors = [PALETTE[0] if v >= 0 else PALETTE[1] for v in shown.to_numpy()]
    bars = ax.barh(positions, shown.to_numpy(), color=colors)
    ax.set_yticks(positions, [shorten(label, label_width) for label in shown.index])
    ax.invert_yaxis()
    ax.tick_params(axis="y", length=0)
    ax.grid(axis="x", alpha=0.3)
    ax.set_axisbelow(True)
    if (shown < 0).any():
        ax.axvline(0, color="0.3", linewidth=0.8)
    elif not shown.any():  # all zero: an axis from 0, not one spread around it
        ax.set_xlim(0, 1)
    if annotate:
        spec = fmt or _default_fmt(shown.to_numpy())
        ax.bar_label(bars, labels=[format_number(v, spec) for v in shown.to_numpy()], padding=3, fontsize=8)
        ax.margins(x=0.12)
    _set_labels(ax, title, xlabel, ylabel)
    return ax


def heatmap(
    matrix: pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    cbar_label: str | None = None,
    annotate: bool | None = None,
    fmt: str | None = None,
    max_rows: int = 40,
    max_cols: int = 40,
    cmap: str | None = None,
    center: float | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    label_width: int = 25,
) -> Axes:
    """Draw a matrix as a colour-coded grid with a labelled colour bar.

    A larger matrix is cut to the ``max_rows`` rows and ``max_cols`` columns of
    largest absolute total, in their original order (a square matrix with the
    same labels on both axes keeps the same labels on both).

    Parameters
    ----------
    matrix : pandas.DataFrame
        Numeric values; missing cells are drawn light grey.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure sized to the matrix.
    title, xlabel, ylabel : str, optional
        Title and axis labels.
    cbar_label : str, optional
        Colour bar label, with units.
    annotate : bool, optional
        Write the value in each cell; by default only when there are at most 150 cells.
    fmt : str, optional
        Format spec of the annotations; default ``",.0f"`` for whole numbers, else ``",.2f"`` (German thousands points).
    max_rows, max_cols : int, default 40
        Maximum number of rows and columns shown.
    cmap : str, optional
        Colour map; default ``"viridis"``, or ``"RdBu_r"`` when ``center`` is given.
    center : float, optional
        Value mapped to the middle of a diverging colour map (e.g. 0 for differences).
    vmin, vmax : float, optional
        Values at the ends of the colour scale, by default the smallest and largest
        shown; fix them where the scale has natural ends (0 and 1 for cosine
        similarities), so that a colour shows a value, not only its rank. Not with ``center``.
    label_width : int, default 25
        Characters per line of the row and column labels (see :func:`shorten`).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> m = pd.DataFrame({"taz": [3, 0], "Zeit": [1, 2]}, index=["Trump", "Tokajew"])
    >>> ax = heatmap(m, cbar_label="Erwähnungen")
    """
    if not isinstance(matrix, pd.DataFrame):
        raise ValueError(f"matrix must be a pandas DataFrame, got {type(matrix).__name__}")
    if matrix.empty:
        raise ValueError("matrix must have at least one row and one column")
    try:
        numeric = matrix.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"matrix must hold numbers only: {exc}") from exc
    _check_positive_int(max_rows, "max_rows")
    _check_positive_int(max_cols, "max_cols")
    if center is not None and (vmin is not None or vmax is not None):
        raise ValueError(f"give center or vmin/vmax, not both (center={center!r}, vmin={vmin!r}, vmax={vmax!r})")
    shown = _cut_matrix(numeric, max_rows, max_cols)
    n_rows, n_cols = shown.shape
    # room for the column labels, which are rotated by 45 degrees below the cells
    label_room = 0.06 * min(label_width, max(len(str(c)) for c in shown.columns))
    ax = _axes(ax, height=1.6 + _ROW_HEIGHT * max(n_rows, 3) + label_room,
               width=max(_FIG_WIDTH, 3.0 + _COL_WIDTH * n_cols))
    values = np.ma.masked_invalid(shown.to_numpy())
    color_map = mpl.colormaps[cmap or ("RdBu_r" if center is not None else STYLE["image.cmap"])].with_extremes(
        bad="0.9"
    )
    norm = _norm(values, center, vmin, vmax)
    image = ax.imshow(values, cmap=color_map, norm=norm, aspect="auto", interpolation="nearest")
    colorbar = ax.figure.colorbar(image, ax=ax)
    if cbar_label:
        colorbar.set_label(cbar_label)
    if _whole_numbers(values.compressed()):  # counts: no ticks between whole numbers
        colorbar.ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    _decimal_commas(colorbar.ax)
    ax.set_xticks(np.arange(n_cols), [shorten(c, label_width) for c in shown.columns])
    ax.set_yticks(np.arange(n_rows), [shorten(r, label_width) for r in shown.index])
    ax.tick_params(axis="x", labelrotation=45, length=0)
    ax.tick_params(axis="y", length=0)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    ax.spines[:].set_visible(False)
    if annotate if annotate is not None else n_rows * n_cols <= _ANNOTATE_MAX_CELLS:
        _annotate_cells(ax, image, values, fmt or _default_fmt(values.compressed()))
    _set_labels(ax, title, xlabel, ylabel)
    return ax


def line_chart(
    frame: pd.DataFrame,
    top_n: int = 8,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    legend_title: str | None = None,
    label_width: int = 30,
) -> Axes:
    """Draw one line per column over the index, for the ``top_n`` largest columns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Index: dates, periods, numbers or labels in order; columns: the series.
        The ``top_n`` columns with the largest absolute total are drawn.
    top_n : int, default 8
        Maximum number of lines; beyond the 8 palette colours lines are dashed or dotted.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure.
    title, xlabel, ylabel : str, optional
        Title and axis labels (units in ``ylabel``, e.g. "Artikel pro Woche").
    legend_title : str, optional
        Title of the legend, which sits outside the plot on the right.
    label_width : int, default 30
        Characters per line of the legend labels (see :func:`shorten`).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> idx = pd.period_range("2025-01", periods=3, freq="M")
    >>> ax = line_chart(pd.DataFrame({"Trump": [3, 5, 2], "Tokajew": [1, 0, 4]}, index=idx))
    """
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    if frame.empty:
        raise ValueError("frame must have at least one row and one column")
    _check_positive_int(top_n, "top_n")
    try:
        numeric = frame.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"frame must hold numbers only: {exc}") from exc
    totals = numeric.abs().sum(axis=0).to_numpy()
    keep = np.sort(np.argsort(-totals, kind="stable")[:top_n])
    if len(keep) < numeric.shape[1]:
        logger.info("line_chart: showing the top %d of %d series", len(keep), numeric.shape[1])
    shown = numeric.iloc[:, keep]
    x, tick_labels = _x_values(shown.index)
    ax = _axes(ax)
    marker = "o" if len(shown) <= 30 else None
    for i, column in enumerate(shown.columns):
        ax.plot(
            x,
            shown[column].to_numpy(),
            color=PALETTE[i % len(PALETTE)],
            linestyle=LINESTYLES[(i // len(PALETTE)) % len(LINESTYLES)],
            marker=marker,
            markersize=3,
            label=shorten(column, label_width),
        )
    if tick_labels is not None:
        step = max(1, len(tick_labels) // 20)
        ax.set_xticks(x[::step], [shorten(t, 15, 1) for t in tick_labels[::step]], rotation=45, ha="right")
    elif isinstance(shown.index, pd.PeriodIndex):  # ticks on the periods, at most 12
        ax.set_xticks(x[::(len(x) + 11) // 12])
        ax.xaxis.set_major_formatter(GermanDateFormatter())
    elif isinstance(shown.index, pd.DatetimeIndex):
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=10))
        ax.xaxis.set_major_formatter(GermanDateFormatter())
    ax.grid(axis="y", alpha=0.3)
    ax.legend(title=legend_title, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    _set_labels(ax, title, xlabel, ylabel)
    return ax


def scatter_map(
    x: Sequence[float] | np.ndarray | pd.Series,
    y: Sequence[float] | np.ndarray | pd.Series,
    color_groups: Sequence | pd.Series,
    marker_groups: Sequence | pd.Series | None = None,
    labels: Sequence | pd.Series | None = None,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    color_title: str | None = "Cluster",
    marker_title: str | None = "Quelle",
    max_labels: int = 30,
    max_marker_points: int = 200,
    label_width: int = 20,
) -> Axes:
    """Draw points coloured by one grouping and shaped by another, legend outside.

    Typical use: documents in a 2-D projection, coloured by cluster and
    shaped by outlet. Missing group values are shown as "k. A." (keine Angabe). Beyond
    100 points the points shrink and turn translucent, so that dense areas
    show darker instead of as a solid blot; beyond ``max_marker_points``
    all points are circles, as shapes can no longer be told apart.

    Parameters
    ----------
    x, y : array-like of float
        Point coordinates, same length.
    color_groups : array-like
        Group of each point that sets its colour (e.g. cluster id), from
        :data:`GROUP_PALETTE`.
    marker_groups : array-like, optional
        Group of each point that sets its marker (e.g. outlet), from :data:`MARKERS`;
        ignored, with a log message, when there are more than ``max_marker_points`` points.
    labels : array-like, optional
        Text written next to each point; skipped with a warning when there are
        more than ``max_labels`` points, as the labels would overlap.
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure.
    title, xlabel, ylabel : str, optional
        Title and axis labels.
    color_title, marker_title : str, optional
        Headings of the two legend sections.
    max_labels : int, default 30
        Maximum number of points labelled.
    max_marker_points : int, default 200
        Maximum number of points drawn with group markers.
    label_width : int, default 20
        Characters of a point label (see :func:`shorten`).

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on.

    Examples
    --------
    >>> ax = scatter_map([0, 1, 2], [1, 0, 1], color_groups=[0, 0, 1],
    ...                  marker_groups=["taz", "Zeit", "taz"], labels=["a", "b", "c"])
    """
    xs = _float_array(x, "x")
    ys = _float_array(y, "y")
    n = len(xs)
    if len(ys) != n:
        raise ValueError(f"x and y must have the same length, got {n} and {len(ys)}")
    colors = _group_labels(color_groups, n, "color_groups")
    markers = _group_labels(marker_groups, n, "marker_groups") if marker_groups is not None else None
    _check_positive_int(max_labels, "max_labels")
    _check_positive_int(max_marker_points, "max_marker_points")
    if markers is not None and n > max_marker_points:
        logger.info("scatter_map: %d points exceed max_marker_points=%d; markers not drawn", n, max_marker_points)
        markers = None
    ax = _axes(ax)
    color_of = _assign(colors, GROUP_PALETTE, "color_groups", "colours")
    marker_of = _assign(markers, MARKERS, "marker_groups", "markers") if markers is not None else {}
    point_markers = markers if markers is not None else np.full(n, "")
    for shape, index in pd.Series(np.arange(n)).groupby(point_markers, sort=True).groups.items():
        points = np.sort(index.to_numpy())  # in input order, so that no group is always drawn on top
        ax.scatter(
            xs[points], ys[points], c=[color_of[g] for g in colors[points]], marker=marker_of.get(shape, "o"),
            edgecolors="white", **_point_style(n),
        )
    if labels is not None:
        _label_points(ax, xs, ys, _group_labels(labels, n, "labels"), max_labels, label_width)
    handles = _legend_section(color_title, [
        Line2D([], [], linestyle="none", marker="o", color=c, label=shorten(g, label_width, 1))
        for g, c in color_of.items()
    ])
    handles += _legend_section(marker_title, [
        Line2D([], [], linestyle="none", marker=m, color="0.35", label=shorten(g, label_width, 1))
        for g, m in marker_of.items()
    ])
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), ncols=1 + len(handles) // 30)
    for handle, text in zip(handles, legend.get_texts()):
        if handle.get_marker() in ("None", "none", None, ""):
            text.set_fontweight("bold")
    _set_labels(ax, title, xlabel, ylabel)
    return ax


def _figures_dir(figures_dir: str | os.PathLike | None) -> Path:
    """Resolve the output folder: argument, else environment variable, else project default."""
    if figures_dir is not None:
        return Path(figures_dir)
    from_env = os.environ.get(FIGURES_DIR_ENV)
    return Path(from_env) if from_env else paths.FIGURES_DIR


def _axes(ax: Axes | None, height: float = 4.5, width: float = _FIG_WIDTH) -> Axes:
    """Apply the style and return ``ax``, or new axes of the given size in inches."""
    use_style()
    if ax is not None:
        if not isinstance(ax, Axes):
            raise ValueError(f"ax must be matplotlib Axes or None, got {type(ax).__name__}")
        return ax
    _, new_ax = plt.subplots(figsize=(width, max(2.5, height)))
    return new_ax


def _set_labels(ax: Axes, title: str | None, xlabel: str | None, ylabel: str | None) -> None:
    """Set whichever of title and axis labels are given, and decimal commas on the number axes."""
    _decimal_commas(ax)
    if title:
        ax.set_title(title)
    if xlabel:
        ax.set_xlabel(xlabel)
    if ylabel:
        ax.set_ylabel(ylabel)


def _point_style(n: int) -> dict[str, float]:
    """Return the size, opacity and edge width of ``n`` scatter points.

    Up to 100 points: area 36 pt², opacity 0.85 and a thin white edge. Beyond,
    without edges, the area shrinks with ``(100 / n) ** 0.4`` and the opacity with
    ``(100 / n) ** 0.2``, to no less than 4 pt² and 0.2, so that dense areas show darker.
    """
    ratio = min(1.0, 100 / n)
    return {"s": max(4.0, 36.0 * ratio**0.4), "alpha": max(0.2, 0.85 * ratio**0.2),
            "linewidths": 0.5 if ratio == 1.0 else 0.0}


def _check_positive_int(value: object, name: str) -> None:
    """Raise ValueError unless ``value`` is an int >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")


def _numeric_series(values: object, name: str) -> pd.Series:
    """Return ``values`` as a float Series without missing values, or raise ValueError."""
    if not isinstance(values, pd.Series):
        raise ValueError(f"{name} must be a pandas Series, got {type(values).__name__}")
    try:
        numeric = values.astype(float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers only: {exc}") from exc
    numeric = numeric[np.isfinite(numeric.to_numpy())]
    if numeric.empty:
        raise ValueError(f"{name} must contain at least one finite number")
    return numeric


def _top_values(values: pd.Series, top_n: int) -> pd.Series:
    """Keep the ``top_n`` values of largest magnitude, sorted from largest to smallest."""
    order = np.argsort(-np.abs(values.to_numpy()), kind="stable")[:top_n]
    top = values.iloc[order]
    return top.iloc[np.argsort(-top.to_numpy(), kind="stable")]


def _default_fmt(values: np.ndarray) -> str:
    """Return ``",.0f"`` when all values are whole numbers, else ``",.2f"``."""
    return ",.0f" if _whole_numbers(values) else ",.2f"


def _whole_numbers(values: np.ndarray) -> bool:
    """Tell whether all values are whole numbers (counts)."""
    return bool(np.all(np.mod(values, 1) == 0))


def _top_labels(totals: pd.Series, limit: int) -> pd.Index:
    """Return the labels of the ``limit`` largest totals, in their original order."""
    keep = np.sort(np.argsort(-totals.to_numpy(), kind="stable")[:limit])
    return totals.index[keep]


def _cut_matrix(matrix: pd.DataFrame, max_rows: int, max_cols: int) -> pd.DataFrame:
    """Cut ``matrix`` to at most ``max_rows`` x ``max_cols`` cells of largest absolute totals."""
    if matrix.shape[0] <= max_rows and matrix.shape[1] <= max_cols:
        return matrix
    magnitude = matrix.abs()
    if matrix.index.equals(matrix.columns):
        labels = _top_labels(magnitude.sum(axis=1) + magnitude.sum(axis=0), min(max_rows, max_cols))
        shown = matrix.loc[labels, labels]
    else:
        rows = np.sort(np.argsort(-magnitude.sum(axis=1).to_numpy(), kind="stable")[:max_rows])
        cols = np.sort(np.argsort(-magnitude.sum(axis=0).to_numpy(), kind="stable")[:max_cols])
        shown = matrix.iloc[rows, cols]
    logger.info("heatmap: showing %d x %d of %d x %d cells", *shown.shape, *matrix.shape)
    return shown


def _norm(values: np.ma.MaskedArray, center: float | None, vmin: float | None, vmax: float | None) -> Normalize:
    """Return a colour normalisation from ``vmin`` to ``vmax`` (the data's ends where None), or around ``center``."""
    if center is None:
        return Normalize(vmin=vmin, vmax=vmax)
    spread = float(np.max(np.abs(values - center))) if values.count() else 1.0
    spread = spread or 1.0
    return Normalize(vmin=center - spread, vmax=center + spread)


def _annotate_cells(ax: Axes, image, values: np.ma.MaskedArray, fmt: str) -> None:
    """Write each unmasked cell value, in black or white depending on the cell colour."""
    for (row, col), value in np.ndenumerate(values.filled(np.nan)):
        if np.isnan(value):
            continue
        red, green, blue, _ = image.cmap(image.norm(value))
        luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
        ax.text(col, row, format_number(value, fmt), ha="center", va="center", fontsize=8,
                color="black" if luminance > 0.5 else "white")


_DECIMAL_COMMA = str.maketrans(".,", ",.")


# The whole-number part of a formatted number with four digits or more.
_THOUSANDS = re.compile(r"(?<![.\d])\d{4,}")


def _decimal_comma(number: str) -> str:
    """Write a formatted number as German text does: 1.234,5 for 1,234.5."""
    return number.translate(_DECIMAL_COMMA)


class GermanNumberFormatter(mticker.ScalarFormatter):
    """Label number ticks as German text writes numbers: decimal comma (0,25), thousands points (12.000)."""

    def __call__(self, x, pos=None) -> str:
        return _decimal_comma(_THOUSANDS.sub(lambda m: f"{int(m.group()):,}", super().__call__(x, pos)))

    def get_offset(self) -> str:
        return _decimal_comma(super().get_offset())


def _decimal_commas(ax: Axes) -> None:
    """Give the number axes of ``ax`` decimal commas; axes of labels or dates keep their own."""
    for axis in (ax.xaxis, ax.yaxis):
        if type(axis.get_major_formatter()) is mticker.ScalarFormatter:
            axis.set_major_formatter(GermanNumberFormatter())


def _spaced_number_ticks(fig: Figure) -> None:
    """Give number axes fewer ticks where their labels would touch ("8.00010.000" on a narrow axis)."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        for axis, horizontal in ((ax.xaxis, True), (ax.yaxis, False)):
            if not isinstance(axis.get_major_formatter(), GermanNumberFormatter):
                continue
            intervals = len(axis.get_majorticklocs()) - 1
            while intervals > 1 and _ticks_touch(axis, horizontal, renderer):
                locator = axis.get_major_locator()
                if not isinstance(locator, mticker.MaxNLocator):
                    locator = mticker.MaxNLocator()
                    axis.set_major_locator(locator)
                intervals -= 1  # fewer each time, whatever ticks the locator places beyond the axis' ends
                locator.set_params(nbins=intervals)  # keeps its other settings (integer=True)
                fig.canvas.draw()


def _ticks_touch(axis, horizontal: bool, renderer) -> bool:
    """Tell whether two neighbouring tick labels of ``axis`` come closer than half a character."""
    low, high = sorted(axis.get_view_interval())
    labels = [tick.label1 for loc, tick in zip(axis.get_majorticklocs(), axis.get_major_ticks())
              if low <= loc <= high and tick.label1.get_visible() and tick.label1.get_text()]
    boxes = sorted((label.get_window_extent(renderer) for label in labels), key=lambda box: box.x0 if horizontal else box.y0)
    gap = 0.5 * mpl.rcParams["font.size"] * axis.figure.dpi / 72
    return any((b.x0 - a.x1 if horizontal else b.y0 - a.y1) < gap for a, b in zip(boxes, boxes[1:]))


class GermanDateFormatter(mticker.Formatter):
    """Label date ticks in German, by their spacing: years ("2025"), months ("Aug. 2025", "Sep.")
    or days ("3. Nov. 2025", "10. Nov."); the year stands at the first tick and where it changes.
    """

    def format_ticks(self, values):
        dates = [mdates.num2date(value) for value in values]
        days = min(((b - a).days for a, b in zip(dates, dates[1:])), default=31)
        labels, year = [], None
        for date in dates:
            month = GERMAN_MONTH_LABELS[date.month - 1]
            label = str(date.year) if days >= 365 else month if days >= 28 else f"{date.day}. {month}"
            labels.append(label if date.year == year or days >= 365 else f"{label} {date.year}")
            year = date.year
        return labels

    def __call__(self, x, pos=None) -> str:
        return self.format_ticks([x])[0]


def _x_values(index: pd.Index) -> tuple[np.ndarray, list[str] | None]:
    """Return plottable x values for ``index``, and tick labels when it holds plain labels."""
    if isinstance(index, pd.PeriodIndex):
        return index.to_timestamp().to_numpy(), None
    if isinstance(index, pd.DatetimeIndex) or pd.api.types.is_numeric_dtype(index.dtype):
        return index.to_numpy(), None
    return np.arange(len(index)), [str(label) for label in index]


def _float_array(values: object, name: str) -> np.ndarray:
    """Return ``values`` as a 1-D float array, or raise ValueError."""
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must hold numbers only: {exc}") from exc
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be a non-empty 1-D sequence, got shape {array.shape}")
    return array


def _group_labels(groups: object, n: int, name: str) -> np.ndarray:
    """Return ``groups`` as an array of ``n`` strings, missing values as :data:`MISSING_LABEL`."""
    series = pd.Series(list(groups) if not isinstance(groups, pd.Series) else groups.to_numpy(), dtype=object)
    if len(series) != n:
        raise ValueError(f"{name} must have one entry per point ({n}), got {len(series)}")
    return series.map(lambda g: MISSING_LABEL if pd.isna(g) else str(g)).to_numpy(dtype=object)


def _assign(groups: np.ndarray, styles: Sequence[str], name: str, what: str) -> dict[str, str]:
    """Map each distinct group (sorted) to a style, warning when styles must repeat."""
    distinct = sorted(set(groups), key=_natural_key)
    if len(distinct) > len(styles):
        warnings.warn(
            f"{name} has {len(distinct)} groups but only {len(styles)} distinct {what}; {what} repeat",
            stacklevel=3,
        )
    return {group: styles[i % len(styles)] for i, group in enumerate(distinct)}


def _natural_key(label: str) -> tuple:
    """Sort key that orders "2" before "10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", label))


def _label_points(ax: Axes, xs: np.ndarray, ys: np.ndarray, labels: np.ndarray, max_labels: int, width: int) -> None:
    """Write a short label next to each point, unless there are too many points."""
    if len(labels) > max_labels:
        warnings.warn(
            f"{len(labels)} points exceed max_labels={max_labels}; point labels are not drawn",
            stacklevel=3,
        )
        return
    for x_pos, y_pos, text in zip(xs, ys, labels):
        ax.annotate(shorten(text, width, 1), (x_pos, y_pos), xytext=(3, 3), textcoords="offset points", fontsize=7)


def _legend_section(title: str | None, handles: list[Line2D]) -> list[Line2D]:
    """Prefix legend handles with an invisible handle that serves as section heading."""
    if not handles:
        return []
    heading = [Line2D([], [], linestyle="none", label=title)] if title else []
    return heading + handles


def attention_chart(
    table: pd.DataFrame,
    by: str = "source",
    max_items: int = 6,
    max_outlets: int = 6,
    *,
    title: str | None = None,
    label_width: int = 30,
) -> Figure:
    """Draw, item by item, the share of each outlet's articles that mention it, period by period.

    One panel per item (an entity, a topic), one line per outlet, and beneath them the
    outlets' articles per period. Periods in which an outlet has few articles (``thin``) are
    drawn as open points and not joined by lines; periods without articles stay empty.

    Parameters
    ----------
    table : pandas.DataFrame
        What :func:`analysis.compare.attention_over_time` returns.
    by : str, default "source"
        The outlet column of ``table``.
    max_items : int, default 6
        Panels drawn, for the first items in ``table`` order.
    max_outlets : int, default 6
        Lines drawn per panel, for the outlets with the most articles.
    title : str, optional
        Title over the figure.
    label_width : int, default 30
        Characters of legend labels, twice as many for panel titles (see :func:`shorten`).

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn.
    """
    if not isinstance(table, pd.DataFrame) or not {"period", by, "item", "articles", "share", "thin"} <= set(table.columns):
        raise ValueError(f"table must be what attention_over_time returns (period, {by}, item, articles, share, thin)")
    if table.empty:
        raise ValueError("table must have at least one row")
    _check_positive_int(max_items, "max_items")
    _check_positive_int(max_outlets, "max_outlets")
    use_style()
    items = list(dict.fromkeys(table["item"]))[:max_items]
    sizes = table.drop_duplicates(["period", by]).groupby(by)["articles"].sum().sort_values(ascending=False, kind="stable")
    outlets = list(sizes.index[:max_outlets])
    if len(outlets) < len(sizes):
        logger.info("attention_chart: showing the %d of %d outlets with the most articles", len(outlets), len(sizes))
    periods = pd.period_range(table["period"].min(), table["period"].max(), freq=table["period"].iloc[0].freq)
    x = periods.to_timestamp().to_numpy()
    fig, axes = plt.subplots(len(items) + 1, 1, sharex=True, figsize=(_FIG_WIDTH, 1.7 * len(items) + 1.6),
                             gridspec_kw={"height_ratios": [1.0] * len(items) + [0.8]})
    colours = {outlet: PALETTE[i % len(PALETTE)] for i, outlet in enumerate(outlets)}
    for ax, item in zip(axes, items):
        rows = table[table["item"] == item]
        for outlet in outlets:
            series = rows[rows[by] == outlet].set_index("period").reindex(periods)
            share, thin = series["share"].to_numpy(float), series["thin"].fillna(False).to_numpy(bool)
            ax.plot(x, np.where(thin, np.nan, share), color=colours[outlet], marker="o", markersize=3, linewidth=1.2)
            ax.plot(x[thin], share[thin], linestyle="none", marker="o", markersize=4, markerfacecolor="white",
                    markeredgecolor=colours[outlet])
        ax.set_title(shorten(item, 2 * label_width, 1), fontsize=10)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(mticker.FuncFormatter(_percent))
        ax.grid(axis="y", alpha=0.3)
    counts = table.drop_duplicates(["period", by]).pivot(index="period", columns=by, values="articles")
    counts = counts.reindex(index=periods, columns=outlets).fillna(0)
    width = np.median(np.diff(x)) * 0.8 if len(x) > 1 else np.timedelta64(1, "D")
    bottom = np.zeros(len(x))
    for outlet in outlets:
        axes[-1].bar(x, counts[outlet].to_numpy(), width=width, bottom=bottom, color=colours[outlet])
        bottom += counts[outlet].to_numpy()
    axes[-1].set_title("Artikel je Zeitraum", fontsize=10)
    axes[-1].yaxis.set_major_locator(mticker.MaxNLocator(integer=True, nbins=4))
    axes[-1].xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    axes[-1].xaxis.set_major_formatter(GermanDateFormatter())
    handles = [Line2D([], [], color=colours[o], marker="o", markersize=4, label=shorten(f"{o} (n={format_number(sizes[o])})",
                                                                                       label_width)) for o in outlets]
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=4, markerfacecolor="white",
                          markeredgecolor="grey", label="wenige Artikel im Zeitraum"))
    fig.legend(handles=handles, loc="outside lower center", ncols=min(3, len(handles)))
    if title:
        fig.suptitle(title)
    return fig


def _percent(share: float, _position=None) -> str:
    """Write a share as a German percentage with at most one decimal: 0.025 → "2,5 %", 0.5 → "50 %"."""
    return f"{_decimal_comma(f'{100 * share:.1f}'.rstrip('0').rstrip('.'))} %"

def stability_chart(
    k_scores: pd.DataFrame,
    chosen_k: int,
    ax: Axes | None = None,
    *,
    chosen_label: str | None = None,
    title: str | None = "Stabilität der Cluster je Anzahl k",
    xlabel: str | None = "Anzahl der Cluster k",
    ylabel: str | None = "Übereinstimmung der Läufe (mittlerer ARI)",
) -> Axes:
    """Draw the stability of the clusters per k (mean pairwise ARI ± one standard deviation) and mark the k used.

    Parameters
    ----------
    k_scores : pandas.DataFrame
        Columns ``k``, ``stability`` and ``stability_sd``, as
        :attr:`analysis.topics.TopicResult.k_scores`.
    chosen_k : int
        The k used; drawn as an open ring (a dotted line if it lies outside the k tried).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; by default a new figure.
    chosen_label : str, optional
        Legend entry of the ring; default "gewählt: k = …".
    title, xlabel, ylabel : str, optional
        Title and axis labels.

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn on; the y axis runs from 0 (or below, for a negative ARI) to 1.

    Examples
    --------
    >>> scores = pd.DataFrame({"k": [2, 3, 4], "stability": [0.6, 0.9, 0.5], "stability_sd": [0.2, 0.05, 0.2]})
    >>> ax = stability_chart(scores, chosen_k=3)
    """
    if not isinstance(k_scores, pd.DataFrame) or not {"k", "stability", "stability_sd"} <= set(k_scores.columns):
        raise ValueError("k_scores must be a DataFrame with the columns k, stability and stability_sd")
    if k_scores.empty:
        raise ValueError("k_scores must have at least one row")
    _check_positive_int(chosen_k, "chosen_k")
    scores = k_scores.sort_values("k")
    ks = scores["k"].to_numpy(dtype=float)
    mean = scores["stability"].to_numpy(dtype=float)
    spread = np.nan_to_num(scores["stability_sd"].to_numpy(dtype=float))
    ax = _axes(ax, height=3.2)
    ax.fill_between(ks, mean - spread, np.minimum(mean + spread, 1.0), color=PALETTE[0], alpha=0.15, linewidth=0,
                    label="± 1 Standardabweichung")
    ax.plot(ks, mean, marker="o", color=PALETTE[0], label="mittlerer ARI zwischen den Läufen")
    label = chosen_label or f"gewählt: k = {chosen_k}"
    if chosen_k in scores["k"].to_numpy():
        ax.plot([chosen_k], [mean[scores["k"].to_numpy() == chosen_k][0]], marker="o", markersize=12,
                fillstyle="none", color=PALETTE[1], linestyle="none", label=label)
    else:
        ax.axvline(chosen_k, color=PALETTE[1], linestyle=":", label=label)
    ax.set_ylim(min(0.0, float(np.nanmin(mean - spread))) - 0.02, 1.02)
    ax.xaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    _set_labels(ax, title, xlabel, ylabel)
    return ax


def stacked_shares(
    shares: pd.DataFrame,
    ax: Axes | None = None,
    *,
    title: str | None = None,
    xlabel: str | None = None,
    ylabel: str | None = None,
    label_width: int = 30,
    min_label_share: float = 0.08,
) -> Axes:
    """Draw each row's shares as one horizontal bar split into its columns (e.g. forms of quotation per outlet).

    Rows are drawn top to bottom in the order given; a segment of at least ``min_label_share``
    is labelled with its percentage; the legend sits right of the bars so that it never covers them.

    Parameters
    ----------
    shares : pandas.DataFrame
        One row per bar, one column per segment; values are shares between 0 and 1 (rows of
        all zeros are drawn empty).
    ax : matplotlib.axes.Axes, optional
        Axes to draw on; new axes sized to the number of rows otherwise.
    title, xlabel, ylabel : str, optional
        Chart title and axis labels.
    label_width : int, default 30
        Characters per line of the row labels (see :func:`shorten`).
    min_label_share : float, default 0.08
        Smallest segment that gets a percentage written on it.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> shares = pd.DataFrame({"direkt": [0.6, 0.3], "indirekt": [0.4, 0.7]}, index=["taz", "zeit"])
    >>> ax = stacked_shares(shares, title="Zitatformen je Quelle", xlabel="Anteil der Zitate")
    """
    if not isinstance(shares, pd.DataFrame) or shares.empty:
        raise ValueError("shares must be a non-empty pandas DataFrame")
    values = shares.astype(float).fillna(0.0)
    if ((values < 0) | (values > 1 + 1e-9)).to_numpy().any():
        raise ValueError("shares must lie between 0 and 1")
    ax = _axes(ax, height=_ROW_HEIGHT * 1.6 * len(values) + 1.8)
    rows = np.arange(len(values))[::-1]
    left = np.zeros(len(values))
    for i, column in enumerate(values.columns):
        widths = values[column].to_numpy()
        bars = ax.barh(rows, widths, left=left, color=PALETTE[i % len(PALETTE)], label=str(column), height=0.7)
        for bar, width in zip(bars, widths):
            if width >= min_label_share:
                ax.text(bar.get_x() + width / 2, bar.get_y() + bar.get_height() / 2, _percent(round(width, 2)),
                        ha="center", va="center", fontsize=8, color="white" if i % len(PALETTE) in (0, 3, 7) else "black")
        left += widths
    ax.set_yticks(rows, [shorten(label, label_width) for label in values.index])
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(_percent))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    _set_labels(ax, title, xlabel, ylabel)
    return ax


#: Column names of the library's tables as the report's pages show them (German, one term per idea).
READER_COLUMNS = {
    "doc_id": "Artikel-ID", "source": "Medium", "outlet": "Medium", "date": "Datum", "title": "Titel",
    "author": "Autor", "n_words": "Wörter", "label": "Artikel", "rule": "Regel", "text": "Text",
    "lines": "Zeilen", "words": "Wörter", "articles": "Artikel", "n_articles": "Artikel",
    "entity": "Entität", "entity_id": "Entitäts-ID", "surface": "Schreibweise", "type": "Typ", "count": "Vorkommen",
    "n_mentions": "Erwähnungen", "mentions": "Erwähnungen", "share_of_articles": "Anteil der Artikel",
    "per_1000_words": "je 1.000 Wörter", "descriptive_only": "nur beschreibend", "first_date": "erstes Datum",
    "last_date": "letztes Datum", "mean_words": "Wörter im Mittel", "median_words": "Wörter (Median)",
    "share_of_words": "Anteil der Wörter", "shared_words": "geteilte Wörter",
    "articles_with_shared_text": "Artikel mit geteiltem Text", "word": "Wort", "term": "Wort",
    "cluster": "Themen-Cluster", "rank": "Rang", "similarity": "Ähnlichkeit", "neighbour": "ähnlichster Artikel",
    "article": "Artikel", "same_cluster": "gleiches Themen-Cluster", "n_outlets": "Medien",
    "docs_target": "Artikel des Mediums mit dem Wort", "n_articles_target": "Artikel des Mediums",
    "docs_reference": "Artikel der übrigen mit dem Wort", "tdk": "G² über Artikel", "n_target": "Vorkommen im Medium",
    "n_reference": "Vorkommen in den übrigen", "g2": "G² über Vorkommen", "log_ratio": "Log-Ratio",
    "group": "Gruppe", "suggestion": "Vorschlag", "name": "Name", "context": "Kontext", "left": "davor",
    "match": "Fundstelle", "right": "danach", "passage": "Passage", "n_words_passage": "Wörter der Passage",
    "n_docs": "Artikel", "n_tokens": "Wörter", "example": "Beispiel", "closest_alias": "ähnlichste Namensform",
    "phonetic_match": "gleicher Klang", "share": "Anteil", "line": "Zeile", "file": "Datei", "problem": "Problem",
    "action": "Folge", "weight": "Gewicht", "form": "Form", "speaker": "Sprecher", "cue": "Verb",
    "passage_id": "Passage",
}


def for_readers(table: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Return ``table`` with the column and index names a reader of the report understands (German).

    Columns named in :data:`READER_COLUMNS` (or in ``names``, which take precedence) are
    renamed; other columns keep their names. The numbers are not changed. Line breaks inside
    texts are shown as " ¶ " (pandas would print them as ``\\n``).

    Examples
    --------
    >>> for_readers(pd.DataFrame({"source": ["taz"], "n_articles": [3], "x": [1]})).columns.tolist()
    ['Medium', 'Artikel', 'x']
    >>> for_readers(pd.DataFrame({"Auszug": ["Erster Absatz.\\n\\nZweiter."]}))["Auszug"].tolist()
    ['Erster Absatz. ¶ Zweiter.']
    """
    mapping = {**READER_COLUMNS, **(names or {})}
    table = table.apply(lambda column: column.map(_one_line_text) if pd.api.types.is_object_dtype(column)
                        or pd.api.types.is_string_dtype(column) else column)
    renamed = table.rename(columns=lambda c: mapping.get(c, c) if isinstance(c, str) else c)
    names = [mapping.get(n, n) if isinstance(n, str) else n for n in renamed.index.names]
    return renamed.rename_axis(index=names if renamed.index.nlevels > 1 else names[0])


def _one_line_text(value: object) -> object:
    """Show a text's line breaks (and the spaces around them) as " ¶ "; other values as they are."""
    return _LINE_BREAKS.sub(" ¶ ", value) if isinstance(value, str) else value


_LINE_BREAKS = re.compile(r"\s*[\n\r\u2028\u2029]\s*")


def period_counts(dates: pd.Series, freq: str) -> pd.Series:
    """Count dates per period on a complete time line: periods between the first and last without a date count 0.

    Parameters
    ----------
    dates : pandas.Series
        Dates (missing ones are left out).
    freq : {"D", "W", "M"}
        Length of a period.

    Returns
    -------
    pandas.Series
        Counts indexed by :class:`pandas.Period`, named "Artikel"; empty without dates.

    Examples
    --------
    >>> period_counts(pd.Series(pd.to_datetime(["2026-01-05", "2026-03-01", None])), "M").tolist()
    [1, 0, 1]
    """
    dated = pd.to_datetime(pd.Series(dates)).dropna()
    if dated.empty:
        return pd.Series([], dtype="int64", name="Artikel")
    periods = dated.dt.to_period(freq)
    line = pd.period_range(periods.min(), periods.max(), freq=freq)
    return periods.value_counts().reindex(line, fill_value=0).rename("Artikel").rename_axis("Zeitraum")


def period_bars(counts: pd.Series, ax: Axes | None = None, *, title: str | None = None,
                ylabel: str | None = "Artikel (Anzahl)") -> Axes:
    """Draw counts per period (a :class:`pandas.PeriodIndex`, as :func:`period_counts` gives) as bars on a time axis.

    Examples
    --------
    >>> ax = period_bars(pd.Series([3, 0, 2], index=pd.period_range("2026-01", periods=3, freq="M")))
    """
    if not isinstance(counts, pd.Series) or not isinstance(counts.index, pd.PeriodIndex) or counts.empty:
        raise ValueError("counts must be a non-empty pandas Series indexed by periods")
    use_style()
    ax = _axes(ax, height=3.0)
    x = counts.index.to_timestamp().to_numpy()
    width = np.median(np.diff(x)) * 0.8 if len(x) > 1 else np.timedelta64(1, "D")
    ax.bar(x, counts.to_numpy(), width=width, color=PALETTE[0])
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(GermanDateFormatter())
    ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    ax.grid(axis="y", alpha=0.3)
    _set_labels(ax, title, None, ylabel)
    return ax


def length_histogram(lengths: pd.Series, ax: Axes | None = None, *, quantile: float = 0.99,
                     title: str = "Länge der Artikel nach der Bereinigung") -> Axes:
    """Draw a histogram of article lengths up to their ``quantile``; the title says how many longer ones are not shown.

    The cut is an actual length (the quantile taken as the next higher value), so a small
    corpus shows every article.

    Examples
    --------
    >>> ax = length_histogram(pd.Series([120, 300, 310, 5000]), quantile=0.25)
    >>> ax.get_title(loc="left").splitlines()[1]
    '2 längere Artikel nicht gezeigt (310 bis 5.000 Wörter)'
    """
    lengths = _numeric_series(lengths, "lengths")
    if lengths.empty:
        raise ValueError("lengths must hold at least one number")
    cut = lengths.quantile(quantile, interpolation="higher")
    longer = lengths[lengths > cut]
    if len(longer):
        title += (f"\n{format_number(len(longer))} längere Artikel nicht gezeigt "
                  f"({format_number(longer.min(), ',.0f')} bis {format_number(longer.max(), ',.0f')} Wörter)")
    ax = _axes(ax, height=3.5)
    ax.hist(lengths[lengths <= cut], bins=min(30, max(5, len(lengths) // 20)), color=PALETTE[0], edgecolor="white")
    ax.yaxis.set_major_locator(mticker.MaxNLocator(integer=True))
    _set_labels(ax, title, "Wörter je Artikel", "Artikel (Anzahl)")
    return ax


def bar_panels(panels: dict[str, pd.Series], top_n: int = 8, n_cols: int = 2, *, xlabel: str | None = None,
               title: str | None = None, label_width: int = 24, empty_text: str = "nichts zu zeigen") -> Figure:
    """Draw one bar chart per panel (a cluster's terms, an outlet's key words) in a grid of ``n_cols`` columns.

    Every panel has room for as many bars as the fullest panel (at most ``top_n``), so that bars are
    equally thick in all panels and no panel is mostly empty.

    Parameters
    ----------
    panels : dict of str to pandas.Series
        Panel title and its values, as :func:`bar_chart` takes them; an empty Series gives a
        panel that says ``empty_text``.
    top_n : int, default 8
        Bars per panel.
    n_cols : int, default 2
        Panels per row (fewer when there are fewer panels).
    xlabel, title : str, optional
        Label of every panel's x axis, and title over the figure.
    label_width : int, default 24
        Characters per line of the bar labels.
    empty_text : str
        What an empty panel says.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> fig = bar_panels({"taz": pd.Series({"Klima": 3.0, "Zölle": -1.0}), "Zeit": pd.Series(dtype=float)})
    >>> [ax.get_title(loc="left") for ax in fig.axes]
    ['taz', 'Zeit']
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    _check_positive_int(top_n, "top_n")
    _check_positive_int(n_cols, "n_cols")
    use_style()
    n_cols = min(n_cols, len(panels))
    n_rows = -(-len(panels) // n_cols)
    slots = max(1, min(top_n, max(len(values) for values in panels.values())))  # bars of the fullest panel
    fig, axes = plt.subplots(n_rows, n_cols, figsize=(4.6 * n_cols, (1.0 + 0.24 * slots) * n_rows), squeeze=False)
    for ax, (name, values) in zip(axes.flat, panels.items()):
        if values.empty:
            ax.text(0.5, 0.5, empty_text, ha="center", va="center", transform=ax.transAxes, wrap=True)
            ax.set_title(name)
            ax.set_axis_off()
            continue
        bar_chart(values, top_n=top_n, ax=ax, title=name, xlabel=xlabel, label_width=label_width)
        ax.set_ylim(slots - 0.5, -0.5)  # as many slots in every panel: a panel of two terms keeps bars as thick as the others
    for ax in axes.flat[len(panels):]:
        ax.remove()
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def interval_chart(table: pd.DataFrame, value: str, *, by: str = "outlet", panel: str = "entity",
                   sure: str | None = "descriptive_only", xlabel: str | None = None, title: str | None = None,
                   label_width: int = 30) -> Figure:
    """Draw each panel's values with their intervals, one row per group; groups without an interval as open points.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per panel and group, with the columns ``by``, ``panel``, ``value`` and its
        bounds ``value + "_low"`` and ``value + "_high"`` (as :func:`analysis.compare.mention_profile`
        gives them). Values are drawn in percent when they are shares (all between 0 and 1).
    value : str
        The column drawn, e.g. ``"share_of_articles"``.
    by, panel : str
        Columns naming a row's group (the y axis) and its panel.
    sure : str, optional
        Boolean column that is true where a group has too few articles for an interval (drawn
        as an open point without one); None draws every interval.
    xlabel, title : str, optional
        Label of the x axes and title over the figure.
    label_width : int, default 30
        Characters of the group labels.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> rows = pd.DataFrame({"outlet": ["taz", "Zeit"], "entity": ["Trump", "Trump"], "share": [0.5, 0.2],
    ...                      "share_low": [0.3, 0.1], "share_high": [0.7, 0.4], "descriptive_only": [False, True]})
    >>> fig = interval_chart(rows, "share")
    >>> [t.get_text() for t in fig.axes[0].get_yticklabels()]
    ['taz', 'Zeit']
    """
    needed = {by, panel, value, f"{value}_low", f"{value}_high"} | ({sure} if sure else set())
    if not isinstance(table, pd.DataFrame) or not needed <= set(table.columns) or table.empty:
        raise ValueError(f"table must be a non-empty DataFrame with the columns {', '.join(sorted(needed))}")
    use_style()
    names = list(dict.fromkeys(table[panel]))
    groups = list(dict.fromkeys(table[by]))
    scale = 100 if table[[value, f"{value}_low", f"{value}_high"]].stack().between(0, 1).all() else 1
    fig, axes = plt.subplots(1, len(names), figsize=(3.6 * len(names) + 1.5, 1.2 + _ROW_HEIGHT * len(groups)),
                             sharey=True, squeeze=False)
    y = np.arange(len(groups))
    for ax, name in zip(axes.flat, names):
        rows = table[table[panel] == name].set_index(by).reindex(groups)
        mid, low, high = (scale * rows[column].to_numpy(float) for column in (value, f"{value}_low", f"{value}_high"))
        thin = rows[sure].fillna(True).to_numpy(bool) if sure else np.zeros(len(groups), bool)
        ax.errorbar(mid[~thin], y[~thin], xerr=[(mid - low)[~thin], (high - mid)[~thin]], fmt="o", color=PALETTE[0],
                    capsize=3)
        ax.plot(mid[thin], y[thin], "o", color=PALETTE[0], markerfacecolor="white")
        ax.set_yticks(y, [shorten(group, label_width) for group in groups])
        ax.set_title(shorten(name, 30))
        if scale == 100:
            ax.set_xlim(-2, 102)
        ax.grid(axis="x", alpha=0.3)
        _set_labels(ax, None, xlabel, None)
    axes.flat[0].invert_yaxis()
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def top_or_other(values: pd.Series, slots: int, other: str) -> pd.Series:
    """Keep ``values`` if they have at most ``slots`` distinct values, else the ``slots - 1`` most frequent and ``other``.

    For the groups of a chart with a fixed number of colours or marker shapes.

    Examples
    --------
    >>> top_or_other(pd.Series(["taz", "taz", "Zeit", "DAZ"]), 2, "andere Medien").tolist()
    ['taz', 'taz', 'andere Medien', 'andere Medien']
    """
    _check_positive_int(slots, "slots")
    counts = values.value_counts()
    kept = counts.index if len(counts) <= slots else counts.index[: slots - 1]
    return values.where(values.isin(kept), other)


def without_diagonal(matrix: pd.DataFrame) -> pd.DataFrame:
    """Return a square matrix as floats with its diagonal blank (NaN), for a heatmap whose diagonal says nothing.

    An article or outlet compared with itself (similarity 1) or an entity named together with itself
    would otherwise set the top of the colour scale.

    Examples
    --------
    >>> without_diagonal(pd.DataFrame([[1.0, 0.2], [0.2, 1.0]])).to_numpy().tolist()
    [[nan, 0.2], [0.2, nan]]
    """
    if not isinstance(matrix, pd.DataFrame) or matrix.shape[0] != matrix.shape[1]:
        raise ValueError("matrix must be a square pandas DataFrame")
    return matrix.astype(float).mask(np.eye(len(matrix), dtype=bool))
