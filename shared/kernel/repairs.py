"""How a repair is classified from what was reported: urgency (R7.1, R7.2), emergency (R4.10,
R16.5) and scope (R4.3, R4.3a).

Shared because intake promises the first deadline by it, dispatch issues work orders by it and
the service-level clocks (shared/kernel/sla.py) pick their targets by it: all must classify a
repair the same way. Pure: two small tables, no segmentation library (the faults are short
phrases a table of keywords reads better than a word segmenter would; see docs/DOMAIN.md §4).

- `FAULTS`: each R7.1 item (and the emergencies) as the phrasings that name it. A phrase counts
  unless a negation cue (`NEGATIONS`) stands just before it in its clause ("经检查没有危险",
  "未发现漏电") or its clause says it is over ("停电已恢复").
- `PUBLIC_PLACES` / `HOME_PLACES`: where a fault is. Scope comes from where the content says the
  fault is; the category and then the reporter's room only when it says nothing (R4.3a).

tests/unit/repair_corpus.py holds the phrasings every change must still classify.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from shared.kernel.vocabulary import Scope, Urgency

Shape = str | tuple[str, int, str]


@dataclass(frozen=True, slots=True)
class Fault:
    """A kind of fault the procedures name, and the shapes of the phrases that name it: words
    (any of them, space-separated), or (words, n, words): a word of the first list followed,
    within the same clause and at most n characters on, by a word of the second."""

    item: str  # the rule it is an item of, e.g. "R7.1(3)"
    says: str
    shapes: tuple[Shape, ...]
    emergency: bool = False  # start the emergency plan now (R4.10, R16.5)

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compiled(self.shapes)


_NOT_CLAUSE_END = r"[^，。,.;；！!？?\s]"


def _words(text: str) -> str:
    return "(?:" + "|".join(text.split()) + ")"


@cache
def _compiled(shapes: tuple[Shape, ...]) -> re.Pattern[str]:
    parts = [
        _words(shape)
        if isinstance(shape, str)
        else f"{_words(shape[0])}{_NOT_CLAUSE_END}{{0,{shape[1]}}}{_words(shape[2])}"
        for shape in shapes
    ]
    return re.compile("|".join(parts))


# Not the elevator lobby, an elevator card or a dirty car: the elevator itself.
_ELEVATOR = "电梯(?!厅|间|口|前室|门口|旁|附近|卡|费|广告) 扶梯 货梯 客梯 轿厢"
_DRAIN_LINE = (
    "落水管 雨水管 下水管 排水管 污水管 排污管 立管 下水道 化粪池 排水沟 窨井 污水井 雨水井"
)
_GAS = "燃气 煤气 天然气 液化气 瓦斯"

# fmt: off
FAULTS: tuple[Fault, ...] = (
    Fault("R7.1(1)", "common parts or shared equipment damaged so as to be dangerous", (
        ("外墙 外立面 幕墙 吊顶 天花板 天花 顶棚 雨棚 广告牌 招牌 空调外机 围墙 挡土墙 路灯 灯杆 "
         "大树 树枝 檐口 石材 挂板 玻璃 栏板 护坡", 6,
         "脱落 掉落 坠落 掉下 倒塌 坍塌 塌陷 倾斜 摇摇欲坠 要掉 快掉 随时会掉 砸 松动 摇晃 "
         "自爆 爆了"),
        ("井盖", 4, "丢 缺 不见 没了 破 碎 塌 翘 松动 移位"),
        ("电线 电缆", 4, "裸露 外露 垂 掉落 拖地 耷拉"),
    )),
    Fault("R7.1(2)", "a power cut or leakage from an indoor wiring fault", (
        "停电 断电 漏电 触电 电到人 电了一下 麻手 短路 跳闸 打火 火花 焦味 保险丝烧",
        ("烧焦 焦糊", 3, "味"),
        ("家里 家中 屋里 室内 户内 全屋 全家 整个 整层 整栋 整套 半边 一半 所有 全部 线路", 4,
         "没电 没有电 无电 不通电 断电"),
        ("空开 空气开关 总闸 电闸", 4, "合不上 推不上 跳"),
    )),
    Fault("R7.1(3)", "no water, a burst pipe or a badly leaking tap", (
        "停水 断水 没水 没有水 不出水 不来水 停了水 爆管 水管爆 水浸 水淹 淹了 进水了",
        "大量漏水 漏水严重 严重漏水 漏得很厉害 水流不止 哗哗 水漫 往外喷 一直喷 喷出",
        ("水泵", 4, "坏 故障 停 不转 不工作 烧 跳 不上水 不抽水"),
        ("水管 管道 管子 供水管 给水管 自来水管 进水管 主管 总管", 6,
         "爆裂 爆了 爆开 破裂 裂开 断裂 崩开 崩了 喷水 呲水 打穿 打破 钻破 钻穿"),
        ("龙头 水嘴 阀门 角阀 总阀", 6,
         "关不住 关不上 关不了 一直流 流个不停 止不住 喷 爆 断了 掉了 严重漏 大量 哗哗"),
    )),
    Fault("R7.1(4)", "a blocked downpipe or drain, or water-tray equipment leaking", (
        (_DRAIN_LINE, 6, "堵 不通 不下水 排不出 下不去 不排水"),
        (_DRAIN_LINE + " 地漏 马桶 坐便 下水口", 6,
         "返水 反水 冒水 倒灌 溢出 溢水 漫出 往外冒 冒出污水"),
        ("水盘 接水盘 集水盘 滴水盘 冷凝水盘 积水盘 托水盘 楼顶水箱 屋顶水箱 消防水箱 生活水箱 "
         "蓄水池", 4, "漏 溢 满 滴 渗"),
        ("空调 风机盘管 盘管 冷凝水管 冷凝管 风柜", 8, "漏水 渗水 滴水 溢水 流水 往下滴"),
    )),
    Fault("R7.1(5)", "an elevator that cannot run normally", (
        "困人 被困 关在电梯",
        (_ELEVATOR, 8,
         "故障 坏了 坏掉 停运 停了 停在 不动 不运行 不能运行 不能正常 无法运行 无法正常 "
         "运行不正常 不走 卡住 卡在 困 关不上 关不了 开不了 打不开 门关不 门开不 下坠 下滑 "
         "溜梯 冲顶 蹲底 急停 骤停 抖动 晃动 异响 异常 不停层 不平层 失灵 不灵 没反应 进水 夹人 "
         "夹到 报错"),
    )),
    Fault("R7.1(6)", "a broken floor slab or stair tread, loose or damaged railings", (
        ("楼板 楼地板 楼梯 踏步 台阶 楼面", 4, "断 裂 塌 破 陷 松动 晃"),
        ("扶手 栏杆 护栏 围栏 栏板 护手", 4, "松 晃 摇 断 坏 损 脱 掉 倒 缺 开焊 锈穿"),
    )),
    Fault("R7.1(7)", "anything else dangerous", (
        "危险 隐患 险情 不安全 受伤 砸伤 伤到人 伤人",
    )),
    Fault("R7.1(7)", "a smell of gas or a gas leak", (
        (_GAS, 3, "味 泄漏 泄露 漏气 漏了 外泄 臭"),
        ("闻到", 6, _GAS + " 气味 臭鸡蛋"),
        ("厨房 灶 燃气表 气表 气管 软管 胶管", 4, "漏气"),
        "臭鸡蛋味",
    ), emergency=True),
    Fault("R7.1(7)", "fire or smoke", (
        "着火 起火 失火 火灾(?!报警|探测) 冒烟 冒火(?!花) 明火 烧起来 火苗",
    ), emergency=True),
)

# A cue just before a phrase, inside its clause, says the fault is not there ("经检查没有危险",
# "未发现漏电"). Not 不停/不断/不住 ("不停地喷水"), 无法/没法 (cannot), 不知 ("不知为何停电"),
# 非常 (very).
NEGATIONS = re.compile(_words(
    "没有 没 并无 并未 无(?!法|故) 未(?!能) 不是 不存在 不会 不(?![停断住知明少小得了能是会]) "
    "排除 非(?!常)"
))
# fmt: on
NEGATION_REACH = 8  # characters before the phrase a cue may stand, within its clause
# After a phrase, inside its sentence: the fault is over ("停电已恢复").
OVER = re.compile(_words("已恢复 已经恢复 恢复正常 已修复 已修好 已经修好 已处理 已扑灭 已经扑灭"))
_CLAUSE_END = re.compile(r"[，。,.;；！!？?\s]|但是?|可是|却|而是")
_SENTENCE_END = re.compile(r"[。.;；！!？?]")

# Categories that are an R7.1 fault by themselves: an elevator repair (R7.1(5)).
URGENT_CATEGORIES = frozenset({"elevator"})


def _negated(content: str, start: int, end: int) -> bool:
    clause_start = max((m.end() for m in _CLAUSE_END.finditer(content, 0, start)), default=0)
    if NEGATIONS.search(content[max(clause_start, start - NEGATION_REACH) : start]):
        return True
    rest = _SENTENCE_END.search(content, end)
    return bool(OVER.search(content, end, rest.start() if rest else len(content)))


def says(fault: Fault, content: str) -> bool:
    """The content names `fault` somewhere and does not deny it there."""
    return any(not _negated(content, m.start(), m.end()) for m in fault.pattern.finditer(content))


def faults_in(content: str) -> tuple[Fault, ...]:
    """The R7.1 faults the content names and does not deny, in table order."""
    return tuple(fault for fault in FAULTS if says(fault, content))


def urgency_of(category: str | None, content: str) -> Urgency:
    """急修 when the category or the content names an R7.1 fault, else 一般 (R7.2)."""
    if category in URGENT_CATEGORIES or faults_in(content):
        return Urgency.urgent
    return Urgency.general


def is_emergency(content: str) -> bool:
    """A smell of gas, fire or smoke: the desk starts the emergency plan (R4.10, R16.5); always
    urgent too."""
    return any(fault.emergency for fault in faults_in(content))


# -- where the fault is (R4.3, R4.3a) ---------------------------------------------------------

# fmt: off
PUBLIC_PLACES = re.compile(_words(
    "走廊 楼道 过道 通道 电梯 扶梯 大堂 门厅 车库 停车场 架空层 单元门 楼栋门 楼门 小区门 "
    "小区大门 园区大门 门岗 岗亭 道闸 消防 喷淋 公共 (?<!办)公区 绿化 花园 草坪 中庭 广场 "
    "屋面 天台 楼顶 外墙 楼梯 水泵房 泵房 配电房 配电室 设备房 机房 管井 风井 化粪池 窨井 井盖 "
    "路灯 围墙 信报箱 垃圾房 垃圾站 会所 游泳池 连廊 雨棚 立管 落水管 雨水管 主管道 二次供水 "
    "地下室"
))
# A room of a unit, not its doorstep ("我家门口的走廊灯").
HOME_PLACES = re.compile(_words(
    "家里 家中 我家 屋里 室内 户内 房间 卧室 主卧 次卧 客厅 餐厅 厨房 卫生间 洗手间 浴室 阳台 "
    "书房 入户门 防盗门 办公室 会议室 茶水间 车间 店里 店内 铺内 屋内 房内"
) + "(?!门口|门外|门前|外面|外边|旁边|附近|对面)")
# fmt: on
# Where the water or the damage goes, not where the fault is: "水流到楼道", "渗到我家客厅".
_CONSEQUENCE = re.compile(r"(?:流|渗|漏|淹|漫|滴|溢|冒|灌)水?(?:到|进|至|入|了)[^，。,.;；！!？?]*")

# R4.3 public facilities: common parts and shared equipment, where the content does not say.
PUBLIC_CATEGORIES = frozenset(
    {"public_facility", "elevator", "greening", "public_order", "parking", "cleaning", "security"}
)


def place_in(text: str) -> Scope | None:
    """Where the text says a fault is: a common part wins over a room it also names (the
    roof above the bedroom), and where the water goes does not count. None: it does not say."""
    where = _CONSEQUENCE.sub("", text)
    if PUBLIC_PLACES.search(where):
        return Scope.public
    if HOME_PLACES.search(where):
        return Scope.household
    return None


def scope_of(category: str | None, unit: str | None, content: str = "") -> Scope:
    """住户报修 or 公共设施设备报修 by where the fault is (R4.3a): what the content says, else a
    public category, else the reporter's room (what it says, or household for a room; public
    without one)."""
    said = place_in(content)
    if said is not None:
        return said
    if category in PUBLIC_CATEGORIES:
        return Scope.public
    if unit is None:
        return Scope.public
    return place_in(unit) or Scope.household
