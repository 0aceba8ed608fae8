"""What customers and staff actually say when they report a repair, and how it is classified
(shared/kernel/repairs.py): urgent by the item of R7.1 it names, an emergency (R4.10, R16.5),
general (R7.2, or a fault the report denies), and household or public by where the fault is
(R4.3a).

URGENT: R7.1 item -> phrasings that must be urgent (with the category the desk would give).
EMERGENCY: phrasings the desk must treat as an emergency (and urgent).
GENERAL: phrasings that must NOT be urgent: R7.2 items, and R7.1 words that are denied,
  over, or name no fault ("电梯厅地面有污渍").
PUBLIC / HOUSEHOLD: (content, reporter's room) -> where the fault is.
"""

from __future__ import annotations

URGENT: dict[str, list[tuple[str | None, str]]] = {
    # (1) common parts, shared equipment or public facilities damaged so as to be dangerous
    "R7.1(1)": [
        ("public_facility", "3栋外墙瓷砖脱落，差点砸到人"),
        ("public_facility", "大堂吊顶松动，随时会掉下来"),
        ("public_facility", "小区门口的井盖丢了，晚上很容易踩空"),
        ("maintenance", "楼下雨棚摇摇欲坠"),
        ("public_facility", "路灯杆倾斜，快倒了"),
        ("electrical", "车库顶上电线裸露垂下来"),
        ("greening", "台风过后大树倾斜压在围墙上"),
        ("maintenance", "阳台玻璃自爆了，碎玻璃掉到楼下"),
    ],
    # (2) a power cut or leakage from an indoor wiring fault
    "R7.1(2)": [
        ("electrical", "家里突然停电，配电箱跳闸合不上"),
        ("electrical", "卧室插座漏电，碰一下就麻手"),
        ("electrical", "厨房插座短路，一插电饭煲就跳闸"),
        ("electrical", "整个屋子都没电了，邻居家有电"),
        ("electrical", "开关打火，有烧焦味"),
        ("electrical", "卫生间热水器漏电，洗澡时被电了一下"),
        ("electrical", "空开推不上去，一推就跳"),
        ("electrical", "电表箱冒火花"),
        ("electrical", "客厅插座有烧焦的味道"),
    ],
    # (3) no water, or a badly leaking tap, from a pump failure or a burst pipe
    "R7.1(3)": [
        ("plumbing", "厨房水管爆裂，大量漏水"),
        ("plumbing", "卫生间水管爆了，水喷得到处都是"),
        ("plumbing", "家里突然停水了"),
        ("plumbing", "水龙头关不住，水一直流"),
        ("plumbing", "二次供水水泵坏了，高层都没水"),
        ("plumbing", "角阀断了，水哗哗地往外流"),
        ("plumbing", "早上起来家里不出水"),
        ("plumbing", "地下车库进水了"),
        ("plumbing", "楼上装修把我家水管打穿了，水一直喷"),
    ],
    # (4) a blocked downpipe or drain, or water-tray equipment leaking
    "R7.1(4)": [
        ("plumbing", "卫生间下水道堵塞，排水很慢"),
        ("plumbing", "阳台落水管堵了，雨水排不出去"),
        ("plumbing", "阳台地漏返水，污水漫到客厅"),
        ("plumbing", "马桶往外冒水，满地污水"),
        ("hvac", "空调接水盘漏水，天花板在滴水"),
        ("hvac", "会议室空调出风口滴水"),
        ("plumbing", "楼顶水箱溢水，顺着楼梯往下流"),
        ("plumbing", "一楼排水管不通，厨房水下不去"),
    ],
    # (5) an elevator that cannot run normally
    "R7.1(5)": [
        ("elevator", "电梯按钮失灵"),
        ("public_facility", "3栋电梯停在8楼不动了"),
        ("maintenance", "电梯门关不上"),
        ("public_facility", "电梯困人，两人被困在电梯里"),
        ("other", "电梯运行时抖动得很厉害，还有异响"),
        ("public_facility", "货梯故障，不能正常运行"),
        ("public_facility", "电梯不平层，差点绊倒老人"),
        ("public_facility", "孩子被困在电梯里了"),
    ],
    # (6) a broken floor slab or stair tread, loose or damaged railings
    "R7.1(6)": [
        ("maintenance", "阳台栏杆松动"),
        ("maintenance", "楼梯踏步断裂，一踩就晃"),
        ("maintenance", "楼梯扶手松动，老人扶着很危险"),
        ("maintenance", "晒台护栏锈穿了"),
        ("maintenance", "二楼楼板开裂"),
        ("public_facility", "单元门口台阶塌陷"),
    ],
    # (7) anything else dangerous
    "R7.1(7)": [
        ("maintenance", "车库入口坡道结冰，很危险"),
        ("public_facility", "健身器材断了，存在安全隐患"),
        ("maintenance", "窗户合页断了，窗扇挂着很不安全"),
        ("public_facility", "儿童滑梯有钉子冒出来，孩子受伤了"),
        ("plumbing", "厨房燃气味很重"),
        ("maintenance", "楼道里有东西冒烟"),
    ],
}

