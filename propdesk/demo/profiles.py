"""What the demo's contacts say, site by site: repairs, complaints, inquiries, suggestions, help
requests and patrol findings, with the answers and resolutions the staff give. All invented."""

from __future__ import annotations

import random
from dataclasses import dataclass

Repair = tuple[str, str, bool]


@dataclass(frozen=True)
class Profile:
    site: str
    prefix: str  # of the staff ids: HB-S01, HB-ENG, HB-T03 …
    residential: bool
    workday: tuple[int, int]  # contacts on a working day (min, max)
    offday: tuple[int, int]  # on a weekend day or a holiday
    hours: tuple[float, float]  # when contacts come in, local hours
    repairs: tuple[Repair, ...]
    complaints: tuple[tuple[str, str], ...]
    inquiries: tuple[tuple[str, str, str], ...]  # category, question, answer
    suggestions: tuple[tuple[str, str], ...]
    helps: tuple[tuple[str, str], ...]  # help category A–G, content
    inspections: tuple[Repair, ...]  # found by the site's own patrols (no reporter)

    def unit(self, rng: random.Random) -> str:
        """A room or a tenant's premises of the site (published as the ticket's `unit`)."""
        building, floor, room = rng.randint(1, 18), rng.randint(2, 26), rng.randint(1, 4)
        if self.site == "hbw":
            return f"{building}-{rng.randint(1, 3)}-{floor}{room:02d}"
        if self.site == "tech-park":
            return rng.choice(
                [f"{building % 9 + 1}号厂房", f"研发楼{rng.choice('ABC')}{floor % 8 + 1}0{room}"]
            )
        return f"{rng.choice('AB')}座{floor + 4}{room:02d}"


RESIDENTIAL_REPAIRS: tuple[Repair, ...] = (
    ("plumbing", "厨房水管接头漏水", False),
    ("plumbing", "卫生间下水道堵塞，排水很慢", False),
    ("plumbing", "马桶水箱一直流水不停", False),
    ("plumbing", "阳台地漏返水", False),
    ("plumbing", "热水器进水阀漏水", False),
    ("plumbing", "卫生间水管爆裂，大量漏水", False),
    ("plumbing", "家里突然停水了", False),
    ("electrical", "客厅吸顶灯不亮", False),
    ("electrical", "厨房插座没电", False),
    ("electrical", "家里突然停电，配电箱跳闸合不上", False),
    ("electrical", "卧室插座冒烟有焦味", False),
    ("maintenance", "入户门锁芯损坏，钥匙拧不动", False),
    ("maintenance", "防盗门关不严", False),
    ("maintenance", "卧室窗户把手松脱", False),
    ("maintenance", "顶楼天台渗水，卧室天花板发霉", False),
    ("maintenance", "飘窗窗台漏雨", False),
    ("elevator", "电梯按钮失灵", True),
    ("elevator", "电梯困人，轿厢停在8楼", True),
    ("public_facility", "楼道声控灯不亮", True),
    ("public_facility", "单元门禁刷卡没反应", True),
    ("public_facility", "小区东门道闸抬不起来", True),
)

OFFICE_REPAIRS: tuple[Repair, ...] = (
    ("hvac", "办公室空调不制冷", False),
    ("hvac", "会议室空调出风口滴水", False),
    ("hvac", "空调噪音很大", False),
    ("plumbing", "茶水间水龙头漏水", False),
    ("plumbing", "卫生间洗手池堵塞", False),
    ("electrical", "办公区插座没电", False),
    ("electrical", "走廊灯管闪烁", False),
    ("electrical", "整层突然停电", False),
    ("maintenance", "玻璃门地弹簧损坏，门关不上", False),
    ("maintenance", "办公室门禁读卡器坏了", False),
    ("maintenance", "外墙玻璃幕墙渗水", False),
    ("elevator", "电梯运行有异响", True),
    ("elevator", "电梯困人，两人被困在电梯里", True),
    ("public_facility", "大堂自动门不开", True),
    ("public_facility", "地下车库照明不亮", True),
)

