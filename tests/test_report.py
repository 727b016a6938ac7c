"""Tests for analysis.report and ``python -m analysis report``.

The slow tests run the real notebooks on the bundled corpus once per session
(plus one more run for the reproducibility check) and open the HTML in a
headless Chromium when it is installed.
"""
import ast
import base64
import hashlib
import html.parser
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import matplotlib.image
import nbformat
import numpy as np
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from analysis import load_corpus, paths, report
from analysis.__main__ import main

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# Appended to a copy of a report: after loading, count the images and those the browser could not decode.
IMAGE_CHECK_SCRIPT = (
    "<script>window.addEventListener('load', () => { const imgs = [...document.images];"
    " document.body.setAttribute('data-images', imgs.length);"
    " document.body.setAttribute('data-broken-images',"
    " imgs.filter(i => !i.complete || i.naturalWidth === 0).length); });</script>"
)


# ---------------------------------------------------------------- helpers

def _write_notebook(path, title, *code_cells):
    """Write a notebook with an H1 title, a ``parameters`` cell and the given code cells."""
    parameters = new_code_cell("corpus_path = None\nfigures_dir = None\nentities_path = None")
    parameters.metadata["tags"] = ["parameters"]
    notebook = new_notebook(cells=[new_markdown_cell(f"# {title}\n\nKurzer Test."), parameters]
                            + [new_code_cell(code) for code in code_cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


DUMMY_FIGURE_CODE = (
    "from pathlib import Path\n"
    "import pandas as pd\n"
    "from analysis import plots\n"
    "n_texts = len(sorted(Path(corpus_path).glob('*.txt')))\n"
    "counts = pd.Series({'Präsident Trump': n_texts, 'Tokajew': 2}, name='Artikel')\n"
    "ax = plots.bar_chart(counts, title='Erwähnungen', xlabel='Artikel (Anzahl)')\n"
    "plots.save_figure(ax.figure, '01-dummy-mentions', data=counts, figures_dir=figures_dir);"
)


class _ImageCollector(html.parser.HTMLParser):
    """Collect the ``src`` and ``alt`` of every <img> in a page."""

    def __init__(self):
        super().__init__()
        self.sources, self.alts = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.sources.append(dict(attrs).get("src", ""))
            self.alts.append(dict(attrs).get("alt"))


def _img_sources(page):
    collector = _ImageCollector()
    collector.feed(page)
    return collector.sources


def _img_alts(page):
    collector = _ImageCollector()
    collector.feed(page)
    return collector.alts


def _decode_data_uri(src):
    """Decode a base64 image data URI; raise AssertionError if it is not one."""
    match = re.fullmatch(r"data:image/(png|jpeg|gif|svg\+xml);base64,([A-Za-z0-9+/=\s]+)", src)
    assert match, f"img src is not a base64 image data URI: {src[:60]!r}"
    return match.group(1), base64.b64decode(match.group(2), validate=False)


def _chromium(*args, tmp_path):
    """Run headless Chromium with the standard flags and return its stdout."""
    result = subprocess.run(
        [str(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'chromium-profile'}", *args],
        capture_output=True, text=True, timeout=120, check=True,
    )
    return result.stdout


def _project_notebooks():
    """Notebooks NN-*.ipynb on disk plus every notebook tracked by git."""
    on_disk = {p.resolve() for p in paths.NOTEBOOKS_DIR.glob("*.ipynb") if re.fullmatch(r"\d{2}-.+", p.stem)}
    tracked = set()
    try:
        listed = subprocess.run(["git", "ls-files", "--", "*.ipynb"], cwd=paths.PROJECT_ROOT,
                                capture_output=True, text=True, check=True).stdout.split()
        tracked = {(paths.PROJECT_ROOT / name).resolve() for name in listed}
    except (OSError, subprocess.CalledProcessError):
        pass
    return sorted(on_disk | {p for p in tracked if p.exists()})


def _notebook(number):
    """The project notebook whose name starts with ``number`` ("02")."""
    (path,) = paths.NOTEBOOKS_DIR.glob(f"{number}-*.ipynb")
    return nbformat.read(path, as_version=4)


def _code(number):
    """The syntax tree of the code cells of a project notebook."""
    return ast.parse("\n".join(cell.source for cell in _notebook(number).cells if cell.cell_type == "code"))


def _assigned(tree, name):
    """The source of every value assigned to the variable ``name``, in order."""
    return [ast.unparse(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == name for target in node.targets for t in getattr(target, "elts", [target]))]


def _printed(executed, pattern):
    """Every match of ``pattern`` in the printed output of an executed notebook."""
    notebook = nbformat.read(executed, as_version=4)
    text = "".join(output.get("text", "") for cell in notebook.cells for output in cell.get("outputs", [])
                   if output.get("name") == "stdout")
    return re.findall(pattern, text)


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- fast tests

def test_corpus_fingerprint_hashes_path_size_and_bytes_in_path_order(tmp_path):
    (tmp_path / "b.txt").write_bytes("Straße\n".encode())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(b"Tokajew")
    (tmp_path / ".gitkeep").write_bytes(b"")
    expected = hashlib.sha256(b"b.txt\x008\x00" + "Straße\n".encode() + b"sub/a.txt\x007\x00Tokajew").hexdigest()
    assert report.corpus_fingerprint(tmp_path) == {"sha256": expected, "n_files": 2}


def test_corpus_fingerprint_changes_with_content_and_name(tmp_path):
    (tmp_path / "a.txt").write_text("Trump lädt ein", encoding="utf-8")
    first = report.corpus_fingerprint(tmp_path)["sha256"]
    (tmp_path / "a.txt").write_text("Trump lädt aus", encoding="utf-8")
    edited = report.corpus_fingerprint(tmp_path)["sha256"]
    (tmp_path / "a.txt").rename(tmp_path / "b.txt")
    renamed = report.corpus_fingerprint(tmp_path)["sha256"]
    assert len({first, edited, renamed}) == 3


def test_corpus_fingerprint_of_single_file(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_bytes(b'{"id": 1}\n')
    expected = hashlib.sha256(b'corpus.jsonl\x0010\x00{"id": 1}\n').hexdigest()
    assert report.corpus_fingerprint(corpus) == {"sha256": expected, "n_files": 1}


def test_corpus_fingerprint_skips_links_out_of_the_folder_and_takes_any_file_name(tmp_path):
    corpus, private = tmp_path / "korpus", tmp_path / "privat"
    corpus.mkdir()
    private.mkdir()
    (corpus / "a.txt").write_text("Tokajew traf Trump.", encoding="utf-8")
    before = report.corpus_fingerprint(corpus)
    (private / "geheim.txt").write_text("Kennwort", encoding="utf-8")
    (corpus / "geheim.txt").symlink_to(private / "geheim.txt")
    assert report.corpus_fingerprint(corpus) == before
    with open(os.path.join(os.fsencode(corpus), b"B\xe4r.txt"), "wb") as handle:  # "Bär" in Latin-1
        handle.write(b"Kasachstan")
    assert report.corpus_fingerprint(corpus)["n_files"] == 2


def test_find_notebooks_sorted_and_filtered(tmp_path):
    for name in ["02-topics.ipynb", "01-corpus.ipynb", "scratch.ipynb", "1-short.ipynb", "10-extra.ipynb"]:
        (tmp_path / name).write_text("{}")
    assert [p.name for p in report.find_notebooks(tmp_path)] == ["01-corpus.ipynb", "02-topics.ipynb", "10-extra.ipynb"]


def test_find_notebooks_without_notebooks_raises(tmp_path):
    with pytest.raises(report.ReportError, match="no notebooks"):
        report.find_notebooks(tmp_path)


def test_notebook_title_takes_first_h1():
    notebook = new_notebook(cells=[
        new_code_cell("# Kommentar, kein Titel"),
        new_markdown_cell("Einleitung\n## Unterabschnitt"),
        new_markdown_cell("# Erwähnungen je Quelle „C5+1“ ##\n# Zweiter Titel"),
    ])
    assert report.notebook_title(notebook) == "Erwähnungen je Quelle „C5+1“"
    assert report.notebook_title(new_notebook(cells=[new_markdown_cell("## nur H2")])) is None


def test_rendered_warnings_are_short_notes_once_per_page():
    cell = new_code_cell("corpus = load_corpus(path)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=(
        "/tmp/ipykernel_6867/85634196.py:2: UserWarning: Nur 5 Artikel: die Cluster beschreiben diese Artikel.\n"
        "  corpus = load_corpus(path)\n"
        "Fortschritt 50 %\n"
        "/tmp/ipykernel_6867/3777777838.py:3: SmallSampleWarning: weniger als 20 Artikel: DAZ (n=1)\n"
        "/home/nutzer/repo/src/analysis/load.py:199: UserWarning: korpus/leer.txt: empty file; skipped\n"
        "  frame = _read_folder(path, mapping, report)\n"))]
    again = new_code_cell("profile = outlet_profile(corpus)")
    again.outputs = [nbformat.v4.new_output("stream", name="stderr", text=(
        "/tmp/ipykernel_6867/1.py:1: SmallSampleWarning: weniger als 20 Artikel: DAZ (n=1)\n  profile = x\n"))]
    _, page, _ = report.render_html(new_notebook(cells=[cell, again]), "Test")
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    notes = [html.unescape(note) for note in re.findall(r'<p class="analysis-note"[^>]*>([^<]*)</p>', page)]
    assert notes == ["Hinweis: Nur 5 Artikel: die Cluster beschreiben diese Artikel.",
                     "Hinweis: weniger als 20 Artikel: DAZ (n=1).", "Hinweis: korpus/leer.txt: empty file; skipped."]
    assert "Fortschritt 50 %" in text
    assert "Warning" not in text and "ipykernel" not in page and "load.py" not in page and "load_corpus(path)" not in text


def test_numbers_in_rendered_tables_are_german():
    cell = new_code_cell("table")
    table = pd.DataFrame({"Artikel": [41242, 5], "Anteil": [0.071, -1.5], "Jahr": [2025, 2026]}, index=["taz", "Zeit"])
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": table.to_html()}, execution_count=1)]
    _, page, _ = report.render_html(new_notebook(cells=[cell]), "Test")
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
    assert cells == ["41.242", "0,071", "2025", "5", "-1,500", "2026"]
    assert '[data-mime-type="text/plain"] pre { font-family: var(--jp-content-font-family);' in page  # sentences as text


def test_numbers_rounded_to_zero_in_rendered_tables_carry_no_minus():
    cell = new_code_cell("table")
    keyness = pd.DataFrame({"G²": [-0.04, -0.4, 0.0], "Log-Ratio": [-0.001, -0.18, 2.226]},
                           index=["Initiativen", "Handel", "Länder"]).round({"G²": 1, "Log-Ratio": 2})
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": keyness.to_html()}, execution_count=1)]
    _, page, _ = report.render_html(new_notebook(cells=[cell]), "Test")
    assert re.findall(r"<td[^>]*>([^<]*)</td>", page) == ["0,0", "0,00", "-0,4", "-0,18", "0,0", "2,23"]


def _rendered_table(table: pd.DataFrame) -> str:
    cell = new_code_cell("table")
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": table.to_html()}, execution_count=1)]
    _, page, _ = report.render_html(new_notebook(cells=[cell]), "Test")
    return page[page.index("<table"):page.index("</table>")]


def test_rendered_tables_read_as_words_with_one_header_row_and_aligned_columns():
    removed = pd.DataFrame({
        "Wörter": [11967, 1352, 4],
        "Beispiel": ["„Wenn Sie mehr über die heimlichen Machenschaften erfahren wollen, lesen Sie Tokajews Buch.“",
                     "Lennart Krüger", None],
        "gleicher Klang": [True, False, pd.NA],
        "Jahr": [2025, 2024, 2026],
        "Gruppe": pd.array([3, pd.NA, 1], dtype="Int64"),
    }, index=pd.Index(["Textbaustein der Quelle", "Autorenzeile", "Kürzel am Ende"], name="Regel"))
    table = _rendered_table(removed)
    header_rows = re.findall(r"<tr>(.*?)</tr>", table[:table.index("</thead>")], re.DOTALL)
    assert len(header_rows) == 1  # the index name joins the column names: one header per column
    assert re.findall(r"<th([^>]*)>([^<]*)</th>", header_rows[0]) == [
        ("", "Regel"), (' class="num"', "Wörter"), ("", "Beispiel"), ("", "gleicher Klang"),
        (' class="num"', "Jahr"), (' class="num"', "Gruppe")]
    assert re.findall(r"<td([^>]*)>([^<]*)</td>", table) == [
        (' class="num"', "11.967"), (' class="long"', html.escape(removed.iloc[0, 1], quote=False)), ("", "ja"),
        (' class="num"', "2025"), (' class="num"', "3"),
        (' class="num"', "1.352"), ("", "Lennart Krüger"), ("", "nein"), (' class="num"', "2024"), ("", "–"),
        (' class="num"', "4"), ("", "–"), ("", "–"), (' class="num"', "2026"), (' class="num"', "1")]


def test_rendered_tables_keep_words_that_look_like_truth_values_in_a_column_of_texts():
    titles = pd.DataFrame({"Titel": ["True", "Wahr oder falsch?"], "Schlagzeile": [True, False]},
                          index=pd.Index(["taz", "Zeit"], name="Medium"))
    assert re.findall(r"<td([^>]*)>([^<]*)</td>", _rendered_table(titles)) == [
        ("", "True"), ("", "ja"), ("", "Wahr oder falsch?"), ("", "nein")]


def test_rendered_tables_write_thousands_as_the_prose_does_but_keep_years_and_identifiers():
    counts = pd.DataFrame({"Artikel-ID": [160, 31280, 2420], "Erwähnungen": [2004, 1625, 999],
                           "Anteil (%)": [1234.5, 0.25, 12.0], "Jahr": [2020, 2021, 1999],
                           "Entitäts-ID": ["merkel", None, "tokayev"]},
                          index=pd.Index(["Deutschland", "USA", "Kasachstans Präsident"], name="Entität"))
    table = _rendered_table(counts)
    assert re.findall(r"<th([^>]*)>([^<]*)</th>", table)[:6] == [
        ("", "Entität"), ("", "Artikel-ID"), (' class="num"', "Erwähnungen"), (' class="num"', "Anteil (%)"),
        (' class="num"', "Jahr"), ("", "Entitäts-ID")]
    assert re.findall(r"<td([^>]*)>([^<]*)</td>", table) == [
        ("", "160"), (' class="num"', "2.004"), (' class="num"', "1.234,50"), (' class="num"', "2020"), ("", "merkel"),
        ("", "31280"), (' class="num"', "1.625"), (' class="num"', "0,25"), (' class="num"', "2021"), ("", "–"),
        ("", "2420"), (' class="num"', "999"), (' class="num"', "12,00"), (' class="num"', "1999"), ("", "tokayev")]


def test_rendered_tables_leave_out_pandas_row_numbers_but_keep_named_ids():
    kwic = pd.DataFrame({"Artikel-ID": ["taz/0001", "zeit/0002"], "davor": ["Präsident", "laut"],
                         "Fundstelle": ["Tokajews", "Trump"], "danach": ["Besuch in Berlin", "„spektakulär“"]})
    table = _rendered_table(kwic)
    assert re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", table) == [
        "Artikel-ID", "davor", "Fundstelle", "danach", "taz/0001", "Präsident", "Tokajews", "Besuch in Berlin",
        "zeit/0002", "laut", "Trump", "„spektakulär“"]
    ids = _rendered_table(kwic.set_index(pd.Index([160, 31280], name="Artikel-ID")).drop(columns="Artikel-ID"))
    assert re.findall(r"<th[^>]*>([^<]*)</th>", ids) == ["Artikel-ID", "davor", "Fundstelle", "danach", "160", "31280"]


def test_rendered_tables_align_text_left_and_numbers_right():
    _, page, _ = report.render_html(new_notebook(cells=[new_markdown_cell("# Test")]), "Test")
    assert ".jp-RenderedHTML.jp-OutputArea-output td, .jp-RenderedHTML.jp-OutputArea-output th { text-align: left; }" in page
    assert "td.num, .jp-RenderedHTML.jp-OutputArea-output th.num { text-align: right;" in page
    assert ".jp-RenderedHTML.jp-OutputArea-output table { table-layout: auto; }" in page  # long texts get their width
    assert "td.long { min-width: 22em; }" in page
    assert "autoWidth: false" in report.interactive_tables_script()


def _table_notebook(n_rows):
    cell = new_code_cell("table")
    table = pd.DataFrame({"Wort": [f"Zoll{i}" for i in range(n_rows)], "Anteil": [i / 8 for i in range(n_rows)]})
    cell.outputs = [nbformat.v4.new_output("execute_result", data={"text/html": table.to_html()}, execution_count=1)]
    return new_notebook(cells=[new_markdown_cell("# Tabellen"), cell])


def test_tables_without_rows_are_left_out_of_the_page():
    cell = new_code_cell("load_report")
    empty = pd.DataFrame(columns=["file", "line", "problem", "action"])
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="0 load issues\n"),
                    nbformat.v4.new_output("execute_result", data={"text/html": empty.to_html(), "text/plain": "x"},
                                           execution_count=1)]
    _, page, _ = report.render_html(new_notebook(cells=[cell]), "Test")
    assert "0 load issues" in page and "<th>problem</th>" not in page


