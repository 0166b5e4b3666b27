"""New device requests (contract §12.7): list, add, accept (one PUT per pending request), delete, limit.

requests    the procedures; each change is planned from look-ups first, then tried per request
"""
