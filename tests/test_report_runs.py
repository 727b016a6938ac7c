"""Runs of ``python -m analysis report`` that must not leave a mixed, stale or unsafe result.

Most tests replace the running of a notebook by a stand-in that writes the executed notebook
and one figure, so that what is checked (checks before the first notebook, the lock, the build
in a new folder, the replacement) runs in a second; the slow tests start real kernels.
"""
import html
import json
import logging
import os
import re
import shutil
import stat
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from analysis import paths, report
from analysis.__main__ import main

ALIAS_BOMB = """\
a: &a ["Tokajew Tokajew", "Tokajew Tokajew", "Tokajew Tokajew", "Tokajew Tokajew", "Tokajew Tokajew", "Tokajew Tokajew"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
entities:
- id: bombe
  name: *e
  type: person
  aliases: [Bombe]
"""


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    """A corpus of two articles, cached in the test's folder (not in the project's data/processed/)."""
    monkeypatch.setattr("analysis.load.PROCESSED_DIR", tmp_path / "cache")
    folder = tmp_path / "korpus"
    folder.mkdir()
    (folder / "a.txt").write_text("Tokajew traf Trump in Washington.", encoding="utf-8")
    (folder / "b.txt").write_text("Mirziyoyev reiste nach Astana, sagte die „Zeit“.", encoding="utf-8")
    return folder


