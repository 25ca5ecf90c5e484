"""Body mass index, in the style of PyWebIO's classic first example.

Run it with ``python demos/bmi.py`` (add ``--async`` for the coroutine version)
and open the address it prints.
"""
import argparse

from webio import start_server
from webio.input import FLOAT, input, input_group
from webio.output import put_text

# Upper bounds of the WHO adult categories.
CATEGORIES = [
    (18.5, "Underweight"),
    (25.0, "Normal"),
    (30.0, "Overweight"),
    (float("inf"), "Obese"),
]


def positive(value):
    if value is None or value <= 0:
        return "Please enter a positive number."
    return None


def questions():
    return [
        input("Your Height (cm)", name="height", type=FLOAT, validate=positive, placeholder="175"),
        input("Your Weight (kg)", name="weight", type=FLOAT, validate=positive, placeholder="70"),
    ]


def report(data):
    bmi = data["weight"] / (data["height"] / 100) ** 2
    category = next(name for top, name in CATEGORIES if bmi < top)
    put_text(f"Your BMI: {bmi:.1f}, category: {category}")


def main():
    """BMI calculator (thread session)"""
    report(input_group("BMI calculator", questions()))


async def async_main():
    """BMI calculator (coroutine session)"""
    report(await input_group("BMI calculator", questions()))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--async", dest="use_async", action="store_true", help="serve the coroutine version")
    args = parser.parse_args()
    start_server(async_main if args.use_async else main, port=args.port, host=args.host)
