"""Every input of webio.input and every pin widget of webio.pin, in one tour.

Run it with ``python demos/input_usage.py`` and open the address it prints. The
first form holds every kind of input; after it, a short single ``input()`` shows a
side button, and then pin widgets stay on the page, each change reported below
them. The browser tests drive this same app (``tests/test_browser_inputs.py``).
"""
import argparse
import time

from webio import start_server
from webio.input import (
    COLOR,
    DATE,
    DATETIME_LOCAL,
    FLOAT,
    NUMBER,
    PASSWORD,
    TIME,
    URL,
    actions,
    checkbox,
    file_upload,
    input,
    input_group,
    input_update,
    radio,
    select,
    slider,
    textarea,
)
from webio.output import put_text, use_scope
from webio.pin import (
    pin,
    pin_on_change,
    pin_wait_change,
    put_actions,
    put_checkbox,
    put_file_upload,
    put_input,
    put_radio,
    put_select,
    put_slider,
    put_textarea,
)

CITIES = {
    "France": ["Paris", "Lyon", "Marseille"],
    "Japan": ["Tokyo", "Osaka", "Kyoto"],
    "Peru": ["Lima", "Cusco", "Arequipa"],
}
PIN_NAMES = ["query", "notes", "fruit", "extras", "level", "volume", "vote", "photo"]


def check_age(age):
    if age is not None and not 0 <= age <= 150:
        return "An age is between 0 and 150."
    return None


def check_form(data):
    if data["password"] and data["password"] == data["name"]:
        return "password", "The password must not be your name."
    return None


def show_value(name, value):
    """One line per value: files by name and size, everything else as repr()."""
    if isinstance(value, dict) and "content" in value:
        value = f"{value['filename']} ({len(value['content'])} bytes, {value['mime_type']})"
    put_text(f"{name} = {value!r}")


def the_form():
    return input_group("Everything at once", [
        input("Name", name="name", required=True, placeholder="Ada Lovelace", datalist=["Ada", "Grace", "Alan"],
              help_text="Suggestions appear as you type."),
        input("Age", name="age", type=NUMBER, validate=check_age),
        input("Height in metres", name="height", type=FLOAT, step="0.01"),
        input("Password", name="password", type=PASSWORD),
        input("Homepage", name="url", type=URL),
        input("Birthday", name="birthday", type=DATE),
        input("Alarm", name="alarm", type=TIME),
        input("Favourite colour", name="colour", type=COLOR, value="#2563eb"),
        input("Appointment", name="appointment", type=DATETIME_LOCAL),
        input("Lucky number", name="lucky", type=NUMBER, action=("Pick for me", lambda set_value: set_value(7))),
        textarea("About you", name="bio", rows=3, maxlength=200, placeholder="A few words"),
        textarea("Snippet", name="snippet", code={"mode": "python"}, value="def hello():\n    return 'hi'\n"),
        select("Country", list(CITIES), name="country",
               onchange=lambda country: input_update("city", options=CITIES[country])),
        select("City", CITIES["France"], name="city"),
        select("Languages", ["Python", "JavaScript", "Rust", "Go"], name="languages", multiple=True),
        checkbox("Toppings", ["Cheese", "Ham", "Mushrooms", "Olives"], name="toppings", inline=True,
                 value=["Cheese"]),
        radio("Size", ["Small", "Medium", "Large"], name="size", required=True),
        slider("Volume", name="volume", value=30, min_value=0, max_value=100, step=5),
        file_upload("Avatar", name="avatar", accept=["image/*", ".txt"], max_size="2M",
                    help_text="An image or a text file, at most 2 MB."),
        actions("", [
            {"label": "Save", "value": "save"},
            {"label": "Save and go on", "value": "save-more", "color": "success"},
            {"label": "Reset", "type": "reset"},
            {"label": "Cancel", "type": "cancel"},
        ], name="action"),
    ], validate=check_form)


def pin_widgets():
    put_input("query", label="Search", placeholder="Type to search")
    put_textarea("notes", label="Notes", rows=2)
    put_select("fruit", ["Apple", "Banana", "Cherry"], label="Fruit")
    put_checkbox("extras", ["Milk", "Sugar"], label="Extras")
    put_radio("level", ["Low", "High"], label="Level")
    put_slider("volume", label="Pin volume", value=10)
    put_actions("vote", label="Vote", buttons=[{"label": "Up", "value": 1}, {"label": "Down", "value": -1}])
    put_file_upload("photo", label="Photo", accept="image/*", max_size="2M")
    pin_on_change("level", lambda value: put_text(f"level is now {value}"))


def main():
    """Every input (thread session)"""
    data = the_form()
    if data is None:
        put_text("The form was cancelled.")
    else:
        for name, value in data.items():
            show_value(name, value)
    stamp = input("Timestamp", action=("Now", lambda set_value: set_value(int(time.time()), "now")),
                  readonly=True, help_text="Press Now: the field shows 'now', the app gets the time.")
    put_text(f"timestamp is a {type(stamp).__name__}")
    pin_widgets()
    put_text(f"pins ready, query is {pin.query!r}")
    with use_scope("changes"):
        while True:
            changed = pin_wait_change(PIN_NAMES)
            show_value("pin " + changed["name"], changed["value"])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    start_server(main, port=args.port, host=args.host, reconnect_timeout=60)
