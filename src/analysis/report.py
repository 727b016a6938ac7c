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
import fcntl
import hashlib
import html
import importlib.metadata
import json
import logging
import os
import platform
import re
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path

import itables.javascript
import itables.options
import jinja2
import nbformat
import pandas as pd
import papermill
from jupyter_client import KernelManager
from jupyter_client.kernelspec import NoSuchKernel
from nbconvert import HTMLExporter
from papermill.exceptions import PapermillException, PapermillExecutionError
from traitlets.config import Config

from analysis import paths
from analysis.clean import RULE_LABELS, heavily_cleaned
from analysis.engine import reduce_partitions
from analysis.load import CorpusError, articles_for_analysis, issue_message, open_store
from analysis.mentions import Gazetteer

logger = logging.getLogger(__name__)

#: Packages whose versions the manifest records.
VERSIONED_PACKAGES = ("pandas", "numpy", "scikit-learn", "matplotlib", "nltk", "analysis")
#: Kernel the notebooks run in (the Makefile installs the project venv's kernel under this name).
KERNEL_NAME = "python3"
#: Problems of loading shown in the terminal before the rest are counted.
MAX_LOGGED_ISSUES = 10
#: Articles a notebook reads into memory unless told otherwise (the notebooks' ``max_articles``).
MAX_ARTICLES = 20_000
#: Folder inside the output folder that keeps the executed notebooks.
EXECUTED_SUBDIR = "executed"
#: Environment of the notebook kernels: inline figures (so they appear in the
#: HTML) and a fixed hash seed (so set and dict orders are the same every run).
KERNEL_ENV = {"MPLBACKEND": "module://matplotlib_inline.backend_inline", "PYTHONHASHSEED": "0"}
#: Configuration of the kernel manager: the kernel's messages are encrypted where the kernel
#: supports it, as ipykernel 7.3 and later do; ipykernel warns on every start otherwise.
KERNEL_CONFIG = Config({"KernelManager": {"transport_encryption": "auto"}}) \
    if "transport_encryption" in KernelManager.class_trait_names() else Config()

#: Longest message of an error passed on from a file (a broken entity file's message can run to megabytes).
MAX_MESSAGE_CHARS = 600
#: Tables longer than this many rows are made sortable and searchable, and shown in pages of this many rows.
LONG_TABLE_ROWS = 15
#: Types of the files a figures folder may hold to be replaced by a new report's figures.
FIGURE_SUFFIXES = (".png", ".svg", ".csv")

#: Arguments of the kernels: jupyter_client interrupts a kernel before shutting it down, and ipykernel logs
#: "KeyboardInterrupt caught in kernel" as an error at the end of every successful notebook. Errors of
#: the notebooks' code reach the report through the kernel's messages, not through this log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]

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
    figures_dir: str | os.PathLike | None = None,
    entities_path: str | os.PathLike | None = None,
    notebooks_dir: str | os.PathLike = paths.NOTEBOOKS_DIR,
    kernel_name: str = KERNEL_NAME,
    progress_bar: bool = True,
    columns: Mapping[str, str] | None = None,
    with_code: bool = False,
    cache_dir: str | os.PathLike | None = None,
    max_articles: int | None = None,
) -> dict:
    """Run all notebooks on a corpus and write HTML reports, an index and a manifest.

    Everything that can be checked is checked before the first notebook starts: the
    corpus is read, the entity file parsed, the output folders tested. The report is
    built in a new folder beside ``out_dir`` and replaces it only when every notebook
    has succeeded, so a failed or interrupted run leaves the previous report as it was.
    A lock refuses a second run into the same folders while one is running.

    Parameters
    ----------
    corpus_path : str or path-like
        Corpus folder or file; passed to the notebooks as ``corpus_path``.
    out_dir : str or path-like, default ``reports/``
        Folder for ``index.html``, one ``<notebook>.html`` per notebook,
        ``manifest.json`` and the executed notebooks (in ``executed/``). It must be
        new, hold no files, or hold an earlier report (a ``manifest.json``); its subfolders are kept.
    figures_dir : str or path-like, optional
        Folder for the figures, which then holds exactly the files the manifest lists;
        passed to the notebooks as the ``ANALYSIS_FIGURES_DIR`` environment variable.
        Default: ``figures/`` in ``out_dir``. It must hold no files but PNG, SVG and CSV files; its subfolders are kept.
    entities_path : str or path-like, optional
        Entity list passed as ``entities_path``; None lets the notebooks use the bundled one.
    notebooks_dir : str or path-like, default ``notebooks/``
        Folder holding the notebooks ``NN-*.ipynb``; also the kernels' working folder.
    kernel_name : str, default "python3"
        Jupyter kernel to run the notebooks in.
    progress_bar : bool, default True
        Show papermill's per-cell progress bar.
    columns : mapping, optional
        Names of the corpus's columns, as :func:`analysis.load.load_corpus` takes them
        (``{"text_column": "inhalt", "source_column": "label"}``); passed to the notebooks as ``columns``.
    with_code : bool, default False
        Show the code cells in the HTML pages (the executed notebooks always keep them).
    cache_dir : str or path-like, optional
        Folder of the corpus store (see :func:`analysis.load.load_corpus`); passed to the notebooks
        as ``cache_dir``. Default: ``data/processed/`` for a corpus inside the project, else the
        user's cache folder. It must not lie inside an output folder, which a new report replaces.
    max_articles : int, optional
        Articles a notebook reads into memory, passed as ``max_articles``: of a larger corpus a
        random sample of this many (the notebooks and the index say so). Default :data:`MAX_ARTICLES`.

    Returns
    -------
    dict
        The manifest, as written to ``manifest.json``.

    Raises
    ------
    ReportError
        If an input or output path cannot be used, the entity file or the corpus cannot be
        read, another run writes to the same folder, or a notebook fails.
    """
    corpus = _existing(corpus_path, "corpus path")
    max_articles = MAX_ARTICLES if max_articles is None else max_articles
    if isinstance(max_articles, bool) or not isinstance(max_articles, int) or max_articles < 1:
        raise ReportError(f"max_articles must be a whole number of at least 1, not {max_articles!r}")
    entities = _existing(entities_path, "entities file") if entities_path is not None else None
    notebooks = find_notebooks(_existing(notebooks_dir, "notebooks folder"))
    out = Path(out_dir).resolve()
    figures = Path(figures_dir).resolve() if figures_dir is not None else out / "figures"
    columns = dict(columns or {})
    cache = Path(cache_dir).resolve() if cache_dir is not None else None
    check_output_folders(out, figures, [corpus, paths.RAW_DIR, notebooks[0].parent]
                         + ([entities] if entities else []) + ([cache] if cache else []))
    if entities is not None:
        check_entities(entities)
    with contextlib.ExitStack() as stack:
        for folder in [out] if figures.is_relative_to(out) else [out, figures]:
            stack.enter_context(output_lock(folder))
        build_out, build_figures = stack.enter_context(_build_folders(out, figures))
        summary = _in_child_process(read_corpus, corpus, columns, cache_dir=cache)
        displayed = {build_out: out, build_figures: figures, corpus: corpus, notebooks[0].parent: notebooks[0].parent,
                     **({entities: entities} if entities else {}), **({cache: cache} if cache else {})}
        parameters = {
            "corpus_path": str(corpus),
            "figures_dir": str(build_figures),
            "entities_path": str(entities) if entities is not None else None,
            "columns": columns,
            "cache_dir": str(cache) if cache is not None else None,
            "max_articles": max_articles,
        }
        entries = []
        for number, notebook in enumerate(notebooks, start=1):
            logger.info("[%d/%d] Running %s", number, len(notebooks), notebook.name)
            before = _file_states(build_figures)
            executed = build_out / EXECUTED_SUBDIR / notebook.name
            if (reason := skip_reason(notebook, summary["n_analysed"])) is not None:
                logger.info("  skipped: %s", reason)
                nbformat.write(skipped_notebook(nbformat.read(notebook, as_version=4), reason), executed)
            else:
                with _environment({**KERNEL_ENV, "ANALYSIS_FIGURES_DIR": str(build_figures)}):
                    try:
                        execute_notebook(notebook, executed, parameters, kernel_name, progress_bar)
                    except ReportError as exc:
                        kept = _keep_failed(executed, out)
                        where = f"The executed notebook with the full traceback is {kept}. " if kept else ""
                        raise ReportError(f"{exc}\n{where}{unchanged(out)}") from exc
            written = sorted(name for name, state in _file_states(build_figures).items() if before.get(name) != state)
            executed_notebook = without_local_paths(nbformat.read(executed, as_version=4), displayed)
            nbformat.write(executed_notebook, executed)
            title, page, n_images = render_html(executed_notebook, notebook.stem, with_code=with_code)
            (build_out / f"{notebook.stem}.html").write_text(page, encoding="utf-8")
            if written and not n_images:
                logger.warning("%s saved %d figure files but displays none in its output", notebook.name, len(written))
            entries.append({"notebook": notebook.name, "title": title, "html": f"{notebook.stem}.html",
                            "figures": written, **({"skipped": reason} if reason is not None else {})})

        manifest = {
            "corpus": {"path": _display_path(corpus), **corpus_fingerprint(corpus), "n_articles": summary["n_articles"]},
            "entities": (
                {"path": _display_path(entities), **corpus_fingerprint(entities)} if entities is not None else None
            ),
            "parameters": {
                "corpus_path": _display_path(corpus), "figures_dir": _display_path(figures),
                "entities_path": _display_path(entities), "columns": columns, "max_articles": max_articles,
            },
            "versions": package_versions(),
            "git_commit": git_commit(),
            "notebooks": entries,
            "figures": [
                {"name": name, "sha256": _sha256_file(build_figures / name)}
                for name in sorted(_file_states(build_figures))
            ],
        }
        (build_out / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n",
                                                 encoding="utf-8")
        summary = {**summary, "findings": findings(build_figures, entries), "max_articles": max_articles}
        (build_out / "index.html").write_text(index_html(entries, manifest, summary), encoding="utf-8")
        _replace_folder(out, build_out)
        if not figures.is_relative_to(out):
            _replace_folder(figures, build_figures)
        for failed in out.parent.glob(f"{_glob_escape(out.name)}.failed-*.ipynb"):
            failed.unlink()
    logger.info("Wrote %d reports and manifest.json to %s, figures to %s", len(entries), out, figures)
    return manifest


