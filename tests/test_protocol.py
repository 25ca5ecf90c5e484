"""The wire format: encoding, and validation of everything a browser sends."""
from __future__ import annotations

import json

import pytest

from webio.exceptions import ProtocolError
from webio.protocol import decode_event, decode_event_batch, encode_frame, make_command, parse_size


def test_a_frame_holds_one_object_or_an_array():
    one = make_command("output", {"type": "text", "content": "é"})
    assert json.loads(encode_frame([one])) == {"command": "output", "task_id": None, "spec": {"type": "text", "content": "é"}}
    assert json.loads(encode_frame([one, one])) == [one, one]
    assert "é" in encode_frame([one]), "frames are UTF-8 text, not \\u escapes"


def test_valid_events_pass_through():
    event = decode_event('{"event": "callback", "task_id": "cb-1", "data": "Again"}')
    assert event == {"event": "callback", "task_id": "cb-1", "data": "Again"}
    assert decode_event(b'{"event": "ack", "task_id": null, "data": {"seq": 3}}')["data"] == {"seq": 3}


def test_an_event_may_carry_an_ack_and_nothing_else_extra():
    event = decode_event('{"event": "callback", "task_id": "cb-1", "data": "Again", "ack": 7, "extra": 1}')
    assert event == {"event": "callback", "task_id": "cb-1", "data": "Again", "ack": 7}


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        ("not json{", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('"text"', "must be a JSON object"),
        ('{"task_id": "x"}', "needs a string 'event'"),
        ('{"event": 5, "task_id": "x"}', "needs a string 'event'"),
        ('{"event": "launch_missiles", "task_id": "x"}', "unknown event"),
        ('{"event": "callback", "task_id": 12, "data": 1}', "must be a string"),
        ('{"event": "callback", "data": 1}', "needs a 'task_id'"),
        ('{"event": "ack", "task_id": null, "data": {"seq": -1}}', "ack needs"),
        ('{"event": "ack", "task_id": null, "data": {"seq": true}}', "ack needs"),
        ('{"event": "ack", "task_id": null, "data": "3"}', "ack needs"),
        ('{"event": "callback", "task_id": "x", "data": 1, "ack": "7"}', "'ack' of a callback event must be an int"),
        ('{"event": "callback", "task_id": "x", "data": 1, "ack": -1}', "'ack' of a callback event must be an int"),
        ('{"event": "callback", "task_id": "x", "data": 1, "ack": false}', "'ack' of a callback event must be an int"),
        (b"\xff\xfe", "not valid JSON"),
    ],
)
def test_malformed_events_are_refused_with_a_reason(frame, message):
    with pytest.raises(ProtocolError, match=message):
        decode_event(frame)


def test_oversized_frames_are_refused_before_parsing():
    with pytest.raises(ProtocolError, match="over the limit of 100 bytes"):
        decode_event('{"event": "callback", "task_id": "x", "data": "' + "a" * 200 + '"}', max_bytes=100)


def test_http_bodies_hold_arrays_of_events():
    events = decode_event_batch('[{"event": "callback", "task_id": "a", "data": 1}, {"event": "from_cancel", "task_id": "f", "data": null}]')
    assert [e["event"] for e in events] == ["callback", "from_cancel"]
    with pytest.raises(ProtocolError, match="unknown event"):
        decode_event_batch('[{"event": "callback", "task_id": "a"}, {"event": "nope", "task_id": "b"}]')


@pytest.mark.parametrize(("text", "size"), [("200M", 200 * 1024**2), ("4k", 4096), ("1G", 1024**3), ("512", 512), (10, 10)])
def test_sizes_are_read_like_pywebio(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("bad", ["", "lots", "-1M", 0, "0"])
def test_bad_sizes_say_what_is_wrong(bad):
    with pytest.raises(ValueError):
        parse_size(bad)
