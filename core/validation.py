"""Checks of text input shared by every app's services: each error names its field."""

from core.errors import InvalidInput


def check_text(value, field: str, max_length: int, *, required: bool = False) -> str:
    """The text itself ("" for None), or InvalidInput naming `field` when it is not text, is
    empty while required, or is longer than `max_length` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput("Must be text.", field=field)
    if required and not value.strip():
        raise InvalidInput("This field is required.", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"At most {max_length} characters.", field=field)
    return value