def test_only_long_tables_get_the_offline_table_script():
    _, long_page, _ = report.render_html(_table_notebook(report.LONG_TABLE_ROWS + 1), "Test")
    _, short_page, _ = report.render_html(_table_notebook(report.LONG_TABLE_ROWS), "Test")
    assert "new ITable(table" in long_page and "new ITable(table" not in short_page
    assert not re.search(r"<script[^>]+src=", long_page) and "unpkg" not in long_page and "https://" not in \
        re.sub(r"<!--.*?-->", "", long_page.split("<script>", 1)[1])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed (/usr/bin/chromium)")
def test_long_tables_are_searchable_and_paged_offline_in_a_browser(tmp_path):
    _, page, _ = report.render_html(_table_notebook(40), "Test")
    check = ("<script>window.addEventListener('load', () => setTimeout(() => document.body.setAttribute('data-dt',"
             " document.querySelectorAll('.dt-search input').length + '/'"
             " + document.querySelectorAll('table.dataTable tbody tr').length), 1500));</script>")
    checked = tmp_path / "tabelle.html"
    checked.write_text(page.replace("</body>", check + "</body>"), encoding="utf-8")
    dom = _chromium("--virtual-time-budget=5000", "--dump-dom", checked.as_uri(), tmp_path=tmp_path)
    assert 'data-dt="1/15"' in re.search(r"<body[^>]*>", dom).group(0)  # one search field, 15 of 40 rows shown
    shown = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", dom, flags=re.DOTALL)))
    assert "Zeilen 1 bis 15 von 40" in shown and "Zeilen je Seite" in shown and "Suchen:" in shown
    assert "entries" not in shown and "Search" not in shown


