"""A known history for the report tests: October 2026, six tickets over two OPDs and two
technicians (holds, a reopen, material requests, breaches, ratings), three complaints and two
SKM questionnaires, plus
rows just outside the month that must not count. Expected figures are worked out by hand in
tests/services/test_reports.py (a working day is 435 minutes: 08:00-12:00 and 12:30-15:45).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.services.container import Services
from db.models import Complaint, Opd, SkmResponse, Ticket, TicketEvent, User

WIB = ZoneInfo("Asia/Jakarta")


def wib(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Returns a moment of 2026 in WIB."""
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


@dataclass(frozen=True)
class History:
    """The names the expected figures refer to."""

    opd_a: str
    opd_b: str
    budi: str = "Budi Santoso"
    sari: str = "Sari Dewi"


Event = tuple[datetime, str, str | None, str | None]


async def build(services: Services) -> History:
    """Writes the history to the database."""
    async with services.uow() as uow:
        session = uow.session
        opd_a, opd_b = (await session.scalars(select(Opd).order_by(Opd.id).limit(2))).all()
        reporter = User(
            telegram_id=9101, full_name="Pelapor", created_at=wib(9, 1), opd_id=opd_a.id
        )
        budi = User(telegram_id=9102, full_name="Budi Santoso", created_at=wib(9, 1))
        sari = User(telegram_id=9103, full_name="Sari Dewi", created_at=wib(9, 1))
        session.add_all([reporter, budi, sari])
        await session.flush()
        serial = iter(range(1, 100))

        async def ticket(
            opd: Opd,
            tech: User | None,
            status: str,
            category: str,
            received: datetime,
            *,
            claimed: datetime | None = None,
            closed: datetime | None = None,
            classification: str | None = None,
            rating: int | None = None,
            events: tuple[Event, ...] = (),
        ) -> None:
            row = Ticket(
                number=f"BN-2026-{next(serial):05d}",
                opd_id=opd.id,
                reporter_id=reporter.id,
                assignee_id=tech.id if tech else None,
                status=status,
                category=category,
                impact="one_room",
                location="Ruang rapat",
                description="Uji laporan",
                contact_phone="081234567890",
                letter_status="follows",
                received_at=received,
                claimed_at=claimed,
                target_due_at=received,
                deadline_due_at=received,
                closed_at=closed,
                updated_at=received,
                classification=classification,
                reopen_count=sum(1 for e in events if e[1] == "reopened"),
                rating=rating,
            )
            session.add(row)
            await session.flush()
            session.add_all(
                TicketEvent(ticket_id=row.id, at=at, kind=kind, from_status=a, to_status=b)
                for at, kind, a, b in ((received, "reported", None, "NEW"), *events)
            )

        # T1: light, claimed after 1 h, repaired the same day, closed the next morning.
        await ticket(
            opd_a,
            budi,
            "CLOSED",
            "slow",
            wib(10, 5, 8),
            claimed=wib(10, 5, 9),
            closed=wib(10, 6, 10),
            classification="light",
            rating=4,
            events=(
                (wib(10, 5, 9), "claimed", "DISPOSED", "CHECKING"),
                (wib(10, 5, 14), "repaired", "REPAIRING", "REPAIRED"),
                (wib(10, 6, 10), "confirmed", "REPAIRED", "CLOSED"),
            ),
        )
        # T2: heavy (material approved), held 195 working minutes, reopened once.
        await ticket(
            opd_a,
            budi,
            "CLOSED",
            "internet_down",
            wib(10, 5, 10),
            claimed=wib(10, 5, 13),
            closed=wib(10, 8, 10),
            classification="heavy",
            rating=3,
            events=(
                (wib(10, 5, 13), "claimed", "DISPOSED", "CHECKING"),
                (wib(10, 5, 13, 30), "held", "CHECKING", "ON_HOLD"),
                (wib(10, 6, 9), "resumed", "ON_HOLD", "CHECKING"),
                (wib(10, 6, 10), "material_requested", "CHECKING", "AWAITING_APPROVAL"),
                (wib(10, 6, 11), "material_approved", "AWAITING_APPROVAL", "REPAIRING"),
                (wib(10, 7, 10), "repaired", "REPAIRING", "REPAIRED"),
                (wib(10, 7, 11), "reopened", "REPAIRED", "REPAIRING"),
                (wib(10, 8, 9), "repaired", "REPAIRING", "REPAIRED"),
                (wib(10, 8, 10), "confirmed", "REPAIRED", "CLOSED"),
            ),
        )
        # T3: still being repaired when the month ends, past its deadline (15 Oct 15:45).
        await ticket(
            opd_b,
            sari,
            "REPAIRING",
            "wifi",
            wib(10, 8, 14),
            claimed=wib(10, 9, 8, 30),
            classification="light",
            events=(
                (wib(10, 9, 8, 30), "claimed", "DISPOSED", "CHECKING"),
                (wib(10, 9, 9), "classified_light", "CHECKING", "REPAIRING"),
            ),
        )
        # T4: cancelled by the coordinator.
        await ticket(
            opd_b,
            None,
            "CANCELLED",
            "other",
            wib(10, 9, 9),
            closed=wib(10, 9, 10),
            events=((wib(10, 9, 10), "cancelled", "NEW", "CANCELLED"),),
        )
        # T5: heavy, a request sent back and one rejected; closed after its deadline.
        await ticket(
            opd_a,
            sari,
            "CLOSED",
            "slow",
            wib(10, 12, 8),
            claimed=wib(10, 12, 8),
            closed=wib(10, 20, 9),
            classification="heavy",
            rating=2,
            events=(
                (wib(10, 12, 8), "claimed", "DISPOSED", "CHECKING"),
                (wib(10, 12, 9), "material_requested", "CHECKING", "AWAITING_APPROVAL"),
                (wib(10, 12, 10), "material_revision", "AWAITING_APPROVAL", "CHECKING"),
                (wib(10, 12, 11), "material_requested", "CHECKING", "AWAITING_APPROVAL"),
                (wib(10, 12, 13), "material_rejected", "AWAITING_APPROVAL", "CHECKING"),
                (wib(10, 13, 9), "classified_light", "CHECKING", "REPAIRING"),
                (wib(10, 19, 9), "repaired", "REPAIRING", "REPAIRED"),
                (wib(10, 20, 9), "confirmed", "REPAIRED", "CLOSED"),
            ),
        )
        # T6: a Saturday report nobody has taken yet.
        await ticket(opd_b, None, "NEW", "other", wib(10, 31, 10))
        # Outside October: received on 30 September and on 1 November.
        await ticket(opd_a, budi, "NEW", "slow", wib(9, 30, 15))
        await ticket(opd_a, budi, "NEW", "slow", wib(11, 1, 0, 0))

        def complaint(
            channel: str,
            category: str,
            status: str,
            received: datetime,
            response_due: datetime,
            resolution_due: datetime,
            *,
            responded: datetime | None = None,
            resolved: datetime | None = None,
            closed: datetime | None = None,
            escalated: bool = False,
        ) -> None:
            session.add(
                Complaint(
                    number=f"ADU-2026-{next(serial):05d}",
                    status=status,
                    category=category,
                    channel=channel,
                    complainant_name="Warga",
                    text="Uji pengaduan",
                    escalated=escalated,
                    received_at=received,
                    response_due_at=response_due,
                    resolution_due_at=resolution_due,
                    responded_at=responded,
                    resolved_at=resolved,
                    closed_at=closed,
                    updated_at=received,
                )
            )

        # C1: answered and resolved in time, closed.
        complaint(
            "bot",
            "slow_service",
            "CLOSED",
            wib(10, 5, 9),
            wib(10, 6, 15, 45),
            wib(10, 8, 15, 45),
            responded=wib(10, 5, 10),
            resolved=wib(10, 6, 10),
            closed=wib(10, 6, 11),
        )
        # C2: about staff behaviour, escalated; answered and resolved late.
        complaint(
            "phone",
            "staff_behaviour",
            "RESOLVED",
            wib(10, 6, 9),
            wib(10, 7, 15, 45),
            wib(10, 9, 11),
            responded=wib(10, 8, 9),
            resolved=wib(10, 12, 9),
            escalated=True,
        )
        # C3: not answered yet.
        complaint(
            "email", "slow_service", "NEW", wib(10, 20, 9), wib(10, 21, 15, 45), wib(10, 23, 11)
        )
        # Outside October.
        complaint("bot", "other", "NEW", wib(9, 29, 9), wib(9, 30, 15, 45), wib(10, 2, 11))
        # Two SKM questionnaires in October (anonymous: only the day is kept), one in September.
        for day, values in (
            (wib(10, 6), (4, 4, 3, 4, 4, 3, 4, 3, 4)),
            (wib(10, 20), (3, 4, 3, 4, 3, 3, 4, 4, 3)),
            (wib(9, 30), (1, 1, 1, 1, 1, 1, 1, 1, 1)),
        ):
            session.add(
                SkmResponse(answered_day=day, **{f"u{i}": v for i, v in enumerate(values, 1)})
            )
        await uow.commit()
    return History(opd_a.name, opd_b.name)
