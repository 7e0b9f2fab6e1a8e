"""Texts of the admin commands: /undang, /opd, /peran."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.domain import OpdView, Role, UserView
from bot.services.errors import DomainError
from bot.services.users import InviteView
from bot.texts import common as tc
from bot.texts import refusals
from bot.texts.common import esc, when

MESSAGE_LIMIT = 4000

PRIVATE_ONLY = "Perintah admin hanya dapat digunakan melalui chat pribadi dengan bot."

# --- /undang ---------------------------------------------------------------------------------

CHOOSE_OPD = (
    "<b>Buat tautan undangan pendaftaran</b>\n"
    "Pilih OPD tujuan (halaman {page} dari {pages}), atau kirim <code>/undang KODE</code>, "
    "misalnya <code>/undang dinkes</code>. Kode OPD dapat dilihat dengan /opd."
)
NO_ACTIVE_OPD = "Belum ada OPD aktif. Tambahkan OPD dengan <code>/opd tambah KODE NAMA</code>."
PREVIOUS_PAGE = "« Sebelumnya"
NEXT_PAGE = "Berikutnya »"


def invite_created(invite: InviteView, bot_username: str, tz: str) -> str:
    """The invite link with its validity, for the admin to forward to the OPD."""
    link = f"https://t.me/{bot_username}?start={invite.token}"
    return "\n".join(
        [
            "<b>Tautan undangan pendaftaran</b>",
            f"OPD: <b>{esc(invite.opd.name)}</b>",
            "",
            esc(link),
            "",
            f"Berlaku sampai: {when(invite.expires_at, tz)}",
            f"Dapat dipakai paling banyak: {invite.max_uses} orang",
            "",
            "Teruskan tautan ini hanya kepada staf OPD tersebut yang akan melaporkan gangguan. "
            "Setiap orang yang membuka tautan akan didaftarkan sebagai pelapor OPD tersebut.",
        ]
    )


# --- /opd ------------------------------------------------------------------------------------

OPD_USAGE = (
    "<b>Pengelolaan OPD</b>\n"
    "<code>/opd</code> — daftar OPD\n"
    "<code>/opd tambah KODE NAMA</code> — tambah OPD baru\n"
    "<code>/opd ubah KODE NAMA BARU</code> — ubah nama OPD\n"
    "<code>/opd nonaktif KODE</code> — nonaktifkan OPD\n"
    "<code>/opd aktif KODE</code> — aktifkan kembali OPD\n\n"
    "KODE terdiri atas 2–32 huruf kecil, angka atau tanda hubung, misalnya "
    "<code>dinkes</code>. OPD nonaktif tidak dapat diberi undangan dan pelapornya tidak dapat "
    "membuat laporan."
)
OPD_SUBCOMMANDS = {
    "tambah": "add",
    "ubah": "rename",
    "nonaktif": "deactivate",
    "aktif": "activate",
}


def opd_list(opds: Sequence[OpdView]) -> list[str]:
    """The OPD list, split into messages that fit Telegram's length limit."""
    active = sum(1 for opd in opds if opd.active)
    header = (
        f"<b>Daftar OPD</b> ({active} aktif, {len(opds) - active} nonaktif)\n"
        "✅ aktif · ⛔ nonaktif"
    )
    lines = [
        f"{'✅' if opd.active else '⛔'} <code>{esc(opd.code)}</code> — {esc(opd.name)}"
        for opd in opds
    ]
    return _chunks([header, "", *lines, "", OPD_USAGE])


def opd_added(opd: OpdView) -> str:
    """Confirms a new OPD."""
    return (
        f"OPD <b>{esc(opd.name)}</b> (kode <code>{esc(opd.code)}</code>) telah ditambahkan. "
        f"Buat tautan undangan dengan <code>/undang {esc(opd.code)}</code>."
    )


def opd_renamed(opd: OpdView) -> str:
    """Confirms a renamed OPD."""
    return f"Nama OPD <code>{esc(opd.code)}</code> telah diubah menjadi <b>{esc(opd.name)}</b>."


