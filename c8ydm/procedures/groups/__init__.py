"""Device groups: static groups (devices linked as child assets) and dynamic groups (a device query).

The contract (cumulocity-rest.md) covers groups only as bulk-operation targets (§11.2, §11.3), so the
requests here follow the spec and the official UI where the contract is silent:

- Static group, as the UI's "Add group" dialog creates it:
  ``POST /inventory/managedObjects {"name","type":"c8y_DeviceGroup","c8y_IsDeviceGroup":{}}``.
- Dynamic ("smart") group, as the UI's smart-group dialog creates it (the shape of §11.3 without
  ``invisible``, which hides the UI's own bulk-operation groups):
  ``{"name","type":"c8y_DynamicGroup","c8y_IsDynamicGroup":{},"c8y_DeviceQueryString":"<query>"}``.
- Members of a static group are child assets (spec "Child operations"): linked with
  ``POST .../childAssets {"managedObject":{"id"}}`` (Content-Type managedObjectReference+json,
  §1.3), unlinked with ``DELETE .../childAssets/<id>``; a device's membership is read with
  ``GET .../childAssets/<id>`` (404: not a member).
- A dynamic group's devices are whatever its query matches now, read like ``q=`` (devices only,
  as the sandbox and the UI's device grid do; §15 item 5 leaves this open on real tenants).
- Deleting a group is ``DELETE /inventory/managedObjects/<id>`` without cascade: the group goes,
  its devices stay (§1.7).

``catalog`` lists, shows and creates groups; ``members`` adds and removes devices (all resolved
before the first change, undone in reverse order if a change fails).
"""

from c8ydm.procedures.groups.catalog import (
    DYNAMIC_TYPE,
    STATIC_TYPE,
    GroupCreation,
    GroupDetails,
    create_group,
    delete_group,
    is_dynamic,
    list_groups,
    plan_group,
    show_group,
)
from c8ydm.procedures.groups.members import (
    MembershipChange,
    MembershipPlan,
    apply_membership,
    plan_membership,
)

__all__ = [
    "DYNAMIC_TYPE",
    "STATIC_TYPE",
    "GroupCreation",
    "GroupDetails",
    "MembershipChange",
    "MembershipPlan",
    "apply_membership",
    "create_group",
    "delete_group",
    "is_dynamic",
    "list_groups",
    "plan_group",
    "plan_membership",
    "show_group",
]
