"""Fitting messages into Telegram's limits without losing what people wrote.

Telegram refuses a text over 4,096 and a caption over 1,024 UTF-16 code units of what it shows
(the HTML tags do not count, `&lt;` counts as one). Every input is checked on its own, but a
message puts several of them together, so a message with free-text fields is built through
`fit`: when the whole is too long, every field is cut to one shared length (the longest first,
shorter ones stay whole, names only when nothing else helps) to a preview ending in «…». The
cut is made in the raw text before it is escaped, so it never falls inside a tag or an entity.
The fields that were cut come back as `Cut`s, and `full_texts` turns them into follow-up
messages that carry them whole. `split` and `pages` spread lines (a long list, a timeline) over
as many messages as they need. Behind all this, `bot.render.common.within_limits` splits or
shortens any outbox call that still outgrew a limit, with a warning.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.texts.labels import esc

T = TypeVar("T")

# Bot API limits, in UTF-16 code units of the text as shown.
TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# A wizard may put a short hint (what was wrong with the last answer) above its question.
PROMPT_LIMIT = TEXT_LIMIT - 512
ELLIPSIS = "…"

CUT_BELOW = (
    "<i>Teks bertanda … dipotong karena terlalu panjang; teks lengkapnya dikirim pada pesan "
    "berikut.</i>"
)
CUT_ABOVE = (
    "<i>Teks bertanda … dipotong karena terlalu panjang; teks lengkapnya dikirim pada pesan "
    "sebelumnya.</i>"
)
CUT_KEPT = "<i>Teks bertanda … dipotong agar muat dalam satu pesan; isian tersimpan utuh.</i>"


def cut_see(number: str) -> str:
    """Says that texts were cut and that `/tiket` shows them whole."""
    return (
        "<i>Teks bertanda … dipotong karena terlalu panjang; baca utuh dengan "
        f"/tiket {number}.</i>"
    )


def subject(number: str) -> str:
    """Names a ticket or complaint at the head of a message that carries a cut text whole."""
    return f"<code>{esc(number)}</code>"


def full_head(label: str, title: str, part: int, parts: int) -> str:
    """Heads a follow-up message that carries a cut text whole."""
    more = f" (bagian {part} dari {parts})" if parts > 1 else ""
    return f"{title} · <b>{esc(label)}</b>, teks lengkap{more}"


def continued(title: str) -> str:
    """Heads the next message of a text spread over several."""
    return f"{title} (lanjutan)"


# --- measuring -------------------------------------------------------------------------------

_TAG = re.compile(r"<[^<>]*>")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*>")


def units(text: str) -> int:
    """Returns the length of plain text in UTF-16 code units, as Telegram counts it."""
    return len(text.encode("utf-16-le")) // 2


def plain(markup: str) -> str:
    """Returns the text an HTML message shows (tags dropped, entities decoded)."""
    return html.unescape(_TAG.sub("", markup))


def shown(markup: str) -> int:
    """Returns how many UTF-16 code units an HTML message shows."""
    return units(plain(markup))


def _prefix(raw: str, budget: int) -> str:
    """Returns the longest start of `raw` that takes at most `budget` UTF-16 units."""
    used = 0
    for index, char in enumerate(raw):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > budget:
            return raw[:index]
    return raw


def _cut_point(raw: str, budget: int) -> int:
    """Returns where to cut `raw` to fit `budget`: at a line or word break when one is near."""
    head = _prefix(raw, budget)
    if len(head) == len(raw):
        return len(raw)
    for stop in ("\n", " "):
        at = head.rfind(stop)
        if at >= len(head) * 3 // 4 and at > 0:
            return at
    return len(head)


def preview(raw: str, budget: int) -> str:
    """Returns raw text, escaped, cut to at most `budget` UTF-16 units with «…» at the end."""
    if units(raw) <= budget:
        return esc(raw)
    head = raw[: _cut_point(raw, max(budget - 1, 0))].rstrip()
    return esc(head + ELLIPSIS)


def split_raw(raw: str, budget: int) -> list[str]:
    """Splits raw text into parts of at most `budget` UTF-16 units, at line or word breaks."""
    parts: list[str] = []
    rest = raw
    while units(rest) > budget:
        at = max(_cut_point(rest, budget), 1)
        parts.append(rest[:at].rstrip())
        rest = rest[at:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


# --- fitting fields --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cut:
    """A field shown shortened: its label and the whole of it (raw text, or HTML lines)."""

    label: str
    text: str | None = None
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fitted:
    """A message that fits, with the fields that had to be cut to make it fit."""

    text: str
    cuts: tuple[Cut, ...] = ()


Field = Callable[[str], str]


class Clip:
    """Escapes the free-text fields of one build of a message, each cut to a shared budget.

    Names (of people, the OPD, a place) are short fields: they keep their whole text while
    cutting the long ones (descriptions, reasons, answers, lists) is enough, and share the budget
    only when it is not.
    """

    def __init__(self, budget: int | None = None, *, names_too: bool = False) -> None:
        self._budget = budget
        self._names_too = names_too
        self.longest = 0
        self.cuts: list[Cut] = []

    def _field(self, raw: str, name: bool = False) -> tuple[str, bool]:
        size = units(raw)
        self.longest = max(self.longest, size)
        exempt = name and not self._names_too
        if self._budget is None or size <= self._budget or exempt:
            return esc(raw), False
        return preview(raw, self._budget), True

    def __call__(self, raw: str, label: str) -> str:
        """Returns a long field escaped, shortened when it is over the budget."""
        text, cut = self._field(raw)
        if cut:
            self.cuts.append(Cut(label, text=raw))
        return text

    def name(self, raw: str, label: str) -> str:
        """Returns a short field (a name) escaped, shortened only when long ones are not
        enough."""
        text, cut = self._field(raw, name=True)
        if cut:
            self.cuts.append(Cut(label, text=raw))
        return text

    def lines(self, label: str, values: Iterable[T], line: Callable[[Field, T], str]) -> list[str]:
        """Returns the lines of a list whose fields share the budget; the whole list is kept
        as one `Cut` when any of its fields was cut."""
        values = list(values)
        cut_any = False

        def field(raw: str) -> str:
            nonlocal cut_any
            text, cut = self._field(raw)
            cut_any = cut_any or cut
            return text

        shown_lines = [line(field, value) for value in values]
        if cut_any:
            self.cuts.append(Cut(label, lines=tuple(line(esc, value) for value in values)))
        return shown_lines


def _widest(build: Callable[[Clip], str], room: int, names_too: bool) -> tuple[str, Clip] | None:
    """Returns the build with the largest shared budget that fits `room`, if any does."""
    whole = Clip(names_too=names_too)
    build(whole)
    best: tuple[str, Clip] | None = None
    low, high = 0, whole.longest
    while low <= high:
        budget = (low + high) // 2
        clip = Clip(budget, names_too=names_too)
        candidate = build(clip)
        if shown(candidate) <= room:
            best, low = (candidate, clip), budget + 1
        else:
            high = budget - 1
    return best


def fit(build: Callable[[Clip], str], limit: int = TEXT_LIMIT, note: str = "") -> Fitted:
    """Builds a message whose free-text fields are cut, longest first, until it fits `limit`;
    `note` (what to do about the cut texts) is added below when anything was cut."""
    text = build(Clip())
    if shown(text) <= limit:
        return Fitted(text)
    room = limit - (shown(note) + 2 if note else 0)
    best = _widest(build, room, names_too=False) or _widest(build, room, names_too=True)
    if best is None:
        # Not even the fixed parts fit: never hand Telegram what it refuses.
        clip = Clip(0, names_too=True)
        return Fitted(shorten(build(clip), limit), tuple(clip.cuts))
    candidate, clip = best
    return Fitted(f"{candidate}\n\n{note}" if note else candidate, tuple(clip.cuts))


def shorten(markup: str, limit: int) -> str:
    """Returns HTML that fits `limit`: as it is, or as plain text cut to a preview."""
    if shown(markup) <= limit:
        return markup
    return preview(plain(markup), limit)


# --- spreading over messages -----------------------------------------------------------------


def _depth(line: str) -> int:
    depth = 0
    for match in _TAG_NAME.finditer(line):
        depth += -1 if match.group(1) else 1
    return depth


def _blocks(markup: str) -> list[str]:
    """Returns the lines of HTML, a tag that spans lines kept in one block."""
    blocks: list[str] = []
    pending: list[str] = []
    depth = 0
    for line in markup.split("\n"):
        pending.append(line)
        depth += _depth(line)
        if depth <= 0:
            blocks.append("\n".join(pending))
            pending, depth = [], 0
    if pending:
        blocks.append("\n".join(pending))
    return blocks


def split(markup: str, limit: int = TEXT_LIMIT, head: str = "") -> list[str]:
    """Spreads HTML over messages of at most `limit`, breaking between lines; every message
    after the first starts with `head`. A single line too long for a message is sent as plain
    text in parts."""
    return pages(_blocks(markup), limit, head)


def pages(blocks: Sequence[str], limit: int = TEXT_LIMIT, head: str = "") -> list[str]:
    """Spreads blocks of HTML lines over messages of at most `limit`, each block whole in one
    message when it fits one; every message after the first starts with `head`."""
    markup = "\n".join(blocks)
    if shown(markup) <= limit:
        return [markup]
    first_room, room = limit, limit - (shown(head) + 1 if head else 0)
    sheets: list[list[str]] = [[]]
    used = 0
    for block in blocks:
        size = shown(block)
        space = first_room if len(sheets) == 1 else room
        if sheets[-1] and used + 1 + size <= space:
            sheets[-1].append(block)
            used += 1 + size
            continue
        if not sheets[-1] and size <= space:
            sheets[-1].append(block)
            used = size
            continue
        if size <= room:
            sheets.append([block])
            used = size
            continue
        for part in split_raw(plain(block), room):
            if sheets[-1]:
                sheets.append([])
            sheets[-1].append(esc(part))
            used = units(part)
    texts = ["\n".join(page).strip("\n") for page in sheets]
    texts = [page for page in texts if page.strip()]
    return [texts[0], *(f"{head}\n{page}" if head else page for page in texts[1:])]


def timeline_blocks(summary: str, entries: Sequence[str], tail: Sequence[str] = ()) -> list[str]:
    """Returns the blocks of a details-and-timeline answer: the heading stays with the first
    entry and what closes the answer (`tail`) with the last, so no message holds either alone."""
    heading = "\n<b>Riwayat</b>"
    entries = [*entries] or [""]
    first, last = 0, len(entries) - 1
    blocks = [f"{heading}\n{entry}" if n == first else entry for n, entry in enumerate(entries)]
    blocks[last] = "\n".join([blocks[last], *tail])
    return [summary, *(block.rstrip("\n") for block in blocks)]


def full_texts(title: str, cuts: Sequence[Cut], limit: int = TEXT_LIMIT) -> list[str]:
    """Returns follow-up messages that carry every cut field whole, in parts when needed; a
    text cut twice (an answer on the card and in its timeline) is sent once."""
    messages: list[str] = []
    sent: set[tuple[str | None, tuple[str, ...]]] = set()
    for cut in cuts:
        if (cut.text, cut.lines) in sent:
            continue
        sent.add((cut.text, cut.lines))
        room = limit - shown(full_head(cut.label, title, 99, 99)) - 2
        if cut.text is not None:
            parts = [esc(part) for part in split_raw(cut.text, room)]
        else:
            parts = split("\n".join(cut.lines), room)
        for number, part in enumerate(parts, 1):
            messages.append(f"{full_head(cut.label, title, number, len(parts))}\n\n{part}")
    return messages
