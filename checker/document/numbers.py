"""Numbers as reports write them: years (2024年, 二〇二四年), dates (2022年03月28日 15时06分),
Chinese numerals (二十七件, 五百余人次, 百分之九十七点二) and quantified facts."""
from __future__ import annotations

import re
from datetime import date

from checker.vocabulary import Vocabulary

CN_DIGITS = "零〇一二三四五六七八九十"
CN_NUMERAL = "零〇一二三四五六七八九十百千万两"
TENS_COUNTED = "一二三四五六七八九两"
"""The digits a Chinese number of ten or more can start with (二十七, 五百, 两千)."""
YEAR = re.compile(r"(?<![\d《])((?:19|20)\d{2}|[二][〇零][〇零一二三四五六七八九]{2})\s*年(?![—\-~至到]\s*\d)")
RANGE_OR_TITLE = re.compile(r"《[^》]*》|\([^)]*\d{4}\s*[—\-~至到]\s*\d{4}[^)]*\)")
DATE = re.compile(r"(?<!\d)(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)")
# The same dates as text to build other patterns with (a timestamp, a date field).
DATE_TEXT = (rf"\d{{4}}\s*[-/.年]\s*\d{{1,2}}\s*[-/.月]\s*\d{{1,2}}\s*日?"
             rf"|[{CN_DIGITS}]{{4}}\s*年\s*[{CN_DIGITS}]{{1,3}}\s*月\s*[{CN_DIGITS}]{{1,3}}\s*日")
CN_DATE = re.compile(rf"([{CN_DIGITS}]{{4}})年([{CN_DIGITS}]{{1,3}})月([{CN_DIGITS}]{{1,3}})日")
_DIGIT_VALUES = {char: index for index, char in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_UNIT_VALUES = {"十": 10, "百": 100, "千": 1000}


def first_named_year(text: str) -> int | None:
    """The first year a text names (2024年, 二〇二四年), leaving out ranges and titles of documents."""
    match = YEAR.search(RANGE_OR_TITLE.sub("", text))
    if not match:
        return None
    year = match.group(1)
    return int(year) if year.isdigit() else cn_number(year)


def cn_number(text: str) -> int:
    """二〇二五 -> 2025 (digit by digit); 十二 -> 12, 三百零五 -> 305, 一万二千 -> 12000."""
    if not any(char in text for char in "十百千万"):
        return int("".join(str(_DIGIT_VALUES[char]) for char in text))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGIT_VALUES:
            digit = _DIGIT_VALUES[char]
        elif char in _UNIT_VALUES:
            section += (1 if digit is None else digit) * _UNIT_VALUES[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
    return total + section + (digit or 0)


def cn_decimal(text: str) -> float:
    """九十七点二 -> 97.2."""
    whole, _, fraction = text.partition("点")
    value = float(cn_number(whole)) if whole else 0.0
    if fraction:
        value += float("0." + "".join(str(_DIGIT_VALUES[char]) for char in fraction if char in _DIGIT_VALUES))
    return value


def parse_date(text: str) -> date | None:
    if match := DATE.search(text):
        return safe_date(*(int(part) for part in match.groups()))
    if match := CN_DATE.search(text):
        return safe_date(*(cn_number(part) for part in match.groups()))
    return None


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def quantity_pattern(vocabulary: Vocabulary) -> re.Pattern[str]:
    """A number (Arabic or Chinese, with 余/多/万) followed by a unit of real work."""
    return vocabulary.pattern(
        "quantity_units",
        # Chinese numerals count from ten up (二十七件, 五百余人次): 三项制度 and 一批 are words.
        # A number starts at its first digit, with no digit before it. The pattern opens with the
        # class of first digits, which the engine skips to (a pattern that opens with a lookbehind
        # or a lookahead is tried at every character), and looks behind that digit from after it:
        # (?<![0-9][0-9]) there is (?<![0-9]) before it. [0-9], not \d: the text is NFKC.
        rf"[0-9{TENS_COUNTED}十](?:(?<=[0-9])(?<![0-9][0-9])[0-9]*(?:\.[0-9]+)?"
        rf"|(?<![{CN_NUMERAL}].)(?:(?<=[{TENS_COUNTED}])[十百千万]|(?<=十))[{CN_NUMERAL}]*)"
        rf"\s*(?:余|多)?\s*(?:万|亿)?\s*{{}}",
    )
