"""Layering rules of DESIGN.md §5, checked on the import statements of every module."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {"build", "dist", "__pycache__", "node_modules"}


def project_files() -> list[Path]:
    """Returns every Python file of the project (no virtualenv, caches or build output)."""
    found = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts[:-1]
        if any(p.startswith(".") or p in SKIPPED_DIRS or p.endswith(".egg-info") for p in parts):
            continue
        found.append(path)
    return sorted(found)


def modules(*folders: str) -> list[Path]:
    """Returns the project's Python files under the given folders."""
    roots = [ROOT / folder for folder in folders]
    return [path for path in project_files() if any(path.is_relative_to(r) for r in roots)]


def imported(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """Yields (line, absolute module name) for each import in a file, nested ones included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the file's package
                base = package[: len(package) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name
            # `from bot import db`-style imports name the module in the alias.
            for alias in node.names:
                yield node.lineno, f"{name}.{alias.name}" if name else alias.name


def is_under(name: str, packages: set[str]) -> bool:
    """Tells whether a module is one of the packages (`telegram`, `bot.texts`) or inside one."""
    return any(name == package or name.startswith(f"{package}.") for package in packages)


def offenders(paths: list[Path], forbidden: set[str]) -> list[str]:
    """Returns `file:line imports module` for each import of (or from) a forbidden package."""
    found = {
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in paths
        for line, name in imported(path)
        if is_under(name, forbidden)
    }
    return sorted(found)


def test_the_rules_see_the_whole_project() -> None:
    """The scan finds the layers it guards (a moved folder must not make the rules vacuous)."""
    for folder in ("bot/services", "db", "db/migrations", "bot/handlers", "bot/conversations"):
        assert modules(folder), f"no modules under {folder}"


def test_services_and_db_never_import_telegram() -> None:
    """The domain and the database know nothing about Telegram."""
    bad = offenders(modules("bot/services", "db"), {"telegram"})

    assert not bad, "domain/database code imports telegram:\n" + "\n".join(bad)


def test_services_never_import_texts_or_keyboards() -> None:
    """The domain passes data; the words and buttons users see are the bot layer's."""
    bad = offenders(modules("bot/services"), {"bot.texts", "bot.keyboards"})

    assert not bad, "domain code imports texts or keyboards:\n" + "\n".join(bad)


def test_handlers_and_conversations_never_touch_the_database() -> None:
    """Handlers and conversations call services; they never run SQL themselves."""
    bad = offenders(modules("bot/handlers", "bot/conversations"), {"sqlalchemy", "db"})

    assert not bad, "handler code imports the database layer:\n" + "\n".join(bad)


def test_services_leave_the_statements_to_the_repositories() -> None:
    """SQL is written in db/ only: a service may catch SQLAlchemy's errors, and the unit of
    work and the container (which own the session) import the rest."""
    owners = {"uow.py", "container.py"}
    paths = [path for path in modules("bot/services") if path.name not in owners]
    bad = sorted(
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in paths
        for line, name in imported(path)
        if is_under(name, {"sqlalchemy"}) and not is_under(name, {"sqlalchemy.exc"})
    )

    assert not bad, "domain code builds statements:\n" + "\n".join(bad)


def test_only_the_bot_adapter_imports_telegram() -> None:
    """Outside bot/ (and the tests that drive it) no module imports telegram."""
    outside = [
        path for path in project_files() if path.relative_to(ROOT).parts[0] not in {"bot", "tests"}
    ]
    bad = offenders(outside, {"telegram"})

    assert outside, "the scan found no module outside bot/ and tests/"
    assert not bad, "telegram imported outside the bot adapter:\n" + "\n".join(bad)


@pytest.mark.parametrize(
    ("where", "source", "expected"),
    [
        ("bot/services/x.py", "import telegram", "telegram"),
        ("bot/services/x.py", "from telegram.ext import Application", "telegram.ext"),
        ("bot/services/x.py", "def f() -> None:\n    import telegram.error\n", "telegram.error"),
        ("bot/handlers/x.py", "from sqlalchemy import select", "sqlalchemy"),
        ("bot/handlers/x.py", "from db import repositories", "db.repositories"),
        ("bot/handlers/x.py", "from .. import services", "bot.services"),
        ("bot/handlers/x.py", "from ..services import users", "bot.services.users"),
        ("bot/services/x.py", "from bot.texts.common import when", "bot.texts.common"),
        ("bot/services/x.py", "from bot import keyboards", "bot.keyboards"),
        ("bot/services/x.py", "from ..texts import common", "bot.texts"),
    ],
)
def test_the_scanner_sees_imports(tmp_path: Path, where: str, source: str, expected: str) -> None:
    """The scanner finds plain, nested, from- and relative imports (so the rules can fail)."""
    path = tmp_path / where
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")

    assert expected in [name for _, name in imported(path, root=tmp_path)]


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("from bot.texts.common import when", True),
        ("def f() -> None:\n    from bot.texts import common\n", True),
        ("from bot import keyboards", True),
        ("import telegram", True),
        ("from bot.textsmith import x", False),
        ("from bot.services import tickets", False),
    ],
)
def test_a_forbidden_package_covers_its_modules_only(
    tmp_path: Path, source: str, bad: bool
) -> None:
    """`bot.texts` forbids `bot.texts.common` too, but not a module merely named alike."""
    path = tmp_path / "bot" / "services" / "x.py"
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    names = [name for _, name in imported(path, root=tmp_path)]

    assert any(is_under(n, {"bot.texts", "bot.keyboards", "telegram"}) for n in names) is bad


def test_the_document_libraries_are_not_imported_at_start() -> None:
    """fpdf2 (with Pillow and NumPy), matplotlib and openpyxl load when a document is drawn:
    a bot that only answers stays small (issue 8's memory target)."""
    probe = (
        "import sys, bot.app, bot.__main__\n"
        "print(sorted(m for m in ('fpdf', 'matplotlib', 'openpyxl', 'PIL', 'numpy')"
        " if m in sys.modules))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed probe
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