def unchanged(out: Path) -> str:
    """Say what a failed or interrupted run left in ``out``: the previous report, or nothing."""
    if (out / "manifest.json").is_file():
        return f"The previous report in {out} is unchanged."
    return f"Nothing was written to {out}."


def skip_reason(notebook: Path, n_articles: int) -> str | None:
    """Tell why a notebook cannot run on ``n_articles`` articles, or None if it can.

    A notebook states the fewest articles it needs in its metadata, as
    ``{"analysis": {"min_articles": 3}}`` (clustering needs three).
    """
    needed = nbformat.read(notebook, as_version=4).metadata.get("analysis", {}).get("min_articles", 0)
    if n_articles >= needed:
        return None
    return (f"Diese Seite braucht mindestens {needed} Artikel mit Text, das Korpus hat {_german_count(n_articles, 'article')} "
            "zum Auswerten (wiederholte und durch die Bereinigung geleerte Texte nicht gezählt); sie entfällt daher.")


def skipped_notebook(notebook: nbformat.NotebookNode, reason: str) -> nbformat.NotebookNode:
    """Return a notebook that keeps the introduction (first cell) of ``notebook`` and says why it was not run."""
    intro = [cell for cell in notebook.cells[:1] if cell.cell_type == "markdown"]
    return nbformat.v4.new_notebook(cells=intro + [nbformat.v4.new_markdown_cell(f"## Entfällt\n\n{reason}")],
                                    metadata=notebook.metadata)


def check_output_folders(out: Path, figures: Path, inputs: list[Path]) -> None:
    """Refuse output folders that a report must not replace.

    Parameters
    ----------
    out, figures : pathlib.Path
        The report and figures folders, resolved. ``figures`` may lie inside ``out``.
    inputs : list of pathlib.Path
        The corpus, the bundled corpus folder, the notebooks folder and the entity file:
        no output folder may lie inside one of them (the next run would read it) or hold one.

    Raises
    ------
    ReportError
        If a folder lies inside an input or holds one, ``out`` lies inside ``figures``, a folder
        holds files that are not an earlier report or its figures, or a folder is read-only.
    """
    if out.is_relative_to(figures):
        raise ReportError(f"the report folder {out} lies inside the figures folder {figures}; choose another --out")
    for folder, option in ((out, "--out"), (figures, "--figures")):
        for given in inputs:
            source = given.resolve()
            if folder.is_relative_to(source) and source.is_dir():
                raise ReportError(f"{option} {folder} lies inside {source}, which the report reads; "
                                  "the next run would read its outputs as input. Choose a folder outside it")
            if source.is_relative_to(folder):
                raise ReportError(f"{option} {folder} holds {source}, which the report reads and a new report "
                                  "would replace. Choose another folder")
        if folder.exists() and not folder.is_dir():
            raise ReportError(f"{option} {folder} is a file, not a folder")
        if folder.is_dir() and not os.access(folder, os.W_OK):
            raise ReportError(f"{option} {folder} is read-only")
    for problem in (_foreign_files(out, "report"), None if figures.is_relative_to(out) else _foreign_files(figures, "figures")):
        if problem:
            raise ReportError(problem)


def _foreign_files(folder: Path, kind: str) -> str | None:
    """Tell why ``folder`` is not ours to replace, or None: it is new, holds no files but hidden ones and
    subfolders (which a new output keeps), or is an earlier output."""
    if not folder.is_dir():
        return None
    visible = [p for p in folder.iterdir() if not p.name.startswith(".")]
    if kind == "report":  # its subfolders are moved into the new report
        if any(not p.is_dir() for p in visible) and not (folder / "manifest.json").is_file():
            return (f"--out {folder} holds files but no manifest.json, so it is no earlier report that a new one "
                    "may replace. Choose a new or empty folder")
    elif other := next((p for p in visible if not p.is_dir() and p.suffix.lower() not in FIGURE_SUFFIXES), None):
        return (f"--figures {folder} holds {other.name!r}, which is no figure file (.png, .svg, .csv); "
                "a new report replaces the files of the folder. Choose a new or empty folder")
    return None


