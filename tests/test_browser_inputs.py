"""Every input and pin widget in chromium: filled by its label, checked by what the app got."""
from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DEMOS = Path(__file__).resolve().parent.parent / "demos"


def load_demo(name):
    spec = importlib.util.spec_from_file_location(f"{name}_demo", DEMOS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def label(page, text):
    return page.get_by_label(text, exact=True)


def test_every_control_of_the_input_demo(serve, page):
    served = serve(load_demo("input_usage").main)
    page.goto(served.url)
    name = label(page, "Name")
    name.wait_for()
    assert name.evaluate("el => el === document.activeElement"), "focus lands in the first field"
    for button in ("Save", "Save and go on", "Reset", "Cancel"):
        assert page.get_by_role("button", name=button, exact=True).count() == 1
    assert page.get_by_role("button", name="Submit").count() == 0, "the actions replace the form's buttons"

    name.fill("Ada")
    label(page, "Age").fill("36")
    label(page, "Height in metres").fill("1.65")
    label(page, "Password").fill("secret")
    label(page, "Homepage").fill("https://example.org")
    label(page, "Birthday").fill("1815-12-10")
    label(page, "Alarm").fill("07:30")
    label(page, "Favourite colour").fill("#ff0000")
    label(page, "Appointment").fill("2024-05-01T10:15")
    page.get_by_role("button", name="Pick for me").click()
    page.wait_for_function("document.querySelector('[name=lucky]').value === '7'")
    label(page, "About you").fill("Mathematician")
    snippet = label(page, "Snippet")
    snippet.click()
    snippet.press("Control+End")
    snippet.press_sequentially("if x:")
    snippet.press("Enter")
    snippet.press("Tab")
    snippet.press_sequentially("y = 1")
    snippet.press("Enter")
    snippet.press_sequentially("z")
    label(page, "Country").select_option("Japan")
    page.wait_for_function("[...document.querySelectorAll('[name=city] option')].map(o => o.textContent).join()"
                           " === 'Tokyo,Osaka,Kyoto'")
    label(page, "City").select_option("Kyoto")
    label(page, "Languages").select_option(["Python", "Rust"])
    label(page, "Mushrooms").check()
    label(page, "Cheese").uncheck()
    page.get_by_role("radio", name="Medium").check()
    label(page, "Volume").fill("55")
    label(page, "Avatar").set_input_files(files=[{"name": "me.txt", "mimeType": "text/plain", "buffer": b"hello"}])
    page.get_by_role("button", name="Save and go on").click()

    expected = [
        "name = 'Ada'", "age = 36", "height = 1.65", "password = 'secret'", "url = 'https://example.org'",
        "birthday = '1815-12-10'", "alarm = '07:30'", "colour = '#ff0000'", "appointment = '2024-05-01T10:15'",
        "lucky = 7", "bio = 'Mathematician'",
        "snippet = \"def hello():\\n    return 'hi'\\nif x:\\n    y = 1\\n    z\"",
        "country = 'Japan'", "city = 'Kyoto'", "languages = ['Python', 'Rust']", "toppings = ['Mushrooms']",
        "size = 'Medium'", "volume = 55", "avatar = 'me.txt (5 bytes, text/plain)'", "action = 'save-more'",
    ]
    for text in expected:
        page.get_by_text(text, exact=True).wait_for()

    stamp = label(page, "Timestamp")
    page.get_by_role("button", name="Now").click()
    page.wait_for_function("document.querySelector('[name=data]').value === 'now'")
    assert stamp.evaluate("el => el.readOnly")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("timestamp is a int").wait_for()

    page.get_by_text("pins ready, query is ''").wait_for()
    label(page, "Search").fill("webio")
    page.get_by_text("pin query = 'webio'").wait_for()
    label(page, "Notes").fill("two\nlines")
    page.get_by_text("pin notes = 'two\\nlines'").first.wait_for()
    label(page, "Fruit").select_option("Cherry")
    page.get_by_text("pin fruit = 'Cherry'").wait_for()
    label(page, "Sugar").check()
    page.get_by_text("pin extras = ['Sugar']").wait_for()
    page.get_by_role("radio", name="High").check()
    page.get_by_text("pin level = 'High'").wait_for()
    page.get_by_text("level is now High").wait_for()
    label(page, "Pin volume").fill("70")
    page.get_by_text("pin volume = 70").wait_for()
    page.get_by_role("button", name="Down").click()
    page.get_by_text("pin vote = -1").wait_for()
    label(page, "Photo").set_input_files(files=[{"name": "p.png", "mimeType": "image/png", "buffer": b"PNG!"}])
    page.get_by_text("pin photo = 'p.png (4 bytes, image/png)'").wait_for()


def test_keyboard_enter_submits_esc_cancels_and_buttons_are_named(serve, page):
    from webio.input import input, input_group
    from webio.output import put_text

    def main():
        put_text("first " + input("Word"))
        data = input_group("Later", [input("Thing", name="thing")], cancelable=True)
        put_text("group " + repr(data))

    served = serve(main)
    page.goto(served.url)
    word = label(page, "Word")
    word.fill("typed")
    for button in ("Submit", "Reset"):
        assert page.get_by_role("button", name=button, exact=True).count() == 1
    word.press("Enter")
    page.get_by_text("first typed").wait_for()
    thing = label(page, "Thing")
    thing.wait_for()
    assert thing.evaluate("el => el === document.activeElement")
    assert page.get_by_role("button", name="Cancel").count() == 1
    thing.press("Escape")
    page.get_by_text("group None").wait_for()


def test_an_unlabelled_input_still_has_an_accessible_name(serve, page):
    from webio.input import input, select

    def main():
        input(placeholder="Search the docs")
        select(options=["a", "b"])

    served = serve(main)
    page.goto(served.url)
    box = page.get_by_role("textbox", name="Search the docs")
    box.wait_for()
    box.press("Enter")
    page.get_by_role("combobox", name="Input", exact=True).wait_for()


def test_enter_in_a_form_with_actions_submits_without_an_action(serve, page):
    from webio.input import actions, input, input_group
    from webio.output import put_text

    def main():
        data = input_group("Add", [input("Item", name="item"),
                                   actions("", [{"label": "Save", "value": "save"}], name="act")])
        put_text("got " + repr(data))

    served = serve(main)
    page.goto(served.url)
    item = label(page, "Item")
    item.fill("milk")
    item.press("Enter")
    page.get_by_text("got {'item': 'milk', 'act': None}").wait_for()


def test_the_code_editor_keeps_indentation_and_releases_tab_with_esc(serve, page):
    from webio.input import input_group, textarea
    from webio.output import put_text

    def main():
        data = input_group("Code", [textarea("Source", name="src", code=True),
                                    textarea("Notes", name="notes")], cancelable=True)
        put_text("got " + repr(data))

    served = serve(main)
    page.goto(served.url)
    source = label(page, "Source")
    source.click()
    source.press_sequentially("def f():")
    source.press("Enter")
    source.press("Tab")
    source.press_sequentially("return 1")
    source.press("Enter")
    source.press("Shift+Tab")
    source.press_sequentially("x")
    assert source.evaluate("el => el === document.activeElement"), "Tab stays in the editor"
    source.press("Escape")
    source.press("Tab")
    assert label(page, "Notes").evaluate("el => el === document.activeElement"), "Esc then Tab moves on"
    assert page.get_by_text("got").count() == 0, "the first Esc does not cancel the form"
    source.press("Control+Enter")
    page.get_by_text("got {'src': 'def f():\\n    return 1\\nx', 'notes': ''}").wait_for()


def test_a_file_over_the_limit_is_refused_next_to_its_field_and_the_form_kept(serve, page):
    from webio.input import file_upload, input, input_group
    from webio.output import put_text

    def main():
        data = input_group("Send", [input("Title", name="title"),
                                    file_upload("Attachment", name="file", max_size="1K")])
        put_text(f"got {data['title']} {data['file']['filename']}")

    served = serve(main)
    page.goto(served.url)
    label(page, "Title").fill("Report")
    attachment = label(page, "Attachment")
    attachment.set_input_files(files=[{"name": "big.bin", "mimeType": "", "buffer": b"x" * 5000}])
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("big.bin is 4.9 KB, over the limit of 1 KB per file.").wait_for()
    assert attachment.get_attribute("aria-invalid") == "true"
    assert label(page, "Title").input_value() == "Report"
    attachment.set_input_files(files=[{"name": "ok.bin", "mimeType": "", "buffer": b"x" * 500}])
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("got Report ok.bin").wait_for()


def test_a_large_upload_goes_in_chunks_with_progress(serve, page, tmp_path):
    from webio.input import file_upload
    from webio.output import put_text

    received = []

    def main():
        file = file_upload("Archive")
        received.append(file["content"])
        put_text(f"got {len(file['content'])} bytes")

    size = 100 * 1024 * 1024
    content = bytes(range(256)) * (size // 256)
    big = tmp_path / "big.bin"
    big.write_bytes(content)
    served = serve(main)
    page.goto(served.url)
    label(page, "Archive").set_input_files(big)
    page.evaluate("""() => {
        window.progressSeen = [];
        new MutationObserver(() => {
            const bar = document.querySelector('.webio-upload-progress');
            if (bar && !bar.hidden) window.progressSeen.push(bar.value);
        }).observe(document.body, {subtree: true, attributes: true, childList: true, characterData: true});
    }""")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text(f"got {size} bytes").wait_for(timeout=60_000)
    assert received[0] == content
    seen = page.evaluate("window.progressSeen")
    assert any(0 < value < 1 for value in seen), f"the progress bar moved: {seen[:5]}"


def test_an_interrupted_upload_fails_clearly_and_can_be_sent_again(serve, page, tmp_path):
    from webio.input import file_upload
    from webio.output import put_text

    def main():
        file = file_upload("Archive")
        put_text(f"got {len(file['content'])} bytes")

    size = 48 * 1024 * 1024
    big = tmp_path / "big.bin"
    big.write_bytes(b"\x01" * size)
    served = serve(main, reconnect_timeout=30)
    page.goto(served.url)
    archive = label(page, "Archive")
    archive.set_input_files(big)
    page.get_by_role("button", name="Submit").click()
    page.wait_for_function("(() => { const b = document.querySelector('.webio-upload-progress');"
                           " return b && !b.hidden && b.value > 0; })()")

    async def cut():
        for session in list(served.hub.sessions.values()):
            session._connection.close()

    asyncio.run_coroutine_threadsafe(cut(), served.loop).result(5)
    page.get_by_text("The upload was interrupted").wait_for()
    assert archive.get_attribute("aria-invalid") == "true"
    page.wait_for_function("document.documentElement.dataset.webioSession === 'open'", timeout=30_000)
    page.get_by_role("button", name="Submit").click()
    page.get_by_text(f"got {size} bytes").wait_for(timeout=30_000)


def test_the_bmi_demo(serve, page):
    served = serve(load_demo("bmi").main)
    page.goto(served.url)
    label(page, "Your Height (cm)").fill("175")
    label(page, "Your Weight (kg)").fill("70")
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Your BMI: 22.9, category: Normal").wait_for()
