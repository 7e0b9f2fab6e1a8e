"""Texts of the work queues in `/status` (coordinator, complaints official, kabid) and `/cari`.

Every free text of a list line (OPD, location, names, a complaint's text) is a preview of at
most :data:`LIST_FIELD` characters, so a page of items always fits one message; `/tiket` shows
each item whole.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.services.domain import Status, TicketView
from bot.services.queues import (
    CoordinatorItem,
    CoordinatorQueue,
    ItemKind,
    OfficialItem,
    OfficialQueue,
    Paging,
    SupervisorOverview,
)
from bot.services.search import SearchHit, SearchPage
from bot.services.sla import StepCode
from bot.texts import complaints as tcomp
from bot.texts import sla as ts
from bot.texts.common import CATEGORY, STATUS, esc, short_when
from bot.texts.fit import preview

LIST_FIELD = 80

PREVIOUS_PAGE = "« Sebelumnya"
NEXT_PAGE = "Berikutnya »"


def open_button(number: str) -> str:
    """Label of the button that opens an item as `/tiket` shows it."""
    return f"Rincian {number}"


def action_button(number: str, label: str) -> str:
    """Label of a card's action button in a list, named by the item it acts on."""
    return f"{number} · {label}"


def _page(paging: Paging) -> str:
    return f" (halaman {paging.page + 1} dari {paging.pages})" if paging.pages > 1 else ""


def _left(ticket: TicketView) -> str:
    if ticket.sla is None:
        return f"batas {short_when(ticket.deadline_due_at)}"
    target = ticket.sla.target
    mark = " ⛔" if ticket.sla.breached else " ⚠️" if ticket.sla.at_risk else ""
    if target.overdue:
        return f"target terlampaui {ts.duration(target)}{mark}"
    return f"sisa target {ts.duration(target)}{mark}"


def _ticket_head(ticket: TicketView) -> str:
    return f"• <code>{ticket.number}</code> {preview(ticket.opd_name, LIST_FIELD)}"


def _ticket_body(ticket: TicketView) -> str:
    return (
        f"  {CATEGORY[ticket.category]}, {preview(ticket.location, LIST_FIELD)}: "
        f"{preview(ticket.description, LIST_FIELD)}"
    )


# --- coordinator -----------------------------------------------------------------------------

COORDINATOR_TITLE = "<b>Antrean penanggung jawab</b>"
KIND_TITLE: Mapping[ItemKind, str] = {
    ItemKind.DISPOSITION: "<b>Laporan menunggu disposisi</b>",
    ItemKind.APPROVAL: "<b>Pengajuan peralatan menunggu persetujuan</b>",
    ItemKind.ESCALATION: "<b>Eskalasi kepada penanggung jawab yang masih terbuka</b>",
}
# Why an escalation still holds, in a few words.
ESCALATION: Mapping[StepCode, str] = {
    StepCode.RESPONSE_PASSED: "waktu respons terlampaui, belum diambil teknisi",
    StepCode.TARGET_PASSED: "target penyelesaian terlampaui",
    StepCode.APPROVAL_WAITING: "pengajuan peralatan terlalu lama menunggu persetujuan",
    StepCode.REPAIRED_ESCALATION: "hasil perbaikan belum dikonfirmasi OPD",
}
COORDINATOR_EMPTY = "Tidak ada laporan, pengajuan, atau eskalasi yang menunggu Anda."
ITEMS_HINT = (
    "Tombol «Rincian» membuka tiket seperti /tiket; tombol lainnya sama dengan tombol pada kartu."
)


def _why(item: CoordinatorItem) -> str:
    return "; ".join(ESCALATION.get(code, code.value) for code in item.escalations)


def _coordinator_item(item: CoordinatorItem) -> list[str]:
    ticket = item.ticket
    head = _ticket_head(ticket)
    escalated = [f"  ⚠️ eskalasi: {_why(item)}"] if item.escalations else []
    match item.kind:
        case ItemKind.DISPOSITION:
            return [
                head,
                _ticket_body(ticket),
                f"  diterima {short_when(item.since)} · {_left(ticket)}",
                *escalated,
            ]
        case ItemKind.APPROVAL:
            who = preview(item.technician_name or "-", LIST_FIELD)
            return [
                head,
                f"  diajukan {who}, {short_when(item.since)} · {_left(ticket)}",
                *escalated,
            ]
        case ItemKind.ESCALATION:
            technician = (
                preview(ticket.assignee_name, LIST_FIELD)
                if ticket.assignee_name
                else "belum ada teknisi"
            )
            return [
                f"{head} · {STATUS[ticket.status]}",
                f"  {_why(item)}",
                f"  {technician} · {_left(ticket)}",
            ]


def coordinator(queue: CoordinatorQueue) -> str:
    """The penanggung jawab's section of `/status`: counts, then one page of items."""
    lines = [
        f"{COORDINATOR_TITLE}{_page(queue.paging)}",
        f"Menunggu disposisi: {queue.dispositions} · menunggu persetujuan: {queue.approvals} · "
        f"eskalasi terbuka: {queue.escalations}",
    ]
    if not queue.items:
        return "\n".join([*lines, "", COORDINATOR_EMPTY])
    kind: ItemKind | None = None
    for item in queue.items:
        if item.kind is not kind:
            kind = item.kind
            lines += ["", KIND_TITLE[kind]]
        lines += _coordinator_item(item)
    return "\n".join([*lines, "", ITEMS_HINT])


# --- complaints official ---------------------------------------------------------------------