def test_the_corpus_is_read_first_and_its_load_problems_are_logged(tmp_path, caplog, monkeypatch):
    monkeypatch.setattr("analysis.load.PROCESSED_DIR", tmp_path / "cache")  # not the project's data/processed
    tmp_path = tmp_path / "korpus"
    (tmp_path / "taz").mkdir(parents=True)
    (tmp_path / "taz" / "a.txt").write_text("Tokajew traf Trump in Washington.", encoding="utf-8")
    (tmp_path / "taz" / "leer.txt").write_text("", encoding="utf-8")
    (tmp_path / "metadata.csv").write_text("file,outlet\ntaz/a.txt,taz\nfehlt.txt,DAZ\n", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="analysis.report"):
        assert report.read_corpus(tmp_path)["n_articles"] == 1
    assert [r.getMessage().replace(f"{tmp_path}/", "") for r in caplog.records if r.name == "analysis.report"] == [
        "1 article read from korpus; 2 files or rows skipped or repaired (listed in notebook 01):",
        "  taz/leer.txt: empty file; skipped",
        "  metadata.csv: names a file that does not exist: 'fehlt.txt'; row ignored",
    ]
    (tmp_path / "metadata.csv").write_text("Quelle\ntaz\n", encoding="utf-8")
    with pytest.raises(report.ReportError, match=r"metadata.csv: needs a 'file' column"):
        report.read_corpus(tmp_path)


