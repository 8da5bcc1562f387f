"""Snippets: a window around the matches, marked on whole Thai clusters."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.normalize import search_key
from search.snippet import MARK_CLOSE, MARK_OPEN, make_snippet

THAI_TEXT = "ผู้อำนวยการโรงเรียนบ้านหนองบัว ได้พิจารณาแล้ว เห็นสมควรแต่งตั้ง นางสาวสุภาพร ศรีสุข"


def _marked(snippet: str) -> list[str]:
    parts = snippet.split(MARK_OPEN)[1:]
    return [p.split(MARK_CLOSE)[0] for p in parts]


def test_a_match_is_marked_with_its_tone_marks() -> None:
    # GIVEN a query typed without the tone mark of ผู้
    snippet = make_snippet(THAI_TEXT, [search_key("ผูอำนวยการ")])
    # THEN the mark takes the whole cluster ผู้, tone mark included
    assert _marked(snippet) == ["ผู้อำนวยการ"]


def test_every_match_in_the_window_is_marked() -> None:
    snippet = make_snippet("นาง นาง นา", [search_key("นา")])
    assert snippet == "«นา»ง «นา»ง «นา»"


def test_a_long_text_is_cut_around_the_first_match_with_ellipses() -> None:
    text = "ก" * 500 + " คำสั่งที่ ๑๒๓/๒๕๖๗ " + "ข" * 500
    snippet = make_snippet(text, [search_key("123/2567")])
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "«๑๒๓/๒๕๖๗»" in snippet
    assert len(snippet) < 200


def test_without_a_match_the_beginning_is_shown() -> None:
    assert make_snippet("บันทึกข้อความ\nส่วนราชการ", [search_key("ไม่มี")]) == (
        "บันทึกข้อความ ส่วนราชการ"
    )


def test_markers_in_the_text_cannot_be_confused_with_marks() -> None:
    snippet = make_snippet("ชื่อ «เล่น» ปู", [search_key("ปู")])
    assert snippet == "ชื่อ ‹เล่น› «ปู»"


def _cluster_boundary(text: str, i: int) -> bool:
    """No combining mark (or sara am) right after a boundary."""
    return i >= len(text) or not (unicodedata.category(text[i]).startswith("M")
                                  or text[i] == "\u0e33")


# Well-formed Thai: clusters of a base (consonant, leading or trailing vowel, digit, space)
# with optional above/below vowels and a tone mark, as a typist produces them.
cluster = st.builds(
    lambda base, vowel, tone, after: base if base == " " else base + vowel + tone + after,
    st.sampled_from(list("กขคนมยรลวสหอเแโใไ๑๒๓ ")),
    st.sampled_from(["", "ิ", "ี", "ุ", "ู", "ั", "ึ"]),
    st.sampled_from(["", "่", "้", "๊", "์", "็"]),
    st.sampled_from(["", "", "า", "ะ", "ำ"]),
)


@settings(max_examples=300, deadline=None)
@given(text=st.lists(cluster, min_size=1, max_size=80).map("".join),
       start=st.integers(0, 199), length=st.integers(2, 4))
def test_marks_and_cuts_never_split_a_base_from_its_marks(text: str, start: int,
                                                           length: int) -> None:
    # GIVEN any Thai text and a query cut from it at any place
    query = text[start:start + length]
    key = search_key(query) if len(search_key(query)) >= 2 else "กข"
    snippet = make_snippet(text, [key], width=40)
    # THEN no piece of the snippet begins with a combining mark: cuts and marks sit between
    # whole clusters
    body = snippet.strip("…")
    for piece in body.replace(MARK_CLOSE, MARK_OPEN).split(MARK_OPEN):
        if piece:
            assert _cluster_boundary(piece, 0), (text, query, snippet)
