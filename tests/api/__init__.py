"""Unit tests of the typed Cumulocity client (respx; requests validated against the official spec)."""
