"""Pydantic models of Cumulocity objects, one module per area (fields from the spec, fragments from
the contract §2-§13). Import from the area's module: ``from c8ydm.api.models.inventory import
ManagedObject``.

    base            C8yModel (unknown fragments kept), IdStr, ObjectRef, PageStatistics
    inventory       ManagedObject, Binary, references, fragments, DeviceUser, ExternalId
    devicecontrol   Operation, OperationStatus, BulkOperation, BulkGeneralStatus, BulkProgress
    events          Event
    users           User, CurrentUser, Group (global role), Role
    tenant          CurrentTenant, LoginOption(Type), SystemOption
    certificates    TrustedCertificate, CrlEntry
    registration    NewDeviceRequest(Status), BulkRegistrationResult, AcceptAllItem, DeviceLimit
"""
