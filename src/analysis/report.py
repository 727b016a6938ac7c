"""Run every analysis notebook on a corpus and publish them as self-contained HTML.

:func:`build_report` executes the notebooks ``NN-*.ipynb`` in order with
papermill, renders each one to HTML with its figures embedded as data URIs,
writes an ``index.html`` linking them and a ``manifest.json`` that records
what went in (corpus fingerprint and number of articles, parameters, package versions, git commit)
and what came out (every figure file with its SHA-256). The manifest holds no
timestamps, so two runs on the same input give the same manifest.

Examples
--------
>>> from analysis.report import build_report
>>> manifest = build_report("data/raw", out_dir="reports", figures_dir="figures")  # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import copy
import hashlib
import html
import importlib.metadata
import json
import logging
import os
import platform
import re
import subprocess
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import jinja2
import nbformat
import papermill
from jupyter_client import KernelManager
from jupyter_client.kernelspec import NoSuchKernel
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillException, PapermillExecutionError
from traitlets.config import Config

from analysis import paths
from analysis.clean import heavily_cleaned
from analysis.load import CorpusError, issue_message, load_corpus

logger = logging.getLogger(__name__)

#: Packages whose versions the manifest records.
VERSIONED_PACKAGES = ("pandas", "numpy", "scikit-learn", "matplotlib", "nltk", "analysis")
#: Kernel the notebooks run in (the Makefile installs the project venv's kernel under this name).
KERNEL_NAME = "python3"
#: Problems of loading shown in the terminal before the rest are counted.
MAX_LOGGED_ISSUES = 10
#: Folder inside the output folder that keeps the executed notebooks.
EXECUTED_SUBDIR = "executed"
#: Environment of the notebook kernels: inline figures (so they appear in the
#: HTML) and a fixed hash seed (so set and dict orders are the same every run).
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"}
#: Configuration of the kernel manager: the kernel's messages are encrypted where the kernel
#: supports it, as ipykernel 7.3 and later do; ipykernel warns on every start otherwise.
KERNEL_CONFIG = Config({"KernelManager": {"transport_encryption": "auto"}}) \
    if "transport_encryption" in KernelManager.class_trait_names() else Config()

_NOTEBOOK_RE = re.compile(r"\d{2}-.+\.ipynb")
_TEMPLATE_NAME = "analysis_report.html.j2"
# The lab template without the CDN scripts (require.js, MathJax), so that the pages work offline,
# and with the images' alternative text (which the lab template leaves out).
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block data_png scoped -%}
{{ super() | replace('<img ', '<img alt="' ~ (((output | get_metadata('alt', 'image/png')) or '') | escape_html) ~ '" ', 1) }}
{%- endblock data_png -%}
"""
_CHUNK = 1 << 20


class ReportError(RuntimeError):
    """A report could not be built: bad input path or a notebook that failed."""