INDUSTRIAL_EXTRA: tuple[Repair, ...] = (
    ("power_supply", "车间配电柜跳闸，生产线停电", False),
    ("power_supply", "厂房三相电缺相", False),
    ("fire_safety", "消防栓箱玻璃破损", True),
    ("loading_dock", "装卸平台升降板故障", True),
)

RESIDENTIAL_COMPLAINTS = (
    ("noise", "楼上装修噪音太大，中午午休时间也不停"),
    ("noise", "晚上广场舞音乐太吵，十点后还在跳"),
    ("noise", "隔壁狗叫扰民，晚上睡不着"),
    ("parking", "自己的车位被别人占用，找不到车主"),
    ("parking", "外来车辆在消防通道乱停"),
    ("security", "门岗随意放外来人员进小区"),
    ("security", "电动车在楼道充电，没人管"),
    ("cleaning", "楼道垃圾两天没人清理，有异味"),
    ("cleaning", "电梯轿厢很脏，地面有污渍"),
    ("decoration", "邻居装修违规拆改阳台"),
    ("public_order", "小区里有人摆摊卖菜"),
)

OFFICE_COMPLAINTS = (
    ("cleaning", "卫生间清洁不及时，没有纸巾"),
    ("cleaning", "大堂地面湿滑，没有警示牌"),
    ("security", "访客不登记就直接上楼"),
    ("parking", "地下车库收费标准不透明"),
    ("parking", "月租车位被临时车占用"),
    ("front_desk", "前台接待态度冷淡"),
    ("public_order", "楼下快递车乱停挡住出入口"),
    ("elevator", "高峰期电梯等候时间太长"),
)

RESIDENTIAL_INQUIRIES = (
    ("front_desk", "物业费可以用什么方式缴纳", "已告知可在物业服务中心或线上小程序缴纳"),
    ("front_desk", "装修申请需要准备哪些材料", "已告知需身份证、房产证复印件及装修方案"),
    ("parking", "停车月卡怎么办理", "已告知携带行驶证到服务中心办理"),
    ("other", "小区快递柜在哪里", "已告知快递柜在南门岗亭旁"),
    ("front_desk", "水电费怎么交", "已告知水电费由供水供电公司直接收取"),
    ("other", "小区游泳池什么时候开放", "已告知游泳池暑期开放，其余时间关闭"),
)

OFFICE_INQUIRIES = (
    ("front_desk", "访客登记流程是什么", "已告知访客需在前台出示证件登记"),
    ("front_desk", "会议室怎么预订", "已告知通过物业服务中心预订"),
    ("parking", "月租车位还有空余吗", "已告知目前B2层尚有少量车位"),
    ("other", "周末加班空调怎么申请", "已告知提前一天提交加班空调申请"),
    ("front_desk", "办理门禁卡需要什么材料", "已告知需公司证明及员工身份证"),
)

INDUSTRIAL_INQUIRIES = (
    ("loading_dock", "货车进园区有时间限制吗", "已告知货车每日7点至20点可进出园区"),
    ("front_desk", "园区出入证怎么办理", "已告知携带公司证明到服务中心办理"),
)

SUGGESTIONS_RESIDENTIAL = (
    ("public_facility", "建议小区增加电动车充电桩"),
    ("greening", "建议儿童游乐区加装遮阳棚"),
    ("other", "建议延长会所健身房开放时间"),
    ("cleaning", "建议垃圾分类点增加洗手池"),
)

SUGGESTIONS_OFFICE = (
    ("other", "建议大堂增设共享充电宝"),
    ("public_facility", "建议增加非机动车停车位"),
    ("front_desk", "建议物业通知同时发企业微信群"),
)

