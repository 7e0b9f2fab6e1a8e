"""Texts about service times: SLA marks, reminders and escalations, digests and `/libur`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.services.calendar import Remaining
from bot.services.calendar_admin import CalendarChange, CalendarOverview
from bot.services.domain import SlaInfo
from bot.services.errors import DomainError
from bot.services.sla import Alert, Audience, DigestTicket, MorningDigest, StepCode
from bot.texts import refusals
from bot.texts.common import DAYS, MONTHS, STATUS, esc, when
from bot.texts.workflow import FIXED, NOT_FIXED

ALERTS_MAX = 30

STEP = {
    StepCode.RESPONSE_REMINDER: "Pengingat: belum diambil teknisi, separuh waktu respons berlalu",
    StepCode.RESPONSE_PASSED: "Eskalasi: waktu respons terlampaui, belum ada teknisi",
    StepCode.TARGET_REMINDER: "Pengingat: separuh waktu target penyelesaian telah berlalu",
    StepCode.TARGET_PASSED: "Eskalasi: target penyelesaian terlampaui",
    StepCode.DEADLINE_WARNING: "Peringatan: batas waktu layanan hampir habis",
    StepCode.DEADLINE_PASSED: "Pelanggaran: batas waktu layanan terlampaui",
    StepCode.APPROVAL_WAITING: "Eskalasi: pengajuan peralatan terlalu lama menunggu persetujuan",
    StepCode.REPAIRED_REMINDER: "Pengingat: pelapor belum menjawab konfirmasi hasil perbaikan",
    StepCode.REPAIRED_ESCALATION: "Eskalasi: OPD belum mengonfirmasi hasil perbaikan",
    # Sent as their own message (`texts.letters.letter_reminder`), named here for completeness.
    StepCode.LETTER_REMINDER_1: "Pengingat: surat permohonan belum diterima",
    StepCode.LETTER_REMINDER_2: "Pengingat: surat permohonan belum diterima",
    StepCode.LETTER_REMINDER_3: "Pengingat: surat permohonan belum diterima",
}

EVENT = {
    "sla:response_reminder": "Pengingat waktu respons ke grup teknisi",
    "sla:response_passed": "Eskalasi waktu respons ke penanggung jawab",
    "sla:target_reminder": "Pengingat target ke teknisi",
    "sla:target_passed": "Eskalasi target ke penanggung jawab",
    "sla:deadline_warning": "Peringatan batas waktu ke kepala bidang",
    "sla:deadline_passed": "Batas waktu layanan terlampaui (dicatat sebagai pelanggaran)",
    "sla:approval_waiting": "Eskalasi pengajuan peralatan yang tertunda ke penanggung jawab",
    "sla:repaired_reminder": "Pengingat konfirmasi hasil perbaikan ke pelapor",
    "sla:repaired_escalation": "Eskalasi konfirmasi hasil perbaikan ke penanggung jawab",
    "held": "Ditunda (menunggu OPD)",
    "resumed": "Dilanjutkan",
}

AT_RISK = "⚠️ <b>Berisiko</b>: sebagian besar batas waktu layanan telah terpakai"
BREACHED = "⛔ <b>Melewati batas waktu layanan</b>"

# Steps that fire when their moment has come: the time is up, none is left.
PASSED = frozenset({StepCode.RESPONSE_PASSED, StepCode.TARGET_PASSED, StepCode.DEADLINE_PASSED})

REFUSALS = refusals.REFUSALS

USAGE = (
    "<b>Penggunaan /libur</b>\n"
    "/libur — daftar hari libur 90 hari ke depan dan pengaturan jam layanan\n"
    "/libur tambah TTTT-BB-HH Nama — tambah hari libur\n"
    "/libur hapus TTTT-BB-HH — hapus hari libur (juga hari libur nasional)\n"
    "/libur jam TTTT-BB-HH TTTT-BB-HH JADWAL [nama] — jam layanan khusus, contoh:\n"
    "<code>/libur jam 2027-02-08 2027-03-09 mon-thu 08:00-14:00;fri 08:00-11:00 Ramadan</code>\n"
    "/libur hapus_jam NOMOR — hapus jam layanan khusus"
)


def long_date(day: date) -> str:
    """Formats a date as `Senin, 30 November 2026`."""
    return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"


def refusal(error: DomainError) -> str:
    """Returns the message for a refused calendar or SLA action."""
    return refusals.refusal(error)


def sla_lines(info: SlaInfo) -> list[str]:
    """Returns the card lines with the working time left and the risk mark."""
    target, deadline = info.target, info.deadline
    lines = [
        f"Target terlampaui {duration(target)}"
        if target.overdue
        else f"Sisa waktu target: {duration(target)}",
        f"Batas waktu layanan terlampaui {duration(deadline)}"
        if deadline.overdue
        else f"Sisa batas waktu layanan: {duration(deadline)}",
    ]
    if info.breached:
        lines.append(BREACHED)
    elif info.at_risk:
        lines.append(AT_RISK)
    return lines


def duration(left: Remaining) -> str:
    """Words for working time left or overdue: `2 hari kerja 6 jam 15 menit`."""
    units = ((left.days, "hari kerja"), (left.hours, "jam"), (left.minutes, "menit"))
    return " ".join(f"{count} {unit}" for count, unit in units if count) or "kurang dari 1 menit"


def _left(left: Remaining) -> str:
    return f"terlambat {duration(left)}" if left.overdue else f"sisa {duration(left)}"


def outside_hours(opens_at: datetime) -> str:
    """Tells a reporter the report came outside office hours and when it is handled."""
    return f"Laporan diterima di luar jam layanan; diproses mulai {when(opens_at)}."


# --- digests -----------------------------------------------------------------------------


def _alert_line(alert: Alert) -> str:
    who = f" · {esc(alert.assignee_name)}" if alert.assignee_name else ""
    remaining = alert.remaining
    # A passed step fires at its moment: "less than a minute left" would contradict it.
    late = remaining.overdue and (remaining.days or remaining.hours or remaining.minutes)
    left = "" if alert.step in PASSED and not late else f" ({_left(remaining)})"
    return f"• <code>{alert.number}</code> {esc(alert.opd_name)}{who}\n  {STEP[alert.step]}{left}"


def _reporter_lines(alerts: Sequence[Alert]) -> list[str]:
    # The reporter is asked, not alerted: which repairs await their answer and how to give it.
    lines = ["<b>Konfirmasi hasil perbaikan menunggu jawaban Anda</b>"]
    lines += [
        f"• <code>{a.number}</code> {esc(a.opd_name)}: teknisi telah melaporkan gangguan ini "
        "selesai diperbaiki."
        for a in alerts[:ALERTS_MAX]
    ]
    lines.append(
        "Apakah jaringan di kantor Anda <b>sudah normal kembali</b>? Mohon jawab dengan tombol "
        f"«{FIXED}» atau «{NOT_FIXED}» pada pesan konfirmasi perbaikan "
        "(lihat juga /tiket NOMOR)."
    )
    return lines


def _ticket_line(item: DigestTicket) -> str:
    who = esc(item.assignee_name) if item.assignee_name else "belum diambil"
    mark = " ⛔" if item.breached else " ⚠️" if item.at_risk else ""
    left = _left(item.deadline)
    return (
        f"• <code>{item.number}</code> {esc(item.opd_name)} · {STATUS[item.status]} · {who}"
        f"{mark}\n  diterima {when(item.received_at)}; {left}"
    )


def _section(title: str, items: Sequence[DigestTicket]) -> list[str]:
    if not items:
        return []
    return ["", f"<b>{title}</b>", *(_ticket_line(i) for i in items)]


def morning(summary: MorningDigest, audience: Audience) -> list[str]:
    """Returns the lines of the morning digest for the technician group or a supervisor."""
    lines = [
        f"<b>Ringkasan pagi, {long_date(summary.day)}</b>",
        f"Tiket terbuka: {summary.open_count} · belum diambil: {summary.unclaimed_count} · "
        f"berisiko: {summary.at_risk_count} · melewati batas: {summary.breached_count}",
    ]
    if not summary.open_count:
        lines.append("Tidak ada tiket terbuka.")
        return lines
    if audience is Audience.GROUP:
        lines += _section("Belum diambil teknisi", summary.unclaimed)
        lines += _section("Berisiko", summary.at_risk)
        lines += _section("Melewati batas waktu", summary.breached)
        lines += _section("Pekerjaan terbuka (terlama dahulu)", summary.tickets)
    else:
        lines += _section("Melewati batas waktu", summary.breached)
        lines += _section("Tiket terlama", summary.tickets[:5])
    return lines


def digest(
    alerts: Sequence[Alert], summary: MorningDigest | None, audience: Audience | None
) -> str:
    """Returns one message with the morning digest and the reminders due for a chat."""
    lines: list[str] = []
    if summary is not None and audience is not None:
        lines += morning(summary, audience)
    asked = [a for a in alerts if a.audience is Audience.REPORTER]
    staff = [a for a in alerts if a.audience is not Audience.REPORTER]
    if asked:
        lines += _reporter_lines(asked)
    if staff:
        if lines:
            lines.append("")
        lines.append("<b>Pengingat dan eskalasi waktu layanan</b>")
        lines += [_alert_line(a) for a in staff[:ALERTS_MAX]]
        if len(staff) > ALERTS_MAX:
            lines.append(f"… dan {len(staff) - ALERTS_MAX} lainnya.")
    return "\n".join(lines)


# --- /libur ------------------------------------------------------------------------------


def calendar_overview(data: CalendarOverview) -> str:
    """The `/libur` answer: holidays of the next 90 days and the schedule overrides."""
    lines = [f"<b>Hari libur {long_date(data.start)} s.d. {long_date(data.end)}</b>"]
    for item in data.holidays:
        source = " (ditambahkan admin)" if item.added else ""
        lines.append(f"• {item.day.isoformat()} {long_date(item.day)}: {esc(item.name)}{source}")
    if not data.holidays:
        lines.append("Tidak ada hari libur.")
    if data.removed:
        lines.append("")
        lines.append("<b>Hari libur nasional yang dijadikan hari kerja</b>")
        lines += [f"• {d.isoformat()} {long_date(d)}" for d in data.removed]
    lines.append("")
    lines.append("<b>Jam layanan khusus</b>")
    for o in data.overrides:
        name = f" {esc(o.name)}" if o.name else ""
        lines.append(
            f"• No. {o.id}{name}: {o.start.isoformat()} s.d. {o.end.isoformat()}, "
            f"<code>{esc(o.spec) or 'tutup'}</code>"
        )
    if not data.overrides:
        lines.append("Tidak ada.")
    lines.append("")
    lines.append("Ubah dengan /libur tambah, /libur hapus, /libur jam, /libur hapus_jam.")
    return "\n".join(lines)


def _recomputed(change: CalendarChange) -> str:
    return f"Tenggat {change.recomputed} tiket terbuka telah dihitung ulang."


def holiday_added(day: date, name: str, change: CalendarChange) -> str:
    """Confirms an added holiday."""
    return f"{long_date(day)} ditetapkan sebagai hari libur: {esc(name)}. {_recomputed(change)}"


def holiday_removed(day: date, change: CalendarChange) -> str:
    """Confirms a removed holiday."""
    return f"{long_date(day)} kini hari kerja. {_recomputed(change)}"


def override_added(start: date, end: date, change: CalendarChange) -> str:
    """Confirms a schedule override."""
    return (
        f"Jam layanan khusus berlaku {long_date(start)} s.d. {long_date(end)}. "
        f"{_recomputed(change)}"
    )


def override_removed(override_id: int, change: CalendarChange) -> str:
    """Confirms a removed schedule override."""
    return f"Jam layanan khusus nomor {override_id} dihapus. {_recomputed(change)}"
