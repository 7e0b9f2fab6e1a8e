"""One refusal path: every code the services raise has its own words, filled and escaped.

The codes are read from the services' source, so a new `raise InvalidInput("...")` without a text
fails here instead of reaching a user as the generic fallback.
"""

from __future__ import annotations

import ast
import importlib
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.handlers import workflow as workflow_handlers
from bot.services import errors
from bot.services.attachments import FILE_TYPE
from bot.services.errors import DomainError, InvalidInput, InvalidState, NotAllowed, NotFound
from bot.texts import admin, common, complaints, refusals, registration, report, sla, wizards
from bot.texts.refusals import GENERIC_ERROR, REFUSALS, TEMPLATES, Situation

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "bot" / "services"


def _subclasses(cls: type[DomainError]) -> Iterator[type[DomainError]]:
    yield cls
    for sub in cls.__subclasses__():
        yield from _subclasses(sub)


@dataclass(frozen=True)
class Site:
    """One construction of a domain error in the services, with the code it can carry."""

    where: str
    error: type[DomainError]
    code: str
    params: frozenset[str]
    what: str | None


@dataclass(frozen=True)
class Source:
    """A parsed services module with the enclosing function of each node."""

    module: str
    path: Path
    tree: ast.Module
    parents: dict[ast.AST, ast.AST]

    def function_of(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """Returns the function the node is written in, if any."""
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                return node
        return None


def _sources() -> list[Source]:
    found = []
    for path in sorted(SERVICES.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        importlib.import_module(module)  # registers the error classes it defines
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        found.append(Source(module, path, tree, parents))
    return found


Function = ast.FunctionDef | ast.AsyncFunctionDef


class Reader:
    """Reads which strings an expression in the services can hold, following simple data flow."""

    def __init__(self, sources: list[Source]) -> None:
        self.sources = sources
        self.functions: dict[str, list[tuple[Source, Function]]] = {}
        for source in sources:
            for node in ast.walk(source.tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    self.functions.setdefault(node.name, []).append((source, node))

    def values(
        self, expr: ast.expr, source: Source, function: Function | None, depth: int = 0
    ) -> set[str]:
        """Returns the strings the expression can evaluate to, or fails the test."""
        where = f"{source.path.relative_to(ROOT)}:{expr.lineno}"
        assert depth < 8, f"{where}: the code is passed along too far to read"
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.values(expr.body, source, function, depth + 1) | self.values(
                expr.orelse, source, function, depth + 1
            )
        if isinstance(expr, ast.Name):
            if function is not None and expr.id in _parameters(function):
                return self._arguments(function, expr.id, depth + 1)
            assigned = _assigned(function, expr.id) if function is not None else []
            if assigned:
                found: set[str] = set()
                for assignment in assigned:
                    found |= self.values(assignment, source, function, depth + 1)
                return found
            value = getattr(importlib.import_module(source.module), expr.id, None)
            assert isinstance(value, str), f"{where}: cannot read the code {expr.id}"
            return {value}
        raise AssertionError(f"{where}: cannot read the code {ast.unparse(expr)}")

    def _arguments(self, function: Function, name: str, depth: int) -> set[str]:
        """Returns what the parameter holds: its default and what every caller passes."""
        found: set[str] = set()
        default = _default(function, name)
        if default is not None:
            found |= self.values(default, self._source_of(function), function, depth)
        for source in self.sources:
            for call in ast.walk(source.tree):
                if not isinstance(call, ast.Call) or _called(call) != function.name:
                    continue
                argument = _argument(call, function, name)
                if argument is not None:
                    found |= self.values(argument, source, source.function_of(call), depth)
        return found

    def _source_of(self, function: Function) -> Source:
        return next(s for s, f in self.functions[function.name] if f is function)


def _parameters(function: Function) -> list[str]:
    args = function.args
    return [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]


def _assigned(function: Function, name: str) -> list[ast.expr]:
    return [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
    ]


def _default(function: Function, name: str) -> ast.expr | None:
    args = function.args
    positional = [*args.posonlyargs, *args.args]
    for arg, default in zip(
        positional[len(positional) - len(args.defaults) :], args.defaults, strict=True
    ):
        if arg.arg == name:
            return default
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        if arg.arg == name:
            return kw_default
    return None


def _argument(call: ast.Call, function: Function, name: str) -> ast.expr | None:
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    positional = [a.arg for a in (*function.args.posonlyargs, *function.args.args)]
    if name in positional and positional.index(name) < len(call.args):
        return call.args[positional.index(name)]
    return None


def _called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def raised_sites() -> list[Site]:
    """Returns every construction of a domain error in the services, one per possible code."""
    sources = _sources()
    classes = {cls.__name__: cls for cls in _subclasses(DomainError)}
    reader = Reader(sources)
    sites = []
    for source in sources:
        if source.module == errors.__name__:
            continue
        for call in ast.walk(source.tree):
            if not isinstance(call, ast.Call) or _called(call) not in classes:
                continue
            cls = classes[str(_called(call))]
            given = call.args[0] if call.args else None
            given = next((k.value for k in call.keywords if k.arg == "code"), given)
            codes = (
                reader.values(given, source, source.function_of(call))
                if given is not None
                else {cls.code}
            )
            what = next(
                (
                    k.value.value
                    for k in call.keywords
                    if k.arg == "what"
                    and isinstance(k.value, ast.Constant)
                    and isinstance(k.value.value, str)
                ),
                None,
            )
            params = frozenset(str(k.arg) for k in call.keywords if k.arg not in (None, "code"))
            where = f"{source.path.relative_to(ROOT)}:{call.lineno}"
            sites += [Site(where, cls, code, params, what) for code in sorted(codes)]
    return sites


SITES = raised_sites()


def _error(site: Site) -> DomainError:
    params: dict[str, object] = {name: "X" for name in site.params}
    if site.what is not None:
        params["what"] = site.what
    if "status" in params:
        params["status"] = "CHECKING"
    return site.error(site.code, **params)


def test_the_scan_reads_the_services() -> None:
    """The scan finds literal, class-default, passed-along and computed codes alike."""
    codes = {site.code for site in SITES}
    assert len(codes) > 50
    assert {
        "complaint_cap_recorded",  # chosen by a conditional expression
        "opd_already_inactive",
        "reason",  # passed to a validator as `code=`
        "diagnosis",  # passed to a validator positionally
        "note",  # a validator's default
        FILE_TYPE,  # a module constant
        "not_registered",  # the class's own code
        "invalid_state",
    } <= codes


@pytest.mark.parametrize("site", SITES, ids=lambda s: f"{s.code}@{s.where}")
def test_every_raised_code_has_its_own_text(site: Site) -> None:
    """Each error the services raise is worded for its code, not by the generic fallback."""
    error = _error(site)

    assert refusals.template(error) is not None, f"{site.where}: no text for {site.code!r}"
    for situation in (None, *Situation):
        assert refusals.refusal(error, situation) != GENERIC_ERROR, (
            f"{site.where}: the text for {site.code!r} needs params the error does not carry"
        )


def test_templates_use_named_fields_and_overrides_refine_a_worded_code() -> None:
    for key, text in TEMPLATES.items():
        fields = [field for _, field, _, _ in string.Formatter().parse(text) if field is not None]
        assert all(field.isidentifier() for field in fields), key
        if isinstance(key, tuple):
            assert key[0] in REFUSALS, f"{key} overrides a code without its own text"


def test_params_are_escaped_and_a_ticket_state_is_named() -> None:
    claimed = InvalidState("already_claimed", number="BN-2026-00001", by="<b>Budi</b> & co")
    moved = InvalidState(number="BN-2026-00001", status="CHECKING")

    assert refusals.refusal(claimed) == (
        "Tiket BN-2026-00001 sudah diambil oleh &lt;b&gt;Budi&lt;/b&gt; &amp; co."
    )
    assert "«Pengecekan dan diagnosis»" in refusals.refusal(moved)


def test_the_most_specific_text_wins() -> None:
    assert refusals.refusal(NotFound(what="invite")) == REFUSALS["not_found:invite"]
    assert refusals.refusal(NotFound(what="ticket")) == REFUSALS["not_found"]
    assert refusals.refusal(NotAllowed(), Situation.REPORT_START).startswith("Perintah /lapor")
    assert refusals.refusal(NotAllowed(), Situation.WIZARD) == REFUSALS["not_allowed"]
    assert "2000" in refusals.refusal(InvalidInput("reason"), Situation.WIZARD)
    assert "500" in refusals.refusal(InvalidInput("reason"))


def test_one_fallback_the_class_text_then_the_generic_error() -> None:
    assert refusals.refusal(NotAllowed("unheard_of")) == REFUSALS["not_allowed"]
    assert refusals.refusal(InvalidInput("unheard_of")) == REFUSALS["invalid_input"]
    assert refusals.refusal(DomainError("unheard_of")) == GENERIC_ERROR
    assert refusals.refusal(InvalidState("already_claimed")) == GENERIC_ERROR  # params missing


EXAMPLES = [
    NotAllowed(),
    NotAllowed("not_assignee", number="BN-2026-00001"),
    NotFound(what="invite"),
    NotFound(what="opd"),
    InvalidState(number="BN-2026-00001", status="REPAIRING"),
    InvalidInput("reason"),
    InvalidInput("nip"),
    InvalidInput(FILE_TYPE),
    InvalidInput("too_many_photos", max=5),
    InvalidInput("complaint_cap", max=3),
]


@pytest.mark.parametrize("error", EXAMPLES, ids=lambda e: e.code)
def test_the_old_refusal_functions_delegate_to_the_one_path(error: DomainError) -> None:
    plain = refusals.refusal(error)
    assert common.refusal(error) == plain
    assert workflow_handlers.refusal(error) == plain
    assert registration.refusal(error) == plain
    assert admin.refusal(error) == plain
    assert sla.refusal(error) == plain
    assert complaints.refusal(error) == refusals.refusal(error, Situation.COMPLAINT)
    assert wizards.refusal(error) == refusals.refusal(error, Situation.WIZARD)
    assert report.start_refusal(error) == refusals.refusal(error, Situation.REPORT_START)


def test_step_texts_come_from_the_table() -> None:
    assert registration.invalid("nip") == TEMPLATES["nip", Situation.AT_STEP]
    assert wizards.SIGNER_ERRORS["nip"] == registration.INVALID["nip"]
    assert wizards.SIGNER_ERRORS["name"] == registration.INVALID["name"] == REFUSALS["name"]
    assert (
        report.input_error(InvalidInput(FILE_TYPE), report.LETTER_FILE_TYPE)
        == (TEMPLATES[FILE_TYPE, Situation.LETTER])
    )
    assert TEMPLATES[FILE_TYPE, Situation.COMPLAINT] == complaints.FILE_TYPE_TEXT
