"""The resource objects attached to ``Client``, one per REST area, built on first use."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from c8ydm.api.client import Client
    from c8ydm.api.resources.advanced_software import AdvancedSoftware
    from c8ydm.api.resources.binaries import Binaries
    from c8ydm.api.resources.bulk_operations import BulkOperations
    from c8ydm.api.resources.certificates import TrustedCertificates
    from c8ydm.api.resources.events import Events
    from c8ydm.api.resources.identity import Identity
    from c8ydm.api.resources.inventory import Inventory
    from c8ydm.api.resources.operations import Operations
    from c8ydm.api.resources.options import Options
    from c8ydm.api.resources.registration import DeviceRegistration
    from c8ydm.api.resources.tenant import Tenant
    from c8ydm.api.resources.users import Users


class Resources:
    """``client.inventory``, ``client.binaries``…: imported lazily to keep start-up light."""

    def _as_client(self) -> Client:
        return cast("Client", self)

    @cached_property
    def inventory(self) -> Inventory:
        """Managed objects and child links (``/inventory/managedObjects``)."""

        from c8ydm.api.resources.inventory import Inventory

        return Inventory(self._as_client())

    @cached_property
    def binaries(self) -> Binaries:
        """Stored files (``/inventory/binaries``)."""

        from c8ydm.api.resources.binaries import Binaries

        return Binaries(self._as_client())

    @cached_property
    def operations(self) -> Operations:
        """Device operations (``/devicecontrol/operations``)."""

        from c8ydm.api.resources.operations import Operations

        return Operations(self._as_client())

    @cached_property
    def bulk_operations(self) -> BulkOperations:
        """Bulk operations (``/devicecontrol/bulkoperations``)."""

        from c8ydm.api.resources.bulk_operations import BulkOperations

        return BulkOperations(self._as_client())

    @cached_property
    def events(self) -> Events:
        """Events and event binaries (``/event/events``)."""

        from c8ydm.api.resources.events import Events

        return Events(self._as_client())

    @cached_property
    def users(self) -> Users:
        """Users, groups, membership (``/user/{tenant}/...``)."""

        from c8ydm.api.resources.users import Users

        return Users(self._as_client())

    @cached_property
    def tenant(self) -> Tenant:
        """Current tenant, login options, current user."""

        from c8ydm.api.resources.tenant import Tenant

        return Tenant(self._as_client())

    @cached_property
    def identity(self) -> Identity:
        """External ids (``/identity``)."""

        from c8ydm.api.resources.identity import Identity

        return Identity(self._as_client())

    @cached_property
    def options(self) -> Options:
        """Tenant system options (``/tenant/system/options``)."""

        from c8ydm.api.resources.options import Options

        return Options(self._as_client())

    @cached_property
    def advanced_software(self) -> AdvancedSoftware:
        """Advanced software management (``/service/advanced-software-mgmt``) and whether the user has it."""

        from c8ydm.api.resources.advanced_software import AdvancedSoftware

        return AdvancedSoftware(self._as_client())

    @cached_property
    def certificates(self) -> TrustedCertificates:
        """Trusted certificates, proof of possession, revocation list, tenant CA (contract §13)."""

        from c8ydm.api.resources.certificates import TrustedCertificates

        return TrustedCertificates(self._as_client())

    @cached_property
    def registration(self) -> DeviceRegistration:
        """New device requests and bulk CSV registration (``/devicecontrol/…DeviceRequests``, §12.6-7)."""

        from c8ydm.api.resources.registration import DeviceRegistration

        return DeviceRegistration(self._as_client())