def build_report(
    corpus_path: str | os.PathLike,
    out_dir: str | os.PathLike = paths.REPORTS_DIR,
    figures_dir: str | os.PathLike = paths.FIGURES_DIR,
    entities_path: str | os.PathLike | None = None,
    notebooks_dir: str | os.PathLike = paths.NOTEBOOKS_DIR,
    kernel_name: str = KERNEL_NAME,
    progress_bar: bool = True,
) -> dict:
    """Run all notebooks on a corpus and write HTML reports, an index and a manifest.

    Parameters
    ----------
    corpus_path : str or path-like
        Corpus folder or file; passed to the notebooks as ``corpus_path``.
    out_dir : str or path-like, default ``reports/``
        Folder for ``index.html``, one ``<notebook>.html`` per notebook,
        ``manifest.json`` and the executed notebooks (in ``executed/``).
    figures_dir : str or path-like, default ``figures/``
        Folder the notebooks write figures to; passed as ``figures_dir`` and
        as the ``ANALYSIS_FIGURES_DIR`` environment variable.
    entities_path : str or path-like, optional
        Entity list passed as ``entities_path``; None lets the notebooks use the bundled one.
    notebooks_dir : str or path-like, default ``notebooks/``
        Folder holding the notebooks ``NN-*.ipynb``; also the kernels' working folder.
    kernel_name : str, default "python3"
        Jupyter kernel to run the notebooks in.
    progress_bar : bool, default True
        Show papermill's per-cell progress bar.

    Returns
    -------
    dict
        The manifest, as written to ``manifest.json``.

    Raises
    ------
    ReportError
        If an input path does not exist, there are no notebooks, or a notebook fails.
    """
    corpus = _existing(corpus_path, "corpus path")
    entities = _existing(entities_path, "entities file") if entities_path is not None else None
    notebooks = find_notebooks(_existing(notebooks_dir, "notebooks folder"))
    out = Path(out_dir).resolve()
    figures = Path(figures_dir).resolve()
    parameters = {
        "corpus_path": str(corpus),
        "figures_dir": str(figures),
        "entities_path": str(entities) if entities is not None else None,
    }
    n_articles = read_corpus(corpus)
    (out / EXECUTED_SUBDIR).mkdir(parents=True, exist_ok=True)
    figures.mkdir(parents=True, exist_ok=True)

    entries = []
    for number, notebook in enumerate(notebooks, start=1):
        logger.info("[%d/%d] Running %s", number, len(notebooks), notebook.name)
        before = _file_states(figures)
        executed = out / EXECUTED_SUBDIR / notebook.name
        with _environment({**KERNEL_ENV, "ANALYSIS_FIGURES_DIR": str(figures)}):
            execute_notebook(notebook, executed, parameters, kernel_name, progress_bar)
        written = sorted(name for name, state in _file_states(figures).items() if before.get(name) != state)
        title, page, n_images = render_html(nbformat.read(executed, as_version=4), notebook.stem)
        (out / f"{notebook.stem}.html").write_text(page, encoding="utf-8")
        if written and not n_images:
            logger.warning("%s saved %d figure files but displays none in its output", notebook.name, len(written))
        entries.append({"notebook": notebook.name, "title": title, "html": f"{notebook.stem}.html", "figures": written})

    manifest = {
        "corpus": {"path": _display_path(corpus), **corpus_fingerprint(corpus), "n_articles": n_articles},
        "entities": (
            {"path": _display_path(entities), **corpus_fingerprint(entities)} if entities is not None else None
        ),
        "parameters": {key: _display_path(value) for key, value in parameters.items()},
        "versions": package_versions(),
        "git_commit": git_commit(),
        "notebooks": entries,
        "figures": [
            {"name": name, "sha256": _sha256_file(figures / name)}
            for name in sorted({name for entry in entries for name in entry["figures"]})
        ],
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / "index.html").write_text(index_html(entries, manifest), encoding="utf-8")
    logger.info("Wrote %d reports and manifest.json to %s", len(entries), out)
    return manifest


def find_notebooks(notebooks_dir: str | os.PathLike) -> list[Path]:
    """List the notebooks named ``NN-*.ipynb`` in a folder, in name order.

    Parameters
    ----------
    notebooks_dir : str or path-like
        Folder to look in (not searched recursively).

    Returns
    -------
    list of pathlib.Path
        Absolute notebook paths, sorted by name.

    Raises
    ------
    ReportError
        If the folder holds no such notebook.
    """
    folder = Path(notebooks_dir).resolve()
    found = sorted(p for p in folder.glob("*.ipynb") if _NOTEBOOK_RE.fullmatch(p.name))
    if not found:
        raise ReportError(f"no notebooks named NN-*.ipynb in {folder}")
    return found


def execute_notebook(
    notebook: Path, executed: Path, parameters: Mapping[str, object], kernel_name: str, progress_bar: bool
) -> None:
    """Execute one notebook with papermill, its own folder as working directory.

    Parameters
    ----------
    notebook : pathlib.Path
        Notebook to run; it should have a cell tagged ``parameters``.
    executed : pathlib.Path
        Where the executed copy (with outputs, or with the error) is written.
    parameters : mapping
        Values injected after the ``parameters`` cell.
    kernel_name : str
        Jupyter kernel name.
    progress_bar : bool
        Show papermill's per-cell progress bar.

    Raises
    ------
    ReportError
        Naming the notebook, and the failing cell and its error, if execution fails.
    """
    try:
        papermill.execute_notebook(
            str(notebook), str(executed), parameters=dict(parameters), kernel_name=kernel_name,
            cwd=str(notebook.parent), progress_bar=progress_bar, config=KERNEL_CONFIG,
        )
    except PapermillExecutionError as exc:
        first_line = (exc.source or "").strip().splitlines()[:1]
        raise ReportError(
            f"notebook {notebook.name} failed in cell In [{exc.exec_count}]"
            f"{f' ({first_line[0]!r} ...)' if first_line else ''}: {exc.ename}: {exc.evalue}\n"
            f"The executed notebook with the full traceback is {executed}"
        ) from exc
    except (PapermillException, NoSuchKernel, RuntimeError, TimeoutError) as exc:
        raise ReportError(f"notebook {notebook.name} could not be run: {type(exc).__name__}: {exc}") from exc


