"""The charts' numbers are also text, empties say so, and the heat map is one image without
links (issue #14, items 2 and 9). Pure: charts take strings and numbers."""

from deliberation.pages import charts

LABELS = {"support": "Support", "accept": "Accept", "abstain": "Abstain", "oppose": "Oppose",
          "block": "Block"}


def test_the_bars_accessible_name_gives_every_count():
    rows = [charts.BarRow("Developers", {"support": 2, "oppose": 1}, 0.6, True),
            charts.BarRow("Lawyers", {}, 0.5, False)]
    svg = charts.stacked_bars(rows, title="Positions by group on 2", position_labels=LABELS,
                              empty_label="no votes yet")
    assert ('aria-label="Positions by group on 2. Developers: Support 2, Oppose 1; Lawyers: no '
            'votes yet"') in svg


def test_a_group_without_votes_reads_no_votes_yet_not_50_percent():
    rows = [charts.BarRow("Lawyers", {}, 0.5, False)]
    svg = charts.stacked_bars(rows, title="t", position_labels=LABELS, empty_label="no votes yet")
    assert "(50%)" not in svg and 'class="empty">no votes yet</text>' in svg


def test_positions_differ_by_texture_not_colour_alone():
    rows = [charts.BarRow("Developers", {"support": 1, "accept": 1, "abstain": 1, "oppose": 1,
                                         "block": 1}, 0.5, True)]
    svg = charts.stacked_bars(rows, title="t", position_labels=LABELS, empty_label="-")
    fills = {p: svg.split(f'data-position="{p}"')[0].rsplit('fill="', 1)[1].split('"')[0]
             for p in LABELS}
    assert fills == {"support": "#1b7a3a", "accept": "url(#pos-accept)", "abstain": "#c4c8cc",
                     "oppose": "url(#pos-oppose)", "block": "url(#pos-block)"}
    assert '<pattern id="pos-accept"' in svg


def test_the_heat_map_marks_empty_and_sub_quorum_cells_and_holds_no_links():
    row = charts.HeatRow("2", "freedoms", "insufficient", "insufficient", "/d/x/v/1/c/freedoms/",
                         {"developers": (0.5, False, 0), "lawyers": (2 / 3, False, 1),
                          "companies": (0.8, True, 8)}, title="Use, study, modify and share.")
    groups = [("developers", "Developers"), ("lawyers", "Lawyers"), ("companies", "Companies")]
    svg = charts.heat_map([row], groups, title="Map", level_heading="Level", no_votes="no votes",
                          below_quorum="below quorum")
    assert "<a " not in svg and "href" not in svg
    assert "Use, study, modify and share.</title>" in svg and "freedoms" not in svg
    assert "Developers: no votes</title>" in svg and "(50%)" not in svg
    assert "Lawyers: (67%) below quorum</title>" in svg
    assert 'fill="url(#hatch)" data-group="lawyers"' in svg
    assert ">80%</text>" in svg


def test_the_rough_badge_has_enough_contrast_for_white_text():
    def luminance(hex_colour):
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for level, colour in charts.LEVEL_COLOURS.items():
        assert (1.05) / (luminance(colour) + 0.05) >= 4.5, level
