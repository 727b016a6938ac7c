"""Command line: ``python -m analysis report --corpus PATH --out DIR ...``."""
from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from analysis import engine, paths
from analysis.report import ReportError, build_report


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of the ``analysis`` command line."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description="Analyse German-language news coverage.")
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser(
        "report",
        help="run every notebook on a corpus and write HTML reports",
        description="Run notebooks/NN-*.ipynb on a corpus; write figures, one HTML page per notebook, "
        "index.html and manifest.json.",
    )
    report.add_argument("--corpus", required=True, help="corpus folder or file")
    report.add_argument("--out", default=str(paths.REPORTS_DIR), help="folder for the HTML reports (%(default)s)")
    report.add_argument("--figures", default=str(paths.FIGURES_DIR), help="folder for the figures (%(default)s)")
    report.add_argument("--entities", default=None, help="entity list file (default: the bundled one)")
    report.add_argument("--notebooks", default=str(paths.NOTEBOOKS_DIR), help="notebooks folder (%(default)s)")
    report.add_argument("--no-progress", action="store_true", help="hide the per-cell progress bar")
    report.add_argument("--scheduler", default=None, help="a Dask scheduler to run on, such as tcp://host:8786 "
                        f"(default: ${engine.SCHEDULER_VARIABLE}, else this machine)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit status (0 on success, 1 on error).

    Errors such as a missing corpus or a failing notebook are reported in one
    message on standard error, without a Python traceback.
    """
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("papermill").setLevel(logging.WARNING)
    if args.scheduler:  # the notebooks' kernels inherit it
        os.environ[engine.SCHEDULER_VARIABLE] = args.scheduler
    try:
        if engine.scheduler_address():
            engine.connect(engine.scheduler_address())
        build_report(
            args.corpus, out_dir=args.out, figures_dir=args.figures, entities_path=args.entities,
            notebooks_dir=args.notebooks, progress_bar=not args.no_progress,
        )
    except (ReportError, engine.SchedulerError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