def test_index_html_links_each_notebook_with_escaped_title():
    entries = [{"notebook": "01-a.ipynb", "title": "Zölle & <Handel>", "html": "01-a.html", "figures": ["x.png"]}]
    manifest = {"corpus": {"path": "data/raw", "sha256": "ab" * 32, "n_files": 6, "n_articles": 5}, "git_commit": None}
    page = report.index_html(entries, manifest)
    assert '<a href="01-a.html">Zölle &amp; &lt;Handel&gt;</a>' in page
    assert "5 Artikel in\n6 Dateien," in page and "unbekannt" in page and '<html lang="de">' in page


def test_index_html_counts_articles_and_figures_in_singular_and_plural():
    entries = [
        {"notebook": "01-a.ipynb", "title": "A", "html": "01-a.html", "figures": ["01-x.csv", "01-x.png", "01-x.svg"]},
        {"notebook": "02-b.ipynb", "title": "B", "html": "02-b.html",
         "figures": ["02-x.csv", "02-x.png", "02-x.svg", "02-y.png", "02-y.svg"]},
        {"notebook": "03-c.ipynb", "title": "C", "html": "03-c.html", "figures": []},
    ]
    one = {"corpus": {"path": "a.jsonl", "sha256": "ab" * 32, "n_files": 1, "n_articles": 1}, "git_commit": None}
    page = report.index_html(entries, one)
    assert "1 Artikel in\n1 Datei," in page
    assert "(01-a.ipynb, 1 Abbildung)" in page and "(02-b.ipynb, 2 Abbildungen)" in page
    assert "(03-c.ipynb, 0 Abbildungen)" in page
    many = {**one, "corpus": {**one["corpus"], "n_files": 6, "n_articles": 4125}}
    assert "4.125 Artikel in\n6 Dateien," in report.index_html(entries, many)


def test_package_versions_and_git_commit(tmp_path):
    versions = report.package_versions()
    assert list(versions) == ["python", "pandas", "numpy", "scikit-learn", "matplotlib", "nltk", "analysis"]
    assert versions["numpy"] == np.__version__
    assert report.git_commit(tmp_path) is None  # tmp_path is no git repository
    commit = report.git_commit()
    assert commit is None or re.fullmatch(r"[0-9a-f]{40}", commit)


