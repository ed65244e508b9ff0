"""The message builders enforce every LINE limit before anything is sent."""
import pytest

from handlers import messages as m


@pytest.mark.parametrize(("text", "units"), [
    ("abc", 3), ("ตัวชี้วัด", 9), ("👍", 2), ("a👍b", 4), ("", 0),
])
def test_text_length_is_counted_in_utf16_units(text: str, units: int) -> None:
    assert m.utf16_length(text) == units


@pytest.mark.parametrize(("label", "graphemes"), [
    ("ยืนยัน", 4), ("รายงานความก้าวหน้า", 16), ("OK", 2), ("👍🏽", 1), ("น้ำ", 1),
])
def test_labels_are_counted_in_graphemes(label: str, graphemes: int) -> None:
    assert m.grapheme_length(label) == graphemes


def test_a_valid_message_passes() -> None:
    m.check_messages([m.text("สวัสดี", [m.message_action("ช่วยเหลือ")]),
                      m.buttons("ทดสอบ", "เลือก", [m.postback_action("รับรอง", "action=x")])])


@pytest.mark.parametrize(("messages", "reason"), [
    ([], "no messages"),
    ([m.text("x")] * 6, "6 messages"),
    ([m.text("ก" * 5001)], "5001 UTF-16"),
    ([m.text("👍" * 2501)], "5002 UTF-16"),
    ([m.text("")], "non-empty string"),
    ([m.text("x", [m.message_action(str(i)) for i in range(14)])], "14 quick replies"),
    ([m.text("x", [m.message_action("ก" * 21)])], "21 characters"),
    ([m.text("x", [m.postback_action("a", "d" * 301)])], "postback data"),
    ([m.text("x", [m.postback_action("a", "")])], "postback data"),
    ([m.flex("x" * 1501, {"type": "bubble"})], "altText"),
    ([m.buttons("alt", "body", [m.postback_action("ปุ่มที่มีชื่อยาวเกินกว่ายี่สิบตัวอักษร", "a=1")])],
     "characters"),
], ids=["none", "six", "long-text", "long-emoji-text", "empty", "14-quick", "long-label",
        "long-data", "empty-data", "long-alt", "flex-button-label"])
def test_limits_are_enforced(messages: list[m.Message], reason: str) -> None:
    with pytest.raises(m.MessageLimitError, match=reason):
        m.check_messages(messages)


def test_exactly_at_the_limits_is_allowed() -> None:
    m.check_messages([m.text("ก" * 5000, [m.postback_action("ก" * 20, "d" * 300)] * 13)] * 5)


def test_shorten_keeps_whole_graphemes_and_fits() -> None:
    text = "ที่" * 3000
    short = m.shorten(text, 100)
    assert m.utf16_length(short) <= 100
    assert short.endswith("…")
    assert short[:-1] == "ที่" * ((len(short) - 1) // 3)


def test_shorten_label() -> None:
    assert m.grapheme_length(m.shorten_label("รายงานความก้าวหน้าประจำรอบที่หนึ่ง")) == 20
    assert m.shorten_label("ยืนยัน") == "ยืนยัน"


@pytest.mark.parametrize("count", [0, 501])
def test_multicast_recipients(count: int) -> None:
    with pytest.raises(m.MessageLimitError):
        m.check_recipients(["U1"] * count)


def _bubble_of(size_kb: int) -> dict[str, object]:
    """A bubble of about `size_kb` KB of Thai text (3 bytes a letter)."""
    return {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "ก" * 330, "wrap": True}] * size_kb}}


def test_flex_size_limits() -> None:
    m.check_messages([m.flex("x", _bubble_of(29))])
    with pytest.raises(m.MessageLimitError, match="bubble of"):
        m.check_messages([m.flex("x", _bubble_of(31))])
    with pytest.raises(m.MessageLimitError, match="carousel of"):
        m.check_messages([m.flex("x", {"type": "carousel", "contents": [_bubble_of(20)] * 3})])


def test_a_carousel_keeps_the_leading_bubbles_that_fit() -> None:
    fitted = m.carousel([_bubble_of(20)] * 5)
    assert len(fitted["contents"]) == 2 and m.json_size(fitted) <= m.MAX_CAROUSEL_BYTES
    assert len(m.carousel([{"type": "bubble"}] * 20)["contents"]) == m.MAX_CAROUSEL_BUBBLES
    m.check_messages([m.flex("x", fitted)])
