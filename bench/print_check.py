"""How the report workbooks print (docs/REPORT-FILES.md "Printing"): each .xlsx converted to PDF
by LibreOffice, its pages counted (pdfinfo) and drawn as PNG (pdftoppm) to be looked at. A
documented check, not a test: LibreOffice is not needed to build or test PropDesk.

    apt-get install -y --no-install-recommends libreoffice-calc poppler-utils fonts-wqy-zenhei
    python -m bench.print_check var/reports/*.xlsx [--out /tmp/print-check] [--dpi 60]

Prints a Markdown table (file, sheets, pages) and leaves <out>/<file>.pdf and
<out>/<file>-<page>.png.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE)
    return int(found[1]) if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workbooks", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=Path("/tmp/print-check"))
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    missing = [tool for tool in ("soffice", "pdfinfo", "pdftoppm") if not shutil.which(tool)]
    if missing:
        print(f"missing {', '.join(missing)}: see the module's docstring", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    print("| workbook | sheets | pages |\n|---|---|---|")
    for book in args.workbooks:
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(args.out), str(book)],
            capture_output=True,
            check=True,
            timeout=300,
        )
        pdf = args.out / f"{book.stem}.pdf"
        subprocess.run(
            ["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(args.out / book.stem)],
            check=True,
        )
        sheets = len(openpyxl.load_workbook(book, read_only=True).sheetnames)
        print(f"| {book.name} | {sheets} | {pages(pdf)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