def render_html(notebook: nbformat.NotebookNode, fallback_title: str) -> tuple[str, str, int]:
    """Render an executed notebook to one self-contained HTML page.

    Image outputs are embedded as data URIs and no script is loaded from the
    network (no require.js, no MathJax), so the page works offline. Figures get
    alternative text, and warnings show their category and message only.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    fallback_title : str
        Title used when the notebook has no level-1 Markdown heading.

    Returns
    -------
    title : str
        The notebook's first ``# heading``, or ``fallback_title``.
    page : str
        The HTML page.
    n_images : int
        Number of image outputs in the notebook.
    """
    title = notebook_title(notebook) or fallback_title
    notebook = _for_readers(notebook)
    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        embed_images=True,
    )
    page, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    n_images = sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if any(mime.startswith("image/") for mime in output.get("data", {}))
    )
    return title, page, n_images


def _for_readers(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy prepared for the page.

    PNG outputs without alternative text get "Figure: <heading of their section>". Warnings
    printed by a cell lose the file name and the line of code ("UserWarning: ...").
    """
    notebook, heading = copy.deepcopy(notebook), None
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")]
            heading = headings[-1] if headings else heading
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                described = output.setdefault("metadata", {}).setdefault("image/png", {})
                described.setdefault("alt", f"Figure: {heading}" if heading else "Figure")
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                output["text"] = _CELL_WARNING_RE.sub(r"\1\n", output["text"])
    return notebook


# A warning as Python prints it: "<file>.py:<line>: <category>: <message>", then the line of code, indented.
_CELL_WARNING_RE = re.compile(r"^\S+\.py:\d+: (\w+: .*)\n(?:  .*\n)?", re.MULTILINE)


def notebook_title(notebook: nbformat.NotebookNode) -> str | None:
    """Return the text of the first level-1 Markdown heading, or None.

    Examples
    --------
    >>> from nbformat.v4 import new_notebook, new_markdown_cell
    >>> notebook_title(new_notebook(cells=[new_markdown_cell("Intro\\n# Erwähnungen je Quelle\\nText")]))
    'Erwähnungen je Quelle'
    """
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            continue
        for line in cell.source.splitlines():
            match = re.match(r"#\s+(.+?)\s*#*\s*$", line)
            if match:
                return match.group(1)
    return None


def index_html(entries: list[dict], manifest: Mapping) -> str:
    """Build the index page that links every notebook report.

    Parameters
    ----------
    entries : list of dict
        One dict per notebook with keys ``notebook``, ``title``, ``html`` and ``figures``
        (the files it wrote; a figure's PNG, SVG and CSV count as one figure).
    manifest : mapping
        The manifest (its corpus's articles, files and fingerprint and the git commit are shown).

    Returns
    -------
    str
        The HTML page.
    """
    corpus = manifest["corpus"]
    rows = "\n".join(
        f'    <li><a href="{html.escape(entry["html"])}">{html.escape(entry["title"])}</a>'
        f' <span class="meta">({html.escape(entry["notebook"])}, {_count(_n_figures(entry["figures"]), "figure")})'
        '</span></li>'
        for entry in entries
    )
    commit = manifest["git_commit"] or "unknown"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Analysis report</title>
<style>
  body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
         line-height: 1.5; color: #222; }}
  li {{ margin: 0.4rem 0; }}
  .meta {{ color: #666; font-size: 0.9em; }}
  code {{ font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Analysis report</h1>
<p class="meta">Corpus <code>{html.escape(str(corpus["path"]))}</code>: {_count(corpus["n_articles"], "article")} in
{_count(corpus["n_files"], "file")},
SHA-256 <code>{corpus["sha256"][:16]}</code>. Code version <code>{html.escape(commit[:12])}</code>.
Details in <a href="manifest.json">manifest.json</a>.</p>
<ol>
{rows}
</ol>
</body>
</html>
"""


def read_corpus(corpus_path: str | os.PathLike) -> int:
    """Read and cache the corpus as the notebooks will; log what went wrong; return the number of articles.

    The notebooks then read the cache. Each file skipped or repaired is logged (the first
    :data:`MAX_LOGGED_ISSUES` of them), so that the terminal says what notebook 01 lists.

    Raises
    ------
    ReportError
        If the corpus cannot be read, with the reason.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # logged below, one line each
        try:
            corpus = load_corpus(corpus_path, cache=True)
        except CorpusError as exc:
            raise ReportError(str(exc)) from exc
    issues = corpus.attrs["load_report"]
    logger.info("%s read from %s; %s", _count(len(corpus), "article"), corpus_path,
                f"{len(issues)} files or rows skipped or repaired (listed in notebook 01):" if len(issues) else "nothing skipped")
    for issue in issues.head(MAX_LOGGED_ISSUES).itertuples():
        logger.info("  %s", issue_message(issue.file, issue.line, issue.problem, issue.action))
    if len(issues) > MAX_LOGGED_ISSUES:
        logger.info("  ... and %d more", len(issues) - MAX_LOGGED_ISSUES)
    _log_heavily_cleaned(corpus)
    return len(corpus)


def _log_heavily_cleaned(corpus) -> None:
    """Log the articles that cleaning took more than half the words from (the first :data:`MAX_LOGGED_ISSUES`)."""
    heavy = heavily_cleaned(corpus)
    if heavy.empty:
        return
    logger.info("%s: cleaning removed more than half of the words (analysis.clean.heavily_cleaned lists them):",
                _count(len(heavy), "article"))
    for row in heavy.head(MAX_LOGGED_ISSUES).itertuples():
        logger.info("  %s: %d of %d words removed, most by the rule %s", row.doc_id, row.n_words_removed,
                    row.n_words_before, row.rule)
    if len(heavy) > MAX_LOGGED_ISSUES:
        logger.info("  ... and %d more", len(heavy) - MAX_LOGGED_ISSUES)


def corpus_fingerprint(path: str | os.PathLike) -> dict:
    """Hash a corpus file, or all files under a corpus folder, in relative-path order.

    Each file contributes its path relative to the folder (POSIX form), a NUL
    byte, its byte length and its bytes, so renaming or editing any file
    changes the fingerprint. Hidden files (names starting with ".") are skipped.

    Parameters
    ----------
    path : str or path-like
        A corpus file or folder.

    Returns
    -------
    dict
        ``{"sha256": hex digest, "n_files": number of files hashed}``.
    """
    root = Path(path)
    if root.is_file():
        files = [(root.name, root)]
    else:
        files = sorted(
            (p.relative_to(root).as_posix(), p)
            for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
        )
    digest = hashlib.sha256()
    for relative, file in files:
        digest.update(relative.encode("utf-8") + b"\0" + str(file.stat().st_size).encode("ascii") + b"\0")
        for chunk in _chunks(file):
            digest.update(chunk)
    return {"sha256": digest.hexdigest(), "n_files": len(files)}


def package_versions() -> dict[str, str | None]:
    """Return the versions of Python and of :data:`VERSIONED_PACKAGES` (None if not installed)."""
    versions: dict[str, str | None] = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def git_commit(repo_dir: str | os.PathLike = paths.PROJECT_ROOT) -> str | None:
    """Return the commit checked out in ``repo_dir``, or None without git or a repository."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=repo_dir, capture_output=True, text=True, check=True, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _n_figures(names: list[str]) -> int:
    """Return the number of figures among file names: a PNG and an SVG of the same name are one figure."""
    return len({Path(name).with_suffix("") for name in names if Path(name).suffix in (".png", ".svg")})


def _count(n: int, noun: str) -> str:
    """Return a count with its English noun in singular or plural ("1 figure", "4,125 articles")."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _existing(path: str | os.PathLike, what: str) -> Path:
    """Return ``path`` resolved, or raise ReportError if it does not exist."""
    resolved = Path(path).resolve()
    if not resolved.exists():
        raise ReportError(f"{what} does not exist: {path}")
    return resolved


def _display_path(path: str | Path | None) -> str | None:
    """Return ``path`` relative to the project root when inside it, else as given."""
    if path is None:
        return None
    with contextlib.suppress(ValueError):
        return Path(path).relative_to(paths.PROJECT_ROOT).as_posix()
    return str(path)


def _file_states(folder: Path) -> dict[str, tuple[int, int]]:
    """Map each file under ``folder`` (relative POSIX path) to its (mtime_ns, size)."""
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }


def _sha256_file(path: Path) -> str:
    """Return the SHA-256 hex digest of a file's bytes."""
    digest = hashlib.sha256()
    for chunk in _chunks(path):
        digest.update(chunk)
    return digest.hexdigest()


def _chunks(path: Path) -> Iterator[bytes]:
    """Yield a file's bytes in chunks of 1 MiB."""
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


@contextlib.contextmanager
def _environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of the block, then restore them."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
