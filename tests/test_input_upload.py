"""file_upload: chunked uploads, limits enforced on the server, interrupted and forged uploads."""
from __future__ import annotations

import base64
import tracemalloc

import pytest
from input_support import both

from webio.input import file_upload, input, input_group
from webio.input.upload_store import format_size
from webio.output import put_text
from webio.testing import UploadFile


def describe(value):
    if isinstance(value, dict):
        return f"{value['filename']}|{value['content']!r}|{value['mime_type']}|{value['last_modified']}"
    if isinstance(value, list):
        return "[" + ", ".join(describe(v) for v in value) + "]"
    return repr(value)


def upload_app(**options):
    def script():
        put_text("got " + describe((yield file_upload("File", **options))))
    return both(script)


def test_one_file_comes_back_as_a_dict(webio_client, kind):
    client = webio_client(upload_app(accept=".txt", placeholder="Pick a text")[kind])
    item = client.wait_for_form().spec["inputs"][0]
    assert (item["type"], item["accept"], item["placeholder"], item["multiple"]) == ("file", ".txt", "Pick a text", False)
    ack = client.upload("File", UploadFile("notes.txt", b"hello\x00world", "text/plain", 1700000000.5))
    assert ack["received"] == ack["total"] == 11
    client.submit()
    client.wait_for_text("got notes.txt|b'hello\\x00world'|text/plain|1700000000.5")


def test_several_files_come_back_as_a_list_in_order(webio_client, kind):
    client = webio_client(upload_app(multiple=True)[kind])
    client.upload("File", ("a.bin", b"A" * 300_000), ("empty.bin", b""), ("c.bin", b"C"))
    client.submit()
    client.wait_for_text("got [a.bin|b'" + "A" * 300_000 + "'|application/octet-stream|0.0, "
                         "empty.bin|b''|application/octet-stream|0.0, c.bin|b'C'|application/octet-stream|0.0]")


def test_no_file_gives_none_or_an_empty_list(webio_client, kind):
    client = webio_client(upload_app()[kind])
    client.submit()
    client.wait_for_text("got None")
    client = webio_client(upload_app(multiple=True)[kind])
    client.submit()
    client.wait_for_text("got []")


def test_a_required_file_must_be_chosen(webio_client, kind):
    client = webio_client(upload_app(required=True)[kind])
    client.submit()
    assert client.wait_for_error("File") == "Please choose a file."


def test_a_file_over_max_size_is_refused_next_to_its_field_and_the_form_is_kept(webio_client, kind):
    def script():
        data = yield input_group("Profile", [input("Name", name="name"),
                                             file_upload("Photo", name="photo", max_size="1K")])
        put_text("got " + data["name"] + " " + describe(data["photo"]))

    client = webio_client(both(script)[kind])
    client.fill("Name", "Ada")
    ack = client.upload("Photo", ("big.png", b"x" * 2000, "image/png"))
    assert ack["error"] == "big.png is 2 KB, over the limit of 1 KB per file."
    assert client.wait_for_error("Photo") == ack["error"]
    assert client.wait_for_form().values["name"] == "Ada", "the rest of the form is kept"
    client.upload("Photo", ("small.png", b"x" * 10, "image/png"))
    client.wait_until(lambda: "photo" not in client.wait_for_form().errors, what="the error to clear")
    client.submit()
    client.wait_for_text("got Ada small.png|b'xxxxxxxxxx'|image/png|0.0")


def test_max_total_size_counts_all_files(webio_client, kind):
    client = webio_client(upload_app(multiple=True, max_size="1K", max_total_size=1500)[kind])
    ack = client.upload("File", ("a", b"a" * 1000), ("b", b"b" * 1000))
    assert ack["error"] == "The files are 2 KB together, over the limit of 1.5 KB."


def test_the_server_payload_limit_holds_for_uploads(webio_client, kind):
    client = webio_client(upload_app()[kind], max_payload_size="64K")
    item = client.wait_for_form().spec["inputs"][0]
    assert item["max_size"] == item["max_total_size"] == 64 * 1024
    assert item["chunk_size"] <= 24 * 1024, "chunks stay well inside the frame limit"
    ack = client.upload("File", ("big", b"z" * 70_000))
    assert "over the limit of 64 KB" in ack["error"]
    ack = client.upload("File", ("fits", b"z" * 60_000))
    assert ack["received"] == 60_000
    client.submit()
    client.wait_for_text("got fits|")


