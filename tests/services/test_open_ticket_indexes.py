"""The lists of open tickets read their partial indexes instead of sorting the whole table."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from bot.services import ticket_flow as flow
from bot.services.container import Services
from bot.services.domain import OPEN_STATES
from bot.services.queues import DONE_STATES
from db.models import DONE_TICKET, OPEN_TICKET
from db.queries_queues import QueueQueries


def test_the_index_names_the_open_states_in_their_order() -> None:
    spelled = "status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATES) + ")"
    assert spelled == OPEN_TICKET
    assert "status IN (" + ", ".join(f"'{s}'" for s in DONE_STATES) + ")" == DONE_TICKET


INDEXES = {
    "jobs": ("ix_ticket_open_assignee",),
    "unclaimed": ("ix_ticket_unassigned",),
    "opd": ("ix_ticket_opd_open", "ix_ticket_opd_done"),
}


@pytest.mark.parametrize("which", sorted(INDEXES))
async def test_a_list_of_open_tickets_uses_its_partial_index(
    services: Services, which: str
) -> None:
    if services.engine.dialect.name != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN")
    sent: list[tuple[str, Any]] = []

    def keep(*args: Any) -> None:
        sent.append((str(args[2]), args[3]))

    engine = services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", keep)
    async with services.uow() as uow:
        # The queries of /status (bot.services.queues.tickets_section).
        q = QueueQueries(uow.session)
        if which == "jobs":
            await q.assigned(1, OPEN_STATES, 15)
        elif which == "opd":
            await q.opd_tickets(1, OPEN_STATES, DONE_STATES, 15)
        else:
            claimable = sorted(s.value for s in flow.TABLE[flow.Action.CLAIM].sources)
            await q.unassigned(claimable, 15)
    event.remove(engine, "before_cursor_execute", keep)
    (query, parameters), *_ = [(s, p) for s, p in sent if s.startswith("SELECT")]
    async with services.engine.connect() as connection:
        result = await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}", parameters)
        rows = result.all()
    plan = " ".join(str(row[-1]) for row in rows)
    for index in INDEXES[which]:
        assert index in plan, plan
    assert "TEMP B-TREE" not in plan
