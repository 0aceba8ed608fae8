"""What personal data looks like in what a desk types (R15.1, R15.4, R15.5, DOMAIN.md §9).

Two uses: free text is masked before it is published (`mask_spans`), and an identifier that is
published as typed (staff id, client_ref, room) is refused when it looks like personal data
(`looks_personal`). Matching runs on a folded copy of the text (NFKC per character, so full-width
digits, letters, colons and spaces count as ASCII; Chinese numerals as digits) and maps back, so
what is not masked stays exactly as typed. What is and is not caught: docs/contract.md §14.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Any
from uuid import UUID

# Between two digits of one number: spaces, at most one dash, dot, middle dot or bracket.
_S = r"[ \t]*[-.·()]?[ \t]*"
_INTL = r"(?:\(?[ \t]*(?:\+|00)[ \t]*86[ \t]*\)?|(?<!\d)86)"  # +86, 0086, (+86), 86
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# How a resident is addressed by surname. Anybody's surname with the first four is masked; the
# reporter's own surname with any of them. 师傅 is left out: 保安师傅, 水管师傅 are trades.
HONORIFICS = ("先生", "女士", "小姐", "太太", "阿姨", "大爷", "大妈", "奶奶", "爷爷", "叔叔")
ANYBODYS = HONORIFICS[:4]
# The common single surnames, without those that end everyday words before 先生 or 女士
# (对方, 保安, 门卫, 届时, 相关 …), and the compound surnames still in use.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔汤温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿兰焦俞左柳祝"
    "宁符舒阮柯纪梅童凌毕裴霍涂苗谷盛翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲滕屈饶牟艾尤穆卓缪项芦麦褚"
    "娄窦戚岑卜晏米柏宗瞿桂佟臧闵苟邬卞姬仇栾隋刁沙荣巫寇桑郎甄丛仲虞敖巩佘苑迟邝"
)
COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "司徒",
    "夏侯", "长孙", "宇文", "端木", "南宫", "西门", "独孤", "澹台", "呼延",
)  # fmt: skip
_HONORIFIC = "(?:" + "|".join(HONORIFICS) + ")"
_ANYBODYS = "(?:" + "|".join(ANYBODYS) + ")"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + f"|[{SURNAMES}])"
# Who a name belongs to, and what follows a name in a desk's sentence.
_ROLES = "业主|住户|租户|户主|邻居|客户|联系人|姓名|报修人|投诉人|来电人|来访人|访客|家属|居民"
_CUES = "来电|来访|反映|投诉|表示|称|说|要求|电话|手机|报修"

# What each kind of personal data looks like, as data: (kind, pattern), matched where Chinese
# numerals count as digits. A pattern with a group `v` masks only that group (the keyword before
# it stays, so the text still reads: 微信：***).
DETECTORS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        # 18-digit ID numbers (last X), 15-digit old ones, bank cards of 16–19 digits: as one
        # run, in groups of four, or 6-8-4 / 6-6-3 as printed on the card.
        ("an ID card or bank card number",
         rf"(?<!\d)(?:\d{{6}}{_S}\d{{8}}{_S}\d{{3}}[\dX]|\d{{6}}{_S}\d{{6}}{_S}\d{{3}}"
         rf"|\d{{4}}(?:{_S}\d{{4}}){{3}}(?:{_S}\d{{0,3}}[\dX])?|\d{{17}}X|\d{{15,19}})(?!\d)"),
        # Mainland mobiles: 1[3-9] and 9 digits, separators anywhere but after the leading 1
        # (so 1-302 1-303 … is a list of rooms), optionally after +86 / 0086, or as (139)….
        ("a phone number",
         rf"(?<!\d)(?:{_INTL}{_S}|\((?=1[3-9]\d\)))?1[ \t]*[3-9](?:{_S}\d){{9}}(?!\d)"),
        # Landlines with their area code: 0755-2601 2345, (021)55551234, +86 21 5555 1234.
        ("a phone number",
         rf"(?<!\d)(?:{_INTL}{_S}\(?0?\d{{2,3}}\)?|\([ \t]*0\d{{2,3}}[ \t]*\)|0\d{{2,3}})"
         rf"{_S}[2-9]\d{{2,3}}{_S}\d{{4}}(?!\d)"),
        # Any number of 7 digits or more right after a word for a phone (not a date).
        ("a phone number",
         r"(?:电话|手机|座机|联系方式|回电|致电|(?<![a-z])(?:tel|telephone|phone|mobile)(?![a-z]))"
         r"(?:号码?)?[ \t]*[:=]?[ \t]*(?:是|为)?[ \t]*"
         rf"(?!\d{{4}}[-./]\d{{1,2}}[-./]\d{{1,2}}(?!\d))(?P<v>\+?\d(?:{_S}\d){{6,}}?)(?![-.·]?\d)"),
        ("an e-mail address",
         r"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}"),
        # A WeChat id after 微信 / 微信号 / V信, or after wx / vx / wechat followed by a colon or
        # a space (in `wxabc123` the id cannot be told from a word).
        ("a WeChat id",
         r"(?:微信|威信|薇信|v信"
         r"|(?<![a-z0-9])(?:wx|vx|wechat|weixin)(?=[ \t]*(?:号|id|[:=])|[ \t]))"
         r"[ \t]*(?:号码?|id)?[ \t]*[:=]?[ \t]*(?:是|为)?[ \t]*"
         r"(?P<v>[a-z][-_a-z0-9]{5,31}(?![-_a-z0-9])|\d{6,12}(?![-_a-z0-9.元块]))"),
        ("a QQ number",
         r"(?<![a-z0-9])qq(?:号码?)?[ \t]*[:=]?[ \t]*(?:是|为)?[ \t]*(?P<v>\d{5,11})(?!\d)"),
        # Licence plates: 粤B12345, 沪A·D12345 (new energy: six characters), 粤B1234挂.
        ("a licence plate",
         rf"[{PROVINCES}][ \t]*[a-z][ \t]*[·•・.\-]?[ \t]*(?=[a-z]*\d)"
         r"(?:[a-z0-9]{5,6}|[a-z0-9]{4}[挂学警港澳])(?![a-z0-9])"),
    )
)  # fmt: skip
# Names, matched where Chinese numerals are still words (张三, 赵六).
NAMES: tuple[re.Pattern[str], ...] = (
    # Anybody called by surname and honorific: 王先生, 欧阳女士 (not 先生 alone).
    re.compile(rf"{_SURNAME}[ \t]*{_ANYBODYS}"),
    # A full name right after the word for who they are, ending where the sentence goes on:
    # 业主李四来电, 邻居王小明反映, 联系人：赵六， (业主张贴告示 reads on, so it is kept).
    re.compile(
        rf"(?:{_ROLES})[ \t]*:?[ \t]*(?P<v>{_SURNAME}[\u4e00-\u9fff]{{1,2}})"
        rf"(?=$|[\s,.;:!?、)]|{_CUES})"
    ),
)

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九幺", "001234567891")
_MOBILE_RUN = re.compile(r"(?:0086|86)?1[3-9]\d{9}")
_IDENTIFIER_SEPARATORS = re.compile(r"[\s\-._:/·()+]")


def fold(text: str) -> tuple[str, list[int]]:
    """The text as matched (NFKC per character), and for each folded character the index of the
    character of `text` it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def _squeezed(text: str) -> str:
    """NFKC, without the spaces and dots people type inside names."""
    return re.sub(r"[\s·.]", "", unicodedata.normalize("NFKC", text))