def opd_active_changed(opd: OpdView) -> str:
    """Confirms a deactivated or reactivated OPD."""
    if opd.active:
        return f"OPD <b>{esc(opd.name)}</b> telah diaktifkan kembali."
    return (
        f"OPD <b>{esc(opd.name)}</b> telah dinonaktifkan. OPD ini tidak dapat diberi tautan "
        "undangan dan pelapornya tidak dapat membuat laporan baru sampai diaktifkan kembali."
    )


# --- /peran ----------------------------------------------------------------------------------

ROLE_ALIASES: dict[str, Role] = {
    "pelapor": Role.REPORTER,
    "reporter": Role.REPORTER,
    "teknisi": Role.TECHNICIAN,
    "technician": Role.TECHNICIAN,
    "penanggung_jawab": Role.COORDINATOR,
    "penanggungjawab": Role.COORDINATOR,
    "koordinator": Role.COORDINATOR,
    "coordinator": Role.COORDINATOR,
    "pejabat": Role.OFFICIAL,
    "pejabat_pengaduan": Role.OFFICIAL,
    "official": Role.OFFICIAL,
    "kabid": Role.SUPERVISOR,
    "kepala_bidang": Role.SUPERVISOR,
    "supervisor": Role.SUPERVISOR,
    "admin": Role.ADMIN,
}
REVOKE_WORDS = frozenset({"cabut", "hapus"})
ROLE_NAMES = {
    Role.REPORTER: "pelapor",
    Role.TECHNICIAN: "teknisi",
    Role.COORDINATOR: "penanggung_jawab",
    Role.OFFICIAL: "pejabat",
    Role.SUPERVISOR: "kabid",
    Role.ADMIN: "admin",
}


def parse_role(word: str) -> Role | None:
    """Returns the role a code or Indonesian name stands for."""
    return ROLE_ALIASES.get(word.strip().lower().replace("-", "_"))


def peran_usage() -> str:
    """How to use /peran, with the list of roles."""
    roles = "\n".join(
        f"• <code>{ROLE_NAMES[role]}</code> — {tc.ROLE[role.value]}" for role in Role
    )
    return (
        "<b>Pengelolaan peran pengguna</b>\n"
        "<code>/peran ID</code> — lihat peran pengguna\n"
        "<code>/peran ID PERAN</code> — berikan peran\n"
        "<code>/peran ID PERAN cabut</code> — cabut peran\n\n"
        "ID adalah ID Telegram (angka) yang ditampilkan bot kepada pengguna saat ia mengirim "
        "/start. Pengguna harus sudah membuka bot terlebih dahulu.\n\n"
        f"<b>Peran</b>\n{roles}\n\n"
        "Contoh: <code>/peran 123456789 teknisi</code>"
    )


def user_roles(user: UserView) -> str:
    """A user's name, OPD and roles."""
    roles = ", ".join(tc.ROLE[role.value] for role in Role if role.value in user.roles)
    opd = esc(user.opd.name) if user.opd else "—"
    return "\n".join(
        [
            f"<b>{esc(user.full_name)}</b> (ID <code>{user.telegram_id}</code>)",
            f"OPD: {opd}",
            f"Peran: {roles or 'belum ada'}",
        ]
    )


def role_changed(user: UserView, role: Role, grant: bool) -> str:
    """Confirms a granted or revoked role."""
    verb = "diberikan kepada" if grant else "dicabut dari"
    return (
        f"Peran <b>{tc.ROLE[role.value]}</b> telah {verb} {esc(user.full_name)}.\n\n"
        f"{user_roles(user)}"
    )


# --- refusals --------------------------------------------------------------------------------

REFUSALS = refusals.REFUSALS
NOT_FOUND = {what: REFUSALS[f"not_found:{what}"] for what in ("opd", "user")}


def refusal(error: DomainError) -> str:
    """Returns the message for a refused admin action."""
    return refusals.refusal(error)


def _chunks(lines: Sequence[str]) -> list[str]:
    messages: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if current and size + len(line) + 1 > MESSAGE_LIMIT:
            messages.append("\n".join(current))
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    if current:
        messages.append("\n".join(current))
    return messages
