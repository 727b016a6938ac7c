"""Command line: ``python -m analysis report --corpus PATH --out DIR ...``."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from analysis import engine, paths
from analysis.report import ReportError, build_report, short_message, unchanged

#: Options naming the corpus's columns, and the argument of :func:`analysis.load.load_corpus` each sets.
COLUMN_OPTIONS = {
    "--text-column": "text_column", "--source-column": "source_column", "--date-column": "date_column",
    "--id-column": "id_column", "--title-column": "title_column", "--author-column": "author_column",
}
#: Longest error message written to the terminal.
MAX_ERROR_CHARS = 2000


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``analysis`` command line."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Analyse German-language news coverage.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="run every notebook on a corpus and write HTML reports",
        description="Run notebooks/NN-*.ipynb on a corpus; write figures, one HTML page per notebook, "
        "index.html and manifest.json. The report replaces the previous one only when every notebook succeeded.",
    )
    report.add_argument("--corpus", required=True, help="corpus folder or file")
    report.add_argument("--out", default=None,
                        help=f"folder for the HTML reports (default: {paths.REPORTS_DIR.relative_to(paths.PROJECT_ROOT)}/)")
    report.add_argument("--figures", default=None,
                        help="folder for the figures (default: OUT/figures with --out, else "
                        f"{paths.FIGURES_DIR.relative_to(paths.PROJECT_ROOT)}/)")
    report.add_argument("--entities", default=None, help="entity list file, YAML or CSV (default: the bundled one)")
    for option, argument in COLUMN_OPTIONS.items():
        field = argument.removesuffix("_column").replace("id", "article id").replace("source", "outlet")
        report.add_argument(option, dest=argument, default=None, metavar="NAME",
                            help=f"name of the column holding the {field} (default: recognised by its name)")
    report.add_argument("--cache", default=None, metavar="DIR",
                        help="folder of the corpus store (default: data/processed/ for a corpus inside the project, "
                        "else the user's cache folder)")
    report.add_argument("--max-articles", type=int, default=None, metavar="N",
                        help="articles each notebook reads into memory; of a larger corpus a random sample of N, "
                        "while page 01 and the totals of page 03 count every article (default: the notebooks' 20000)")
    report.add_argument("--with-code", action="store_true", help="show the notebooks' code in the HTML pages")
    report.add_argument("--notebooks", default=str(paths.NOTEBOOKS_DIR),
                        help=f"notebooks folder (default: {paths.NOTEBOOKS_DIR.relative_to(paths.PROJECT_ROOT)}/)")
    report.add_argument("--no-progress", action="store_true",
                        help="hide the per-cell progress bar (it is shown only on a terminal anyway)")
    report.add_argument("--scheduler", default=None, help="a Dask scheduler to run on, such as tcp://host:8786 "
                        f"(default: ${engine.SCHEDULER_VARIABLE}, else this machine)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status (0 on success, 1 on error, 130 when interrupted).

    Errors such as a missing corpus or a failing notebook are reported in one
    message on standard error, without a Python traceback.
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("papermill").setLevel(logging.WARNING)
    out = args.out if args.out is not None else paths.REPORTS_DIR
    figures = args.figures if args.figures is not None or args.out is not None else paths.FIGURES_DIR
    columns = {argument: getattr(args, argument) for argument in COLUMN_OPTIONS.values()
               if getattr(args, argument) is not None}
    if args.scheduler:  # the notebooks' kernels inherit it
        os.environ[engine.SCHEDULER_VARIABLE] = args.scheduler
    try:
        if engine.scheduler_address():
            engine.connect(engine.scheduler_address())
        build_report(
            args.corpus, out_dir=out, figures_dir=figures, entities_path=args.entities,
            notebooks_dir=args.notebooks, progress_bar=not args.no_progress and sys.stderr.isatty(),
            columns=columns, with_code=args.with_code, cache_dir=args.cache, max_articles=args.max_articles,
        )
    except (ReportError, engine.SchedulerError) as exc:
        sys.stderr.write(f"error: {short_message(exc, MAX_ERROR_CHARS)}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"interrupted. {unchanged(Path(out).resolve())}\n")
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
