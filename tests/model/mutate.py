"""Hypothesis helpers for the plain ways' differential tests (test_plain_schedule.py, test_plain_rules.py): a valid
mapping with a few of its values replaced, keys dropped or added, so that the plain way and pydantic's strict
models meet near misses of every field."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st


def containers(value: Any) -> list[Any]:
    """Every dict and list inside `value`, itself included."""
    found = [value] if isinstance(value, (dict, list)) else []
    for inner in value.values() if isinstance(value, dict) else value if isinstance(value, list) else []:
        found.extend(containers(inner))
    return found


def mutate(draw: st.DrawFn, raw: Any, odd: st.SearchStrategy[Any], new_keys: list[str]) -> Any:
    """`raw` with 0-2 changes (mostly one): a mapping's value replaced by `odd`, a key dropped, a key added (one
    of `new_keys` or an int), or a list's item replaced or appended."""
    for _ in range(draw(st.sampled_from([1, 1, 1, 0, 2]))):
        found = containers(raw)
        dicts = [c for c in found if isinstance(c, dict)]
        where = draw(st.sampled_from(dicts if dicts and draw(st.integers(0, 4)) else found))
        if isinstance(where, dict):
            keys = list(where)
            action = draw(st.sampled_from(["replace", "drop", "add"]) if keys else st.just("add"))
            if action == "replace":
                where[draw(st.sampled_from(keys))] = draw(odd)
            elif action == "drop":
                del where[draw(st.sampled_from(keys))]
            else:
                where[draw(st.one_of(st.sampled_from(new_keys), st.integers()))] = draw(odd)
        elif where:
            where[draw(st.integers(0, len(where) - 1))] = draw(odd)
        else:
            where.append(draw(odd))
    return raw


def each_field_replaced(raw: Any, values: list[Any]) -> list[tuple[str, Any]]:
    """(where, a deep copy of `raw` with that one field or list item replaced by a value) for every field of
    every mapping and every item of every list in `raw`, and every one of `values`: each near miss at each
    place, exhaustively (the hypothesis tests reach a given field with a given value rarely)."""
    import copy

    out = []

    def places(value: Any, path: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        keys = list(value) if isinstance(value, dict) else range(len(value)) if isinstance(value, list) else []
        found = []
        for k in keys:
            found.append((*path, k))
            found.extend(places(value[k], (*path, k)))
        return found

    for path in places(raw, ()):
        for value in values:
            changed = copy.deepcopy(raw)
            where = changed
            for k in path[:-1]:
                where = where[k]
            where[path[-1]] = value
            out.append(("/".join(map(str, path)) + f" = {value!r}", changed))
    return out


def disagreements(cases: list[tuple[str, Any]], plain_model: Any, spec_model: Any) -> list[str]:
    """The places among `cases` (each_field_replaced) where the plain way takes a value and pydantic's strict model
    does not, or gives other values."""
    wrong = []
    for where, raw in cases:
        plain = plain_model(raw)
        if plain is not None and plain != spec_model(raw):
            wrong.append(where)
    return wrong
