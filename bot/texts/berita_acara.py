"""Texts of the berita acara's confirmations (issue 12): the technician's confirmation in the
repair report, the OPD's choice of signatory, the request to confirm with one's own account,
its reminders, and the waiting line of `/tiket`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.services.berita_acara import DISPOSITIONS, format_moment
from bot.services.berita_acara.confirmations import (
    Awaited,
    AwaitedRequest,
    Candidate,
    ConfirmationView,
    PartyCode,
)
from bot.services.domain import ReplacedLine, TicketView
from bot.texts.common import esc
from bot.texts.fit import PROMPT_LIMIT, Clip, Field, fit
from bot.texts.wizards import RR_SEND

PARTY = {PartyCode.TECHNICIAN: "PIHAK PERTAMA (teknisi)", PartyCode.OPD: "PIHAK KEDUA (OPD)"}

# --- the technician: repair report -----------------------------------------------------------

ASK_DISPOSITION = (
    "Bagaimana <b>perangkat lama</b> yang diganti diperlakukan? Pilihan ini dicetak pada berita "
    "acara."
)
DISPOSITION_BUTTONS = {
    "returned": "Dikembalikan ke OPD",
    "stored": "Disimpan Dinas Kominfo",
    "written_off": "Dihapus dari inventaris",
}
ASK_TECH_NIP = (
    "Berita acara mencantumkan NIP PIHAK PERTAMA. Tuliskan <b>NIP</b> Anda (18 digit), atau "
    "tekan «Bukan ASN» bila Anda tidak memiliki NIP. Data ini disimpan pada profil Anda "
    "(/profil) dan tidak ditanyakan lagi."
)
ASK_TECH_POSITION = (
    "Tuliskan <b>jabatan</b> Anda untuk berita acara, misalnya «Pranata Komputer Ahli Pertama». "
    "Data ini disimpan pada profil Anda."
)
NO_NIP = "Bukan ASN"
NEED_NIP = "Tuliskan NIP 18 digit, atau tekan tombol di bawah."


def technician_confirmation(disposition: str | None, nip: str | None, position: str | None) -> str:
    """The lines under the repair summary: the old devices and what sending confirms."""
    lines = []
    if disposition:
        lines.append(f"Perangkat lama: {esc(DISPOSITIONS[disposition])}.")
    if position:
        lines.append(f"Jabatan Anda: {esc(position)}; NIP: {esc(nip) if nip else '-'}.")
    lines.append(
        f"Dengan menekan «{RR_SEND}», Anda sebagai PIHAK PERTAMA mengonfirmasi isi berita "
        "acara: tindakan, perangkat yang diganti beserta nomor serinya. Konfirmasi dicatat "
        "dengan akun Telegram Anda."
    )
    return "\n".join(lines)


# --- the OPD: who signs ----------------------------------------------------------------------

OTHER_SIGNER = "Pejabat lain yang belum terdaftar (a.n.)"
OTHER_SIGNATORY_HINT = (
    "Konfirmasi dicatat dengan akun Telegram Anda. Bila berita acara ditandatangani orang lain "
    "(misalnya Kepala Dinas), tekan «Ubah penandatangan»."
)
BACK = "« Kembali"
SEND_TO_OTHER = "Kirim untuk dikonfirmasi"
SIGN_BEHALF = "Benar, tandatangani a.n."


def ask_who(candidates: Sequence[Candidate]) -> str:
    """Asks who signs for the OPD instead of the person answering."""
    lines = ["<b>Siapa yang menandatangani berita acara sebagai PIHAK KEDUA?</b>"]
    if candidates:
        lines.append(
            "Pilih rekan OPD Anda yang terdaftar di bot; berita acara dikirim kepadanya untuk "
            "dikonfirmasi dengan akun Telegram-nya sendiri."
        )
    else:
        lines.append("Belum ada rekan lain dari OPD Anda yang terdaftar di bot.")
    lines.append(
        f"Bila penandatangan (misalnya Kepala Dinas) belum terdaftar, pilih «{OTHER_SIGNER}»: "
        "Anda menandatangani atas nama beliau (a.n.) dan berita acara mencantumkannya."
    )
    return "\n".join(lines)


def candidate_label(candidate: Candidate) -> str:
    """The button of another person of the OPD."""
    label = candidate.name + (f" — {candidate.position}" if candidate.position else "")
    return label[:60]


def confirm_other(name: str) -> str:
    """Asks to send the berita acara to another person to confirm."""
    return (
        f"Berita acara akan dikirim kepada <b>{esc(name)}</b> untuk diperiksa dan dikonfirmasi "
        "dengan akun Telegram-nya sendiri. Berita acara berlaku setelah dikonfirmasi.\n\n"
        f"Tekan «{SEND_TO_OTHER}» untuk melanjutkan."
    )


ASK_BEHALF_NAME = (
    "Tuliskan <b>nama lengkap</b> pejabat yang Anda wakili (dengan gelar), misalnya "
    "«dr. Hadi Prasetyo, M.Kes.»."
)
ASK_BEHALF_POSITION = (
    "Tuliskan <b>jabatan</b> pejabat tersebut, misalnya «Kepala Dinas Kesehatan»."
)
ASK_OWN_POSITION = (
    "Tuliskan <b>jabatan</b> Anda untuk berita acara. Data ini disimpan pada profil Anda."
)


def confirm_behalf(
    behalf_name: str, behalf_position: str, name: str, nip: str | None, position: str
) -> str:
    """Shows the "a.n." signature block before signing."""
    return "\n".join(
        [
            "<b>Penandatangan berita acara (PIHAK KEDUA)</b>",
            f"a.n. {esc(behalf_position)} ({esc(behalf_name)})",
            f"{esc(position)},",
            f"{esc(name)}",
            f"NIP: {esc(nip) if nip else '-'}",
            "",
            "Anda menandatangani atas nama pejabat tersebut; konfirmasi dicatat dengan akun "
            f"Telegram Anda. Tekan «{SIGN_BEHALF}» bila sudah benar.",
        ]
    )


def waiting(awaited: Sequence[Awaited]) -> str:
    """Tells the person who confirmed that the berita acara waits for others."""
    names = ", ".join(f"{esc(a.name)} ({PARTY[a.party]})" for a in awaited)
    return (
        f"Terima kasih, konfirmasi Anda tercatat. Berita acara menunggu konfirmasi {names}; "
        "berkasnya dikirim kepada Anda setelah semua pihak mengonfirmasi."
    )


# --- the awaited person ----------------------------------------------------------------------

CONFIRM_TITLE = "konfirmasi berita acara"
CONFIRM = "Konfirmasi"
LATER = "Nanti saja"
NEED_CONFIRM = f"Tekan «{CONFIRM}» atau «{LATER}»."
CONFIRM_CANCELLED = (
    "Konfirmasi berita acara ditunda. Tombol pada pesan permintaan masih dapat ditekan."
)
CONFIRM_TIMED_OUT = (
    "Konfirmasi berita acara dihentikan karena tidak ada jawaban cukup lama. Tekan lagi tombol "
    "pada pesan permintaan untuk melanjutkan."
)
CONFIRM_LOST = "Maaf, isian tidak ditemukan lagi. Tekan lagi tombol pada pesan permintaan."
OPEN_REQUEST = "Periksa dan konfirmasi"


def _item(field: Field, item: ReplacedLine) -> str:
    old = field(item.old_serial) if item.old_serial else "-"
    new = field(item.new_serial) if item.new_serial else "-"
    return (
        f"{field(item.name)}: {item.quantity} {field(item.unit)}; no. seri lama {old}, baru {new}"
    )


def _items(clip: Clip, items: Sequence[ReplacedLine]) -> str:
    if not items:
        return "Tidak ada peralatan yang diganti."
    lines = clip.lines("Peralatan", items, _item)
    return "Peralatan yang diganti:\n" + "\n".join(f"{i}. {x}" for i, x in enumerate(lines, 1))


def request(
    ticket: TicketView,
    party: str,
    requested_by: str,
    actions: str,
    items: Sequence[ReplacedLine],
    reminder: int,
) -> str:
    """The private request to confirm a berita acara (or its reminder)."""

    def build(clip: Clip) -> str:
        head = f"Pengingat ke-{reminder}: " if reminder else ""
        who = PARTY[PartyCode(party)]
        by = f" {esc(requested_by)} memilih Anda sebagai penandatangan." if requested_by else ""
        return (
            f"{head}Berita acara tiket <code>{esc(ticket.number)}</code> "
            f"({esc(ticket.opd_name)}) menunggu konfirmasi Anda sebagai <b>{who}</b>.{by}\n\n"
            f"Tindakan: {clip(actions, 'Tindakan')}\n{_items(clip, items)}\n\n"
            f"Tekan «{OPEN_REQUEST}» untuk memeriksa dan mengonfirmasi dengan akun Anda."
        )

    return fit(build).text


def awaited_summary(request_: AwaitedRequest, nip: str | None, position: str | None) -> str:
    """What the awaited person confirms."""

    def build(clip: Clip) -> str:
        who = PARTY[request_.party]
        lines = [
            f"<b>Konfirmasi berita acara tiket {esc(request_.ticket_number)}</b>",
            f"OPD: {esc(request_.opd_name)}",
            f"Diagnosis: {clip(request_.diagnosis, 'Diagnosis')}",
            f"Tindakan: {clip(request_.actions, 'Tindakan')}",
            _items(clip, request_.items),
            "",
        ]
        if position:
            lines.append(f"Jabatan Anda: {esc(position)}; NIP: {esc(nip) if nip else '-'}")
        lines.append(
            f"Dengan menekan «{CONFIRM}», Anda sebagai {who} mengonfirmasi isi berita acara"
            + (
                " dan bahwa jaringan sudah normal kembali"
                if request_.party is PartyCode.OPD
                else ""
            )
            + ". Konfirmasi dicatat dengan akun Telegram Anda."
        )
        return "\n".join(lines)

    return fit(build, PROMPT_LIMIT).text


CONFIRMED_DONE = "Terima kasih, konfirmasi Anda tercatat."


def kabid_profile(number: str) -> str:
    """Asks the Kepala Bidang once for the NIP the "Mengetahui" block prints."""
    return (
        f"Berita acara <b>{esc(number)}</b> mencantumkan Anda pada blok «Mengetahui», tetapi NIP "
        "Anda belum tercatat. Lengkapi nama dengan gelar, NIP, dan pangkat/golongan melalui "
        "/profil; berita acara berikutnya memakainya."
    )


def awaiting_coordinator(
    ticket: TicketView, name: str, party: str, since: datetime, tz: str
) -> str:
    """Tells a coordinator a berita acara still waits after the reminders."""
    return (
        f"Berita acara tiket <code>{esc(ticket.number)}</code> ({esc(ticket.opd_name)}) masih "
        f"menunggu konfirmasi <b>{esc(name)}</b> sebagai {PARTY[PartyCode(party)]} sejak "
        f"{format_moment(since, tz)}, setelah tiga kali pengingat. Mohon ditindaklanjuti."
    )


# --- /tiket and /verifikasi ---------------------------------------------------------------------


def waiting_line(awaited: Sequence[Awaited]) -> str:
    """The `/tiket` line naming who the berita acara waits for ("" when none)."""
    if not awaited:
        return ""
    names = "; ".join(f"{esc(a.name)} ({PARTY[a.party]})" for a in awaited)
    return f"Berita acara menunggu konfirmasi: {names}."


def confirmation_line(view: ConfirmationView, tz: str) -> str:
    """One party's confirmation as /verifikasi tells it."""
    who = esc(view.name) + (f", {esc(view.position)}" if view.position else "")
    if view.on_behalf_position:
        behalf = esc(view.on_behalf_position)
        named = f" ({esc(view.on_behalf_name)})" if view.on_behalf_name else ""
        who += f", a.n. {behalf}{named}"
    if view.confirmed_at is None:
        return f"{PARTY[view.party]}: {who} — belum mengonfirmasi"
    account = f"@{esc(view.username)} " if view.username else ""
    return (
        f"{PARTY[view.party]}: {who} — dikonfirmasi melalui akun Telegram {account}"
        f"(id {view.telegram_id}) pada {format_moment(view.confirmed_at, tz)}"
    )
