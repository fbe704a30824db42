"""Constants shared by the report tests (the fixtures themselves live in conftest.py)."""

INJECTED = "<script>alert(1)</script>"
GEMEENTEN = ("GM0361", "GM0373")  # Alkmaar and Bergen (NH.), both Noord-Kennemerland
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAIAAAA7ljmRAAAAFElEQVR4nGM8ISfHAANMDEgAhQMAJtoBCkAAOw8AAAAASUVORK5CYII="
