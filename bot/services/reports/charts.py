"""The report's charts, drawn with matplotlib on the Agg backend as PNG bytes.

Only the object-oriented API (Figure + FigureCanvasAgg) is used: no pyplot state, so charts
can be drawn in a worker thread while the bot keeps answering.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.services.reports import words as w
from bot.services.reports.figures import Bucket, Group, SkmElement

BLUE = "#1F4E79"
LIGHT_BLUE = "#7FA7D1"
ORANGE = "#C55A11"
DPI = 150
MAX_BARS = 15


def _png(figure: Figure) -> bytes:
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight")
    return out.getvalue()


def _figure(height: float = 2.6) -> Figure:
    figure = Figure(figsize=(6.8, height))
    figure.set_layout_engine("tight")
    return figure


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def trend(buckets: Sequence[Bucket], weekly: bool) -> bytes:
    """Returns the bars of tickets received and closed per week or month."""
    figure = _figure()
    axes = figure.add_subplot()
    labels = [
        w.WEEK_OF.format(day=b.first.strftime("%d/%m"))
        if weekly
        else f"{w.MONTHS[b.first.month - 1][:3]} {b.first.year}"
        for b in buckets
    ]
    positions = range(len(buckets))
    axes.bar(
        [p - 0.2 for p in positions],
        [b.received for b in buckets],
        0.4,
        label=w.CHART_RECEIVED,
        color=BLUE,
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [b.closed for b in buckets],
        0.4,
        label=w.CHART_CLOSED,
        color=LIGHT_BLUE,
    )
    axes.set_xticks(
        list(positions),
        labels,
        rotation=45 if len(labels) > 6 else 0,
        ha="right" if len(labels) > 6 else "center",
        fontsize=7,
    )
    axes.set_ylabel(w.CHART_COUNT, fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(fontsize=7, frameon=False)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


def compliance(groups: Sequence[Group]) -> bytes:
    """Returns the horizontal bars of the share within target and within 5 working days."""
    shown = sorted(groups, key=lambda g: (-g.received, g.name))[:MAX_BARS]
    shown.reverse()
    figure = _figure(max(1.8, 0.28 * len(shown) + 1.0))
    axes = figure.add_subplot()
    positions = range(len(shown))
    axes.barh(
        [p + 0.2 for p in positions],
        [g.target_share or 0 for g in shown],
        0.4,
        label=w.CHART_TARGET,
        color=BLUE,
    )
    axes.barh(
        [p - 0.2 for p in positions],
        [g.deadline_share or 0 for g in shown],
        0.4,
        label=w.CHART_DEADLINE,
        color=LIGHT_BLUE,
    )
    axes.set_yticks(list(positions), [_short(g.name, 34) for g in shown], fontsize=7)
    axes.set_xlim(0, 100)
    axes.set_xlabel(w.CHART_SHARE, fontsize=8)
    axes.tick_params(axis="x", labelsize=7)
    axes.legend(fontsize=7, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2)
    axes.grid(axis="x", alpha=0.3)
    return _png(figure)


def workload(groups: Sequence[Group]) -> bytes:
    """Returns the technicians' handled and closed tickets with their share within target."""
    shown = sorted(groups, key=lambda g: (-g.received, g.name))[:MAX_BARS]
    figure = _figure()
    axes = figure.add_subplot()
    positions = list(range(len(shown)))
    axes.bar(
        [p - 0.2 for p in positions],
        [g.received for g in shown],
        0.4,
        label=w.CHART_HANDLED,
        color=BLUE,
    )
    axes.bar(
        [p + 0.2 for p in positions],
        [g.closed for g in shown],
        0.4,
        label=w.CHART_CLOSED,
        color=LIGHT_BLUE,
    )
    axes.set_xticks(
        positions,
        [_short(g.name, 16) for g in shown],
        fontsize=7,
        rotation=30 if len(shown) > 5 else 0,
        ha="right" if len(shown) > 5 else "center",
    )
    axes.set_ylabel(w.CHART_COUNT, fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    share = axes.twinx()
    share.plot(
        positions, [g.target_share or 0 for g in shown], "o", color=ORANGE, label=w.CHART_TARGET
    )
    share.set_ylim(0, 105)
    share.set_ylabel(w.CHART_TARGET, fontsize=8)
    share.tick_params(axis="y", labelsize=7)
    handles, labels = axes.get_legend_handles_labels()
    more, more_labels = share.get_legend_handles_labels()
    axes.legend(
        handles + more,
        labels + more_labels,
        fontsize=7,
        frameon=False,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=3,
    )
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)


def skm(elements: Sequence[SkmElement]) -> bytes:
    """Returns the NRR of each SKM element on the 1-4 scale."""
    figure = _figure(2.4)
    axes = figure.add_subplot()
    positions = list(range(len(elements)))
    bars = axes.bar(positions, [e.nrr for e in elements], 0.6, color=BLUE)
    axes.bar_label(bars, [f"{e.nrr:.2f}".replace(".", ",") for e in elements], fontsize=7)
    axes.set_xticks(positions, [f"U{i}" for i in range(1, len(elements) + 1)], fontsize=7)
    axes.set_ylim(0, 4.4)
    axes.set_ylabel(w.CHART_NRR, fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.grid(axis="y", alpha=0.3)
    return _png(figure)
