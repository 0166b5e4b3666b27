"""The tenant's resources and their rules (storage, validation, rendering, selection), shared by the
HTTP handlers (endpoints/) and the simulated devices (devices/). No handler lives here.
"""