def test_the_payload_limit_covers_all_file_fields_of_a_form(webio_client):
    def main():
        input_group("Two", [file_upload("A", name="a"), file_upload("B", name="b")])

    client = webio_client(main, max_payload_size="64K")
    assert "received" in client.upload("A", ("a", b"a" * 40_000))
    ack = client.upload("B", ("b", b"b" * 40_000))
    assert ack["error"] == "The files are 78.1 KB, over the server's limit of 64 KB for one form."


def test_limits_above_the_server_limit_are_refused_when_called(webio_client):
    def main():
        try:
            file_upload("File", max_size="1M")
        except ValueError as exc:
            put_text("raised " + str(exc))

    client = webio_client(main, max_payload_size="64K")
    client.wait_for_text("raised max_size and max_total_size can be at most the server's max_payload_size")


def test_accept_and_multiple_are_enforced_on_the_server(webio_client, kind):
    client = webio_client(upload_app(accept=["image/*", ".pdf"])[kind])
    assert client.upload("File", ("run.exe", b"MZ", "application/x-msdownload"))["error"] == \
        "run.exe is not an accepted type of file (image/*, .pdf)."
    assert client.upload("File", ("a.png", b"1", "image/png"), ("b.png", b"2", "image/png"))["error"] == \
        "Please choose one file only."
    assert "received" in client.upload("File", ("Doc.PDF", b"%PDF", ""))
    client.submit()
    client.wait_for_text("got Doc.PDF|b'%PDF'||0.0")


def test_a_path_in_the_filename_is_dropped(webio_client, kind):
    client = webio_client(upload_app(multiple=True)[kind])
    client.upload("File", ("../../etc/passwd", b"1"), ("C:\\Users\\me\\x.txt", b"2"))
    client.submit()
    client.wait_for_text("got [passwd|b'1'|application/octet-stream|0.0, x.txt|b'2'|")


def start(client, upload_id, files, name="File"):
    form = client.wait_for_form()
    target = next(i["name"] for i in form.spec["inputs"] if name in (i["name"], i["label"]))
    client._send_event({"event": "upload", "task_id": form.task_id, "data": {
        "op": "start", "upload_id": upload_id, "name": target, "files": files}})
    return form


def chunk(client, form, upload_id, data, offset=0, index=0):
    client._send_event({"event": "upload", "task_id": form.task_id, "data": {
        "op": "chunk", "upload_id": upload_id, "file": index, "offset": offset,
        "data": base64.b64encode(data).decode()}})


def test_an_interrupted_upload_fails_clearly_on_submit(webio_client, kind):
    client = webio_client(upload_app()[kind])
    form = start(client, "u1", [{"filename": "big.iso", "size": 3 * 1024 * 1024, "mime_type": "", "last_modified": 0}])
    chunk(client, form, "u1", b"x" * 1024 * 1024)
    client.wait_until(lambda: client.page.upload_acks.get("u1", {}).get("received") == 1024 * 1024, what="the ack")
    client.submit({"upload_id": "u1"})
    assert client.wait_for_error("File") == "The upload stopped after 1 MB of 3 MB; please submit again."
    client.upload("File", ("small.txt", b"ok"))
    client.submit()
    client.wait_for_text("got small.txt|b'ok'")


def test_an_interrupted_upload_over_a_dropped_connection(webio_client):
    def main():
        put_text("got " + describe(file_upload("File")))

    client = webio_client(main, reconnect_timeout=30)
    form = start(client, "u2", [{"filename": "a", "size": 100, "mime_type": "", "last_modified": 0}])
    chunk(client, form, "u2", b"a" * 50)
    client.wait_until(lambda: client.page.upload_acks.get("u2", {}).get("received") == 50, what="the ack")
    client.drop()
    client.reconnect()
    client.submit({"upload_id": "u2"})
    assert "stopped after 50 bytes of 100 bytes" in client.wait_for_error("File")