def _surname(name: str) -> str | None:
    """The surname of a Chinese name of 2–4 characters (张先生 → 张, 欧阳娜娜 → 欧阳)."""
    if not all("\u4e00" <= ch <= "\u9fff" for ch in name) or not 2 <= len(name) <= 4:
        return None
    for honorific in HONORIFICS:
        if name.endswith(honorific) and len(name) > len(honorific):
            return name[: -len(honorific)]
    compound = next((s for s in COMPOUND_SURNAMES if name.startswith(s)), None)
    return compound if compound and len(name) > 2 else name[0]


@cache
def _name_pattern(name: str) -> str | None:
    """A reporter's name with spaces allowed between its characters, and their surname with an
    honorific (李四 → 李 四, 李先生). A one-character name would mask that character anywhere."""
    squeezed = _squeezed(name)
    if len(squeezed) < 2:
        return None
    body = r"[\s·.]*".join(re.escape(ch) for ch in squeezed)
    if squeezed[0].isascii():
        body = rf"(?<![a-z]){body}(?![a-z])"
    surname = _surname(squeezed)
    return f"{body}|{re.escape(surname)}[ \\t]*{_HONORIFIC}" if surname else body


@cache
def _phone_pattern(phone: str) -> str | None:
    """A reporter's own phone, however it is split: its digits with separators between them."""
    digits = re.sub(r"\D", "", fold(phone)[0])
    if len(digits) > 11:
        digits = re.sub(r"^(?:0086|86)", "", digits)
    if len(digits) < 5:
        return None
    return rf"(?<!\d){_S.join(digits)}(?!\d)"


