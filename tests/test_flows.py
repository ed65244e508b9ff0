"""Every chat flow is declared whole: each state has a step, each state is in the flow's mermaid
diagram, and each edge of the diagram is a transition the code can make.

"Can make" is read from the code: an edge `a --> b` holds when the step of state `a` (or, for
`[*] --> b`, one of the flow's entry points: its commands and taps) names state `b`, directly or
through the module's own functions that it calls. Edges to `[*]` (the flow ends) and edges of
pseudo-states (`state "any state" as any`) say what every step may do and are not traced.
"""
from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import textwrap
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

from handlers.flow import Flow
from handlers.router import FLOWS

STATEFUL = [flow for flow in FLOWS if flow.states is not None]
_EDGE = re.compile(r"^\s*(\[\*\]|\w+)\s*-->\s*(\[\*\]|\w+)", re.M)
_PSEUDO = re.compile(r'^\s*state\s+"[^"]*"\s+as\s+(\w+)', re.M)


def diagram_of(flow: Flow) -> tuple[set[tuple[str, str]], set[str]]:
    """The diagram's edges and its pseudo-states."""
    assert flow.diagram, f"flow {flow.name!r} has no diagram"
    found = re.search(r"```mermaid\n(.*?)```", flow.diagram, re.S)
    assert found, f"flow {flow.name!r}: no mermaid block in its module docstring"
    body = found.group(1)
    assert "stateDiagram-v2" in body
    return set(_EDGE.findall(body)), set(_PSEUDO.findall(body))


def named_states(function: Callable[..., Any], module: ModuleType, states: type,
                 seen: set[str] | None = None) -> set[str]:
    """The states `function` names (`State.X`), with those of the module functions it calls."""
    seen = set() if seen is None else seen
    if function.__name__ in seen:
        return set()
    seen.add(function.__name__)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                and node.value.id == states.__name__ and node.attr in states.__members__:
            names.add(states[node.attr].value)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            called = getattr(module, node.func.id, None)
            if inspect.isfunction(called) and called.__module__ == module.__name__:
                names |= named_states(called, module, states, seen)
    return names


def module_of(flow: Flow) -> ModuleType:
    return inspect.getmodule(next(iter(flow.steps.values())))  # type: ignore[return-value]  # a flow's steps live in a module


@pytest.mark.parametrize("flow", STATEFUL, ids=lambda f: f.name)
def test_every_state_has_a_step_and_every_step_a_state(flow: Flow) -> None:
    assert flow.states is not None
    assert set(flow.steps) == {state.value for state in flow.states}


@pytest.mark.parametrize("flow", STATEFUL, ids=lambda f: f.name)
def test_every_state_is_in_the_diagram_and_the_diagram_has_no_other(flow: Flow) -> None:
    assert flow.states is not None
    edges, pseudo = diagram_of(flow)
    drawn = {end for edge in edges for end in edge} - {"[*]"} - pseudo
    assert drawn == {state.value for state in flow.states}


@pytest.mark.parametrize("flow", STATEFUL, ids=lambda f: f.name)
def test_every_edge_of_the_diagram_is_a_transition_of_the_code(flow: Flow) -> None:
    assert flow.states is not None
    module = module_of(flow)
    edges, pseudo = diagram_of(flow)
    entries = [*flow.commands.values(), *flow.taps.values()]
    if flow.on_text is not None:
        entries.append(flow.on_text)
    entered: set[str] = set()
    for entry in entries:
        entered |= named_states(getattr(entry, "__wrapped__", entry), module, flow.states)
    for source, target in sorted(edges):
        if target == "[*]" or {source, target} & pseudo:
            continue
        reachable = entered if source == "[*]" else named_states(flow.steps[source], module,
                                                                  flow.states)
        assert target in reachable, f"{flow.name}: {source} --> {target} is not in the code"


@pytest.mark.parametrize("flow", STATEFUL, ids=lambda f: f.name)
def test_state_data_is_a_typed_dataclass_of_json_values(flow: Flow) -> None:
    assert dataclasses.is_dataclass(flow.data), f"{flow.name} keeps its state in an untyped dict"
    fresh = flow.data()
    assert flow.load(dataclasses.asdict(fresh)) == fresh  # what is saved loads back the same


def test_a_new_flow_is_one_declaration_in_the_list() -> None:
    from enum import StrEnum

    from handlers.router import _tables

    class Leave(StrEnum):
        ASKING_DAYS = "asking_days"

    toy = Flow(name="leave", states=Leave, steps={Leave.ASKING_DAYS: lambda ctx, text, data: None},
               commands={"ขอลา": lambda ctx: []})
    commands, taps, by_name = _tables([*FLOWS, toy])
    assert by_name["leave"] is toy and commands["ขอลา"][0] is toy
    with pytest.raises(ValueError, match="declared twice"):
        _tables([*FLOWS, toy, Flow(name="other", commands={"ขอ ลา": lambda ctx: []})])


def test_state_data_is_stored_as_asdict_would_and_shares_nothing_with_the_flow() -> None:
    from handlers.flow import dump
    from handlers.reporting import ReportDraft

    agreement = {"round_id": 3, "kpis": {"1": {"id": 9, "number": 1, "name": "ตัวชี้วัด",
                                               "levels": [1, 2, 3, 4, 5]}}}
    draft = ReportDraft(kpi=1, value="45", agreement=agreement, lines=[{"kpi": 1}],
                        queue=[{"kpi": 2, "evidence": [4]}], not_yours=[7])
    stored = dump(draft)
    assert stored == dataclasses.asdict(draft)
    stored["agreement"]["kpis"]["1"]["levels"].append(6)
    stored["lines"][0]["kpi"] = 5
    stored["not_yours"].append(8)
    assert agreement["kpis"]["1"]["levels"] == [1, 2, 3, 4, 5]  # type: ignore[index]  # nested dict
    assert draft.lines == [{"kpi": 1}] and draft.not_yours == [7]
