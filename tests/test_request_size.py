"""A request body over the portal's limit is refused from its Content-Length, unread
(kernel/request_size.py); one within it reaches the view as before."""

from __future__ import annotations

import io
import os

import pytest
from django.urls import reverse

from accounts.models import Role
from datasets.models import ImportJob

from . import builders

pytestmark = pytest.mark.django_db


class Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        raise AssertionError("the body was read")


@pytest.fixture
def editor_upload(client):
    provider = builders.department()
    client.force_login(builders.user(provider, roles=(Role.STAFF, Role.EDITOR)))
    url = reverse("datasets:data_upload", args=[builders.resource(provider).pk])
    assert client.get(url).status_code == 200  # the editor may upload here
    return client, url


def _post(client, url, length: int, **extra):
    return client.generic(
        "POST",
        url,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": Unreadable()},
        **extra,
    )


def test_an_upload_declaring_more_than_the_limit_is_refused_unread(editor_upload, settings, caplog):
    client, url = editor_upload
    declared = settings.PORTAL_REQUEST_MAX_BYTES + 1
    with caplog.at_level("WARNING", logger="portal.security"):
        response = _post(client, url, declared)
    assert response.status_code == 413
    text = response.content.decode()
    assert "最多接受" in text and "MB" in text
    assert not ImportJob.objects.exists()
    # What the refusal leaves behind: the path, the declared size and the address, in the log.
    assert f"declares {declared} bytes" in caplog.text and url in caplog.text
    english = _post(client, url, declared, HTTP_ACCEPT_LANGUAGE="en")
    assert "the portal accepts at most" in english.content.decode()


def test_the_limit_follows_the_largest_upload():
    from django.conf import settings

    assert settings.PORTAL_REQUEST_MAX_BYTES > settings.PORTAL_DATA_UPLOAD_MAX_BYTES
    assert settings.PORTAL_REQUEST_MAX_BYTES > settings.PORTAL_IMPORT_MAX_BYTES


def test_a_request_within_the_limit_goes_through(client, settings):
    # At the limit the request reaches the view (healthz reads no body, so none is needed).
    response = client.get(
        reverse("healthz"),
        CONTENT_LENGTH=str(settings.PORTAL_REQUEST_MAX_BYTES),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 200


def test_an_upload_is_parsed_in_large_chunks_and_arrives_intact(editor_upload, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    from kernel.upload_handlers import CHUNK_BYTES

    settings.MEDIA_ROOT = tmp_path
    request = RequestFactory().post("/", {})
    assert {h.chunk_size for h in request.upload_handlers} == {CHUNK_BYTES}
    client, url = editor_upload
    # Over the in-memory limit (a temporary file), with the multipart framing's own bytes
    # straddling every chunk boundary.
    content = bytearray(os.urandom(3 * CHUNK_BYTES + 123))
    for boundary in (CHUNK_BYTES, 2 * CHUNK_BYTES, 3 * CHUNK_BYTES):
        content[boundary - 3 : boundary + 3] = b"\r\n--\r\n"
    response = client.post(
        url, {"mode": "replace", "file": SimpleUploadedFile("data.csv", bytes(content))}
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    with job.file.open("rb") as stored:
        assert stored.read() == bytes(content)
