"""Checks of what users type (issue 14): repository URLs, upload file names, far starts, names with
blanks, download destinations that are not files; and an unreadable sessions file is never
overwritten. All exit 2, before any request."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import respx
from device_fakes import MO, client, page, router

from c8ydm import settings
from c8ydm.api.client import Client
from c8ydm.api.errors import InputError
from c8ydm.cli.exitcodes import exit_code_for
from c8ydm.procedures.bulk.schedule import parse_start
from c8ydm.procedures.inputs import check_repository_url, check_upload_file
from c8ydm.procedures.repository.download import destination
from c8ydm.procedures.resolve import resolve_device

__all__ = ["client", "router"]


@pytest.mark.parametrize(
    "url",
    ["https://files.example.com/fw.bin", "http://10.0.0.1:8080/a?b=c", "ftp://mirror.example.com/fw.img",
     "FTP://user@mirror.example.com/x"],
)  # fmt: skip
def test_http_https_and_ftp_urls_with_a_host_are_accepted(url: str) -> None:
    assert check_repository_url(url) == url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "fw.bin", "/tmp/fw.bin", "https://", "http:///x", "file:///etc/passwd",
     "http://a b/fw", "https://x/\nfw", "https://x/\tfw", "https://x:99999/fw", "data:text/plain,hi",
     "https://x/\x1b[2Jfw"],
)  # fmt: skip
def test_other_urls_are_refused(url: str) -> None:
    with pytest.raises(InputError) as raised:
        check_repository_url(url)
    assert exit_code_for(raised.value) == 2
    assert "\n" not in raised.value.message and "\x1b" not in raised.value.message


def test_a_file_name_that_is_not_utf8_is_refused_naming_it_escaped(tmp_path: Path) -> None:
    path = tmp_path / os.fsdecode(b"fw-\xff.bin")
    path.write_bytes(b"x")

    with pytest.raises(InputError, match=r"the file name 'fw-\\udcff.bin' is not valid UTF-8"):
        check_upload_file(path)


def test_a_file_name_too_long_for_the_system_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read .*File name too long"):
        check_upload_file(tmp_path / ("f" * 300 + ".bin"))


@pytest.mark.parametrize("text", ["+99999999d", "+" + "9" * 400 + "s"])
def test_a_start_too_far_in_the_future_is_a_usage_error(text: str) -> None:
    with pytest.raises(InputError, match="too far in the future"):
        parse_start(text)


def test_a_name_with_blanks_prefers_the_object_named_exactly_so(
    client: Client, router: respx.MockRouter
) -> None:
    exact = {"id": "2", "name": "edge ", "type": "c8y_Linux", "c8y_IsDevice": {}}
    trimmed = {"id": "1", "name": "edge", "type": "c8y_Linux", "c8y_IsDevice": {}}

    def answer(request: object) -> object:
        import httpx

        assert isinstance(request, httpx.Request)
        wanted = "edge " if "'edge '" in request.url.params["query"] else "edge"
        return httpx.Response(200, json=page("managedObjects", [exact if wanted == "edge " else trimmed]))

    router.get(MO).mock(side_effect=answer)

    assert resolve_device(client, "edge ").id == "2"
    assert resolve_device(client, "edge").id == "1"


def test_a_download_never_replaces_a_pipe_or_device(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    for target in (pipe, Path("/dev/null")):
        with pytest.raises(InputError, match="is not a regular file"):
            destination(target, "fw.bin", overwrite=True)
    assert pipe.is_fifo()


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"{not json", "it is not valid JSON"),
        (b"\xff\xfe", "it is not valid JSON"),
        (b"[]", "expected a JSON object"),
        (b'{"current": 5}', '"current" is not a session name'),
        (b'{"sessions": []}', '"sessions" is not an object'),
        (b'{"sessions": {"a": "x"}}', "session 'a' is not an object with a url"),
        (
            b'{"sessions": {"a": {"url": "https://x", "insecure": "yes"}}}',
            "session 'a' has a field of the wrong type: insecure",
        ),
    ],
)
def test_an_unreadable_sessions_file_is_named_and_never_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: bytes, why: str
) -> None:
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path))
    (tmp_path / "sessions.json").write_bytes(content)

    for action in (settings.list_sessions, lambda: settings.save_session(settings.Session("b", "https://y"))):
        with pytest.raises(settings.SessionsFileError) as raised:
            action()
        assert raised.value.message == f"the sessions file {tmp_path / 'sessions.json'} is unreadable: {why}"
        assert exit_code_for(raised.value) == 2
    assert (tmp_path / "sessions.json").read_bytes() == content


def test_a_config_dir_that_is_a_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("C8YDM_CONFIG_DIR", str(tmp_path / "file"))

    with pytest.raises(settings.SessionsFileError, match=r"sessions\.json is unreadable: Not a directory"):
        settings.current_session_name()


def test_control_characters_in_the_environment_name_the_variable_not_the_value() -> None:
    environ = {"C8Y_HOST": "https://x", "C8Y_TOKEN": "abc\ndef"}

    with pytest.raises(InputError, match="the C8Y_TOKEN contains a control character") as raised:
        settings.resolve_connection(None, environ)
    assert "abc" not in raised.value.message and json.dumps(environ) not in str(raised.value.hint)