EMERGENCY: list[str] = [
    "厨房燃气味很重",
    "一进门就闻到很浓的煤气味",
    "闻到一股气味，像是天然气泄漏",
    "燃气表那里有臭鸡蛋味",
    "灶台下面的软管漏气",
    "楼道有烟味，配电箱在冒烟",
    "卧室插座冒烟有焦味",
    "楼下车库起火了",
    "天然气管道泄漏，味道很大",
]

GENERAL: list[tuple[str | None, str]] = [
    # R7.2: doors and windows, water-fitting parts, roof leaks, small upkeep
    ("maintenance", "卧室门窗关不严"),
    ("plumbing", "卫生间龙头滴水"),
    ("maintenance", "客厅墙面起皮"),
    ("maintenance", "卧室门把手松动"),
    ("maintenance", "入户门锁芯损坏，钥匙拧不动"),
    ("plumbing", "马桶水箱一直流水不停"),
    ("maintenance", "顶楼天台渗水，卧室天花板发霉"),
    ("maintenance", "飘窗窗台漏雨"),
    ("electrical", "客厅吸顶灯不亮"),
    ("electrical", "走廊灯管闪烁"),
    ("plumbing", "厨房水管接头漏水"),
    ("plumbing", "热水器进水阀漏水"),
    ("plumbing", "卫生间洗手池堵塞"),
    ("maintenance", "窗户玻璃裂了一道缝"),
    ("plumbing", "燃气热水器打不着火"),
    ("plumbing", "厨房水槽堵了"),
    ("plumbing", "卫生间天花板往下滴水"),
    ("maintenance", "阳台门关不上"),
    ("hvac", "空调不制冷"),
    ("plumbing", "热水器不出热水"),
    ("maintenance", "卫生间瓷砖掉了一块"),
    ("plumbing", "下水道有臭味"),
    # R7.1 words that name no fault, or a fault that is denied or over
    ("maintenance", "经检查没有危险，只是墙皮掉了一点"),
    ("cleaning", "电梯厅地面有污渍"),
    ("cleaning", "电梯轿厢里很脏"),
    ("maintenance", "电梯卡丢了，想补办"),
    ("electrical", "没有停电，只是客厅的灯不亮"),
    ("electrical", "检查过了，未发现漏电"),
    ("electrical", "昨晚停电，现在已经恢复正常了"),
    ("plumbing", "并没有停水，只是水压有点低"),
    ("plumbing", "不是爆管，是软管接头松了在滴水"),
    ("maintenance", "楼道扶手上有灰，不是松动"),
    ("plumbing", "没有燃气味了，就是灶台打不着"),
    ("maintenance", "无安全隐患，门吸掉了"),
    ("electrical", "插座面板裂了，不存在漏电"),
    ("electrical", "厨房刚才冒烟，已经扑灭了，抽油烟机要修"),
]

# (content, reporter's room) -> where the fault is (R4.3a)
PUBLIC: list[tuple[str, str | None]] = [
    ("走廊灯不亮", "3-1201"),
    ("我家门口的走廊灯坏了", "3-1201"),
    ("车库消防管漏水", "5-302"),
    ("单元门关不上，门禁也坏了", "2-801"),
    ("楼道声控灯不亮", "2-801"),
    ("顶楼天台渗水，卧室天花板发霉", "18-3201"),
    ("外墙瓷砖脱落", "7-1502"),
    ("大堂自动门不开", "A-1001"),
    ("电梯按钮失灵", "3-201"),
    ("走廊的水管漏水，流到我家客厅", "3-1201"),
    ("巡查发现中心花园路灯不亮", None),
    ("雨水从屋面渗进卧室", "18-3201"),
]
HOUSEHOLD: list[tuple[str, str | None]] = [
    ("厨房水管爆裂，大量漏水", "3-1201"),
    ("厨房水管爆裂，水流到楼道里了", "3-1201"),
    ("卫生间漏水渗到楼下", "5-302"),
    ("楼上卫生间漏水到我家客厅", "5-302"),
    ("卧室插座漏电", "2-801"),
    ("入户门锁芯损坏", "2-801"),
    ("阳台栏杆松动", "2-801"),
    ("办公室门禁读卡器坏了", "A-1001"),
    ("办公区插座没电", "A-1001"),  # 办公区 is not 公区
    ("马桶堵了", "7-1502"),  # says nothing: the room decides
]
