"""Seed data shipped with the project: the OPDs of Kota Pekalongan."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

OPD_CSV = Path(__file__).resolve().parent / "data" / "opd-kota-pekalongan.csv"


def opd_rows(path: Path = OPD_CSV) -> list[dict[str, Any]]:
    """Returns the seed OPDs (code, name, kind), skipping the source comment line."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [
        {
            "code": row["code"].strip(),
            "name": row["name"].strip(),
            "kind": row["kind"].strip(),
            "active": True,
        }
        for row in csv.DictReader(lines)
    ]
