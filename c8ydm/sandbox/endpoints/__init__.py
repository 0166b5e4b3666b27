"""HTTP handlers, one module per REST area: one `async def <method>_<resource>(request)` per method
and path, each listed once in routes.py. Handlers reach the state with `state.state_of(request)`.
"""
