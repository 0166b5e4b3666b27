"""The simulated fleet: the seed data, the device agents and the simulation thread that drives them.

Devices work on the model (model/) directly, never through HTTP handlers.
"""
