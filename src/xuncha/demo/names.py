"""Invented place names, unit lists and personal names for the demo tree.

Every place name here is made up (rare characters, no real province/city/county), so the demo can
never be mistaken for real data. Unit lists follow the usual make-up of a county's 县直 units.
Lists, not sets: the builder draws from them with a seeded random.Random, and order matters.
"""

from __future__ import annotations

import random

# --- the fixed demo tree --------------------------------------------------------------------------
PROVINCE = ("中共江北省委", "江北省")
DEMO_CITY = ("中共澜州市委", "澜州市")
DEMO_COUNTY = ("中共青峪县委", "青峪县")
SIBLING_COUNTIES = [("中共望川县委", "望川县"), ("中共梧溪县委", "梧溪县")]

# Further invented cities and county name parts, for the province scale.
CITY_REGIONS = ["瀛川市", "崧原市", "岱宁市", "汀澜市", "霁川市", "棠溪市", "翎州市", "珩阳市", "砚川市",
                "枫渚市", "泓州市", "璟山市", "槿江市"]
COUNTY_PREFIXES = ["岚", "沐", "澄", "汐", "霖", "栖", "珂", "璃", "芷", "蘅", "棠", "柘", "枳", "榕", "楠",
                   "樟", "棣", "珩", "翎", "砚", "霁", "槿", "璟", "泓"]
COUNTY_SUFFIXES = ["峪", "川", "溪", "岭", "源", "泉", "陵", "屏", "塘", "渚", "浦", "滨"]

# --- units a county committee manages (the leading 县 is replaced by the county's name) -------------
COUNTY_DEPARTMENTS = [
    "县委办公室", "县政府办公室", "县人大常委会办公室", "县政协办公室", "县委组织部", "县委宣传部", "县委统战部",
    "县委政法委员会", "县委机构编制委员会办公室", "县委党校", "县发展和改革委员会", "县教育局", "县科学技术局",
    "县工业和信息化局", "县公安局", "县民政局", "县司法局", "县财政局", "县人力资源和社会保障局", "县自然资源局",
    "县生态环境分局", "县住房和城乡建设局", "县交通运输局", "县水利局", "县农业农村局", "县商务局",
    "县文化广电旅游体育局", "县卫生健康委员会", "县退役军人事务局", "县应急管理局", "县审计局",
    "县市场监督管理局", "县统计局", "县医疗保障局", "县林业局", "县城市管理局", "县行政审批服务局",
    "县信访局", "县乡村振兴局", "县人民法院", "县人民检察院", "县总工会", "团县委", "县妇女联合会",
]
CITY_DEPARTMENTS = [
    "市委办公室", "市政府办公室", "市委组织部", "市委宣传部", "市委统战部", "市委政法委员会", "市发展和改革委员会",
    "市教育局", "市工业和信息化局", "市民政局", "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局",
    "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水利局", "市农业农村局", "市商务局",
    "市卫生健康委员会", "市应急管理局", "市审计局", "市市场监督管理局", "市医疗保障局", "市国有资产监督管理委员会",
    "市城市管理局", "市行政审批服务局", "市信访局", "市统计局",
]
PROVINCE_DEPARTMENTS = [
    "省委办公厅", "省政府办公厅", "省委组织部", "省委宣传部", "省委统战部", "省委政法委员会", "省发展和改革委员会",
    "省教育厅", "省科学技术厅", "省工业和信息化厅", "省民政厅", "省司法厅", "省财政厅", "省人力资源和社会保障厅",
    "省自然资源厅", "省生态环境厅", "省住房和城乡建设厅", "省交通运输厅", "省水利厅", "省农业农村厅", "省商务厅",
    "省文化和旅游厅", "省卫生健康委员会", "省退役军人事务厅", "省应急管理厅", "省审计厅", "省国有资产监督管理委员会",
    "省市场监督管理局", "省统计局", "省医疗保障局", "省林业局", "省乡村振兴局", "省信访局", "省机关事务管理局",
    "省粮食和物资储备局", "省地方金融监督管理局", "省体育局", "省广播电视局", "省中医药管理局", "省药品监督管理局",
]
COUNTY_STATE_ENTERPRISES = [
    "县城市建设投资集团有限公司", "县水务集团有限公司", "县农业发展投资有限公司", "县交通建设投资有限公司",
    "县国有资产运营有限公司", "县文化旅游发展集团有限公司",
]
CITY_STATE_ENTERPRISES = ["市城市发展集团有限公司", "市交通投资集团有限公司", "市水务环境集团有限公司",
                          "市国有资本投资运营有限公司"]
PROVINCE_STATE_ENTERPRISES = ["省交通投资集团有限公司", "省能源集团有限公司", "省农业发展集团有限公司",
                              "省建设投资集团有限公司", "省旅游投资集团有限公司", "省国有资本运营有限公司",
                              "省水利发展集团有限公司", "省机场集团有限公司"]
