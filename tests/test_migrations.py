"""Alembic migrations: `upgrade head` builds exactly the models' schema, and can be undone."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Integer, MetaData, Table, func, inspect, select

from db.migrate import alembic_config, upgrade_async
from db.models import Base, Opd
from db.seed import OPD_CSV, opd_rows
from db.session import create_engine

OPD_COUNT = 31  # db/data/opd-kota-pekalongan.csv: the OPDs of Kota Pekalongan


def _diff(conn: Connection, metadata: MetaData) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _tables(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())


async def schema_diff(url: str, metadata: MetaData = Base.metadata) -> list[Any]:
    """Returns Alembic's autogenerate differences between the database and the metadata."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(_diff, metadata)
    finally:
        await engine.dispose()


async def inspect_db(url: str) -> tuple[str | None, set[str], list[str]]:
    """Returns the database's Alembic revision, its tables and its OPD codes."""
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            revision = await conn.run_sync(_revision)
            tables = await conn.run_sync(_tables)
            codes: list[str] = []
            if "opd" in tables:
                codes = list((await conn.execute(select(Opd.code).order_by(Opd.id))).scalars())
            return revision, tables, codes
    finally:
        await engine.dispose()


def head() -> str | None:
    """Returns the newest revision of the migration scripts."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def test_upgrade_head_matches_the_models(database_url: str) -> None:
    """The migrated database has no difference from the models (tables, columns, types, keys)."""
    assert await schema_diff(database_url) == []


async def test_database_is_at_the_single_head(database_url: str) -> None:
    """The migrated database carries the newest revision, and there is only one head."""
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    revision, tables, _ = await inspect_db(database_url)

    assert len(heads) == 1
    assert revision == head()
    assert set(Base.metadata.tables) <= tables


async def test_comparison_detects_drift(database_url: str) -> None:
    """A model change without a migration shows up (so the test above can fail)."""
    drifted = MetaData(naming_convention=Base.metadata.naming_convention)
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    Table("new_table", drifted, Column("id", Integer, primary_key=True))
    drifted.tables["opd"].append_column(Column("extra", Integer, nullable=True))

    kinds = {
        change[0] if isinstance(change, tuple) else change[0][0]
        for change in await schema_diff(database_url, drifted)
    }

    assert {"add_table", "add_column"} <= kinds


async def test_seed_has_the_opds_of_kota_pekalongan(tmp_path: Path) -> None:
    """A fresh migration seeds the 31 OPDs of the CSV, in file order."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'seed.db'}"
    await upgrade_async(url)
    _, _, codes = await inspect_db(url)
    csv_codes = [row["code"] for row in opd_rows()]

    assert len(csv_codes) == OPD_COUNT, f"{OPD_CSV.name} should list {OPD_COUNT} OPDs"
    assert len(set(csv_codes)) == OPD_COUNT
    assert codes == csv_codes
    assert {"dinkominfo", "setda"} <= set(codes)


async def test_seeded_opds_in_the_test_database(database_url: str) -> None:
    """Every backend's test database starts with the 31 active OPDs."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            count = await conn.scalar(select(func.count()).select_from(Opd).where(Opd.active))
    finally:
        await engine.dispose()

    assert count == OPD_COUNT


async def test_downgrade_to_base_and_upgrade_again(tmp_path: Path) -> None:
    """Every migration can be undone and redone on a fresh SQLite file."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'roundtrip.db'}"
    config = alembic_config(url)

    await upgrade_async(url)
    await asyncio.to_thread(command.downgrade, config, "base")
    revision, tables, _ = await inspect_db(url)
    assert revision is None
    assert tables <= {"alembic_version"}

    await upgrade_async(url)
    revision, _, codes = await inspect_db(url)
    assert revision == head()
    assert len(codes) == OPD_COUNT
    assert await schema_diff(url) == []