def check_entities(path: Path) -> None:
    """Read an entity file as the notebooks will; raise :class:`ReportError` with a short message if it is broken."""
    try:
        Gazetteer.from_file(path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise ReportError(f"the entities file cannot be used: {short_message(exc)}") from exc


def short_message(message: object, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Cut a message to ``limit`` characters, saying how much was left out.

    Examples
    --------
    >>> short_message("Zölle " * 3, limit=10)
    'Zölle Zöll … (8 more characters)'
    """
    text = str(message)
    return text if len(text) <= limit else f"{text[:limit]} … ({len(text) - limit:,} more characters)"


@contextlib.contextmanager
def output_lock(folder: Path) -> Iterator[None]:
    """Hold a lock on an output folder for the duration of the block.

    The lock is a file beside the folder (``.<name>.lock``), locked with ``flock``, so
    that it is released when the process ends, however it ends; it is deleted after use.

    Raises
    ------
    ReportError
        If another process holds the lock.
    """
    lock_path = folder.parent / f".{folder.name}.lock"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create {folder.parent}: {exc.strerror}") from exc
    while True:
        try:
            handle = open(lock_path, "a+", encoding="ascii")
        except OSError as exc:
            raise ReportError(f"cannot write beside {folder}: {exc.strerror}") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise ReportError(f"another report run (process {holder}) is writing to {folder}; "
                              "wait until it has finished, or choose another folder") from None
        with contextlib.suppress(FileNotFoundError):
            if os.stat(lock_path).st_ino == os.fstat(handle.fileno()).st_ino:
                break  # else the run before deleted the file after this one opened it: lock the new file
        handle.close()
    try:
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        lock_path.unlink(missing_ok=True)
        handle.close()


@contextlib.contextmanager
def _build_folders(out: Path, figures: Path) -> Iterator[tuple[Path, Path]]:
    """Create the folders a report is built in, beside ``out`` and ``figures``; remove what is left of them after.

    Raises
    ------
    ReportError
        If a folder cannot be written.
    """
    created = []
    try:
        try:
            build_out = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".building", dir=out.parent))
            created.append(build_out)
            if figures.is_relative_to(out):
                build_figures = build_out / figures.relative_to(out)
                build_figures.mkdir(parents=True)
            else:
                figures.parent.mkdir(parents=True, exist_ok=True)
                build_figures = Path(tempfile.mkdtemp(prefix=f".{figures.name}.", suffix=".building", dir=figures.parent))
                created.append(build_figures)
            (build_out / EXECUTED_SUBDIR).mkdir()
        except OSError as exc:
            raise ReportError(f"cannot write the report: {exc.strerror}: {exc.filename}") from exc
        for folder in created:  # mkdtemp makes folders only their owner can read; a report is made for others
            folder.chmod(0o777 & ~_umask())
        yield build_out, build_figures
    finally:
        for folder in created:
            shutil.rmtree(folder, ignore_errors=True)


def _umask() -> int:
    """Return the process's file mode creation mask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _replace_folder(target: Path, built: Path) -> None:
    """Put the folder ``built`` in the place of ``target``.

    What the old folder holds that a report does not write is moved into the new one: hidden
    files (``.gitkeep``) and subfolders the new one lacks (another report's ``reports/mine``).
    """
    old = target.parent / f".{target.name}.old-{os.getpid()}"
    if target.exists():
        for entry in target.iterdir():
            if (entry.name.startswith(".") or entry.is_dir()) and not (built / entry.name).exists():
                entry.rename(built / entry.name)
        target.rename(old)
    built.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _keep_failed(executed: Path, out: Path) -> Path | None:
    """Copy the executed notebook of a failed run beside ``out``, as ``<out>.failed-<notebook>``; return its path.

    None if the notebook was not written (its kernel did not start).
    """
    if not executed.exists():
        return None
    kept = out.parent / f"{out.name}.failed-{executed.name}"
    shutil.copyfile(executed, kept)
    return kept


def _glob_escape(name: str) -> str:
    """Escape the characters of a file name that :meth:`pathlib.Path.glob` would take as a pattern."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def without_local_paths(notebook: nbformat.NotebookNode, displayed: Mapping[Path, Path]) -> nbformat.NotebookNode:
    """Return a copy of an executed notebook in which no local path is left.

    Each path in ``displayed`` (the build folders, the corpus, the notebooks, the entity file) is written as
    :func:`_display_path` writes the path it maps to, then the project folder as ``.`` and the
    home folder as ``~``; in the cells' code and in their outputs.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    displayed : mapping of pathlib.Path to pathlib.Path
        Each local path and the path it stands for.
    """
    replacements = [(str(local), _display_path(shown)) for local, shown in displayed.items()]
    replacements += [(str(paths.PROJECT_ROOT), "."), (str(Path.home()), "~")]
    replacements.sort(key=lambda pair: -len(pair[0]))  # the longest first: a corpus inside the project

    def clean(value):
        if isinstance(value, str):
            for local, shown in replacements:
                value = value.replace(local, shown)
            return value
        if isinstance(value, list):
            return [clean(item) for item in value]
        if isinstance(value, dict):
            return type(value)({key: clean(item) for key, item in value.items()})
        return value

    notebook = copy.deepcopy(notebook)
    notebook.metadata = clean(notebook.metadata)  # papermill's record of the paths and parameters
    for cell in notebook.cells:
        cell.source = clean(cell.source)
        for output in cell.get("outputs", []):
            for key in ("text", "evalue", "traceback"):
                if key in output:
                    output[key] = clean(output[key])
            if output.get("name") == "stderr":  # a warning's location is a temporary file of the kernel
                output["text"] = _WARNING_LOCATION_RE.sub("", output["text"])
            for mime in list(output.get("data", {})):
                if mime.startswith("text/") or mime.endswith("json"):
                    output["data"][mime] = clean(output["data"][mime])
    return notebook


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
            extra_arguments=KERNEL_ARGUMENTS,
        )
    except PapermillExecutionError as exc:
        first_line = (exc.source or "").strip().splitlines()[:1]
        raise ReportError(
            f"notebook {notebook.name} failed in cell In [{exc.exec_count}]"
            f"{f' ({short_message(first_line[0], 80)!r} ...)' if first_line else ''}: "
            f"{exc.ename}: {short_message(exc.evalue)}"
        ) from exc
    except (PapermillException, NoSuchKernel, RuntimeError, TimeoutError) as exc:
        raise ReportError(f"notebook {notebook.name} could not be run: {type(exc).__name__}: "
                          f"{short_message(exc)}") from exc


def render_html(notebook: nbformat.NotebookNode, fallback_title: str, with_code: bool = False) -> tuple[str, str, int]:
    """Render an executed notebook to one self-contained HTML page.

    Image outputs are embedded as data URIs and no script is loaded from the
    network (no require.js, no MathJax), so the page works offline. Figures get
    alternative text, and warnings show their category and message only.
    The code cells are left out unless ``with_code``.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook.
    fallback_title : str
        Title used when the notebook has no level-1 Markdown heading.
    with_code : bool, default False
        Show the code cells and their prompts.

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
        exclude_input=not with_code,
        exclude_input_prompt=not with_code,
        exclude_output_prompt=not with_code,
    )
    page, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": title}})
    page = page.replace("</head>", f"<style>{_READER_STYLE}</style>\n</head>", 1)
    if any(_n_body_rows(output.get("data", {}).get("text/html", "")) > LONG_TABLE_ROWS
           for cell in notebook.cells for output in cell.get("outputs", [])):
        page = page.replace("</body>", f"{interactive_tables_script()}\n</body>", 1)
    n_images = sum(
        1
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if any(mime.startswith("image/") for mime in output.get("data", {}))
    )
    return title, page, n_images


def _for_readers(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy prepared for the page.

    PNG outputs without alternative text get "Abbildung: <heading of their section>". Warnings
    printed by a cell become short notes in German (:func:`_note`, "Hinweis: weniger als 20 Artikel:
    DAZ (n=1).") without the warning's category, file and line of code, each note once per page. Tables are
    written for readers (:func:`tables_for_readers`: German numbers, "–" for missing values, "ja"/"nein", text
    left- and numbers right-aligned, one header row, no row numbers); tables without rows are left out.
    """
    notebook, heading, noted = copy.deepcopy(notebook), None, set()
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            headings = [line.lstrip("#").strip() for line in cell.source.splitlines() if line.startswith("#")]
            heading = headings[-1] if headings else heading
        outputs = []
        for output in cell.get("outputs", []):
            if "image/png" in output.get("data", {}):
                described = output.setdefault("metadata", {}).setdefault("image/png", {})
                described.setdefault("alt", f"Abbildung: {heading}" if heading else "Abbildung")
            if "text/html" in output.get("data", {}):
                if "<table" in output["data"]["text/html"] and _n_body_rows(output["data"]["text/html"]) == 0:
                    continue  # a table with a header and no row says nothing
                output["data"]["text/html"] = tables_for_readers(output["data"]["text/html"])
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                notes = [note for note in map(_note, _CELL_WARNING_RE.findall(output["text"])) if note not in noted]
                noted.update(notes)
                if notes:
                    outputs.append(nbformat.v4.new_output("display_data", data={"text/html": "\n".join(
                        f'<p class="analysis-note" style="{_NOTE_STYLE}">{html.escape(note)}</p>' for note in notes)}))
                output["text"] = _CELL_WARNING_RE.sub("", output["text"])
                if not output["text"].strip():
                    continue
            outputs.append(output)
        if "outputs" in cell:
            cell.outputs = outputs
    return notebook


#: The words of the sortable tables (DataTables' language options): German, with the German decimal comma.
TABLE_LANGUAGE = json.dumps({
    "decimal": ",", "thousands": ".", "search": "Suchen:", "lengthMenu": "_MENU_ Zeilen je Seite",
    "info": "Zeilen _START_ bis _END_ von _TOTAL_", "infoEmpty": "Keine Zeilen", "infoFiltered": "(von _MAX_ Zeilen)",
    "zeroRecords": "Keine passenden Zeilen", "emptyTable": "Keine Zeilen",
    "aria": {"sortAscending": ": aufsteigend sortieren", "sortDescending": ": absteigend sortieren"},
}, ensure_ascii=False)


def interactive_tables_script() -> str:
    """Return the scripts that make the long tables of a page sortable and searchable, offline.

    The DataTables bundle of itables is embedded in the page (no network). Tables of more than
    :data:`LONG_TABLE_ROWS` rows get a search field, sortable columns and pages of that many
    rows, in German (:data:`TABLE_LANGUAGE`); numbers are read with the German decimal comma. Column widths are
    left to the browser (no ``autoWidth``), so that a column of long texts gets the room its cells ask for
    (:data:`_READER_STYLE`). Tables whose body joins cells
    (a grouped index) stay as they are.
    """
    offline = itables.javascript.generate_init_offline_itables_html(itables.options.dt_bundle)
    loader = re.search(r"<script>.*?</script>", offline, re.DOTALL).group(0)  # without its <noscript> note
    bundle = re.search(r"window\.(_itables_\w+) = ", loader).group(1)  # the global that holds the loaded bundle
    return loader + f"""
<script type="module">
  const {{ ITable }} = await window.{bundle};
  for (const table of document.querySelectorAll("table.dataframe")) {{
    const body = table.tBodies[0];
    if (body && body.rows.length > {LONG_TABLE_ROWS} && !body.querySelector("[rowspan], [colspan]")) {{
      new ITable(table, {{ pageLength: {LONG_TABLE_ROWS}, lengthMenu: [{LONG_TABLE_ROWS}, 50, 200], order: [], autoWidth: false,
                          language: {TABLE_LANGUAGE} }});
    }}
  }}
</script>"""


def _n_body_rows(page: str) -> int:
    """Return the number of rows in the body of the first HTML table of ``page`` (0 without a table)."""
    body = re.search(r"<tbody>(.*?)</tbody>", page, re.DOTALL)
    return body.group(1).count("<tr") if body else 0


def _note(message: str) -> str:
    """Write a warning's message as a German sentence: "Hinweis: " and the message, ending in a full stop.

    The library's warnings that the notebooks give (:data:`GERMAN_NOTES`) are written in German;
    any other message is quoted as it is, marked as the library's English wording.

    Examples
    --------
    >>> _note("fewer than 20 articles: DAZ (n=1); differences involving this outlet are descriptive only")
    'Hinweis: weniger als 20 Artikel: DAZ (n=1); Zahlen, an denen diese Gruppen beteiligt sind, beschreiben nur diese Artikel.'
    """
    message = message.strip()
    for pattern, german in GERMAN_NOTES:
        if match := pattern.fullmatch(message):
            message = german(match) if callable(german) else match.expand(german)
            break
    else:
        if re.search(r"\b(?:the|of|and|is|are|has|have)\b", message):  # English: say so rather than mix silently
            message = f"(Meldung der Bibliothek, englisch) {message}"
    return f"Hinweis: {message}{'' if message.endswith(('.', '!', '?')) else '.'}"


def _german_digits(number: str) -> str:
    """Write a number as Python wrote it with thousands commas ("1,234") the German way ("1.234")."""
    return number.replace(",", ".")


#: The library's warnings as the pages say them: a pattern of the English message, and its German wording.
GERMAN_NOTES = (
    (re.compile(r"fewer than (\d+) articles: (.*); differences involving (?:this outlet|these outlets) are descriptive only"),
     r"weniger als \1 Artikel: \2; Zahlen, an denen diese Gruppen beteiligt sind, beschreiben nur diese Artikel"),
    (re.compile(r"Only (\d+) documents: the (\d+) clusters describe how these articles use words; "
                r"they do not prove that the topics exist beyond them\."),
     r"Nur \1 Artikel: Die \2 Themen-Cluster beschreiben, wie diese Artikel Wörter verwenden; sie belegen keine "
     r"Themen über diese Artikel hinaus."),
    (re.compile(r"article (.*): cleaning removed ([\d,]+) of its ([\d,]+) words \((\d+)%\), most by the rule '(.*)'; "
                r"see analysis\.audit"),
     lambda m: (f"Artikel {m[1]}: Die Bereinigung hat {_german_digits(m[2])} seiner {_german_digits(m[3])} Wörter "
                f"entfernt ({m[4]} %), die meisten nach der Regel „{RULE_LABELS.get(m[5], m[5])}“")),
    (re.compile(r"([\d,]+) more articles lost more than half their words to cleaning; "
                r"analysis\.clean\.heavily_cleaned lists them all"),
     lambda m: f"Weitere {_german_digits(m[1])} Artikel haben mehr als die Hälfte ihrer Wörter durch die Bereinigung verloren"),
    (re.compile(r"Only (\d+)% of the words are German function words .*"),
     r"Nur \1 % der Wörter sind deutsche Funktionswörter (in deutschen Nachrichten etwa die Hälfte): Die Texte sind "
     r"womöglich nicht deutsch; dann passen die deutschen Stoppwörter und Wortstämme nicht, und die Namen der "
     r"Themen-Cluster können Funktionswörter sein"),
    (re.compile(r"(\d+) document\(s\) have no terms to cluster on .*"),
     r"\1 Artikel enthalten kein Wort, nach dem sich gruppieren ließe (nur Stoppwörter, Zahlen oder seltene Wörter); "
     r"sie stehen in einem Themen-Cluster, ohne ein Wort mit ihm zu teilen"),
    (re.compile(r"no counted terms in (.*); left out of the keyness table"),
     r"keine gezählten Wörter in \1; nicht in der Tabelle der Schlüsselbegriffe"),
    (re.compile(r"(\d+) points exceed max_labels=(\d+); point labels are not drawn"),
     r"\1 Punkte, mehr als \2: Die Punkte sind nicht beschriftet"),
    (re.compile(r"(.*) has (\d+) groups but only (\d+) distinct (colours|markers); .*"),
     lambda m: f"{m[2]} Gruppen, aber nur {m[3]} {'Farben' if m[4] == 'colours' else 'Formen'}: Sie wiederholen sich"),
)


# A warning as Python prints it: "<file>.py:<line>: <category>Warning: <message>", then the line of code, indented.
_CELL_WARNING_RE = re.compile(r"^(?:\S+\.py:\d+: )?\w*Warning: (.*)\n(?:  .*\n)?", re.MULTILINE)
_NOTE_STYLE = "border-left: 4px solid #E69F00; padding-left: 0.6rem;"
# Lines printed by a cell are sentences for readers: the page's font, wrapped between words.
# Texts in tables are left-aligned, numbers right-aligned (JupyterLab aligns every cell right), long texts get room.
_READER_STYLE = ('.jp-RenderedText[data-mime-type="text/plain"] pre { font-family: var(--jp-content-font-family); '
                 "font-size: var(--jp-content-font-size1); white-space: pre-wrap; word-break: normal; "
                 "overflow-wrap: break-word; }\n"
                 ".jp-RenderedHTML.jp-OutputArea-output table { table-layout: auto; }\n"
                 ".jp-RenderedHTML.jp-OutputArea-output td, .jp-RenderedHTML.jp-OutputArea-output th "
                 "{ text-align: left; }\n"
                 ".jp-RenderedHTML.jp-OutputArea-output td.num, .jp-RenderedHTML.jp-OutputArea-output th.num "
                 "{ text-align: right; font-variant-numeric: tabular-nums; }\n"
                 ".jp-RenderedHTML.jp-OutputArea-output td.long { min-width: 22em; }")
# Where a warning was raised, as Python prints it before the warning's category.
_WARNING_LOCATION_RE = re.compile(r"^\S+\.py:\d+: (?=\w*Warning: )", re.MULTILINE)
#: A text cell longer than this many characters gets room to wrap into lines of readable width.
LONG_TEXT_CHARS = 60
# What pandas writes into a table cell for a missing value, and for a truth value.
_MISSING_CELLS = frozenset({"NaN", "None", "NaT", "&lt;NA&gt;"})
_TRUTH_CELLS = {"True": "ja", "False": "nein"}
# A number as pandas writes it into a table cell: "-1234.5".
_NUMBER_RE = re.compile(r"(-?)(\d+)(?:\.(\d+))?")
_ROW_RE = re.compile(r"<tr\b[^>]*>.*?</tr>", re.DOTALL)
_CELL_RE = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.DOTALL)
_TABLE_RE = re.compile(r"(<table\b[^>]*>)(.*?)(</table>)", re.DOTALL)


def tables_for_readers(page: str) -> str:
    """Write the tables of ``page`` for readers: German numbers, words for missing and truth values, aligned columns.

    Each HTML table (as pandas writes it) is rewritten cell by cell:

    - numbers get the decimal comma and, from 1.000, thousands points, as the pages' prose writes
      them, except in a column of years (whole numbers from 1800 to 2100 only: "2025" stays "2025");
    - identifiers (a column whose header ends in "ID", such as "Artikel-ID") stay as they are, left-aligned:
      they are names, not quantities;
    - a number that reads as zero carries no sign ("-0.00" is "0,00": it claims no direction);
    - missing values (``NaN``, ``<NA>``, ``None``, ``NaT``) are "–"; in a column of truth values only,
      ``True`` and ``False`` are "ja" and "nein" (a text column keeps the word "True");
    - number cells, and the header of a column of numbers, get the class ``num`` (right-aligned,
      see :data:`_READER_STYLE`; text is left-aligned), texts longer than :data:`LONG_TEXT_CHARS`
      characters the class ``long`` (a minimum width, so that a long quotation is not squeezed into a
      narrow column);
    - pandas' row numbers (an index without a name whose cells are whole numbers) are left out:
      they are no data;
    - the row of index names that pandas writes below the column names is joined into the row of
      column names, so that each column has one header.

    Examples
    --------
    >>> tables_for_readers("<table><tbody><tr><td>41242</td><td>-0.00</td><td>NaN</td><td>True</td></tr></tbody></table>")
    '<table><tbody>\\n<tr><td class="num">41.242</td><td class="num">0,00</td><td>–</td><td>ja</td></tr>\\n</tbody></table>'
    """
    return _TABLE_RE.sub(lambda match: match[1] + _reader_table(match[2]) + match[3], page)


def _reader_table(table: str) -> str:
    """Rewrite the inside of one HTML table as :func:`tables_for_readers` describes."""
    head_match = re.search(r"<thead>(.*?)</thead>", table, re.DOTALL)
    body_match = re.search(r"<tbody>(.*?)</tbody>", table, re.DOTALL)
    if not body_match:
        return table
    head_rows = [_CELL_RE.findall(row) for row in _ROW_RE.findall(head_match[1])] if head_match else []
    body_rows = [_CELL_RE.findall(row) for row in _ROW_RE.findall(body_match[1])]  # (tag, attributes, inner HTML)
    if _row_numbers(head_rows, body_rows):
        head_rows, body_rows = [row[1:] for row in head_rows], [row[1:] for row in body_rows]
    head_rows = _joined_header(head_rows)
    # columns counted from the right end of a row: a grouped index (rowspan) shortens rows only at their left
    columns: dict[int, list[str]] = {}
    for row in body_rows:
        data = [text for tag, _, text in row if tag == "td"]
        for position, text in enumerate(reversed(data)):
            columns.setdefault(position, []).append(text.strip())
    last = head_rows[-1] if head_rows else []
    identifiers = {len(last) - 1 - i for i, (_, _, text) in enumerate(last) if re.search(r"(?:^|-)ID$", text.strip())}
    numeric = {position for position, texts in columns.items()
               if position not in identifiers and any(_NUMBER_RE.fullmatch(t) for t in texts)
               and all(_NUMBER_RE.fullmatch(t) or t in _MISSING_CELLS for t in texts)}
    years = {position for position in numeric
             if all(re.fullmatch(r"\d{4}", t) and 1800 <= int(t) <= 2100 for t in columns[position] if t not in _MISSING_CELLS)}
    truths = {position for position, texts in columns.items()
              if any(t in _TRUTH_CELLS for t in texts) and all(t in _TRUTH_CELLS or t in _MISSING_CELLS for t in texts)}
    new_body = []
    for row in body_rows:
        n_data, seen, cells = sum(tag == "td" for tag, _, _ in row), 0, []
        for tag, attributes, text in row:
            if tag == "td":
                seen += 1
                position = n_data - seen
                text, css = _reader_cell(text.strip(), identifier=position in identifiers, years=position in years,
                                         truth=position in truths)
                attributes = f'{attributes} class="{css}"' if css else attributes
            cells.append((tag, attributes, text))
        new_body.append(cells)
    if head_rows:
        head_rows[-1] = [(tag, f'{attributes} class="num"' if (len(last) - 1 - i) in numeric and tag == "th"
                          and "class=" not in attributes else attributes, text)
                         for i, (tag, attributes, text) in enumerate(last)]
    head = "".join(_row(row) for row in head_rows)
    body = "".join(_row(row) for row in new_body)
    table = table[:body_match.start(1)] + "\n" + body + table[body_match.end(1):]
    if head_match:
        table = table[:head_match.start(1)] + "\n" + head + table[head_match.end(1):]
    return table


def _row(cells: list[tuple[str, str, str]]) -> str:
    return "<tr>" + "".join(f"<{tag}{attributes}>{text}</{tag}>" for tag, attributes, text in cells) + "</tr>\n"


def _row_numbers(head_rows: list, body_rows: list) -> bool:
    """Tell whether the first column is pandas' row numbers: no header, no attributes, whole numbers in ``<th>``."""
    return bool(body_rows) and all(
        row and row[0][0] == "th" and not row[0][1].strip() and re.fullmatch(r"\d+", row[0][2].strip())
        for row in body_rows) and all(row and not row[0][2].strip() for row in head_rows)


def _joined_header(head_rows: list) -> list:
    """Join pandas' second header row (the index names, then empty cells) into the first, where its cells are empty."""
    if len(head_rows) != 2:
        return head_rows
    first, names = head_rows
    n_names = next((i for i, (_, _, text) in enumerate(names) if not text.strip()), len(names))
    if (n_names == 0 or any(text.strip() for _, _, text in names[n_names:]) or len(first) < n_names
            or any(text.strip() or attributes.strip() for _, attributes, text in first[:n_names])):
        return head_rows
    return [names[:n_names] + first[n_names:]]


def _reader_cell(text: str, identifier: bool = False, years: bool = False, truth: bool = False) -> tuple[str, str | None]:
    """Return a body cell's text for readers and its class (``num``, ``long`` or None); ``truth``: a column of truth values."""
    if text in _MISSING_CELLS:
        return "–", None
    if identifier:
        return text, None
    if truth:
        return _TRUTH_CELLS[text], None
    if match := _NUMBER_RE.fullmatch(text):
        sign, whole, fraction = match.groups()
        if not (whole + (fraction or "")).strip("0"):
            sign = ""
        if len(whole) >= 4 and not years:
            whole = f"{int(whole):,}".replace(",", ".")
        return f"{sign}{whole}{',' + fraction if fraction else ''}", "num"
    return text, "long" if len(html.unescape(re.sub(r"<[^>]+>", "", text))) > LONG_TEXT_CHARS else None


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


def index_html(entries: list[dict], manifest: Mapping, summary: Mapping | None = None) -> str:
    """Build the index page: a summary of the corpus with its caveats, then a link to every notebook report.

    Below the links, :data:`CODE_NAMES_NOTE` tells readers that the names in typewriter type on the
    pages are the program's settings and functions, not words they need to understand.

    Parameters
    ----------
    entries : list of dict
        One dict per notebook with keys ``notebook``, ``title``, ``html`` and ``figures``
        (the files it wrote; a figure's PNG, SVG and CSV count as one figure).
    manifest : mapping
        The manifest (its corpus's articles, files and fingerprint and the git commit are shown).
    summary : mapping, optional
        The corpus as :func:`read_corpus` summarises it; without it the page has no summary.

    Returns
    -------
    str
        The HTML page.
    """
    corpus = manifest["corpus"]
    rows = "\n".join(
        f'    <li><a href="{html.escape(entry["html"])}">{html.escape(entry["title"])}</a>'
        f' <span class="meta">({html.escape(entry["notebook"])}, '
        f'{"entfällt: zu wenige Artikel" if entry.get("skipped") else _german_count(_n_figures(entry["figures"]), "figure")})'
        '</span></li>'
        for entry in entries
    )
    commit = manifest["git_commit"] or "unbekannt"
    overview = html.escape(entries[0]["html"]) if entries else "#"
    return f"""<!DOCTYPE html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Bericht</title>
<style>
  body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 50rem; margin: 2rem auto; padding: 0 1rem;
         line-height: 1.5; color: #222; }}
  li {{ margin: 0.4rem 0; }}
  .meta {{ color: #666; font-size: 0.9em; }}
  .caveat {{ border-left: 4px solid #E69F00; padding-left: 0.6rem; }}
  code {{ font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Bericht</h1>
{summary_html(summary, overview) if summary is not None else ""}
<h2>Seiten</h2>
<ol>
{rows}
</ol>
<p>{CODE_NAMES_NOTE}</p>
<p class="meta">Korpus <code>{html.escape(str(corpus["path"]))}</code>: {_german_count(corpus["n_articles"], "article")} in
{_german_count(corpus["n_files"], "file")},
SHA-256 <code>{corpus["sha256"][:16]}</code>. Programmversion <code>{html.escape(commit[:12])}</code>.
Einzelheiten in <a href="manifest.json">manifest.json</a>.</p>
</body>
</html>
"""


#: What the index tells readers about the names in typewriter type on the pages (settings, functions, files); HTML.
CODE_NAMES_NOTE = ("Wörter in Schreibmaschinenschrift auf den Seiten (etwa <code>n_clusters</code>, <code>min_articles</code>, "
                   "<code>find_quotes</code>) sind "
                   "Einstellungen, Funktionen und Dateien des Programms: Sie sagen Fachleuten, was sich ändern oder "
                   "nachlesen lässt. Zum Lesen der Seiten braucht man sie nicht.")

#: Fewer articles than this make every count a description of these texts only.
SMALL_CORPUS = 20


def summary_html(summary: Mapping, overview: str) -> str:
    """Write the summary of a corpus and its caveats as HTML, in German, linking the overview page.

    Examples
    --------
    >>> summary = {"n_articles": 1, "n_outlets": 1, "n_dated": 0, "first_date": None, "last_date": None,
    ...            "n_repeated": 0, "n_words_raw": 120, "n_words": 90}
    >>> print(summary_html(summary, "01.html").splitlines()[2])
    <li>Das Korpus enthält <a href="01.html">1 Artikel aus 1 Medium</a>, ohne Datum.</li>
    """
    n, n_dated = summary["n_articles"], summary["n_dated"]
    if n_dated == 0:
        period = "ohne Datum" if n == 1 else "keiner davon mit Datum"
    else:
        period = f"vom {_german_date(summary['first_date'])} bis zum {_german_date(summary['last_date'])}" + (
            "" if n_dated == n else f" ({_german_count(n - n_dated, 'article')} ohne Datum)")
    removed = summary["n_words_raw"] - summary["n_words"]
    share = _german_percent(removed / summary["n_words_raw"] if summary["n_words_raw"] else 0.0)
    caveats = []
    if n < SMALL_CORPUS:
        caveats.append(f"Nur {_german_count(n, 'article')}: Jede Zahl beschreibt diese Texte und sagt nichts über die "
                       "Berichterstattung im Allgemeinen; Themen-Cluster und Vergleiche der Medien beschreiben, sie "
                       "beweisen nichts.")
    if n_dated == 0:
        caveats.append("Kein Artikel hat ein Datum, daher lässt sich über die Zeit nichts sagen.")
    if summary["n_outlets"] < 2:
        caveats.append("Weniger als zwei Medien sind genannt, daher lassen sich keine Medien vergleichen.")
    sampled, analysed = summary.get("max_articles"), summary.get("n_analysed", 0)
    if sampled and analysed > sampled:
        caveats.append(f"Die Seiten 02 bis 05 werten eine Zufallsstichprobe von {_german_digits(f'{sampled:,}')} der "
                       f"{_german_digits(f'{analysed:,}')} ausgewerteten Artikel aus (Themen-Cluster, Schlüsselbegriffe, Zitate); "
                       "Seite 01, Summen und Raten der Erwähnungen je Medium, Größe und Zeitverlauf der Themen-Cluster "
                       "und die geteilten Passagen zählen jeden Artikel.")
    if summary["n_repeated"]:
        repeated = summary["n_repeated"]
        caveats.append(f"{_german_count(repeated, 'article')} {'wiederholt' if repeated == 1 else 'wiederholen'} "
                       "einen früheren Text; jeder Text zählt einmal.")
    items = "\n".join([f'<li>{finding}</li>' for finding in summary.get("findings", [])]
                      + [f'<li class="caveat">{html.escape(caveat)}</li>' for caveat in caveats])
    return f"""<h2>Zusammenfassung</h2>
<ul>
<li>Das Korpus enthält <a href="{overview}">{_german_count(n, 'article')} aus {_german_count(summary['n_outlets'], 'outlet')}</a>, {period}.</li>
<li>Die Bereinigung hat {_german_digits(f"{removed:,}")} von {_german_digits(f"{summary['n_words_raw']:,}")} Wörtern entfernt ({share}): \
<a href="{overview}#Was-die-Bereinigung-entfernt-hat">was und warum</a>.</li>
{items}
</ul>"""


#: Tables behind the figures that the summary on the index page quotes: file, what it shows, how to read it.
FINDINGS = (
    ("03-top-entities.csv", "Am häufigsten genannt (Zahl der Erwähnungen)"),
    ("02-top-terms.csv", "Themen-Cluster (Gruppen von Artikeln mit gemeinsamem Wortschatz)"),
    ("04-keyness-by-outlet.csv", "Schlüsselbegriffe je Medium"),
)


def findings(figures: Path, entries: list[dict]) -> list[str]:
    """Summarise the main results in a few lines of HTML, each linking to its page.

    They are read from the tables saved beside the figures (see :data:`FINDINGS`): the five
    most mentioned entities, each topic cluster's four most distinctive terms, each outlet's
    four most distinctive words (:func:`_key_words`: only for outlets with enough articles). A table
    that was not written (a page skipped, a chart left out) gives no line.

    Parameters
    ----------
    figures : pathlib.Path
        Folder of the figures and their tables.
    entries : list of dict
        The notebooks' entries of the manifest, to link each line to the page that wrote the table.
    """
    lines = []
    for name, heading in FINDINGS:
        path = figures / name
        if not path.is_file():
            continue
        table = pd.read_csv(path, keep_default_na=False)
        if name.startswith("03-") and table.shape[1] >= 2:
            parts = [f"{label} ({_german_digits(f'{count:,}')})" for label, count in table.iloc[:5, :2].itertuples(index=False)]
        elif name.startswith("02-") and {"cluster", "rank", "term"} <= set(table.columns):
            parts = [f"{cluster}: " + ", ".join(group.sort_values("rank")["term"].astype(str).head(4))
                     for cluster, group in table.groupby("cluster")]
        elif {"outlet", "word", "g2"} <= set(table.columns):
            parts = _key_words(table)
        else:
            continue
        page = next((entry["html"] for entry in entries if entry["notebook"][:3] == name[:3]), "#")
        if parts:
            lines.append(f'<a href="{html.escape(page)}">{html.escape(heading)}</a>: '
                         + html.escape("; ".join(parts)) + ".")
    return lines


def _key_words(table: pd.DataFrame) -> list[str]:
    """Return each outlet's four most distinctive words, as page 04 ranks them, for outlets that can carry a claim.

    Words are ranked by the score the page ranks by (``tdk`` where the table has it, else ``g2``),
    positive scores only. Outlets marked ``descriptive_only`` (too few articles) are not named with
    words: a handful of articles says nothing about an outlet. They are counted instead, and when no
    outlet is left, the one part says so.
    """
    score = "tdk" if "tdk" in table.columns else "g2"
    table = table.assign(**{score: pd.to_numeric(table[score], errors="coerce")})
    thin = (table["descriptive_only"].astype(str).str.lower() == "true" if "descriptive_only" in table.columns
            else pd.Series(False, index=table.index))
    positive = table[(table[score] > 0) & ~thin].sort_values(score, ascending=False, kind="stable")
    parts = [f"{outlet}: " + ", ".join(group["word"].astype(str).head(4))
             for outlet, group in positive.groupby("outlet", sort=True)]
    n_thin = table.loc[thin, "outlet"].nunique()
    if n_thin and not parts:
        return ["kein Medium hat genug Artikel für eine Aussage; die Seite zeigt die Wörter nur beschreibend"]
    if n_thin:
        parts.append(f"{_german_count(n_thin, 'outlet')} mit zu wenigen Artikeln nur beschreibend auf der Seite")
    return parts


def read_corpus(corpus_path: str | os.PathLike, columns: Mapping[str, str] | None = None,
                cache_dir: str | os.PathLike | None = None) -> dict:
    """Read and store the corpus as the notebooks will; log what went wrong; return a summary of it.

    Only small columns come into memory (the store is read a partition at a time), so a
    corpus larger than memory can be summed up.

    The notebooks then read the cache. Each file skipped or repaired is logged (the first
    :data:`MAX_LOGGED_ISSUES` of them), so that the terminal says what notebook 01 lists;
    when nothing can be read, the problems found on the way are logged before the error.

    Parameters
    ----------
    corpus_path : str or path-like
        The corpus.
    columns : mapping, optional
        Column names passed to :func:`analysis.load.load_corpus` (``text_column`` and so on).
    cache_dir : str or path-like, optional
        Folder of the corpus store; None: the default of :func:`analysis.load.load_corpus`.

    Returns
    -------
    dict
        ``n_articles``, ``n_analysed`` (as :func:`analysis.load.articles_for_analysis` keeps them),
        ``n_outlets``, ``n_dated``, ``first_date`` and ``last_date`` (ISO dates or None),
        ``n_repeated``, ``n_words_raw`` and ``n_words`` (after cleaning).

    Raises
    ------
    ReportError
        If the corpus cannot be read, with the reason.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")  # logged below, one line each
        try:
            store = open_store(corpus_path, cache_dir=cache_dir, **dict(columns or {}))
        except CorpusError as exc:
            _log_issues([str(w.message) for w in caught if w.category is UserWarning])
            raise ReportError(short_message(exc)) from exc
    issues = store.load_report
    logger.info("%s read from %s; %s", _count(len(store), "article"), _display_path(corpus_path),
                f"{len(issues)} files or rows skipped or repaired (listed in notebook 01):" if len(issues) else "nothing skipped")
    _log_issues([issue_message(issue.file, issue.line, issue.problem, issue.action) for issue in issues.itertuples()])
    parts = reduce_partitions(_raw_words_and_heavy, store, columns=["doc_id", "n_words", "removed", "raw_text"])
    _log_heavily_cleaned(pd.concat([heavy for _, heavy in parts], ignore_index=True))
    corpus = store.read(["source", "date", "is_duplicate", "n_words"])
    dates = corpus["date"].dropna()
    return {
        "n_articles": len(corpus),
        "n_analysed": len(articles_for_analysis(store)[0]),
        "n_outlets": int(corpus["source"].nunique()),
        "n_dated": len(dates),
        "first_date": f"{dates.min():%Y-%m-%d}" if len(dates) else None,
        "last_date": f"{dates.max():%Y-%m-%d}" if len(dates) else None,
        "n_repeated": int(corpus["is_duplicate"].sum()),
        "n_words_raw": sum(words for words, _ in parts),
        "n_words": int(corpus["n_words"].sum()),
    }


def _raw_words_and_heavy(part: pd.DataFrame) -> tuple[int, pd.DataFrame]:
    """Count a partition's raw words and list its heavily cleaned articles."""
    return int(part["raw_text"].str.split().str.len().sum()), heavily_cleaned(part)


def _in_child_process(function, *args, **kwargs):
    """Call ``function`` in a forked process; log what it logged here, then return its result or raise its error.

    Reading a large corpus into its store takes memory that a process keeps once it is
    freed; done in a child, it is returned when the child ends, before the notebooks start.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return function(*args, **kwargs)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as child:
        result, error, records = child.submit(_logged_call, function, args, kwargs).result()
    for record in records:
        logging.getLogger(record.name).handle(record)
    if error is not None:
        raise error
    return result


class _Records(logging.Handler):
    """Keep the log records of a child process, made picklable, to be handled again in the parent."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args, record.exc_info = record.getMessage(), None, None
        self.records.append(record)


def _logged_call(function, args: tuple, kwargs: dict) -> tuple:
    """Call ``function`` with its log records kept instead of written; return result, error and records."""
    root, kept = logging.getLogger(), _Records()
    root.handlers = [kept]
    try:
        return function(*args, **kwargs), None, kept.records
    except Exception as error:  # raised again in the parent, after the records
        return None, error, kept.records


def _log_issues(messages: list[str]) -> None:
    """Log the first :data:`MAX_LOGGED_ISSUES` problems of loading, each cut to a readable length, and how many more."""
    for message in messages[:MAX_LOGGED_ISSUES]:
        logger.info("  %s", short_message(message, 300))
    if len(messages) > MAX_LOGGED_ISSUES:
        logger.info("  ... and %d more", len(messages) - MAX_LOGGED_ISSUES)


def _log_heavily_cleaned(heavy: pd.DataFrame) -> None:
    """Log the articles that cleaning took more than half the words from (the first :data:`MAX_LOGGED_ISSUES`)."""
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
    changes the fingerprint. Hidden files (names starting with ".") are skipped, and so are
    links that lead out of the folder, which loading does not follow either. Names are hashed
    as the bytes they are on disk, whatever their encoding.

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
        inside = root.resolve()
        files = sorted(
            (p.relative_to(root).as_posix(), p)
            for p in root.rglob("*")
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
            and not (p.is_symlink() and not p.resolve().is_relative_to(inside))
        )
    digest = hashlib.sha256()
    for relative, file in files:
        digest.update(os.fsencode(relative) + b"\0" + str(file.stat().st_size).encode("ascii") + b"\0")
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


#: German nouns of :func:`_german_count`, singular and plural.
GERMAN_NOUNS = {"article": ("Artikel", "Artikel"), "outlet": ("Medium", "Medien"), "word": ("Wort", "Wörter"),
                "file": ("Datei", "Dateien"), "figure": ("Abbildung", "Abbildungen")}


def _german_count(n: int, noun: str) -> str:
    """Return a count with its German noun, German thousands points: "1 Medium", "4.125 Artikel", "2 Abbildungen"."""
    singular, plural = GERMAN_NOUNS[noun]
    return f"{_german_digits(f'{n:,}')} {singular if n == 1 else plural}"


def _german_date(iso: str) -> str:
    """Write an ISO date the German way: "2025-08-19" → "19.08.2025"."""
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"


def _german_percent(share: float) -> str:
    """Write a share as a German percentage with one decimal: 0.0358 → "3,6 %"."""
    return f"{100 * share:.1f} %".replace(".", ",")


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
    """Return ``path`` relative to the project root when inside it, else its name only (no local path in the output)."""
    if path is None:
        return None
    with contextlib.suppress(ValueError):
        return Path(path).relative_to(paths.PROJECT_ROOT).as_posix() or "."
    return Path(path).name


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