def test_cli_missing_corpus_gives_clear_error_without_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "report",
         "--corpus", str(tmp_path / "fehlt"), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "error: corpus path does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_cli_missing_entities_file_is_an_error(tmp_path, capsys):
    code = main(["report", "--corpus", str(paths.RAW_DIR), "--entities", str(tmp_path / "none.yaml"),
                 "--out", str(tmp_path / "out")])
    assert code == 1
    assert "entities file does not exist" in capsys.readouterr().err


def test_notebooks_in_repository_carry_no_outputs():
    notebooks = _project_notebooks()
    assert notebooks, f"no notebooks found in {paths.NOTEBOOKS_DIR}"
    for path in notebooks:
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name} cell {index} has outputs"
                assert cell.execution_count is None, f"{path.name} cell {index} has an execution count"


def test_notebook_04_clusters_exactly_as_notebook_02():
    trees = {number: _code(number) for number in ("02", "04")}
    calls = {number: [ast.unparse(node) for node in ast.walk(tree)
                      if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "cluster_documents"]
             for number, tree in trees.items()}
    assert len(calls["02"]) == 1 and calls["04"] == calls["02"]
    for name in ("MAX_K", "n_clusters", "random_state"):
        assert _assigned(trees["04"], name) == _assigned(trees["02"], name), name


def test_notebooks_02_to_05_leave_out_the_same_articles_and_draw_the_same_sample():
    steps = {number: _assigned(_code(number), "analysed") + _assigned(_code(number), "corpus")
             for number in ("02", "03", "04", "05")}
    assert any("articles_for_analysis(store)" in step for step in steps["02"])
    assert any("analysed.sample(max_articles, random_state=random_state)" in step for step in steps["02"])
    assert steps["03"] == steps["02"] and steps["04"] == steps["02"] and steps["05"] == steps["02"]


def test_the_notebooks_read_as_many_articles_into_memory_as_the_report_says():
    for number in ("02", "03", "04", "05"):
        assigned = _assigned(_code(number), "max_articles")
        assert assigned == [str(report.MAX_ARTICLES)], (number, assigned)


def test_notebooks_03_and_04_name_the_entity_axis_alike():
    labels = {node.value.value for number in ("03", "04") for node in ast.walk(_code(number))
              if isinstance(node, ast.keyword) and node.arg in ("xlabel", "ylabel", "legend_title")
              and isinstance(node.value, ast.Constant)}
    assert "Entität" in labels and "Eintrag" not in labels


def test_notebooks_03_and_04_state_no_counts_of_the_bundled_corpus_as_fact():
    for number in ("03", "04"):
        for cell in _notebook(number).cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\b(?:im|auf dem|beim) mitgelieferten Korpus\b|\b(?:einer|eines|zwei|drei|vier) der fünf\b",
                                     cell.source), f"notebook {number}: {cell.source[:80]!r}"


