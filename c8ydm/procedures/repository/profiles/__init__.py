"""Device profiles in the repository (contract §2, §9.1, rule 14(k)): entries of type ``c8y_Profile``
whose ``c8y_DeviceProfile`` lists firmware, software and configuration from the other repositories.

content     what a profile holds: items, merges, software-type markers (no requests)
items       the pickers' look-ups: an item must exist and fit the profile's device type
manage      list, show, create, copy, edit (rename; device type only while empty), devices assigned
update      ``profile set``: one read, one PUT of the complete fragment, a re-read to verify

Lookup, the list query and delete are the generic repository's, with ``kinds.PROFILE``.
"""
