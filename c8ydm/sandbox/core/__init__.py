"""The sandbox's building blocks, which know no REST resource: options, the store, errors, responses,
paging, authentication, fault injection, streamed uploads, request recording, X.509 parsing.

The bottom layer: it imports nothing from the sandbox's other subpackages (import-linter enforces it).
"""
