"""The PDF "Laporan Evaluasi Kinerja Pelayanan Penanganan Lokal" of a period (fpdf2).

The same page set, fonts and letterhead as the berita acara (imported from
bot/services/berita_acara.py), the figures as tables, the charts (bot/services/reports/charts.py)
as images, and a signature block for the Kepala Bidang, who signs the evaluation.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from fpdf import FPDF, FontFace
from fpdf.enums import Align, XPos, YPos

from bot.services.berita_acara import format_date
from bot.services.berita_acara.document import FONT, clean
from bot.services.berita_acara.drawing import Document, draw_letterhead
from bot.services.reports import charts
from bot.services.reports import words as w
from bot.services.reports.figures import Group, Report
from bot.services.reports.people import Letterhead, Signer, number, period_text
from bot.services.reports.workbook import summary_rows

_BODY_PT = 9.0
_SMALL_PT = 7.5
_LINE = 4.5
_HEADING = FontFace(emphasis="BOLD", color=(255, 255, 255), fill_color=(31, 78, 121))
_SIGNATURE_SPACE = 20.0
_GROUP_LIMIT = 25  # rows of a group table in the PDF; the workbook has them all


def _value(value: object, unit: str) -> str:
    if isinstance(value, float):
        return number(value, 1 if unit == w.UNIT_PERCENT else 2)
    return number(value) if isinstance(value, int) else "-"


def _heading(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(30):
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 10.5)
    pdf.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str, size: float = _BODY_PT) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(
        0,
        _LINE if size >= _BODY_PT else 3.6,
        text,
        align=Align.J,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(1.5)


def _table(
    pdf: FPDF,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    size: float = _BODY_PT - 0.5,
) -> None:
    pdf.set_font(FONT, "", size)
    aligns = ("LEFT", *("RIGHT",) * (len(headers) - 1))
    with pdf.table(
        col_widths=tuple(widths),
        width=sum(widths),
        align="LEFT",
        headings_style=_HEADING,
        line_height=size * 0.5,
        text_align=aligns,
        padding=0.8,
        repeat_headings=1,
    ) as table:
        table.row(list(headers))
        for values in rows:
            table.row(list(values))
    pdf.ln(2)


def _image(pdf: FPDF, png: bytes, width: float = 160) -> None:
    height_guess = width * 0.45
    if pdf.will_page_break(height_guess):
        pdf.add_page()
    pdf.image(io.BytesIO(png), x=(pdf.w - width) / 2, w=width)
    pdf.ln(2)


def _group_rows(groups: Sequence[Group]) -> list[list[str]]:
    shown = sorted(groups, key=lambda g: (-g.received, g.name))[:_GROUP_LIMIT]
    return [
        [
            clean(g.name),
            number(g.received),
            number(g.closed),
            number(g.within_target),
            number(g.target_share),
            number(g.within_deadline),
            number(g.deadline_share),
            number(g.breaches),
            number(g.reopens),
            number(g.rating_average, 2),
        ]
        for g in shown
    ]


_GROUP_HEADERS = (
    "Terima",
    "Selesai",
    "Dlm target",
    "% target",
    "Dlm batas",
    "% batas",
    "Lewat batas",
    "Dibuka lagi",
    "Rata-rata nilai",
)
_GROUP_WIDTHS = (47.0, 13.0, 14.0, 13.0, 13.0, 13.0, 13.0, 13.0, 14.0, 17.0)


def _signature(pdf: FPDF, signer: Signer, day: date) -> None:
    block = 6 * _LINE + _SIGNATURE_SPACE
    if pdf.will_page_break(block + 4):
        pdf.add_page()
    pdf.ln(6)
    width = 80.0
    x = pdf.w - pdf.r_margin - width
    pdf.set_font(FONT, "", _BODY_PT + 1)
    for text in (f"{w.SIGN_PLACE}, {format_date(day)}", w.KABID_POSITION + ","):
        pdf.set_x(x)
        pdf.multi_cell(
            width, _LINE + 0.5, text, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.ln(_SIGNATURE_SPACE)
    name = clean(signer.name)
    pdf.set_x(x)
    pdf.set_font(FONT, "BU" if name else "", _BODY_PT + 1)
    pdf.multi_cell(
        width,
        _LINE + 0.5,
        name or w.SIGN_BLANK_NAME,
        align=Align.C,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_x(x)
    pdf.set_font(FONT, "", _BODY_PT + 1)
    nip = f"NIP. {clean(signer.nip)}" if name and signer.nip else w.SIGN_NIP
    pdf.multi_cell(width, _LINE + 0.5, nip, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def build(
    report: Report,
    letterhead: Letterhead,
    signer: Signer,
    tz: ZoneInfo,
    target: int,
    deadline: int,
) -> bytes:
    """Returns the report as an A4 PDF."""
    period = period_text(report.period.first, report.period.last)
    pdf = Document(w.FOOTER.format(title=w.TITLE, period=period))
    pdf.set_title(f"{w.TITLE} {period}")
    pdf.set_author(w.SERVICE)
    pdf.add_page()
    draw_letterhead(pdf, letterhead.lines, letterhead.address, letterhead.logo)
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, w.TITLE.upper(), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        0, 5, f"{w.PERIOD}: {period}", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    as_of = report.as_of.astimezone(tz)
    if as_of.date() > report.period.last:  # the period has ended: its last day, whole
        state = f"{w.AS_OF} akhir tanggal {format_date(report.period.last)}"
    else:
        state = f"{w.AS_OF} {format_date(as_of.date())} pukul {as_of:%H.%M} {as_of.tzname()}"
    pdf.set_font(FONT, "", _SMALL_PT + 0.5)
    pdf.multi_cell(0, 4, state, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    _paragraph(pdf, w.BASIS, _SMALL_PT + 0.5)

    _heading(pdf, w.SECTION_SUMMARY)
    rows = [
        [label, _value(value, unit), unit]
        for label, value, unit in summary_rows(report, target, deadline)
    ]
    _table(pdf, (w.FIGURE, w.VALUE, w.UNIT), rows, (110.0, 28.0, 32.0))

    unit = w.WEEK if report.weekly else w.MONTH
    _heading(pdf, w.SECTION_TREND.format(unit=unit))
    _image(pdf, charts.trend(report.buckets, report.weekly))

    _heading(pdf, w.SECTION_OPD)
    if report.per_opd:
        _table(pdf, (w.OPD, *_GROUP_HEADERS), _group_rows(report.per_opd), _GROUP_WIDTHS, 7.5)
        _image(pdf, charts.compliance(report.per_opd))
    else:
        _paragraph(pdf, w.NOTHING)

    _heading(pdf, w.SECTION_TECHNICIAN)
    if report.per_technician:
        _table(
            pdf,
            (w.TECHNICIAN, *_GROUP_HEADERS),
            _group_rows(report.per_technician),
            _GROUP_WIDTHS,
            7.5,
        )
        _image(pdf, charts.workload(report.per_technician))
    else:
        _paragraph(pdf, w.NOTHING)

    _heading(pdf, w.SECTION_CATEGORY)
    categories = {key.value: label for key, label in w.FAULT_CATEGORY.items()}
    if report.per_category:
        named = [
            Group(**{**g.__dict__, "name": categories.get(g.name, g.name)})
            for g in report.per_category
        ]
        _table(pdf, (w.CATEGORY, *_GROUP_HEADERS), _group_rows(named), _GROUP_WIDTHS, 7.5)
    else:
        _paragraph(pdf, w.NOTHING)

    _heading(pdf, w.SECTION_COMPLAINTS)
    c = report.complaints
    _table(
        pdf,
        (w.FIGURE, w.VALUE),
        [
            [w.COMPLAINTS_RECEIVED, number(c.received)],
            [w.COMPLAINTS_ANSWERED, number(c.answered_in_time)],
            [w.COMPLAINTS_RESOLVED, number(c.resolved_in_time)],
            [w.COMPLAINTS_ESCALATED, number(c.escalated)],
            [w.COMPLAINTS_OPEN, number(c.still_open)],
            *(
                [f"{w.CHANNEL_HEADER}: {w.CHANNEL.get(k, k)}", number(v)]
                for k, v in c.by_channel.items()
            ),
            *(
                [f"{w.CATEGORY_HEADER}: {w.COMPLAINT_CATEGORY.get(k, k)}", number(v)]
                for k, v in c.by_category.items()
            ),
        ],
        (110.0, 28.0),
    )

    _heading(pdf, w.SECTION_RATINGS)
    r = report.summary.ratings
    _table(
        pdf,
        (w.FIGURE, w.VALUE),
        [
            [w.RATING_COUNT, number(r.count)],
            [w.RATING_AVERAGE, number(r.average, 2)],
            *([w.RATING_SCORE.format(score=s), number(n)] for s, n in r.distribution.items()),
        ],
        (110.0, 28.0),
    )

    _heading(pdf, w.SECTION_SKM)
    skm = report.skm
    if skm is None or not skm.respondents:
        _paragraph(pdf, w.SKM_NONE)
    else:
        _table(
            pdf,
            w.SKM_HEADERS[1:],
            [
                [f"U{i}. {clean(e.name)}", number(e.nrr, 2), number(e.weighted, 3)]
                for i, e in enumerate(skm.elements, start=1)
            ],
            (110.0, 28.0, 32.0),
        )
        _table(
            pdf,
            (w.FIGURE, w.VALUE),
            [
                [w.SKM_RESPONDENTS, number(skm.respondents)],
                [w.SKM_IKM, number(skm.ikm, 3)],
                [w.SKM_CONVERTED, number(skm.converted, 2)],
                [w.SKM_GRADE, skm.grade],
                [w.SKM_PERFORMANCE, skm.performance],
            ],
            (110.0, 28.0),
        )
        _image(pdf, charts.skm(skm.elements))
    _paragraph(pdf, w.SKM_BASIS, _SMALL_PT + 0.5)

    _signature(pdf, signer, report.generated_at.astimezone(tz).date())
    return bytes(pdf.output())