@pytest.fixture
def notebooks(tmp_path):
    """A notebooks folder with two notebooks (run by the stand-in, or by a kernel in the slow tests)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for number in (1, 2):
        parameters = new_code_cell("corpus_path = None\nfigures_dir = None\nentities_path = None\ncolumns = {}")
        parameters.metadata["tags"] = ["parameters"]
        code = ("from pathlib import Path\nimport matplotlib.pyplot as plt\nfrom analysis import load_corpus, plots\n"
                "corpus = load_corpus(corpus_path, **columns)\n"
                f"print(f'{{len(corpus)}} Artikel aus {{corpus_path}}')\n"
                "fig, ax = plt.subplots()\nax.bar([0, 1], [1, 2])\n"
                f"plots.save_figure(fig, '0{number}-balken');")
        notebook = new_notebook(cells=[new_markdown_cell(f"# Seite {number}\n\nText."), parameters, new_code_cell(code)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, folder / f"0{number}-seite.ipynb")
    return folder


class StandIn:
    """Runs a notebook as far as a report needs: writes the executed copy and one figure; can fail or be interrupted."""

    def __init__(self, fail_at=None, error=None):
        self.fail_at, self.error, self.parameters = fail_at, error, []

    def __call__(self, notebook, executed, parameters, kernel_name, progress_bar):
        self.parameters.append(dict(parameters))
        if notebook.name.startswith(f"0{self.fail_at}-"):
            nbformat.write(nbformat.read(notebook, as_version=4), executed)
            raise self.error
        ran = nbformat.read(notebook, as_version=4)
        ran.cells[-1].outputs = [new_output("stream", name="stdout",
                                            text=f"2 Artikel aus {parameters['corpus_path']}\n")]
        nbformat.write(ran, executed)
        figures = Path(os.environ["ANALYSIS_FIGURES_DIR"])
        (figures / f"{notebook.stem[:2]}-balken.png").write_bytes(b"png " + notebook.name.encode())
        (figures / f"{notebook.stem[:2]}-balken.csv").write_text("Quelle,Artikel\ntaz,2\n", encoding="utf-8")


def _contents(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(corpus, out, notebooks, *options):
    return main(["report", "--corpus", str(corpus), "--out", str(out), "--notebooks", str(notebooks), *options])


# ---------------------------------------------------------------- checked before the first notebook

@pytest.mark.parametrize("where, message", [
    (lambda tmp, corpus: corpus / "bericht", "lies inside {corpus}, which the report reads"),
    (lambda tmp, corpus: paths.RAW_DIR / "bericht", "lies inside {raw}, which the report reads"),
    (lambda tmp, corpus: tmp, "holds {corpus}, which the report reads and a new report would replace"),
])
def test_out_inside_the_corpus_or_holding_it_is_refused(tmp_path, corpus, notebooks, monkeypatch, capsys, where,
                                                         message):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    out = where(tmp_path, corpus)
    assert _run(corpus, out, notebooks) == 1
    assert message.format(corpus=corpus, raw=paths.RAW_DIR) in capsys.readouterr().err
    assert not (corpus / "bericht").exists() and not (paths.RAW_DIR / "bericht").exists()


def test_figures_inside_the_corpus_are_refused(tmp_path, corpus, notebooks, monkeypatch, capsys):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    assert _run(corpus, tmp_path / "out", notebooks, "--figures", str(corpus / "abb")) == 1
    assert f"--figures {corpus / 'abb'} lies inside {corpus}" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_folders_holding_other_files_are_not_replaced(tmp_path, corpus, notebooks, monkeypatch, capsys):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    (tmp_path / "eigenes").mkdir()
    (tmp_path / "eigenes" / "notizen.txt").write_text("Meine Notizen", encoding="utf-8")
    assert _run(corpus, tmp_path / "eigenes", notebooks) == 1
    assert "holds files but no manifest.json" in capsys.readouterr().err
    assert _run(corpus, tmp_path / "out", notebooks, "--figures", str(tmp_path / "eigenes")) == 1
    assert "--figures" in (err := capsys.readouterr().err) and "holds 'notizen.txt', which is no figure file" in err
    assert _contents(tmp_path / "eigenes") == {"notizen.txt": "Meine Notizen".encode()}


def test_an_output_folder_that_cannot_be_written_is_an_error_before_the_corpus_is_read(
        tmp_path, corpus, notebooks, monkeypatch, capsys, caplog):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    (tmp_path / "datei.txt").write_text("keine Mappe", encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="analysis.report"):
        assert _run(corpus, tmp_path / "datei.txt" / "out", notebooks) == 1
        assert _run(corpus, tmp_path / "datei.txt", notebooks) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"error: cannot create {tmp_path / 'datei.txt'}: ")
    assert err[1] == f"error: --out {tmp_path / 'datei.txt'} is a file, not a folder"
    assert not [r for r in caplog.records if "read from" in r.getMessage()]


def test_a_read_only_out_folder_is_an_error(tmp_path, corpus, notebooks, monkeypatch, capsys):
    monkeypatch.setattr(report, "execute_notebook", stand_in := StandIn())
    # The permission check as the kernel makes it for a user who is not root (root may write anywhere):
    # writing needs the owner's write bit.
    monkeypatch.setattr(report.os, "access", lambda path, mode: not mode & os.W_OK or bool(
        os.stat(path).st_mode & stat.S_IWUSR))
    (tmp_path / "nurlesen").mkdir(mode=0o555)
    assert _run(corpus, tmp_path / "nurlesen", notebooks) == 1
    assert capsys.readouterr().err == f"error: --out {tmp_path / 'nurlesen'} is read-only\n"
    assert stand_in.parameters == [] and list((tmp_path / "nurlesen").iterdir()) == []
    assert _run(corpus, tmp_path / "out", notebooks, "--figures", str(tmp_path / "nurlesen")) == 1
    assert capsys.readouterr().err == f"error: --figures {tmp_path / 'nurlesen'} is read-only\n"


def test_a_broken_entity_file_is_reported_in_short_before_the_corpus_is_read(tmp_path, corpus, notebooks, monkeypatch,
                                                                              capsys, caplog):
    monkeypatch.setattr(report, "execute_notebook", stand_in := StandIn())
    (tmp_path / "bombe.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="analysis.report"):
        assert _run(corpus, tmp_path / "out", notebooks, "--entities", str(tmp_path / "bombe.yaml")) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the entities file cannot be used: entry #1 (id 'bombe'): 'name' must be a "
                          "non-empty string, got [[[[['Tokajew Tokajew'")
    assert len(err) < 800 and err.endswith(" more characters)\n")
    assert stand_in.parameters == [] and not [r for r in caplog.records if "read from" in r.getMessage()]


def test_short_message_cuts_and_counts():
    assert report.short_message("kurz") == "kurz"
    assert report.short_message("Ä" * 1000) == "Ä" * 600 + " … (400 more characters)"


def test_the_load_problems_the_error_refers_to_are_shown(tmp_path, notebooks, monkeypatch, capsys, caplog):
    monkeypatch.setattr("analysis.load.PROCESSED_DIR", tmp_path / "cache")
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    (tmp_path / "korpus").mkdir()
    (tmp_path / "korpus" / "leer.txt").write_text("", encoding="utf-8")
    (tmp_path / "korpus" / "bild.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with caplog.at_level(logging.INFO, logger="analysis.report"):
        assert _run(tmp_path / "korpus", tmp_path / "out", notebooks) == 1
    assert "no readable article in this folder (see the warnings)" in capsys.readouterr().err
    assert sorted(r.getMessage().replace(f"{tmp_path}/korpus/", "") for r in caplog.records) == [
        "  bild.txt: binary file, not text; skipped", "  leer.txt: empty file; skipped"]


def test_column_options_reach_the_loading_and_the_notebooks(tmp_path, notebooks, monkeypatch, capsys):
    monkeypatch.setattr("analysis.load.PROCESSED_DIR", tmp_path / "cache")
    monkeypatch.setattr(report, "execute_notebook", stand_in := StandIn())
    (tmp_path / "artikel.csv").write_text("inhalt,label\nTokajew traf Trump.,taz\nÖl für Kasachstan.,Zeit\n",
                                          encoding="utf-8")
    assert _run(tmp_path / "artikel.csv", tmp_path / "out", notebooks) == 1  # no column is named like a text
    assert "no text column" in capsys.readouterr().err
    assert _run(tmp_path / "artikel.csv", tmp_path / "out", notebooks,
                "--text-column", "inhalt", "--source-column", "label") == 0
    assert [p["columns"] for p in stand_in.parameters] == [{"text_column": "inhalt", "source_column": "label"}] * 2
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["columns"] == {"text_column": "inhalt", "source_column": "label"}
    assert manifest["corpus"]["n_articles"] == 2


def test_cache_puts_the_corpus_store_in_its_folder_and_reaches_the_notebooks(tmp_path, corpus, notebooks,
                                                                             monkeypatch, capsys):
    monkeypatch.setattr(report, "execute_notebook", stand_in := StandIn())
    assert _run(corpus, tmp_path / "out", notebooks, "--cache", str(tmp_path / "lager")) == 0
    assert [p["cache_dir"] for p in stand_in.parameters] == [str(tmp_path / "lager")] * 2
    assert list((tmp_path / "lager").iterdir()) and not (tmp_path / "cache").exists()
    assert _run(corpus, tmp_path / "out", notebooks, "--cache", str(tmp_path / "out" / "lager")) == 1
    assert capsys.readouterr().err == (f"error: --out {tmp_path / 'out'} holds {tmp_path / 'out' / 'lager'}, which the "
                                       "report reads and a new report would replace. Choose another folder\n")


def test_makefile_passes_every_column_option():
    makefile = (paths.PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    for option in ("--text-column", "--source-column", "--date-column", "--id-column", "--title-column",
                   "--author-column", "--with-code", "--cache", "--max-articles"):
        variable = option.removeprefix("--").replace("-", "_").upper()
        assert f"$(if $({variable}),{option}" in makefile


# ---------------------------------------------------------------- the lock and the build in a new folder

def test_a_second_run_into_the_same_folder_is_refused(tmp_path, corpus, notebooks, monkeypatch, capsys):
    monkeypatch.setattr(report, "execute_notebook", stand_in := StandIn())
    with report.output_lock(tmp_path / "out"):
        assert _run(corpus, tmp_path / "out", notebooks) == 1
    assert capsys.readouterr().err == (f"error: another report run (process {os.getpid()}) is writing to "
                                       f"{tmp_path / 'out'}; wait until it has finished, or choose another folder\n")
    assert stand_in.parameters == []
    assert _run(corpus, tmp_path / "out", notebooks) == 0  # the lock is released after use
    assert not list(tmp_path.glob(".out*"))  # no lock file and no build folder left


def test_out_alone_puts_the_figures_in_out_and_nothing_else_is_left_there(tmp_path, corpus, notebooks, monkeypatch):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    (tmp_path / "out" / "figures").mkdir(parents=True)
    (tmp_path / "out" / "manifest.json").write_text("{}", encoding="utf-8")
    (tmp_path / "out" / "figures" / "09-alt.png").write_bytes(b"alt")  # from an earlier corpus
    assert _run(corpus, tmp_path / "out", notebooks) == 0
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert [f["name"] for f in manifest["figures"]] == ["01-balken.csv", "01-balken.png", "02-balken.csv",
                                                        "02-balken.png"]
    assert sorted(p.name for p in (tmp_path / "out" / "figures").iterdir()) == [f["name"] for f in manifest["figures"]]
    assert manifest["parameters"]["figures_dir"] == "figures"


def test_the_figures_folder_holds_exactly_the_files_of_the_manifest(tmp_path, corpus, notebooks, monkeypatch):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    figures = tmp_path / "abb"
    figures.mkdir()
    (figures / ".gitkeep").write_bytes(b"")
    (figures / "09-alt.svg").write_bytes(b"<svg/>")
    assert _run(corpus, tmp_path / "out", notebooks, "--figures", str(figures)) == 0
    assert sorted(p.name for p in figures.iterdir()) == [".gitkeep", "01-balken.csv", "01-balken.png",
                                                         "02-balken.csv", "02-balken.png"]
    assert not (tmp_path / "out" / "figures").exists()


def test_reports_and_figures_in_subfolders_of_the_folders_replaced_are_kept(tmp_path, corpus, notebooks, monkeypatch):
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    out, figures = tmp_path / "berichte", tmp_path / "abb"
    assert _run(corpus, out / "meiner", notebooks, "--figures", str(figures / "meine")) == 0
    mine = _contents(out / "meiner"), _contents(figures / "meine")
    assert _run(corpus, out, notebooks, "--figures", str(figures)) == 0
    assert _run(corpus, out, notebooks, "--figures", str(figures)) == 0  # the second replaces the first
    assert (_contents(out / "meiner"), _contents(figures / "meine")) == mine
    assert sorted(p.name for p in figures.iterdir()) == ["01-balken.csv", "01-balken.png", "02-balken.csv",
                                                         "02-balken.png", "meine"]


def test_the_default_folders_are_the_projects(monkeypatch):
    called = {}
    monkeypatch.setattr("analysis.__main__.build_report", lambda corpus, **kwargs: called.update(kwargs))
    assert main(["report", "--corpus", "data/raw"]) == 0
    assert (called["out_dir"], called["figures_dir"]) == (paths.REPORTS_DIR, paths.FIGURES_DIR)
    assert main(["report", "--corpus", "data/raw", "--out", "x"]) == 0
    assert (called["out_dir"], called["figures_dir"]) == ("x", None)  # build_report puts them in x/figures


@pytest.mark.parametrize("error, code, said", [
    (KeyboardInterrupt(), 130, "interrupted. The previous report in {out} is unchanged.\n"),
    (report.ReportError("notebook 02-seite.ipynb failed in cell In [1]: ZeroDivisionError: division by zero"), 1,
     "The previous report in {out} is unchanged.\n"),
])
def test_a_failed_or_interrupted_run_leaves_the_previous_report_as_it_was(tmp_path, corpus, notebooks, monkeypatch,
                                                                          capsys, error, code, said):
    out, figures = tmp_path / "out", tmp_path / "abb"
    monkeypatch.setattr(report, "execute_notebook", StandIn())
    assert _run(corpus, out, notebooks, "--figures", str(figures)) == 0
    before = _contents(out), _contents(figures)
    (corpus / "c.txt").write_text("Kasachstan liefert Uran.", encoding="utf-8")
    monkeypatch.setattr(report, "execute_notebook", StandIn(fail_at=2, error=error))
    capsys.readouterr()
    assert _run(corpus, out, notebooks, "--figures", str(figures)) == code
    assert capsys.readouterr().err.endswith(said.format(out=out))
    assert (_contents(out), _contents(figures)) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no build folder, no lock
    if code == 1:
        assert (tmp_path / "out.failed-02-seite.ipynb").is_file()
        assert _run(corpus, out, notebooks, "--figures", str(figures)) == 1


def test_no_local_path_is_left_in_an_executed_notebook(tmp_path):
    build, corpus = tmp_path / ".out.x.building", tmp_path / "korpus"
    cell = new_code_cell(f'corpus_path = "{corpus}"\nfigures_dir = "{build}/figures"')
    cell.outputs = [new_output("stream", name="stdout", text=f"{corpus}/a.txt: empty file; skipped\n"),
                    new_output("display_data", data={"text/html": f"<td>{paths.PROJECT_ROOT}/data/raw/a.txt</td>",
                                                     "text/plain": f"{Path.home()}/notizen"})]
    cleaned = report.without_local_paths(new_notebook(cells=[cell]), {build: tmp_path / "out", corpus: corpus})
    assert cleaned.cells[0].source == 'corpus_path = "korpus"\nfigures_dir = "out/figures"'
    assert cleaned.cells[0].outputs[0]["text"] == "korpus/a.txt: empty file; skipped\n"
    assert cleaned.cells[0].outputs[1]["data"] == {"text/html": "<td>./data/raw/a.txt</td>", "text/plain": "~/notizen"}


# ---------------------------------------------------------------- real kernels

@pytest.mark.slow
def test_a_real_run_hides_code_leaves_no_local_path_and_shuts_its_kernels_down_quietly(tmp_path, corpus, notebooks,
                                                                                        capfd):
    out = tmp_path / "out"
    assert _run(corpus, out, notebooks, "--no-progress") == 0
    err = capfd.readouterr().err
    assert "KeyboardInterrupt" not in err and "IPKernelApp" not in err
    page = (out / "01-seite.html").read_text(encoding="utf-8")
    assert "2 Artikel aus korpus" in page and "load_corpus" not in page
    for name, data in _contents(out).items():
        text = data.decode("utf-8", errors="replace")
        for local in (str(tmp_path), str(paths.PROJECT_ROOT), str(Path.home())):
            assert local not in text, f"{name} holds the local path {local}"
    assert _run(corpus, out, notebooks, "--no-progress", "--with-code") == 0
    shown = html.unescape(re.sub(r"<[^>]+>", "", (out / "01-seite.html").read_text(encoding="utf-8")))
    assert "corpus = load_corpus(corpus_path, **columns)" in shown


@pytest.mark.slow
def test_a_report_on_one_article_completes_and_says_why_clustering_is_skipped(tmp_path):
    corpus = tmp_path / "ein-artikel"
    corpus.mkdir()
    (corpus / "gipfel.txt").write_text("Tokajew traf Trump in Washington. Die Gespräche über „Seltene Erden“ "
                                       "und Kasachstans Uran dauerten lange.", encoding="utf-8")
    out = tmp_path / "out"
    try:
        assert main(["report", "--corpus", str(corpus), "--out", str(out), "--no-progress"]) == 0
    finally:  # the notebooks cache the corpus in data/processed/, by its path
        for source in paths.PROCESSED_DIR.glob("corpus-*/source.json"):
            if json.loads(source.read_text(encoding="utf-8"))["path"] == str(corpus.resolve()):
                shutil.rmtree(source.parent)
    pages = {name: html.unescape(re.sub(r"<[^>]+>", "", (out / name).read_text(encoding="utf-8")))
             for name in ("01-corpus-overview.html", "02-topic-clustering.html", "03-mention-frequency.html",
                          "04-source-comparison.html", "index.html")}
    assert ("Diese Seite braucht mindestens 3 Artikel mit Text, das Korpus hat 1 Artikel zum Auswerten (wiederholte "
            "und durch die Bereinigung geleerte Texte nicht gezählt); sie entfällt daher.") in pages["02-topic-clustering.html"]
    assert "Nur 1 Artikel: zu wenige für Themen-Cluster, daher keine Themenmischung." in pages["04-source-comparison.html"]
    assert "entfällt: zu wenige Artikel" in pages["index.html"]
    assert "Nur 1 Artikel: Jede Zahl beschreibt diese Texte" in pages["index.html"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [entry.get("skipped") is not None for entry in manifest["notebooks"]] == [False, True, False, False, False]
    assert "01-article-lengths.png" in {f["name"] for f in manifest["figures"]}
    assert "01-articles-by-source.png" not in {f["name"] for f in manifest["figures"]}  # one bar is no chart
    assert "Alle 1 Artikel gehören zu einer Gruppe (unbekannt)" in pages["01-corpus-overview.html"]


@pytest.mark.slow
def test_a_corpus_larger_than_max_articles_is_sampled_and_said_so_while_totals_count_every_article(tmp_path, monkeypatch):
    from analysis.load import articles_for_analysis, load_corpus
    from analysis.mentions import count_mentions

    monkeypatch.setattr("analysis.load.PROCESSED_DIR", tmp_path / "cache")
    corpus = tmp_path / "korpus"
    for number in range(12):
        outlet = corpus / ("taz", "zeit", "faz")[number % 3]
        outlet.mkdir(parents=True, exist_ok=True)
        (outlet / f"{number}.txt").write_text(
            f"Tokajew traf Trump in Washington, Tag {number}. " + "Tokajews Regierung verhandelt über Uran. " * (number % 4)
            + f"Die Gespräche über „Seltene Erden“ dauerten {number + 2} Stunden, sagte ein Sprecher in Astana.",
            encoding="utf-8")
    out = tmp_path / "out"
    assert main(["report", "--corpus", str(corpus), "--out", str(out), "--no-progress", "--max-articles", "5"]) == 0
    pages = {name: html.unescape(re.sub(r"<[^>]+>", "", (out / name).read_text(encoding="utf-8")))
             for name in ("02-topic-clustering.html", "03-mention-frequency.html", "04-source-comparison.html",
                          "05-voices.html")}
    for page in pages.values():
        assert "Eine Zufallsstichprobe von 5 der 12 Artikel (max_articles)" in page
    assert "die Summen, Anteile und Raten je Medium zählen jeden Artikel" in pages["03-mention-frequency.html"]
    index = html.unescape(re.sub(r"<[^>]+>", "", (out / "index.html").read_text(encoding="utf-8")))
    assert "Die Seiten 02 bis 05 werten eine Zufallsstichprobe von 5 der 12 ausgewerteten Artikel aus" in index
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["parameters"]["max_articles"] == 5
    totals = pd.read_csv(out / "figures" / "03-top-entities.csv", index_col=0).iloc[:, 0]
    every = count_mentions(articles_for_analysis(load_corpus(corpus))[0]).sum()
    assert totals["Kassym-Schomart Tokajew"] == every["Kassym-Schomart Tokajew"] == 12 + sum(n % 4 for n in range(12))
    assert totals.to_dict() == every[every > 0].head(len(totals)).to_dict()
