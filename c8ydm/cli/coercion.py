"""Option values without a pydantic TypeAdapter where Typer's own coercion would return them unchanged.

Typer (0.2x) coerces every parameter it processes through a pydantic ``TypeAdapter``, built when the
parameter is first processed — also for an option the user left out, whose value is ``None``. One
``c8ydm device list -o jsonl`` built eleven of them and imported pydantic's schema machinery for
them: about 40 ms before the command's first request, a quarter of its start-up.

c8ydm's commands are made with the click classes below (``cls=`` of Typer's ``command`` and of its
groups): every parameter they parse, the help option included, first tries ``plain_value``, which
returns by itself the values whose coercion is plain: a missing value, a string for ``str``, strings
for ``list[str]``, a choice of an Enum (Typer's own ``coerce_cli_choice``), a number written in
plain digits within the option's range, and what an option's own parser returns. Everything else —
a bool from text, a path, an exponent, a number out of range, a wrong choice, a parser's error —
goes to the adapter Typer builds for that parameter then, so values and error messages stay
Typer's own (``tests/cli/test_coercion.py`` compares both on every parameter of every command).

This uses Typer internals (``_TyperParameter._runtime_param``, ``typer._coercion``). Where they are
missing (another Typer version) nothing changes and Typer coerces as it always does.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import Enum
from typing import Any

from typer.core import TyperCommand, TyperGroup

_MISS = object()
_INT = re.compile(r"-?[0-9]{1,18}")
_DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")


def plain_value(annotation: Any, parameter_info: Any, value: Any, ctx: Any) -> Any:
    """The value Typer's adapter would return for ``value``, or ``_MISS`` where only it can tell."""
    if getattr(parameter_info, "click_type", None) is not None:
        return _MISS
    if parameter_info.parser is not None:
        return _parsed(parameter_info.parser, value)
    kind = type(value)
    if annotation in (int, float) and kind in (str, annotation):
        return _number(annotation, parameter_info, value)
    if annotation in (str, bool) and kind is annotation:
        return value
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _choice(annotation, parameter_info, value, ctx)
    if annotation == list[str] and kind in (list, tuple) and all(type(item) is str for item in value):
        return list(value)
    return _MISS


def _number(annotation: type, parameter_info: Any, value: Any) -> Any:
    """A number written in plain digits, within the option's range; the adapter clamps, rejects and
    reads every other form (exponents, underscores, spaces, other scripts' digits)."""
    if type(value) is str:
        pattern = _INT if annotation is int else _DECIMAL
        if not pattern.fullmatch(value):
            return _MISS
        value = annotation(value)
    low, high = parameter_info.min, parameter_info.max
    if (low is not None and value < low) or (high is not None and value > high):
        return _MISS
    return value


def _parsed(parser: Any, value: Any) -> Any:
    """Typer's adapter returns what the parser returns; a parser's error is worded by the adapter,
    which calls the parser again (c8ydm's parsers, ``options.numeric_id``, are pure functions)."""
    if type(value) is not str:
        return _MISS
    try:
        return parser(value)
    except Exception:  # the adapter calls it again and reports it Typer's way
        return _MISS


def _choice(annotation: type[Enum], parameter_info: Any, value: Any, ctx: Any) -> Any:
    from typer._param_types import coerce_cli_choice

    try:
        return coerce_cli_choice(
            value, choices=list(annotation), case_sensitive=parameter_info.case_sensitive, ctx=ctx
        )
    except ValueError:
        return _MISS  # the adapter words the error


class Deferring:
    """Mixed into c8ydm's click commands: their parameters, the help option included, coerce through
    ``plain_value`` first (``get_params`` is where click gathers them for parsing)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        defer(params)
        return params


class DeferredGroup(Deferring, TyperGroup):
    pass


class DeferredCommand(Deferring, TyperCommand):
    pass


def defer(params: list[Any]) -> None:
    """Give each Typer parameter in ``params`` that has no runtime parameter yet the fast path."""
    deferred = _runtime_class()
    if deferred is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if (
            descriptor is not None
            and getattr(param, "_runtime_param", _MISS) is None
            and descriptor.file_annotation is None
        ):
            param._runtime_param = deferred(
                parameter_info=descriptor.parameter_info,
                annotation=descriptor.annotation,
                descriptor=descriptor,
                built={},
            )


@functools.cache
def _runtime_class() -> Any:
    """A ``RuntimeParam`` subclass (Typer's ``coerce`` keeps handling missing and multiple values),
    or None where this Typer has no runtime parameters."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
    except ImportError:
        return None

    @dataclass(frozen=True)
    class Deferred(RuntimeParam):
        descriptor: Any
        built: dict[str, Any]  # the adapter-backed runtime parameter, once needed

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            plain = plain_value(self.annotation, self.parameter_info, value, ctx)
            if plain is not _MISS:
                return plain
            if "adapter" not in self.built:
                self.built["adapter"] = build_runtime_param(self.descriptor)
            return self.built["adapter"]._coerce_value(value, param=param, ctx=ctx)

    return Deferred