COUNTY_INSTITUTIONS = ["县人民医院", "县中医医院", "县第一中学", "县融媒体中心", "县疾病预防控制中心",
                       "县职业中等专业学校"]
CITY_INSTITUTIONS = ["市第一人民医院", "市中心医院", "市职业技术学院", "市广播电视台"]
PROVINCE_INSTITUTIONS = ["江北大学", "江北师范大学", "省人民医院", "省肿瘤医院", "省社会科学院", "江北日报社"]

# Units a special round looks at first, by its topic.
TOPIC_UNITS = {
    "乡村振兴领域": ["农业农村局", "乡村振兴局", "水利局", "林业局", "民政局", "农业发展投资有限公司"],
    "营商环境": ["发展和改革委员会", "市场监督管理局", "行政审批服务局", "自然资源局", "住房和城乡建设局", "商务局",
              "工业和信息化局", "城市建设投资集团有限公司"],
    "医疗保障基金使用管理": ["医疗保障局", "卫生健康委员会", "人民医院", "中医医院", "疾病预防控制中心"],
}

DEMO_TOWNSHIPS = ["城关街道", "城东街道", "河口镇", "白石镇", "柳林镇", "双溪乡", "龙潭镇", "石桥乡", "高坪镇",
                  "马坊乡", "清泉乡", "黄土岭镇"]
TOWN_PREFIXES = ["东", "西", "南", "北", "新", "大", "小", "上", "下", "长", "高", "石", "白", "黄", "青", "龙", "马",
                 "柳", "杨", "桃", "梅", "枫", "松", "凤", "金", "双", "三", "五", "七", "太", "永", "安", "兴",
                 "福", "宝", "云", "清", "平"]
TOWN_SUFFIXES = ["河", "溪", "桥", "塘", "坪", "岭", "山", "湖", "庄", "集", "店", "口", "渡", "湾", "坝", "冲",
                 "铺", "营", "寨", "关", "田", "港"]

VILLAGE_DIRECTIONS = ["东", "西", "南", "北", "上", "下", "前", "后", "大", "小", "新", "老", "中", "高"]
VILLAGE_FEATURES = ["湖", "河", "桥", "岭", "山", "塘", "坪", "坝", "湾", "沟", "岗", "庄", "集", "店", "楼", "营",
                    "冲", "垴", "峪", "洼", "堡", "寨", "渡", "圩"]
VILLAGE_AUSPICIOUS = ["新华", "和平", "红星", "光明", "胜利", "团结", "幸福", "永安", "长兴", "兴隆", "太平",
                      "丰收", "民主", "建设", "前进", "富强", "红旗", "联合", "兴旺", "安乐", "和谐", "振兴",
                      "复兴", "长青", "桂花", "杨柳", "枫林", "桃园", "梨园", "杏花"]
COMMUNITY_NAMES = ["新华社区", "滨河社区", "建设路社区", "人民路社区", "文化社区", "育才社区", "花园社区",
                   "锦绣社区", "阳光社区", "府前社区", "东门社区", "西门社区", "南关社区", "北街社区", "车站社区",
                   "学府社区", "康宁社区", "和平社区", "望江社区", "翠苑社区"]
CLAN_SURNAMES = ["李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
                 "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹"]
CLAN_PLACES = ["家庄", "家湾", "家坪", "家沟", "家寨", "家洼", "家岗", "家冲", "家店", "家楼", "家营", "家堡"]

# --- people ---------------------------------------------------------------------------------------
# Surnames roughly by frequency (the first ones repeat more often when drawn with weights).
SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
            "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田",
            "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚",
            "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白",
            "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾",
            "毛", "郝", "龚", "邵", "万", "严", "覃", "武", "戴", "孔", "向", "汤"]
