"""What people read a clause by: its heading, else its first words without Markdown marks."""

from definition.rendering import clause_label


def test_a_heading_names_the_clause():
    assert clause_label(" Preamble ", "Some text.") == "Preamble"


def test_without_heading_the_first_words_name_it_without_markup():
    body = "- **Use** the system for any purpose and without having to ask for permission."
    assert clause_label("", body) == "Use the system for any purpose and without…"


def test_footnotes_and_link_targets_are_dropped():
    body = "Free as in the [Free Software Definition](https://example.org/fsd)[^1]."
    assert clause_label("", body) == "Free as in the Free Software Definition."


def test_a_table_row_is_named_by_its_own_cells_not_the_header():
    body = "| Required components | Legal frameworks |\n|---|---|\n| – Model architecture | OSI |"
    assert clause_label("", body) == "– Model architecture OSI"


def test_an_empty_clause_has_an_empty_label():
    assert clause_label("", "") == ""
