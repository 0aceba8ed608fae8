"""What personal data looks like, as data: the patterns of shared.kernel.personal (R15.1, R15.4)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

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
ANY_HONORIFIC = "(?:" + "|".join(HONORIFICS) + ")"
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
_DIGIT = re.compile(r"\d")  # what the patterns' \d match (any decimal digit, not only 0-9)
# What a text must hold for a kind's patterns to match at all: another text is not searched
# (the e-mail pattern backtracks along every run of letters and digits, a third of what checking
# a client_ref cost; names and plates begin with a Chinese character; numbers have digits).
NEEDS: dict[str, Callable[[str], bool]] = {
    "an ID card or bank card number": lambda text: _DIGIT.search(text) is not None,
    "a phone number": lambda text: _DIGIT.search(text) is not None,
    "a QQ number": lambda text: _DIGIT.search(text) is not None,
    "an e-mail address": lambda text: "@" in text,
    "a licence plate": lambda text: not text.isascii(),
    "a name": lambda text: not text.isascii(),
}
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

CN_DIGITS = str.maketrans("〇零一二三四五六七八九幺", "001234567891")


class _FoldedCharacters(dict[int, str]):
    """Each character's NFKC, worked out once (a table for str.translate); kept for the first
    characters seen only, so that texts of every code point cannot grow it without end."""

    def __missing__(self, code: int) -> str:
        folded = unicodedata.normalize("NFKC", chr(code))
        if len(self) < 20_000:
            self[code] = folded
        return folded


_FOLDED = _FoldedCharacters()


def fold(text: str) -> tuple[str, list[int]]:
    """The text as matched (NFKC per character), and for each folded character the index of the
    character of `text` it came from."""
    if unicodedata.is_normalized("NFKC", text):  # then so is each character: nothing to fold
        return text, list(range(len(text)))
    folded = text.translate(_FOLDED)
    if len(folded) == len(text):  # no character folds to none, so each to one (，to ,)
        return folded, list(range(len(text)))
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = unicodedata.normalize("NFKC", ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def surname(name: str) -> str | None:
    """The surname of a Chinese name of 2–4 characters (张先生 → 张, 欧阳娜娜 → 欧阳)."""
    if not all("\u4e00" <= ch <= "\u9fff" for ch in name) or not 2 <= len(name) <= 4:
        return None
    for honorific in HONORIFICS:
        if name.endswith(honorific) and len(name) > len(honorific):
            return name[: -len(honorific)]
    compound = next((s for s in COMPOUND_SURNAMES if name.startswith(s)), None)
    return compound if compound and len(name) > 2 else name[0]