HELPS_RESIDENTIAL = (
    ("A", "家中老人摔倒起不来，请帮忙联系急救并引导救护车"),
    ("B", "家里水管爆了，急需关闭总阀"),
    ("C", "楼下烧烤油烟太大，请帮忙制止"),
    ("D", "车被堵在车位里出不来，请帮忙联系车主"),
    ("E", "车辆被刮蹭，请帮忙调取监控"),
    ("F", "地下车库进水了"),
    ("G", "钥匙锁在家里了，请帮忙联系开锁"),
    ("G", "孩子在小区里走失，请帮忙广播寻找"),
)

HELPS_OFFICE = (
    ("A", "同事突发不适，请帮忙联系急救"),
    ("B", "办公室天花板掉水，请马上派人"),
    ("E", "办公室丢失笔记本电脑，请帮忙查看监控"),
    ("F", "楼道有烟味，怀疑有东西烧着了"),
    ("G", "加班后门禁刷不开，被关在楼层里"),
)

INSPECTIONS = (
    ("public_facility", "巡查发现5栋大堂吊顶松动", True),
    ("public_facility", "巡查发现中心花园路灯不亮", True),
    ("elevator", "巡查发现3栋电梯异响", True),
    ("public_facility", "巡查发现地下车库消防指示灯损坏", True),
)

PROFILES: dict[str, Profile] = {
    "hbw": Profile(
        site="hbw",
        prefix="HB",
        residential=True,
        workday=(9, 13),
        offday=(5, 8),
        hours=(7.5, 21.5),
        repairs=RESIDENTIAL_REPAIRS,
        complaints=RESIDENTIAL_COMPLAINTS,
        inquiries=RESIDENTIAL_INQUIRIES,
        suggestions=SUGGESTIONS_RESIDENTIAL,
        helps=HELPS_RESIDENTIAL,
        inspections=INSPECTIONS,
    ),
    "tech-park": Profile(
        site="tech-park",
        prefix="TP",
        residential=False,
        workday=(7, 10),
        offday=(1, 3),
        hours=(8.0, 19.0),
        repairs=OFFICE_REPAIRS[:11] + INDUSTRIAL_EXTRA + OFFICE_REPAIRS[11:],
        complaints=OFFICE_COMPLAINTS,
        inquiries=OFFICE_INQUIRIES + INDUSTRIAL_INQUIRIES,
        suggestions=SUGGESTIONS_OFFICE,
        helps=HELPS_OFFICE,
        inspections=(),
    ),
    "xh-tower": Profile(
        site="xh-tower",
        prefix="XH",
        residential=False,
        workday=(6, 9),
        offday=(1, 2),
        hours=(8.0, 20.0),
        repairs=OFFICE_REPAIRS,
        complaints=OFFICE_COMPLAINTS,
        inquiries=OFFICE_INQUIRIES,
        suggestions=SUGGESTIONS_OFFICE,
        helps=HELPS_OFFICE,
        inspections=(),
    ),
}

# What a repair costs when the item is paid for (R8.5): (item, yuan)
PAID_ITEMS = (
    ("更换角阀", "45.00"),
    ("更换水龙头", "120.00"),
    ("疏通下水道", "80.00"),
    ("更换灯具", "60.00"),
    ("更换门锁锁芯", "150.00"),
    ("更换插座面板", "35.00"),
    ("更换马桶进水阀", "65.00"),
)

COMPLAINT_RESOLUTIONS = {
    "noise": "已上门沟通，装修方承诺遵守施工时间",
    "parking": "已联系车主移车，并加强车库巡查",
    "security": "已对门岗人员进行培训，加强访客登记",
    "cleaning": "已安排保洁补扫，并调整清洁频次",
    "decoration": "已下达整改通知，恢复原状",
    "public_order": "已劝离并加强巡查",
    "front_desk": "已对前台人员进行服务培训并致歉",
    "elevator": "已调整高峰期电梯运行模式",
}
