"""The sans-I/O core: numbered outbox and the page model behind snapshots."""
from __future__ import annotations

import json
import subprocess
import sys

from webio.protocol import encode_frame, make_command
from webio.session.outbox import Outbox
from webio.session.page_model import PageModel


def _take_frame(outbox):
    """What the session's writer does: take a batch, encode it, keep the frame."""
    batch = outbox.take_batch()
    return outbox.keep_frame(batch, encode_frame(batch)) if batch else None


def _text(content, scope="ROOT", position=-1):
    return make_command("output", {"type": "text", "content": content, "scope": scope, "position": position})


def test_commands_are_numbered_and_framed_in_order():
    outbox = Outbox(max_frame_commands=2)
    seqs = [outbox.push(_text(str(i))) for i in range(5)]
    assert seqs == [1, 2, 3, 4, 5]
    frames = [_take_frame(outbox) for _ in range(3)]
    assert [(f.first_seq, f.last_seq) for f in frames] == [(1, 2), (3, 4), (5, 5)]
    assert [c["spec"]["content"] for c in json.loads(frames[0].text)] == ["0", "1"]
    assert _take_frame(outbox) is None


def test_acked_frames_are_forgotten_and_the_rest_replayed():
    outbox = Outbox(max_frame_commands=1)
    for i in range(3):
        outbox.push(_text(str(i)))
        _take_frame(outbox)
    outbox.ack(1)
    replay = outbox.replay_after(1)
    assert [(f.first_seq, f.last_seq) for f in replay] == [(2, 2), (3, 3)]
    assert outbox.replay_after(3) == []


def test_a_client_behind_dropped_history_needs_a_snapshot():
    outbox = Outbox(max_frame_commands=1, max_unacked_bytes=200)
    for _ in range(10):
        outbox.push(_text("x" * 50))
        _take_frame(outbox)
    assert outbox.replay_after(0) is None
    assert outbox.replay_after(9) is not None


def test_unsent_overflow_turns_into_one_snapshot():
    outbox = Outbox(max_pending=3)
    for i in range(5):
        outbox.push(_text(str(i)))
    assert outbox.snapshot_due and not outbox.has_pending
    outbox.reset_to_snapshot()
    assert not outbox.snapshot_due and outbox.replay_after(5) == []


def test_positions_follow_pywebio():
    page = PageModel()
    for content, position in [("a", -1), ("b", -1), ("top", 0), ("second", 1), ("before-last", -2)]:
        page.apply(_text(content, position=position))
    assert [o["content"] for o in page.walk()] == ["top", "second", "a", "before-last", "b"]


def test_scopes_nest_clear_and_remove_freeing_what_they_held():
    page = PageModel()
    page.apply(make_command("output_ctl", {"set_scope": "outer", "container": "ROOT", "position": -1}))
    page.apply(_text("in outer", scope="outer"))
    page.apply(make_command("output", {"type": "row", "scope": "outer", "position": -1, "contents": [
        {"type": "scope", "name": "inner", "contents": [{"type": "text", "content": "in inner"}]}]}))
    assert [o.get("content") for o in page.walk() if o["type"] == "text"] == ["in outer", "in inner"]
    page.apply(make_command("output_ctl", {"clear": "outer"}))
    assert set(page.scopes) == {"ROOT", "outer"}
    page.apply(make_command("output_ctl", {"remove": "outer"}))
    assert page.scopes == {"ROOT": []}


def test_a_snapshot_rebuilds_the_same_page():
    page = PageModel()
    page.apply(make_command("output_ctl", {"set_scope": "s", "container": "ROOT", "position": -1}))
    page.apply(_text("hello", scope="s"))
    page.apply(make_command("input_group", {"label": "", "inputs": [{"name": "age", "type": "number"}]}, "form-1"))
    page.note_input_value("form-1", "age", 7)
    page.apply(make_command("set_env", {"title": "T"}))
    copy = PageModel()
    copy.apply(make_command("snapshot", json.loads(json.dumps(page.snapshot_spec()))))
    assert [o.get("content") for o in copy.walk()] == [None, "hello"]
    assert copy.forms["form-1"].values == {"age": 7} and copy.env == {"title": "T"}


def test_the_core_imports_without_any_web_framework():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('tornado', 'flask', 'aiohttp', 'redis'):\n"
        "            raise ImportError('blocked ' + name)\n"
        "sys.meta_path.insert(0, Block())\n"
        "import webio.protocol, webio.session.outbox, webio.session.page_model, webio.session.flow\n"
        "import webio.input.form, webio.session.base\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "ok", result.stderr