SURNAME_WEIGHTS = [max(1, 40 - i // 3) for i in range(len(SURNAMES))]
GIVEN_FIRST = ["建", "志", "国", "明", "海", "红", "丽", "晓", "伟", "文", "永", "春", "玉", "德", "秀", "金", "立",
               "卫", "小", "新", "学", "俊", "宏", "家", "思", "雪", "振", "爱", "世", "兴", "庆", "连", "长", "瑞",
               "晨", "佳", "子", "雨", "梓", "浩", "宇", "欣", "慧", "静", "婷", "敏", "鹏", "军", "勇", "刚"]
GIVEN_SECOND = ["华", "强", "军", "平", "峰", "林", "芳", "燕", "敏", "杰", "辉", "涛", "明", "刚", "霞", "兰", "英",
                "梅", "东", "波", "斌", "宁", "勇", "磊", "超", "洋", "鑫", "婷", "琳", "娟", "璐", "涵", "轩", "博",
                "然", "晨", "阳", "凯", "彬", "亮", "红", "荣", "清", "生", "成", "富", "贵", "民", "山", "武"]

# --- positions ------------------------------------------------------------------------------------
VILLAGE_POSITIONS = [("村党支部委员、村委会副主任", False), ("村务监督委员会主任", False), ("村报账员", True),
                     ("村党支部副书记", False), ("村委会委员", False)]
TOWNSHIP_POSITIONS = [("党委副书记、{head}", False), ("党委委员、纪委书记", False), ("党委委员、组织委员", False),
                      ("党委委员、副{head}", True), ("人大主席", False), ("党委委员、宣传委员", False)]
SOE_POSITIONS = [("党委副书记、总经理", True), ("党委委员、副总经理", False), ("财务总监", True),
                 ("党委委员、纪委书记", False), ("工会主席", False)]
INSTITUTION_POSITIONS = [("党委副书记", False), ("副{head}", True), ("党委委员、纪委书记", False),
                         ("总会计师", True)]
DEPARTMENT_POSITIONS = [("党组成员、副{head}", True), ("党组成员、副{head}", False), ("党组成员、纪检组长", False),
                        ("党组成员、副{head}", False), ("四级调研员", False)]


def person_name(rng: random.Random) -> str:
    surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
    if rng.random() < 0.28:
        return surname + rng.choice(GIVEN_SECOND)
    return surname + rng.choice(GIVEN_FIRST) + rng.choice(GIVEN_SECOND)


def head_title(unit_name: str, kind: str) -> str:
    """The principal leader's title, read from how the unit's name ends."""
    if kind == "village":
        return "村党支部书记、村委会主任" if unit_name.endswith("村") else "社区党委书记、居委会主任"
    if kind == "township":
        if unit_name.endswith("街道"):
            return "党工委书记"
        return "党委书记"
    if kind == "state_enterprise":
        return "党委书记、董事长"
    if kind == "public_institution":
        if unit_name.endswith("医院"):
            return "党委书记、院长"
        if unit_name.endswith(("学校", "中学", "大学", "学院")):
            return "党委书记、校长"
        if unit_name.endswith(("社", "台", "中心")):
            return "党委书记、主任" if unit_name.endswith("中心") else "党委书记、社长"
        return "党委书记、院长"
    return f"党组书记、{department_head(unit_name)}"


def department_head(unit_name: str) -> str:
    for suffix, title in (("办公厅", "主任"), ("办公室", "主任"), ("委员会", "主任"), ("厅", "厅长"), ("部", "部长"),
                          ("局", "局长"), ("分局", "局长"), ("法院", "院长"), ("检察院", "检察长"), ("党校", "常务副校长"),
                          ("总工会", "主席"), ("联合会", "主席"), ("团县委", "书记")):
        if unit_name.endswith(suffix):
            return title
    return "主任"


def township_head(unit_name: str) -> str:
    if unit_name.endswith("街道"):
        return "办事处主任"
    return "乡长" if unit_name.endswith("乡") else "镇长"


def localise(template: str, region: str) -> str:
    """'县财政局' → '青峪县财政局'; '团县委' → '共青团青峪县委'; other names stay as they are."""
    if template.startswith("团"):
        return f"共青团{region}委"
    if template[0] in "县市省":
        return region + template[1:]
    return template


def township_names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = ["城关街道"]
    while len(names) < count:
        kind = "街道" if len(names) < 2 else rng.choices(["镇", "乡"], weights=[3, 2])[0]
        name = rng.choice(TOWN_PREFIXES) + rng.choice(TOWN_SUFFIXES) + ("街道" if kind == "街道" else kind)
        if name not in names:
            names.append(name)
    return names


def village_names(rng: random.Random, township: str, count: int) -> list[str]:
    """Names unique within one township: 东湖村, 李家庄村, 新华社区 …"""
    names: list[str] = []
    communities = list(COMMUNITY_NAMES)
    rng.shuffle(communities)
    attempts = 0
    while len(names) < count and attempts < count * 50:
        attempts += 1
        if township.endswith("街道") and communities and rng.random() < 0.7:
            name = communities.pop()
        else:
            roll = rng.random()
            if roll < 0.4:
                name = rng.choice(VILLAGE_DIRECTIONS) + rng.choice(VILLAGE_FEATURES) + "村"
            elif roll < 0.7:
                name = rng.choice(CLAN_SURNAMES) + rng.choice(CLAN_PLACES) + "村"
            else:
                name = rng.choice(VILLAGE_AUSPICIOUS) + "村"
        if name not in names:
            names.append(name)
    return names


def county_regions(rng: random.Random, count: int, taken: list[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(COUNTY_PREFIXES) + rng.choice(COUNTY_SUFFIXES) + rng.choices(["县", "区"], [9, 1])[0]
        if name not in names and name not in taken and name[:2] not in {n[:2] for n in taken + names}:
            names.append(name)
    return names
