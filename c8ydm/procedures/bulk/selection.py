"""The devices a bulk operation will reach, read before it is created, and whether they fit it.

A bulk operation runs its prototype on every device of its group: a configuration (or firmware)
made for ``c8y_Linux`` would reach a ``c8y_Gateway`` in the group just the same. So before creating
it, c8ydm reads the selection once and refuses (exit 2) when devices of another type are in it,
naming how many and a few of them (cli-surface.md: never send to excluded types). Refusing, rather
than quietly narrowing the selection, keeps the command doing exactly what was typed; the hint says
how to target only the fitting devices.

Which devices a group reaches (the tenant decides when the bulk operation starts):
- a static group: the devices among its child assets, subgroups included (the sandbox's reading of
  "all devices of the group", model/bulk_targets.py; a superset is the safe side for a check);
- a dynamic group, or a device query: the devices its query matches (``q=``), all devices for an
  empty query (§11.3).

``survey_selection`` takes any number of rules (a label and a predicate that says whether a device
fits); ``refuse_excluded`` turns one rule's misfits into the refusal. Any prototype can use them:
``check_device_type`` is the device-type rule for an entry's ``deviceType``/``c8y_Filter.type``
(configuration uses it; firmware and software can, with ``Prototype.device_types``).

    GET /inventory/managedObjects/<groupId>/childAssets?pageSize=2000 (recursively), or
    GET /inventory/managedObjects?q=<query>&pageSize=2000
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.api.models.inventory import ManagedObject

PAGE_SIZE = 2000  # §14(e): bulk reads
SHOWN_NAMES = 3  # how many excluded devices a refusal names

Rule = Callable[[ManagedObject], bool]  # True when the device fits


@dataclass
class Selection:
    """The selection read once: how many devices, and per rule the devices that do not fit."""

    total: int = 0
    misfits: dict[str, list[str]] = field(default_factory=dict)  # rule label -> device names (or ids)

    def count(self, label: str) -> int:
        """How many devices do not fit the rule."""
        return len(self.misfits.get(label, []))


def selection_devices(
    client: Client, *, group: ManagedObject | None = None, device_query: str | None = None
) -> Iterator[ManagedObject]:
    """The devices of a group (static: child assets with subgroups; dynamic: its query) or a query."""
    if group is not None and group.fragment("c8y_DeviceQueryString") is None:
        assert group.id is not None
        yield from _group_devices(client, group.id)
        return
    query = str(group.fragment("c8y_DeviceQueryString")) if group is not None else str(device_query or "")
    if query.strip():
        yield from client.inventory.list(q=query, page_size=PAGE_SIZE)
    else:  # §11.3: an empty query means all devices
        yield from client.inventory.list(fragment_type="c8y_IsDevice", page_size=PAGE_SIZE)


def _group_devices(client: Client, group_id: str) -> Iterator[ManagedObject]:
    seen, todo = {group_id}, [group_id]
    while todo:
        for child in client.inventory.list_children(todo.pop(0), relation="childAssets", page_size=PAGE_SIZE):
            child_id = child.id
            if child_id is None or child_id in seen:
                continue
            seen.add(child_id)
            if child.type is None and not child.has_fragment("c8y_IsDevice"):
                # The spec's references hold the whole object, as the sandbox's do; a tenant that
                # answers with only {id, name, self} is asked for the object itself (defensive).
                child = client.inventory.get(child_id, with_children=False)
            if child.has_fragment("c8y_IsDevice"):
                yield child
            else:  # a subgroup (or another asset): its devices are reached too
                todo.append(child_id)


def survey_selection(
    client: Client,
    rules: Mapping[str, Rule],
    *,
    group: ManagedObject | None = None,
    device_query: str | None = None,
) -> Selection:
    """Read the selection once and record, per rule, the devices that do not fit it."""
    selection = Selection(misfits={label: [] for label in rules})
    for device in selection_devices(client, group=group, device_query=device_query):
        selection.total += 1
        for label, fits in rules.items():
            if not fits(device):
                selection.misfits[label].append(str(device.name or device.id))
    return selection


def device_type_rule(device_type: str) -> Rule:
    """Fits when the device is of ``device_type``."""
    return lambda device: device.type == device_type


def refuse_excluded(selection: Selection, label: str, *, reason: str, hint: str) -> None:
    """InputError (exit 2) when devices do not fit the rule: how many of how many, and a few names."""
    names = selection.misfits.get(label, [])
    if not names:
        return
    shown = ", ".join(names[:SHOWN_NAMES]) + (", …" if len(names) > SHOWN_NAMES else "")
    verb = "is" if len(names) == 1 else "are"
    raise InputError(
        f"{reason}, but {len(names)} of the {selection.total} selected devices {verb} not ({shown}); "
        "nothing was scheduled",
        hint=hint,
    )


def check_device_type(
    client: Client,
    what: str,
    device_type: str,
    *,
    group: ManagedObject | None = None,
    device_query: str | None = None,
    more_rules: Mapping[str, Rule] | None = None,
) -> Selection:
    """Refuse a selection holding devices of another type than ``device_type`` (``what`` is made for);
    the survey is returned with the misfits of ``more_rules`` (for warnings)."""
    label = f"type {device_type}"
    rules = {label: device_type_rule(device_type), **(more_rules or {})}
    selection = survey_selection(client, rules, group=group, device_query=device_query)
    refuse_excluded(
        selection,
        label,
        reason=f"{what} is for devices of type {device_type!r}",
        hint=f"target only those devices, e.g. --type {device_type}, or a group or query of them",
    )
    return selection
