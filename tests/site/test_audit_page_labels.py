"""Every audit action the code base records has a label in words (needlepoint/audit/wording.py).

The codes are read from the source: every string given as ``action=`` or ``audit_action=``,
and every string passed to a function whose parameter ends up as one (``_deny(actor,
"photo.view", ...)``, ``_consultation(request, pk, "consultation.read")``). A new audited
action without a label fails here, before it reaches the audit page as a code.
"""

from __future__ import annotations

import ast
from pathlib import Path

from needlepoint.audit.wording import ACTIONS, KINDS, action_label

ROOT = Path(__file__).resolve().parents[2] / "needlepoint"
ACTION_NAMES = {"action", "audit_action"}
NOT_AUDIT_CALLS = {"add_argument"}  # argparse's action="store_true"


def _modules() -> list[ast.Module]:
    return [
        ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(ROOT.rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else ""


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    args = fn.args
    return [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]


def _positional(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> list[str]:
    return [a.arg for a in [*fn.args.posonlyargs, *fn.args.args]]


def _constants(node: ast.expr) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _constants(node.body) + _constants(node.orelse)
    return []


def _arguments(
    call: ast.Call, fn: ast.FunctionDef | ast.AsyncFunctionDef, param: str
) -> list[ast.expr]:
    found = [k.value for k in call.keywords if k.arg == param]
    positional = _positional(fn)
    if param in positional and positional.index(param) < len(call.args):
        found.append(call.args[positional.index(param)])
    return found


def recorded_action_codes(sources: list[ast.Module] | None = None) -> set[str]:
    # (module number, function) for every function; a call means the function of that name
    # in its own module when there is one (two modules' helpers may share a name), else any.
    modules = _modules() if sources is None else sources
    functions = [
        (number, node)
        for number, module in enumerate(modules)
        for node in ast.walk(module)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    calls = [
        (number, node)
        for number, module in enumerate(modules)
        for node in ast.walk(module)
        if isinstance(node, ast.Call)
    ]
    # Which parameters carry an action: those named so, and any a function hands on as one.
    carriers: set[tuple[int, str]] = {
        (id(fn), param) for _, fn in functions for param in _params(fn) if param in ACTION_NAMES
    }

    by_name: dict[str, list[tuple[int, ast.FunctionDef | ast.AsyncFunctionDef]]] = {}
    for number, fn in functions:
        by_name.setdefault(fn.name, []).append((number, fn))

    def callees(number: int, call: ast.Call) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
        named = by_name.get(_name(call), [])
        local = [fn for n, fn in named if n == number]
        return local or [fn for _, fn in named]

    def carried(number: int, call: ast.Call) -> list[ast.expr]:
        values = [k.value for k in call.keywords if k.arg in ACTION_NAMES]
        for fn in callees(number, call):
            for param in _params(fn):
                if (id(fn), param) in carriers:
                    values += _arguments(call, fn, param)
        return values

    changed = True
    while changed:
        changed = False
        for number, fn in functions:
            own = set(_params(fn))
            for call in (c for c in ast.walk(fn) if isinstance(c, ast.Call)):
                for value in carried(number, call):
                    if (
                        isinstance(value, ast.Name)
                        and value.id in own
                        and (id(fn), value.id) not in carriers
                    ):
                        carriers.add((id(fn), value.id))
                        changed = True
    codes: set[str] = set()
    for number, call in calls:
        if _name(call) not in NOT_AUDIT_CALLS:
            for value in carried(number, call):
                codes.update(_constants(value))
    return codes


def test_the_scan_finds_the_actions_recorded_in_the_code_base():
    codes = recorded_action_codes()
    # Direct calls, conditional ones, and ones handed through a helper's parameter.
    for code in ("patient.read", "chart.update", "photo.unshare", "photo.view", "audit.read"):
        assert code in codes
    assert len(codes) > 60


def test_every_recorded_action_has_a_label_in_words():
    missing = sorted(code for code in recorded_action_codes() if code not in ACTIONS)
    assert not missing, (
        f"give these audit actions a label in needlepoint/audit/wording.py: {missing}"
    )


def test_every_label_is_words_and_belongs_to_a_kind():
    for code, entry in ACTIONS.items():
        assert entry.kind in KINDS, code
        assert entry.label[0].isupper() and "." not in entry.label and "_" not in entry.label


def test_labels_are_unique_so_the_filter_list_can_be_read():
    labels = [entry.label for entry in ACTIONS.values()]
    assert len(labels) == len(set(labels))


def test_an_unlabelled_code_still_reads_as_words():
    assert action_label("staff.deactivate") == "Deactivated a staff member"
    assert action_label("test.late_thing") == "Test: late thing"


def test_the_scan_follows_a_helper_that_hands_on_its_parameter():
    source = """
def _deny(actor, what, kind):
    record_denied(actor=actor, action=what, object_type=kind)

def view(request):
    _deny(request.user, "gizmo.peek", "gizmo")
    add_argument("--x", action="store_true")
    record(actor=None, action="gizmo.make" if True else "gizmo.mend", object_type="gizmo")
"""
    codes = recorded_action_codes([ast.parse(source)])
    assert codes == {"gizmo.peek", "gizmo.make", "gizmo.mend"}
    assert {"gizmo.peek", "gizmo.make"} - set(ACTIONS)  # so the label test would fail
