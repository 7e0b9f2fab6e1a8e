"""Runs every fault scenario and prints the table: `python -m tests.faults` (`make faults`)."""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

from tests.faults.scenarios import SCENARIOS, Outcome

HEADER = ("scenario", "injected", "notifications", "lost", "sent twice", "note")


def table(rows: list[Outcome]) -> str:
    """Renders the outcomes as a Markdown table."""
    lines = [
        (r.scenario, r.injected, str(r.expected), str(r.lost), str(r.duplicated), r.note)
        for r in rows
    ]
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(line) + " |" for line in lines]
    return "\n".join(out)


async def main() -> int:
    """Runs the scenarios one after the other, each on a database of its own."""
    # The bot logs every injected failure; the table is what this command is for.
    logging.basicConfig(level=logging.CRITICAL)
    rows: list[Outcome] = []
    for key, scenario in SCENARIOS:
        started = time.monotonic()
        with tempfile.TemporaryDirectory(prefix=f"faults-{key}-") as folder:
            rows.append(await scenario(Path(folder)))
        print(f"{key}: done in {time.monotonic() - started:.1f} s", file=sys.stderr)
    print(table(rows))
    return 0 if all(r.lost == 0 and r.duplicated <= r.unavoidable for r in rows) else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