def test_notebooks_point_to_readme_sections_that_exist():
    readme = (paths.PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#+\s+(.+?)\s*$", readme, flags=re.MULTILINE))
    paragraphs = set(re.findall(r"^\*\*(.+?)\*\*", readme, flags=re.MULTILINE))
    reference = r'README\s+\(Abschnitt\s+„([^“]+)“(?:,\s+Absatz\s+\*\*([^*]+)\*\*)?\)'
    cited = [(path.name, *match) for path in _project_notebooks()
             for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "markdown"
             for match in re.findall(reference, cell.source)]
    assert cited, "no notebook points to a README section"
    for name, section, paragraph in cited:
        assert section in headings, f"{name} points to README section {section!r}; sections: {sorted(headings)}"
        assert not paragraph or paragraph in paragraphs, f"{name} points to README paragraph {paragraph!r}"


def test_notebooks_refer_only_to_notebooks_that_exist():
    numbers = {path.name[:2] for path in _project_notebooks()}
    for path in [*_project_notebooks(), paths.PROJECT_ROOT / "README.md"]:
        for number in re.findall(r"[Nn]otebooks? (\d\d)\b", path.read_text(encoding="utf-8")):
            assert number in numbers, f"{path.name} refers to notebook {number}; there are {sorted(numbers)}"


# ---------------------------------------------------------------- dummy notebooks (slow: start kernels)

@pytest.mark.slow
def test_report_on_dummy_notebook(tmp_path, capfd):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _write_notebook(notebooks / "01-dummy.ipynb", "Erwähnungen – Präsident „Test“", DUMMY_FIGURE_CODE)
    out, figures = tmp_path / "out", tmp_path / "figures"
    assert main(["report", "--corpus", str(paths.RAW_DIR), "--out", str(out), "--figures", str(figures),
                 "--notebooks", str(notebooks), "--no-progress"]) == 0
    assert sorted(p.name for p in figures.iterdir()) == [
        "01-dummy-mentions.csv", "01-dummy-mentions.png", "01-dummy-mentions.svg"]
    n_texts = len(list(paths.RAW_DIR.glob("*.txt")))
    assert (figures / "01-dummy-mentions.csv").read_text(encoding="utf-8") == (
        f",Artikel\nPräsident Trump,{n_texts}\nTokajew,2\n")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["notebooks"] == [{
        "notebook": "01-dummy.ipynb", "title": "Erwähnungen – Präsident „Test“", "html": "01-dummy.html",
        "figures": ["01-dummy-mentions.csv", "01-dummy-mentions.png", "01-dummy-mentions.svg"],
    }]
    assert manifest["figures"][1] == {
        "name": "01-dummy-mentions.png",
        "sha256": hashlib.sha256((figures / "01-dummy-mentions.png").read_bytes()).hexdigest(),
    }
    assert manifest["corpus"] == {"path": "data/raw", **report.corpus_fingerprint(paths.RAW_DIR), "n_articles": n_texts}
    assert manifest["parameters"]["figures_dir"] == "figures"  # no local path
    page = (out / "01-dummy.html").read_text(encoding="utf-8")
    assert [_decode_data_uri(src)[0] for src in _img_sources(page)] == ["png"]
    assert _img_alts(page) == ["Abbildung: Erwähnungen – Präsident „Test“"]  # the heading of its section
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="01-dummy.html">Erwähnungen – Präsident „Test“</a>' in index
    assert "without encryption" not in capfd.readouterr().err  # the kernel's messages are encrypted


@pytest.mark.slow
def test_every_notebook_runs_on_three_articles_of_one_outlet_with_nothing_to_clean(tmp_path):
    corpus = tmp_path / "korpus"
    (corpus / "taz").mkdir(parents=True)
    for name, text in [("a", "Tokajew traf Trump in Washington."), ("b", "Mirziyoyev reiste nach Astana."),
                       ("c", "Die EU und Kasachstan verhandeln über Uran.")]:
        (corpus / "taz" / f"{name}.txt").write_text(text, encoding="utf-8")
    try:
        assert main(["report", "--corpus", str(corpus), "--out", str(tmp_path / "out"),
                     "--figures", str(tmp_path / "figures"), "--no-progress"]) == 0
        page = (tmp_path / "out" / "04-source-comparison.html").read_text(encoding="utf-8")
        assert "Nur ein Medium: Es gibt kein anderes, mit dem sich seine Wörter vergleichen ließen." in page
        assert "Die Bereinigung hat nichts entfernt." in (tmp_path / "out" / "01-corpus-overview.html").read_text(encoding="utf-8")
    finally:  # the notebooks cache the corpus in data/processed/, by its path
        for source in paths.PROCESSED_DIR.glob("corpus-*/source.json"):
            if json.loads(source.read_text(encoding="utf-8"))["path"] == str(corpus.resolve()):
                shutil.rmtree(source.parent)


@pytest.mark.slow
def test_failing_notebook_names_notebook_and_error(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    _write_notebook(notebooks / "01-kaputt.ipynb", "Kaputt", "x = 1", "1 / 0", "y = 2")
    code = main(["report", "--corpus", str(paths.RAW_DIR), "--out", str(tmp_path / "out"),
                 "--figures", str(tmp_path / "figures"), "--notebooks", str(notebooks), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "notebook 01-kaputt.ipynb failed in cell" in err
    assert "'1 / 0'" in err and "ZeroDivisionError: division by zero" in err
    assert "Traceback" not in err
    assert not (tmp_path / "out" / "manifest.json").exists()


# ---------------------------------------------------------------- the real notebooks on the bundled corpus

def _run_report(base):
    """Run the report on the bundled corpus into ``base``; return (out, figures)."""
    out, figures = base / "reports", base / "figures"
    code = main(["report", "--corpus", str(paths.RAW_DIR), "--out", str(out), "--figures", str(figures),
                 "--no-progress"])
    assert code == 0, "python -m analysis report failed on the bundled corpus"
    return out, figures


@pytest.fixture(scope="session")
def bundled_report(tmp_path_factory):
    """The report on the bundled corpus, run once per session."""
    return _run_report(tmp_path_factory.mktemp("report-run-1"))


@pytest.mark.slow
def test_report_writes_every_expected_file(bundled_report):
    out, figures = bundled_report
    notebooks = report.find_notebooks(paths.NOTEBOOKS_DIR)
    for name in [f"{nb.stem}.html" for nb in notebooks] + ["index.html", "manifest.json"]:
        assert (out / name).stat().st_size > 0, name
    pngs = sorted(figures.glob("*.png"))
    assert pngs, "the notebooks wrote no figures"
    for png in pngs:
        for suffix in (".png", ".svg", ".csv"):
            assert png.with_suffix(suffix).stat().st_size > 0, png.with_suffix(suffix).name
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [entry["notebook"] for entry in manifest["notebooks"]] == [nb.name for nb in notebooks]
    assert {f["name"] for f in manifest["figures"]} == {p.name for p in figures.iterdir()}
    for figure in manifest["figures"]:
        assert figure["sha256"] == hashlib.sha256((figures / figure["name"]).read_bytes()).hexdigest()
    index = (out / "index.html").read_text(encoding="utf-8")
    for entry in manifest["notebooks"]:
        assert f'href="{entry["html"]}"' in index


@pytest.mark.slow
def test_reports_embed_their_images(bundled_report):
    out, _ = bundled_report
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["notebooks"]:
        page = (out / entry["html"]).read_text(encoding="utf-8")
        sources = _img_sources(page)
        if entry["figures"]:
            assert "data:image/png;base64" in page, f"{entry['html']} shows none of its figures"
        assert not re.search(r"<img[^>]+src=\"(?!data:)", page), f"{entry['html']} links an image file"
        assert not re.search(r"<script[^>]+src=\"https?:", page), f"{entry['html']} loads a script from the web"
        assert all(alt and alt.startswith("Abbildung: ") for alt in _img_alts(page)), f"{entry['html']}: {_img_alts(page)}"
        for src in sources:
            kind, data = _decode_data_uri(src)
            if kind == "png":
                assert data.startswith(b"\x89PNG\r\n\x1a\n")
                assert matplotlib.image.imread(io.BytesIO(data), format="png").size > 0


@pytest.mark.slow
def test_reports_show_warnings_without_the_kernels_file_names(bundled_report):
    out, _ = bundled_report
    pages = {path.name: path.read_text(encoding="utf-8") for path in out.glob("*.html")}
    assert any("Hinweis: weniger als 20 Artikel" in page for page in pages.values())
    assert [name for name, page in pages.items() if "Meldung der Bibliothek, englisch" in page] == []
    assert [name for name, page in pages.items() if "SmallSampleWarning" in page] == []
    assert [name for name, page in pages.items() if "ipykernel" in page] == []


@pytest.mark.slow
def test_notebooks_print_the_same_mention_totals_and_clusters(bundled_report):
    executed = bundled_report[0] / report.EXECUTED_SUBDIR
    for pattern, first, second in [
        (r"[\d.]+ Erwähnungen von [\d.]+ Entitäten in [\d.]+ von [\d.]+ Artikeln", "03-mention-frequency",
         "04-source-comparison"),
        (r"\d+ Themen-Cluster mit [\d., und]+ Artikeln", "02-topic-clustering", "04-source-comparison"),
    ]:
        printed = [_printed(executed / f"{name}.ipynb", pattern) for name in (first, second)]
        assert len(printed[0]) == 1 and printed[1] == printed[0], (first, second, printed)


@pytest.mark.slow
def test_article_entity_heatmap_orders_articles_by_mentions_and_names_them(bundled_report):
    _, figures = bundled_report
    table = pd.read_csv(figures / "03-article-entity-heatmap.csv", index_col=[0, 1])
    assert table.index.names == ["doc_id", "Artikel"]
    assert table.sum(axis=1).is_monotonic_decreasing
    corpus = load_corpus(paths.RAW_DIR).set_index("doc_id")
    assert sorted(table.index.get_level_values("doc_id")) == sorted(corpus.index)  # 5 articles: all shown
    for doc_id, label in table.index:
        assert doc_id not in label and len(label) <= 45
        start = corpus.at[doc_id, "title"] if isinstance(corpus.at[doc_id, "title"], str) else corpus.at[doc_id, "text"]
        assert " ".join(start.split()).startswith(label.rstrip(" …")), (label, start[:60])


@pytest.mark.slow
def test_report_twice_gives_identical_figures_and_manifest(bundled_report, tmp_path):
    out_1, figures_1 = bundled_report
    out_2, figures_2 = _run_report(tmp_path)
    first, second = _files(figures_1), _files(figures_2)
    assert sorted(first) == sorted(second)
    for name in first:
        assert first[name] == second[name], f"{name} differs between two runs"
    manifests = [json.loads((out / "manifest.json").read_text(encoding="utf-8")) for out in (out_1, out_2)]
    for manifest in manifests:
        del manifest["parameters"]  # the output folders differ on purpose
    assert manifests[0] == manifests[1]


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium is not installed (/usr/bin/chromium)")
def test_reports_render_in_headless_browser(bundled_report, tmp_path):
    out, _ = bundled_report
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    with_figures = next(e for e in manifest["notebooks"] if e["figures"])
    for page in ("index.html", with_figures["html"]):
        shot = tmp_path / f"{page}.png"
        _chromium(f"--screenshot={shot}", "--window-size=1280,2000", (out / page).as_uri(), tmp_path=tmp_path)
        pixels = matplotlib.image.imread(shot)[..., :3]
        assert pixels.shape[:2] == (2000, 1280)
        non_white = np.any(pixels < 0.9, axis=-1).mean()
        assert non_white > 0.002, f"screenshot of {page} is blank"
        assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 10, f"screenshot of {page} has almost no content"
    # Let the browser decode every image of the report: none may be broken.
    checked = tmp_path / "checked.html"
    page = (out / with_figures["html"]).read_text(encoding="utf-8")
    checked.write_text(page.replace("</body>", IMAGE_CHECK_SCRIPT + "</body>"), encoding="utf-8")
    dom = _chromium("--virtual-time-budget=5000", "--dump-dom", checked.as_uri(), tmp_path=tmp_path)
    body = re.search(r"<body[^>]*>", dom).group(0)
    n_images = int(re.search(r'data-images="(\d+)"', body).group(1))
    assert n_images == len(_img_sources(page)) > 0
    assert 'data-broken-images="0"' in body
    # What a reader sees: no traceback, no raw pandas printout, no local path; the index opens with the summary.
    for entry in [{"html": "index.html"}, *manifest["notebooks"]]:
        shown = _chromium("--virtual-time-budget=5000", "--dump-dom", (out / entry["html"]).as_uri(), tmp_path=tmp_path)
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)\b.*?</\1>", "", shown, flags=re.DOTALL)))
        for unwanted in ("Traceback", "dtype:", "Freq:", str(out.parent), str(paths.PROJECT_ROOT), str(Path.home())):
            assert unwanted not in text, f"{entry['html']} shows {unwanted!r}"
        if entry["html"] == "index.html":
            assert re.search(r"Zusammenfassung\s+Das Korpus enthält 5 Artikel aus \d Medien", " ".join(text.split()))


def test_index_summary_names_corpus_cleaning_results_and_caveats(tmp_path):
    pd.DataFrame({"entity": ["Donald Trump", "Kasachstan", "Tokajew"], "Erwähnungen": [36, 30, 7]}).to_csv(
        tmp_path / "03-top-entities.csv", index=False)
    pd.DataFrame({"cluster": [0, 0, 1], "rank": [2, 1, 1], "term": ["Zölle", "Handel", "Uran"],
                  "weight": [0.2, 0.3, 0.4]}).to_csv(tmp_path / "02-top-terms.csv")
    pd.DataFrame({"outlet": ["DAZ", "DAZ", "Zeit"], "word": ["Partner", "Öl", "Gipfel"], "g2": [7.5, -2.0, 3.1]}).to_csv(
        tmp_path / "04-keyness-by-outlet.csv")  # an older table: no tdk, no descriptive_only
    entries = [{"notebook": f"0{n}-x.ipynb", "title": f"Seite {n}", "html": f"0{n}-x.html", "figures": []}
               for n in (1, 2, 3, 4)]
    summary = {"n_articles": 5, "n_analysed": 5, "n_outlets": 2, "n_dated": 4, "first_date": "2025-08-19",
               "last_date": "2025-12-24", "n_repeated": 0, "n_words_raw": 2600, "n_words": 2507,
               "findings": report.findings(tmp_path, entries)}
    manifest = {"corpus": {"path": "data/raw", "sha256": "ab" * 32, "n_files": 6, "n_articles": 5}, "git_commit": None}
    text = html.unescape(re.sub(r"<[^>]+>", "", report.index_html(entries, manifest, summary)))
    lines = [line for line in text.splitlines() if line and not line.startswith(("  ", "<"))]
    assert lines[lines.index("Zusammenfassung"):lines.index("Zusammenfassung") + 7] == [
        "Zusammenfassung",
        "Das Korpus enthält 5 Artikel aus 2 Medien, vom 19.08.2025 bis zum 24.12.2025 (1 Artikel ohne Datum).",
        "Die Bereinigung hat 93 von 2.600 Wörtern entfernt (3,6 %): was und warum.",
        "Am häufigsten genannt (Zahl der Erwähnungen): Donald Trump (36); Kasachstan (30); Tokajew (7).",
        "Themen-Cluster (Gruppen von Artikeln mit gemeinsamem Wortschatz): 0: Handel, Zölle; 1: Uran.",
        "Schlüsselbegriffe je Medium: DAZ: Partner; Zeit: Gipfel.",
        "Nur 5 Artikel: Jede Zahl beschreibt diese Texte und sagt nichts über die Berichterstattung im Allgemeinen; "
        "Themen-Cluster und Vergleiche der Medien beschreiben, sie beweisen nichts.",
    ]
    assert '<a href="03-x.html">Am häufigsten genannt (Zahl der Erwähnungen)</a>' in report.index_html(entries, manifest, summary)
    assert ("Wörter in Schreibmaschinenschrift auf den Seiten (etwa n_clusters, min_articles, find_quotes) sind "
            "Einstellungen, Funktionen und Dateien des Programms: Sie sagen Fachleuten, was sich ändern oder "
            "nachlesen lässt. Zum Lesen der Seiten braucht man sie nicht.") in text


def test_index_names_key_words_only_of_outlets_with_enough_articles_ranked_as_the_page_ranks(tmp_path):
    keyness = pd.DataFrame({
        "outlet": ["zeit.de", "zeit.de", "zeit.de", "taz.de", "taz.de", "DAZ", "DAZ"],
        "word": ["Bündnis", "ZEIT", "Länder", "Genossen", "Öl", "Partner", "Handel"],
        "tdk": [3.0, 19.9, 0.0, 5.2, -4.0, 2.2, 2.2], "g2": [8.0, 30.1, 1.0, -0.5, -3.0, 7.6, -0.01],
        "descriptive_only": [False, False, False, False, False, True, True]})
    keyness.to_csv(tmp_path / "04-keyness-by-outlet.csv")
    entries = [{"notebook": "04-x.ipynb", "title": "Seite 4", "html": "04-x.html", "figures": []}]
    assert report.findings(tmp_path, entries) == [
        '<a href="04-x.html">Schlüsselbegriffe je Medium</a>: taz.de: Genossen; zeit.de: ZEIT, Bündnis; '
        '1 Medium mit zu wenigen Artikeln nur beschreibend auf der Seite.']
    keyness.assign(descriptive_only=True).to_csv(tmp_path / "04-keyness-by-outlet.csv")
    assert report.findings(tmp_path, entries) == [
        '<a href="04-x.html">Schlüsselbegriffe je Medium</a>: kein Medium hat genug Artikel für eine Aussage; '
        'die Seite zeigt die Wörter nur beschreibend.']


def test_the_librarys_warnings_are_german_notes_on_the_page():
    cell = new_code_cell("profile = outlet_profile(corpus)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text=(
        "/tmp/ipykernel_1/1.py:1: SmallSampleWarning: fewer than 20 articles: DAZ (n=1), Zeit (n=3); "
        "differences involving these outlets are descriptive only\n  profile = x\n"
        "/tmp/ipykernel_1/2.py:2: UserWarning: article 'taz/0001': cleaning removed 1,234 of its 2,000 words (62%), "
        "most by the rule 'outlet_boilerplate'; see analysis.audit\n"
        "/tmp/ipykernel_1/3.py:3: UserWarning: the store of Zölle is odd\n"))]
    _, page, _ = report.render_html(new_notebook(cells=[cell]), "Test")
    notes = [html.unescape(note) for note in re.findall(r'<p class="analysis-note"[^>]*>([^<]*)</p>', page)]
    assert notes == [
        "Hinweis: weniger als 20 Artikel: DAZ (n=1), Zeit (n=3); Zahlen, an denen diese Gruppen beteiligt sind, "
        "beschreiben nur diese Artikel.",
        f"Hinweis: Artikel 'taz/0001': Die Bereinigung hat 1.234 seiner 2.000 Wörter entfernt (62 %), die meisten "
        f"nach der Regel „{report.RULE_LABELS['outlet_boilerplate']}“.",
        "Hinweis: (Meldung der Bibliothek, englisch) the store of Zölle is odd.",
    ]


def test_notebooks_show_long_tables_whole_so_that_the_report_can_page_and_search_them():
    for path in _project_notebooks():
        source = "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")
        limit = re.search(r'pd\.set_option\("display\.max_rows", (\d+)\)', source)
        assert limit and int(limit.group(1)) >= 500, f"{path.name} lets pandas cut tables to 60 rows ('…', 'rows ×')"
