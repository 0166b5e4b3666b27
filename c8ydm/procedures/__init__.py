"""Multi-step work in the seed's terms, built only on ``c8ydm.api`` (no Typer, no Rich, no keyring).

    errors      PartialFailureError (exit 14) beyond the client's error tree
    resolve     a name or numeric id -> one managed object (devices, groups)
    origin      the c8ydm_Origin marker on every operation and prototype (§14(f))
    inputs      checks of what users type, before any request (blank values, upload files)
    repository/ firmware, software and configuration repositories (one spec per kind)
    device/     one device: info, firmware, software, install/remove
    operations/ wait for and cancel operations
    bulk/       bulk operations: prototypes, schedule, create (plan, execute), status
    rollout/    staged rollouts

Areas import each other only through their public modules: ``device`` and ``bulk`` use
``repository`` (kinds, lookup, versions, checks); nothing imports ``device`` or ``bulk`` internals
except its own package.
"""