OFFICIAL_TITLE = "<b>Pengaduan yang diteruskan kepada pejabat pengaduan</b>"
OFFICIAL_EMPTY = "Tidak ada pengaduan terbuka yang diteruskan kepada pejabat pengaduan."
OVERDUE = " <b>(terlampaui)</b>"
OFFICIAL_HINT = (
    "Tombol «Rincian» membuka pengaduan seperti /tiket; tombol lainnya sama dengan tombol pada "
    "pesan pengaduan yang Anda terima."
)


def _official_item(item: OfficialItem) -> list[str]:
    view = item.complaint
    response = (
        f"dijawab {view.response_count} kali"
        if view.response_count
        else f"batas jawaban {short_when(view.response_due_at)}"
        f"{OVERDUE if item.response_overdue else ''}"
    )
    resolution = (
        f"batas penyelesaian {short_when(view.resolution_due_at)}"
        f"{OVERDUE if item.resolution_overdue else ''}"
    )
    return [
        f"• <code>{view.number}</code> {tcomp.STATUS[view.status]} · "
        f"{tcomp.CATEGORY[view.category]}",
        f"  {preview(view.text, LIST_FIELD)}",
        f"  {response} · {resolution}",
    ]


def official(queue: OfficialQueue) -> str:
    """The complaints official's section of `/status`: escalated complaints, earliest due
    first."""
    lines = [f"{OFFICIAL_TITLE}{_page(queue.paging)}", f"Jumlah: {queue.total}"]
    if not queue.items:
        return "\n".join([*lines, "", OFFICIAL_EMPTY])
    for item in queue.items:
        lines += ["", *_official_item(item)]
    return "\n".join([*lines, "", OFFICIAL_HINT])


# --- kabid -----------------------------------------------------------------------------------

SUPERVISOR_TITLE = "<b>Ikhtisar layanan</b>"
OLDEST_TITLE = "<b>Tiket terbuka terlama</b>"
NOTHING_OPEN = "Tidak ada tiket terbuka."


def _oldest_line(ticket: TicketView) -> list[str]:
    who = preview(ticket.assignee_name, LIST_FIELD) if ticket.assignee_name else "belum diambil"
    return [
        f"{_ticket_head(ticket)} · {STATUS[ticket.status]} · {who}",
        f"  diterima {short_when(ticket.received_at)} · {_left(ticket)}"
        if ticket.status is not Status.ON_HOLD
        else f"  diterima {short_when(ticket.received_at)} · waktu layanan dihentikan sementara",
    ]


def supervisor(data: SupervisorOverview) -> str:
    """The kabid's section of `/status`: open work by state and risk, complaints, the oldest
    open tickets."""
    lines = [SUPERVISOR_TITLE, f"Tiket terbuka: <b>{data.open_total}</b>"]
    lines += [f"  {STATUS[status]}: {count}" for status, count in data.by_status]
    lines += [
        f"Belum diambil teknisi: {data.unclaimed}",
        f"Berisiko (target segera terlampaui): {data.at_risk}",
        f"Target terlampaui: {data.target_passed}",
        f"Melewati batas waktu layanan: {data.overdue}",
        f"Ditunda (menunggu OPD): {data.on_hold}",
        f"Pengaduan terbuka: {data.complaints_open} · diteruskan ke pejabat pengaduan: "
        f"{data.complaints_escalated}",
        "",
        f"{OLDEST_TITLE}{_page(data.paging)}",
    ]
    if not data.oldest:
        return "\n".join([*lines, NOTHING_OPEN])
    for ticket in data.oldest:
        lines += _oldest_line(ticket)
    return "\n".join([*lines, "", "Tombol «Rincian» membuka tiket seperti /tiket."])


# --- /cari -----------------------------------------------------------------------------------

SEARCH_NONE = "Tidak ada tiket atau pengaduan yang cocok dengan «{query}»."
SEARCH_NONE_OPD = "Tidak ada tiket {opd} yang cocok dengan «{query}»."
SEARCH_MORE = "Hasil dibatasi {shown} teratas; tambahkan kata agar lebih tepat."


def _hit(hit: SearchHit) -> list[str]:
    if hit.ticket is not None:
        ticket = hit.ticket
        return [
            f"{_ticket_head(ticket)} · {STATUS[ticket.status]}",
            _ticket_body(ticket),
            f"  diterima {short_when(ticket.received_at)}",
        ]
    assert hit.complaint is not None  # noqa: S101 - a hit is a ticket or a complaint
    view = hit.complaint
    return [
        f"• <code>{view.number}</code> {tcomp.STATUS[view.status]} · "
        f"{tcomp.CATEGORY[view.category]}",
        f"  {preview(view.text, LIST_FIELD)}",
        f"  diterima {short_when(view.received_at)}",
    ]


def search(page: SearchPage) -> str:
    """The `/cari` answer: one page of hits, newest first."""
    query = preview(page.query, LIST_FIELD)
    if not page.hits:
        if page.own_opd is not None:
            return SEARCH_NONE_OPD.format(opd=esc(page.own_opd), query=query)
        return SEARCH_NONE.format(query=query)
    where = f" pada tiket {esc(page.own_opd)}" if page.own_opd else ""
    lines = [f"<b>Hasil pencarian «{query}»</b>{where}: {page.total}{_page(page.paging)}"]
    for hit in page.hits:
        lines += ["", *_hit(hit)]
    if page.capped:
        lines += ["", SEARCH_MORE.format(shown=page.total)]
    return "\n".join(lines)
