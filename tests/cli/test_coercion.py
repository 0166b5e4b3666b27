"""Option values coerced without a pydantic adapter are exactly what Typer's adapter gives (issue 13)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from support.entry_point import Run
from test_cli_startup import loaded_modules
from typer._click import Context
from typer._coercion import build_runtime_param

from c8ydm.cli import coercion
from c8ydm.cli.app import COMMANDS, build_root, load

TEXT = ["x", "", " padded ", "ÿ-ü", "12", "--x", "a\nb"]
NUMBERS = ["0", "12", "-3", "007", "1.5", "-0.25", "1e3", " 4", "4 ", "1_0", "nan", "inf", "", "abc", "١٢"]
NUMBERS += ["99999999999999999999", "0.1234567890123456"]


def samples(annotation: Any) -> list[Any]:
    if annotation in (str, Path):
        return TEXT
    if annotation in (int, float):
        return [*NUMBERS, 7, 7.5, True]
    if annotation is bool:
        return [True, False, "true", "no", ""]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        values = [str(member.value) for member in annotation]
        return [*values, *(value.upper() for value in values), *list(annotation), "bogus", ""]
    if annotation == list[str]:
        return [("a", "b"), ["x"], (), ("a", 1)]
    raise AssertionError(f"no samples for {annotation!r}: add them")


def parameters() -> Iterator[tuple[str, Any, Any]]:
    def walk(path: str, command: Any) -> Iterator[tuple[str, Any, Any]]:
        for param in command.get_params(Context(command)):
            yield f"{path} {param.name}", command, param
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(f"{path} {name}", sub)

    for entry in COMMANDS:
        yield from walk(entry.name, load(entry))


def adapter_result(param: Any, value: Any, ctx: Context) -> tuple[str, Any]:
    try:
        return "value", build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)
    except Exception as error:  # any error: the fast path must have declined
        return "error", type(error).__name__


def test_every_parameter_of_every_command_gets_the_value_typers_adapter_gives() -> None:
    checked = declined = 0
    for where, command, param in parameters():
        ctx = Context(command)
        for value in samples(param.type_descriptor.annotation):
            plain = coercion.plain_value(
                param.type_descriptor.annotation, param.type_descriptor.parameter_info, value, ctx
            )
            expected = adapter_result(param, value, ctx)
            if plain is coercion._MISS:
                declined += 1
                continue
            checked += 1
            assert expected == ("value", plain), f"{where} {value!r}"
            assert type(expected[1]) is type(plain), f"{where} {value!r}"
    assert checked > 2000 and declined > 1000  # both paths are exercised on the real command tree


def test_every_parameter_of_every_command_is_deferred_help_option_included() -> None:
    built = [
        (where, param)
        for where, _, param in parameters()
        if not isinstance(param._runtime_param, coercion._runtime_class())
    ]

    assert built == []
    assert any(where.endswith(" help") for where, _, _ in parameters())


def test_the_root_group_defers_its_own_parameters() -> None:
    root = build_root()

    assert all(
        isinstance(p._runtime_param, coercion._runtime_class()) for p in root.get_params(Context(root))
    )


def test_a_listing_parses_its_options_without_typer_building_a_pydantic_adapter() -> None:
    tenant = {"C8Y_HOST": "http://127.0.0.1:9", "C8Y_TENANT": "t1", "C8Y_USER": "u", "C8Y_PASSWORD": "p"}
    args = ["device", "list", "-o", "jsonl", "--type", "c8y_Linux", "--timeout", "5"]

    assert loaded_modules(args, ["typer._adapters", "pydantic"], {**os.environ, **tenant}) == []


def test_an_adapter_is_built_only_for_the_value_that_needs_it() -> None:
    command = load(next(e for e in COMMANDS if e.name == "session"))
    ctx = Context(command)
    deferred = coercion._runtime_class()
    param = next(p for p in command.commands["list"].get_params(ctx) if p.name == "common_timeout")
    fresh = deferred(
        parameter_info=param.type_descriptor.parameter_info,
        annotation=float,
        descriptor=param.type_descriptor,
        built={},
    )

    assert (fresh.coerce("30", param, ctx), fresh.coerce(None, param, ctx), fresh.built) == (30.0, None, {})
    assert fresh.coerce("3e1", param, ctx) == 30.0
    assert list(fresh.built) == ["adapter"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["session", "list", "--timeout", "soon"],
            "Error: Invalid value for '--timeout' (env var: 'C8YDM_TIMEOUT'): "
            "Input should be a valid number, unable to parse string as a number",
        ),
        (
            ["session", "list", "--timeout", "-1"],
            "Error: Invalid value for '--timeout' (env var: 'C8YDM_TIMEOUT'): "
            "Input should be greater than or equal to 0",
        ),
        (
            ["session", "list", "-o", "xml"],
            "Error: Invalid value for '-o' / '--output' (env var: 'C8YDM_OUTPUT'): "
            "Value error, 'xml' is not one of 'table', 'json', 'jsonl', 'csv'.",
        ),
    ],
)
def test_a_value_the_fast_path_declines_gets_typers_own_error(
    cli: Callable[..., Run], args: list[str], message: str
) -> None:
    result = cli(*args)

    assert (result.code, result.stderr.splitlines()[0]) == (2, message)
