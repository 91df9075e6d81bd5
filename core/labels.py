"""Display labels of coded values: each app registers its `TextChoices` under a short name when
it starts (`AppConfig.ready`), and templates ask `{{ code|label:"level" }}` (core's `labels`
template library). The labels themselves live on the choices, translated with `gettext_lazy`.
"""

_CHOICES: dict[str, dict[str, str]] = {}


def register(name: str, choices) -> None:
    """Make the labels of a `TextChoices` class available as `name`."""
    _CHOICES[name] = dict(choices.choices)


def label(name: str, code) -> str:
    """The label of `code` among the choices registered as `name`; the code itself if unknown."""
    return _CHOICES[name].get(code, code)
