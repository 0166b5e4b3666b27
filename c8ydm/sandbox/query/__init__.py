"""The inventory query language: lexer, parser and evaluator (language.py), paths and ordering.

Pure Python beside core/, at the bottom of the sandbox's layers: it imports nothing else of it.
"""
