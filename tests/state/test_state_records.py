"""Records, tokens and channel names: the plain data every backend shares."""
from __future__ import annotations

import json

import pytest

from webio.state.channels import app_channel, session_channel, worker_channel
from webio.state.records import (
    ConnectionInfo,
    EventMessage,
    SessionRecord,
    check_id,
    hash_token,
    new_session_record,
    token_matches,
)


def test_hash_token_is_sha256_and_never_the_token() -> None:
    digest = hash_token("abc")
    assert digest == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert token_matches("abc", digest)
    assert not token_matches("abd", digest)
    assert not token_matches("", digest)
    with pytest.raises(TypeError):
        hash_token("")


def test_new_session_record_generates_unguessable_secrets() -> None:
    made = [
        new_session_record(
            None, token=None, app="", owner_worker=None, user_id=None, roles=(), metadata=None,
            ttl=5,
        )
        for _ in range(200)
    ]
    ids = {m.record.session_id for m in made}
    tokens = {m.token for m in made}
    assert len(ids) == len(tokens) == 200
    assert not ids & tokens
    assert all(len(i) >= 43 for i in ids)


def test_new_session_record_checks_its_arguments() -> None:
    def make(**kwargs: object) -> None:
        args: dict[str, object] = {
            "token": None, "app": "", "owner_worker": None, "user_id": None, "roles": (),
            "metadata": None, "ttl": 5,
        }
        args.update(kwargs)
        new_session_record("sid", **args)  # type: ignore[arg-type]

    with pytest.raises(TypeError, match="roles"):
        make(roles="admin")
    with pytest.raises(TypeError, match="JSON"):
        make(metadata={"x": {1, 2}})
    with pytest.raises(ValueError, match="ttl"):
        make(ttl=0)
    with pytest.raises(TypeError, match="ttl"):
        make(ttl="5")
    with pytest.raises(ValueError, match="user_id"):
        make(user_id="")


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\x1c", "\u00a0", "\u2003", "\u3000"])
def test_an_id_with_any_whitespace_is_refused(space: str) -> None:
    with pytest.raises(ValueError, match="without whitespace"):
        check_id(f"abc{space}def", "session_id")
    assert check_id("abc-def_1.2:3", "session_id") == "abc-def_1.2:3"


def test_session_record_round_trips_through_json() -> None:
    record = SessionRecord(
        session_id="s", token_hash="h", app="a", owner_worker=None, created=1.0,
        last_seen=2.0, expires=3.0, user_id="u", roles=("r1", "r2"), metadata={"k": [1]},
    )
    assert SessionRecord.from_dict(json.loads(json.dumps(record.to_dict()))) == record


def test_connection_info_round_trips_and_renews() -> None:
    entry = ConnectionInfo("s", "w", 1.0, 1.0, 31.0, {"t": "ws"})
    assert ConnectionInfo.from_dict(json.loads(json.dumps(entry.to_dict()))) == entry
    assert entry.ttl == 30.0
    renewed = entry.renewed(10)
    assert renewed.registered == 1.0 and renewed.ttl == pytest.approx(10)


def test_event_message_json_round_trip() -> None:
    message = EventMessage(
        type="relay", data={"a": [1, 2.5, None, "é"]}, session_id="s", source_worker="w1",
        target_worker="w2",
    )
    text = message.to_json()
    assert isinstance(text, str)
    assert EventMessage.from_json(text) == message
    assert EventMessage.from_json(text.encode()) == message
    other = EventMessage(type="relay")
    assert other.message_id != message.message_id and len(other.message_id) == 32


@pytest.mark.parametrize(
    "raw", ["", "not json", "[]", '{"data": 1}', '{"type": "t", "timestamp": "x"}']
)
def test_event_message_from_bad_json(raw: str) -> None:
    with pytest.raises(ValueError):
        EventMessage.from_json(raw)


def test_event_message_to_json_refuses_what_json_cannot_carry() -> None:
    with pytest.raises(TypeError, match="JSON"):
        EventMessage(type="t", data=object()).to_json()
    with pytest.raises(TypeError, match="JSON"):
        EventMessage(type="t", data=float("nan")).to_json()
    with pytest.raises(TypeError):
        EventMessage(type="").to_json()


def test_channel_names() -> None:
    assert session_channel("abc") == "session:abc"
    assert worker_channel("host-1-ff") == "worker:host-1-ff"
    assert app_channel("room") == "app:room"
    assert app_channel("app:room") == "app:room"
    with pytest.raises(ValueError):
        app_channel("two words")
    with pytest.raises(TypeError):
        session_channel(None)  # type: ignore[arg-type]
