"""Keyring backends for tests: in memory, a JSON file (for subprocesses), and one that hangs.

A subprocess selects the file backend with ``PYTHON_KEYRING_BACKEND=support.fake_keyring.FileKeyring``
(``tests/`` on PYTHONPATH) and ``C8YDM_TEST_KEYRING`` naming the file.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.compat import properties
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    @properties.classproperty
    def priority(cls) -> float:
        # Not viable for keyring's own detection: tests select these backends explicitly.
        if getattr(cls, "__name__", "") == "FileKeyring" and "C8YDM_TEST_KEYRING" in os.environ:
            return 1.0
        raise RuntimeError("test keyring backends are selected explicitly")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


class FileKeyring(MemoryKeyring):
    """Secrets in the JSON file named by C8YDM_TEST_KEYRING, so that a test can look after a run."""

    def __init__(self) -> None:
        super().__init__()
        self.path = Path(os.environ["C8YDM_TEST_KEYRING"])
        if self.path.exists():
            stored = json.loads(self.path.read_text())
            self.secrets = {
                (key.split("|", 1)[0], key.split("|", 1)[1]): value for key, value in stored.items()
            }

    def _save(self) -> None:
        self.path.write_text(json.dumps({f"{s}|{u}": v for (s, u), v in self.secrets.items()}))

    def set_password(self, service: str, username: str, password: str) -> None:
        super().set_password(service, username, password)
        self._save()

    def delete_password(self, service: str, username: str) -> None:
        super().delete_password(service, username)
        self._save()


class HangingKeyring(MemoryKeyring):
    """A keyring whose every call blocks, like a locked Secret Service waiting for a prompt."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait(30)
        return None
