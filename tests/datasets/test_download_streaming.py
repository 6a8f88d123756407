"""A CSV data download streams; it is audited before its first byte and holds what was counted."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from audit.services import parameters_canonical, parameters_digest
from datasets import exports, selectors, services

from ..catalog.maintenance_helpers import hang_up
from .conftest import MATRIX_HEADER, citizen_id

pytestmark = pytest.mark.django_db

READER, RESOURCE = "prov_staff_4", "pub_cond_1"


def _url(m, format: str = "csv") -> str:
    return reverse("datasets:data_download", args=[m.resources[RESOURCE].pk, format])


def _downloads() -> int:
    return AuditEvent.objects.filter(action="data.download").count()


def _whole_csv(user, resource) -> bytes:
    """Return the rows as the download wrote them before it streamed: one text wrapper."""
    page = selectors.dataset_rows_for(user=user, resource=resource, limit=1000)
    out = io.BytesIO()
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(page.columns)
    writer.writerows([[exports.neutralise(v) for v in row] for row in page.rows])
    text.flush()
    return out.getvalue()


def _push(m, rows: int, first: int = 100, name: str = "名称") -> None:
    services.dataset_push(
        actor=m.users["prov_editor_4"],
        resource=m.resources[RESOURCE],
        rows=[
            dict(zip(MATRIX_HEADER, [f"B{n:03d}", f"{name}{n}", citizen_id(n)], strict=True))
            for n in range(first, first + rows)
        ],
        mode="append",
        batch_id=f"batch-{first}-{rows}",
    )


def test_the_csv_streams_the_bytes_of_the_whole_file(client, matrix_data):
    m = matrix_data
    _push(m, 5, first=200)
    _push(m, 1, first=300, name="=1+")  # a formula-looking name is neutralised
    client.force_login(m.users[READER])
    response = client.get(_url(m))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    name = m.resources[RESOURCE].code.replace("/", "-")
    assert response["Content-Disposition"] == f'attachment; filename="{name}.csv"'
    content = b"".join(response.streaming_content)
    expected = _whole_csv(m.users[READER], m.resources[RESOURCE])
    assert content == expected and content.startswith("\ufeff".encode())
    assert len(content.decode("utf-8-sig").splitlines()) == 1 + 3 + 6
    assert ",'=1+300," in content.decode("utf-8-sig")
    # The API's download (written to a file) holds the same bytes.
    out = io.BytesIO()
    exports.dataset_export(user=m.users[READER], resource=m.resources[RESOURCE], out=out)
    assert out.getvalue() == expected


def test_the_download_is_audited_before_its_first_byte(client, matrix_data):
    m = matrix_data
    client.force_login(m.users[READER])
    before = _downloads()
    response = client.get(_url(m))
    # Not one byte read yet, and the client goes away: the event is there all the same.
    assert _downloads() == before + 1
    event = AuditEvent.objects.filter(action="data.download").latest("id")
    assert (event.actor_id, event.object_id) == (m.users[READER].pk, str(m.resources[RESOURCE].pk))
    assert event.details["items"] == MATRIX_HEADER
    assert event.details["rows"] == 3
    assert event.details["format"] == "csv"
    assert (event.details["filter_items"], event.details["filters_digest"]) == ([], "")
    assert event.details["provider"] == m.resources[RESOURCE].provider_id
    hang_up(response)
    assert _downloads() == before + 1  # closing records nothing more
    # An XLSX download is recorded the same way, once.
    response = client.get(_url(m, "xlsx"))
    assert response.status_code == 200 and _downloads() == before + 2
    assert (
        AuditEvent.objects.filter(action="data.download").latest("id").details["format"] == "xlsx"
    )


def test_the_row_limit_is_checked_on_the_count_before_any_byte(client, matrix_data, settings):
    m = matrix_data
    client.force_login(m.users[READER])
    before = _downloads()
    settings.PORTAL_DATA_EXPORT_MAX_ROWS = 2
    for format in ("csv", "xlsx"):
        response = client.get(_url(m, format))
        assert response.status_code == 400
        assert "下载的行数过多" in response.content.decode()
    assert _downloads() == before  # refused: nothing sent, nothing recorded
    settings.PORTAL_DATA_EXPORT_MAX_ROWS = 3
    assert client.get(_url(m)).status_code == 200
    assert _downloads() == before + 1


def test_rows_added_after_the_decision_are_not_streamed(matrix_data):
    m = matrix_data
    export = exports.dataset_export_open(user=m.users[READER], resource=m.resources[RESOURCE])
    assert export.count == 3
    _push(m, 4)  # appended to the same version while the download runs
    rows = list(csv.reader(io.StringIO(b"".join(exports.csv_chunks(export)).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["B001", "B002", "B003"]


def test_the_stream_keeps_the_readers_masking_and_scope(client, matrix_data):
    m = matrix_data
    # Another department's reader of the same data gets the personal item masked, in the stream.
    client.force_login(m.users["cons_staff_1"])
    response = client.get(
        reverse("datasets:data_download", args=[m.resources["pub_unc_1"].pk, "csv"])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert citizen_id(1) not in text and "B001" in text
    client.force_login(m.users[READER])
    response = client.get(
        reverse("datasets:data_download", args=[m.resources["pub_unc_1"].pk, "csv"])
    )
    assert citizen_id(1) in b"".join(response.streaming_content).decode("utf-8-sig")


def test_download_queries_grow_with_the_chunks_not_with_the_rows(client, matrix_data, monkeypatch):
    m = matrix_data
    monkeypatch.setattr(
        exports, "dataset_rows_export", functools.partial(selectors.dataset_rows_export, chunk=10)
    )
    client.force_login(m.users[READER])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(_url(m))
            b"".join(response.streaming_content)
        return len(captured.captured_queries)

    queries()  # the session's first request reads a little more
    small = queries()  # 3 rows: one chunk
    _push(m, 7)
    assert queries() == small  # 10 rows: still one chunk
    _push(m, 20, first=500)
    assert queries() == small + 2  # 30 rows: three chunks


def test_a_filtered_download_is_audited_by_digest_never_by_value(matrix_data, settings):
    m = matrix_data
    _push(m, 2, first=100)
    wanted = {"编号": "B101"}
    export = exports.dataset_export_open(
        user=m.users[READER], resource=m.resources[RESOURCE], filters=wanted
    )
    assert export.count == 1
    event = AuditEvent.objects.filter(action="data.download").latest("id")
    assert event.details["filter_items"] == ["编号"] and event.details["rows"] == 1
    # The value is nowhere in the event; its keyed digest is, and a plain hash is not it.
    assert "B101" not in json.dumps(event.details, ensure_ascii=False)
    digest = event.details["filters_digest"]
    assert digest == parameters_digest(wanted)
    assert digest != hashlib.sha256(parameters_canonical(wanted).encode()).hexdigest()
    # An operator checks a claim against the event, also after the key was rotated.
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "rotated-" + old_key, [old_key]
    assert parameters_digest(wanted) != digest
    out = io.StringIO()
    call_command("audit_digest", json.dumps(wanted), "--event", str(event.sequence), stdout=out)
    assert f"{digest}  (fallback key 1)" in out.getvalue()
    assert f"Event {event.sequence} (data.download) recorded these values." in out.getvalue()
    with pytest.raises(CommandError, match="did not record these values"):
        call_command("audit_digest", '{"编号": "B100"}', "--event", str(event.sequence))
    with pytest.raises(CommandError, match="must be a JSON object"):
        call_command("audit_digest", '["B101"]')
    with pytest.raises(CommandError, match="not JSON"):
        call_command("audit_digest", "{编号: B101}")
    with pytest.raises(CommandError, match="No audit event"):
        call_command("audit_digest", json.dumps(wanted), "--event", str(event.sequence + 10**6))
    before = AuditEvent.objects.count()
    call_command("audit_digest", json.dumps(wanted), stdout=io.StringIO())
    assert AuditEvent.objects.count() == before  # checking a claim writes nothing
