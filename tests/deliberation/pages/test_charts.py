"""The server-drawn SVG charts (pure functions): labels cut to the space they have."""

from deliberation.pages.charts import HeatRow, heat_map

GROUPS = [("developers", "Developers")]


def _label_of(label: str) -> str:
    row = HeatRow("2.1", label, "rough", "rough", "/c/", {"developers": (0.8, True)})
    svg = heat_map([row], GROUPS, title="Map", level_heading="Level")
    return svg.split('</title>2.1 ', 1)[1].split("</text>", 1)[0]


def test_curly_quotes_and_ellipses_do_not_halve_a_heat_map_label():
    assert _label_of("When we refer to a “system,” we are…") == "When we refer to a “…"


def test_wide_characters_take_two_columns():
    assert _label_of("开源人工智能的定义和数据信息") == "开源人工智能的定义…"


def test_a_short_label_is_kept_whole():
    assert _label_of("Use the system") == "Use the system"
