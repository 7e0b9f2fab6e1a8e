"""The wording agreed in review: terms, SLA phrases, times with their zone, days from settings."""

from __future__ import annotations

import ast
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.services.calendar import Remaining
from bot.services.domain import Category, Impact, LetterStatus, SlaInfo, Status, TicketView
from bot.services.sla import Alert, Audience, StepCode
from bot.texts import sla, tickets
from bot.texts.common import short_when, when

ROOT = Path(__file__).resolve().parents[2]
WIB = ZoneInfo("Asia/Jakarta")
AT = datetime(2026, 11, 30, 9, 0, tzinfo=WIB)

# Phrases review replaced, with what replaced them.
RETIRED = {
    "diagnosa": "diagnosis",
    "didisposisi ke": "didisposisikan kepada",
    "disposisi ke": "disposisi kepada",
    "menuju target": "Sisa waktu target / Target terlampaui",
    "menuju batas": "Sisa batas waktu layanan / Batas waktu layanan terlampaui",
    # "pengaduan" is the complaint service; faults are reported ("pelaporan").
    "layanan pengaduan gangguan": "layanan pelaporan gangguan",
    "permintaan material": "Pengajuan peralatan",
    "permintaan peralatan": "Pengajuan peralatan",
    "peralatan/bahan": "Pengajuan peralatan",
}


def _strings() -> list[tuple[str, str]]:
    """Returns (place, text) for each string literal in `bot/` that is not a docstring."""
    found = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        found += [
            (f"{path.relative_to(ROOT)}:{node.lineno}", node.value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ]
    return found


STRINGS = _strings()


@pytest.mark.parametrize("phrase", sorted(RETIRED))
def test_retired_phrases_are_gone(phrase: str) -> None:
    hits = [place for place, text in STRINGS if phrase in text.lower()]
    assert not hits, f"{phrase!r} -> {RETIRED[phrase]!r} at {hits}"


def test_no_text_hard_codes_a_number_of_working_days() -> None:
    hits = [place for place, text in STRINGS if re.search(r"\d+\)? hari kerja", text)]
    assert not hits, f"working days belong to settings: {hits}"


def test_every_shown_time_names_its_zone() -> None:
    assert when(AT) == "Senin, 30 November 2026 pukul 09.00 WIB"
    assert short_when(AT) == "30/11/2026 09.00 WIB"
    assert short_when(AT, "Asia/Makassar") == "30/11/2026 10.00 WITA"


def _ticket() -> TicketView:
    return TicketView(
        id=1,
        number="BN-2026-00001",
        status=Status.DISPOSED,
        opd_name="Dinas Kesehatan",
        category=Category.SLOW,
        impact=Impact.ONE_ROOM,
        location="Aula",
        description="Wi-Fi aula tidak tersambung.",
        contact_phone="081234567890",
        reporter_name="Siti",
        reporter_telegram_id=2001,
        assignee_name=None,
        assignee_telegram_id=None,
        letter_status=LetterStatus.ATTACHED,
        received_at=AT,
        claimed_at=None,
        target_due_at=AT,
        deadline_due_at=AT,
    )


def test_the_receipt_takes_the_deadline_days_from_settings() -> None:
    text = tickets.receipt(_ticket(), 7)
    assert "Batas waktu layanan (7 hari kerja): Senin, 30 November 2026 pukul 09.00 WIB" in text


def test_sla_lines_say_time_left_or_how_far_past() -> None:
    ahead = SlaInfo(Remaining(False, 2, 6, 15), Remaining(False, 5, 2, 0), False, False)
    behind = SlaInfo(Remaining(True, 0, 3, 0), Remaining(True, 1, 0, 5), False, True)

    assert sla.sla_lines(ahead) == [
        "Sisa waktu target: 2 hari kerja 6 jam 15 menit",
        "Sisa batas waktu layanan: 5 hari kerja 2 jam",
    ]
    assert sla.sla_lines(behind)[:2] == [
        "Target terlampaui 3 jam",
        "Batas waktu layanan terlampaui 1 hari kerja 5 menit",
    ]


def _alert(step: StepCode, left: Remaining) -> Alert:
    return Alert("BN-2026-00001", "Dinas Kesehatan", step, AT, None, left, Audience.COORDINATORS)


def test_a_passed_step_at_its_moment_shows_no_time_left() -> None:
    at_moment = sla.digest([_alert(StepCode.TARGET_PASSED, Remaining(False, 0, 0, 0))], None, None)
    later = sla.digest([_alert(StepCode.TARGET_PASSED, Remaining(True, 0, 2, 0))], None, None)
    reminder = sla.digest(
        [_alert(StepCode.TARGET_REMINDER, Remaining(False, 0, 0, 0))], None, None
    )

    assert at_moment.endswith("Eskalasi: target penyelesaian terlampaui")
    assert "kurang dari 1 menit" not in at_moment
    assert later.endswith("Eskalasi: target penyelesaian terlampaui (terlambat 2 jam)")
    assert reminder.endswith("(sisa kurang dari 1 menit)")