@pytest.mark.parametrize(("offset", "payload"), [(10, b"x"), (0, b"y" * 200)])
def test_chunks_out_of_order_or_too_long_fail_the_upload(webio_client, offset, payload):
    client = webio_client(lambda: file_upload("File"))
    form = start(client, "u3", [{"filename": "a", "size": 100, "mime_type": "", "last_modified": 0}])
    chunk(client, form, "u3", payload, offset=offset)
    client.wait_until(lambda: "error" in client.page.upload_acks.get("u3", {}), what="the failure")
    assert client.wait_for_error("File") == "The upload failed; please submit again."


def test_chunks_that_are_not_base64_fail_the_upload(webio_client):
    client = webio_client(lambda: file_upload("File"))
    form = start(client, "u4", [{"filename": "a", "size": 100, "mime_type": "", "last_modified": 0}])
    client._send_event({"event": "upload", "task_id": form.task_id, "data": {
        "op": "chunk", "upload_id": "u4", "file": 0, "offset": 0, "data": "not base64!!"}})
    client.wait_until(lambda: "error" in client.page.upload_acks.get("u4", {}), what="the failure")


@pytest.mark.parametrize("data", [
    None,
    {"op": "start"},
    {"op": "start", "upload_id": "bad id with spaces", "name": "data", "files": []},
    {"op": "explode", "upload_id": "u5"},
    {"op": "start", "upload_id": "u5", "name": "nope", "files": []},
    {"op": "start", "upload_id": "u5", "name": "data", "files": "all of them"},
    {"op": "start", "upload_id": "u5", "name": "data", "files": [{"filename": "", "size": 1}]},
    {"op": "start", "upload_id": "u5", "name": "data", "files": [{"filename": "a", "size": -1}]},
    {"op": "start", "upload_id": "u5", "name": "data", "files": [{"filename": "a", "size": True}]},
    {"op": "chunk", "upload_id": "never-started", "file": 0, "offset": 0, "data": ""},
])
def test_malformed_upload_events_are_refused_without_harm(webio_client, data):
    client = webio_client(lambda: put_text("got " + describe(file_upload("File"))))
    form = client.wait_for_form()
    client._send_event({"event": "upload", "task_id": form.task_id, "data": data})
    client.wait_until(lambda: client.page.notices or client.wait_for_form().errors
                      or any("error" in a for a in client.page.upload_acks.values()), what="a refusal")
    client.upload("File", ("fine.txt", b"ok"))
    client.submit()
    client.wait_for_text("got fine.txt|b'ok'")


def test_an_upload_for_another_task_id_is_refused(webio_client):
    client = webio_client(lambda: file_upload("File"))
    client.wait_for_form()
    client._send_event({"event": "upload", "task_id": "form-forged", "data": {
        "op": "start", "upload_id": "u6", "name": "data", "files": []}})
    client.wait_for_notice("not an open file field")
    assert client.page.upload_acks["u6"]["error"] == "This file field is not open any more."


def test_a_submit_naming_an_unknown_upload_is_refused(webio_client, kind):
    client = webio_client(upload_app()[kind])
    client.submit({"upload_id": "never-sent"})
    assert client.wait_for_error("File") == "The file did not arrive; please choose it again."
    client.submit("just text")
    client.wait_until(lambda: "not an uploaded file" in client.wait_for_form().errors.get("data", ""),
                      what="a refusal of a non-upload value")


def test_format_size():
    assert [format_size(n) for n in (0, 1023, 1024, 1536, 3 * 1024**2, 5 * 1024**3)] == \
        ["0 bytes", "1023 bytes", "1 KB", "1.5 KB", "3 MB", "5 GB"]


def test_a_100_mb_upload_arrives_in_chunks_with_one_copy_in_memory(webio_client):
    received = []

    def main():
        received.append(file_upload("Big"))
        put_text("received")

    content = bytes(range(256)) * (100 * 1024 * 1024 // 256)
    client = webio_client(main)
    client.wait_for_form()
    tracemalloc.start()
    try:
        ack = client.upload("Big", ("big.bin", content), timeout=60)
        client.submit()
        client.wait_for_text("received", timeout=30)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ack["received"] == len(content)
    assert received[0]["content"] == content
    assert peak < 1.25 * len(content), f"the upload peaked at {peak / 2**20:.0f} MiB for a 100 MiB file"
