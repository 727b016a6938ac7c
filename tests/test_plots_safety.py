"""User strings in figures and their CSV stay data: no mathtext, no spreadsheet formulas."""
import html

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from analysis.plots import bar_chart, save_figure, spreadsheet_safe

OUTLETS = ["Kurs $\\undefinedcmd{x}$ Blatt", "Dollar $5 und $10 Anzeiger", "$\\frac{1}{0}$"]


def _svg_texts(path):
    return html.unescape(path.read_text(encoding="utf-8"))


def test_outlet_names_and_titles_with_dollar_signs_are_drawn_as_written(tmp_path):
    counts = pd.Series([5, 3, 1], index=OUTLETS, name="Artikel")
    ax = bar_chart(counts, title="Gipfel für $\\frac{1}{0}$ „Astana“", xlabel="Artikel")
    written = save_figure(ax.figure, "dollar", data=counts, figures_dir=tmp_path)
    svg = _svg_texts(written["svg"])
    for text in [*OUTLETS, "Gipfel für $\\frac{1}{0}$ „Astana“"]:
        assert text in svg


def test_texts_set_before_the_style_are_literal_too(tmp_path):
    with mpl.rc_context({"text.parse_math": True}):
        fig, ax = plt.subplots()
        ax.bar([0, 1], [2, 3], tick_label=OUTLETS[:2])
        ax.set_title(OUTLETS[0])
        written = save_figure(fig, "vorher", figures_dir=tmp_path)
    svg = _svg_texts(written["svg"])
    assert OUTLETS[0] in svg and OUTLETS[1] in svg


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(tmp_path):
    outlets = ['=HYPERLINK("http://example.com","klick")', "+49 30 1234", "-Minus", "@SUMME(A1)",
               "\tTab", "taz", "Zeit – Online"]
    table = pd.DataFrame({"Quelle": outlets, "Artikel": [1, 2, 3, 4, 5, -7, 8], "Notiz": ["=1+1"] * 7})
    fig, ax = plt.subplots()
    written = save_figure(fig, "formeln", data=table.set_index("Quelle"), figures_dir=tmp_path)
    assert written["csv"].read_bytes().decode("utf-8") == (
        "Quelle,Artikel,Notiz\n"
        "\"'=HYPERLINK(\"\"http://example.com\"\",\"\"klick\"\")\",1,'=1+1\n"
        "'+49 30 1234,2,'=1+1\n"
        "'-Minus,3,'=1+1\n"
        "'@SUMME(A1),4,'=1+1\n"
        "'\tTab,5,'=1+1\n"
        "taz,-7,'=1+1\n"
        "Zeit – Online,8,'=1+1\n"
    )


def test_spreadsheet_safe_escapes_labels_of_every_level_and_the_column_names():
    table = pd.DataFrame([[1.5, "-", "\rWagenrücklauf"]], columns=["=Wert", "Zeichen", "Notiz"],
                         index=pd.MultiIndex.from_tuples([("@taz", "+Artikel")], names=["Quelle", "Titel"]))
    safe = spreadsheet_safe(table)
    assert safe.columns.tolist() == ["'=Wert", "Zeichen", "Notiz"]
    assert safe.index.tolist() == [("'@taz", "'+Artikel")]
    assert safe.values.tolist() == [[1.5, "'-", "'\rWagenrücklauf"]]
    assert table.columns.tolist() == ["=Wert", "Zeichen", "Notiz"]  # the table given is left as it was