def _own(reporters: list[dict[str, Any]], key: str, build: Any) -> re.Pattern[str] | None:
    alternatives = {p for r in reporters if (v := r.get(key)) and (p := build(v))}
    # the longest first, so 李四光 is masked whole when 李四 reported too
    return _compiled(tuple(sorted(alternatives, key=lambda p: (-len(p), p))))


@lru_cache(maxsize=1024)  # a ticket's events are published one after the other
def _compiled(alternatives: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(alternatives), re.IGNORECASE) if alternatives else None


def _found(words: str, reporters: Iterable[dict[str, Any] | None]) -> list[tuple[str, int, int]]:
    """(kind, start, end) in the folded text of everything that looks like personal data."""
    digits = words.translate(_CN_DIGITS)  # one character for one: the same positions
    known = [r for r in reporters if r]
    searches = [(kind, pattern, digits) for kind, pattern in DETECTORS]
    searches += [("a name", pattern, words) for pattern in NAMES]
    own = (("name", _name_pattern, words), ("phone", _phone_pattern, digits))
    for key, build, text in own:
        if (pattern := _own(known, key, build)) is not None:
            searches.append((f"the reporter's {key}", pattern, text))
    found = []
    for kind, pattern, text in searches:
        group = "v" if "v" in pattern.groupindex else 0
        for match in pattern.finditer(text):
            found.append((kind, match.start(group), match.end(group)))
    return [f for f in found if f[2] > f[1]]


def mask_spans(text: str, reporters: Iterable[dict[str, Any] | None] = ()) -> list[tuple[int, int]]:
    """Where `text` holds personal data: merged (start, end) spans of the text as typed."""
    folded, origin = fold(text)
    spans = sorted((origin[s], origin[e - 1] + 1) for _, s, e in _found(folded, reporters))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def looks_personal(value: str, reporters: Iterable[dict[str, Any] | None] = ()) -> str | None:
    """What personal data an identifier seems to carry ("a phone number" …), or None.

    Beyond what free text is masked for, the digits are read with every separator removed
    (c.139.1234.5678, r_139_1234_5678 are phones). A UUID is an identifier of its own making
    and is accepted as it is (its hex digits fall into phone-like runs about once in a thousand).
    """
    try:
        if str(UUID(value)) == value.lower():
            return None
    except ValueError:
        pass
    folded, _ = fold(value)
    found = _found(re.sub(r"[_:/]", "-", folded), reporters)
    if found:
        return found[0][0]
    runs = re.findall(r"\d+", _IDENTIFIER_SEPARATORS.sub("", folded))
    return "a phone number" if any(_MOBILE_RUN.fullmatch(run) for run in runs) else None
