"""Demo content for A市: districts, departments, categories, systems, resources and grants.

Pure data consumed by the ``load_demo`` management command; nothing here touches Django.
Identifiers, comments and keys are English; names and texts are the Chinese content users see.

Conventions kept throughout (and asserted by ``_check()`` at the bottom, run this file directly):

- A resource's level is at least the level of each of its data items, and at most the clearance
  of its provider department (the provider's own users can read what it publishes).
- Personal items (kind ``id_number`` / ``mobile`` / ``name``) are level 3 or 4, so level-1/2
  resources never contain them.
- Shared item names (公民身份号码, 姓名, 联系电话, 统一社会信用代码, 企业名称) always carry
  the same data type and length wherever they appear, so the duplicate-collection report can
  match them.
- Grants exist only on published, conditionally shared resources, for a consumer whose clearance
  covers the resource level.

Data item tuples are ``(name, data_type, length, level, kind, is_key)``.
"""

from typing import Any

CITY_REGION = "340100"

DISTRICTS: list[dict[str, Any]] = [
    {"key": "yh", "name": "瑶海区", "region_code": "340102"},
    {"key": "ly", "name": "庐阳区", "region_code": "340103"},
]


def _dept(
    key,
    name,
    short_name,
    name_en,
    *,
    clearance,
    org_seq,
    district=None,
    parent=None,
    vertical=False,
):
    """Return one department dict in the loader's schema."""
    return {
        "key": key,
        "name": name,
        "short_name": short_name,
        "name_en": name_en,
        "district": district,
        "parent": parent,
        "vertical": vertical,
        "clearance": clearance,
        "org_seq": org_seq,
    }


# The order of the city departments fixes the 类-3 项 codes (301 = ga, 302 = mz, ... 320 = ty).
DEPARTMENTS: list[dict[str, Any]] = [
    _dept("ga", "市公安局", "公安局", "Municipal Public Security Bureau", clearance=4, org_seq=1),
    _dept("mz", "市民政局", "民政局", "Municipal Civil Affairs Bureau", clearance=4, org_seq=2),
    _dept(
        "rs",
        "市人力资源和社会保障局",
        "人社局",
        "Municipal Human Resources and Social Security Bureau",
        clearance=4,
        org_seq=3,
    ),
    _dept(
        "sj",
        "市市场监督管理局",
        "市场监管局",
        "Municipal Administration for Market Regulation",
        clearance=3,
        org_seq=4,
    ),
    _dept(
        "wj", "市卫生健康委员会", "卫健委", "Municipal Health Commission", clearance=4, org_seq=5
    ),
    _dept(
        "zr",
        "市自然资源局",
        "自然资源局",
        "Municipal Natural Resources Bureau",
        clearance=3,
        org_seq=6,
    ),
    _dept("jy", "市教育局", "教育局", "Municipal Education Bureau", clearance=3, org_seq=7),
    _dept(
        "yj",
        "市应急管理局",
        "应急局",
        "Municipal Emergency Management Bureau",
        clearance=3,
        org_seq=8,
    ),
    _dept(
        "sw",
        "市税务局",
        "税务局",
        "Municipal Taxation Bureau",
        clearance=4,
        org_seq=9,
        vertical=True,
    ),
    _dept("tj", "市统计局", "统计局", "Municipal Statistics Bureau", clearance=3, org_seq=10),
    _dept(
        "sjj",
        "市政务服务数据管理局",
        "数据局",
        "Municipal Government Services and Data Administration",
        clearance=4,
        org_seq=11,
    ),
    _dept(
        "fg",
        "市发展和改革委员会",
        "发改委",
        "Municipal Development and Reform Commission",
        clearance=3,
        org_seq=12,
    ),
    _dept("cz", "市财政局", "财政局", "Municipal Finance Bureau", clearance=3, org_seq=13),
    _dept(
        "zj",
        "市住房和城乡建设局",
        "住建局",
        "Municipal Housing and Urban-Rural Development Bureau",
        clearance=3,
        org_seq=14,
    ),
    _dept("jt", "市交通运输局", "交通局", "Municipal Transport Bureau", clearance=3, org_seq=15),
    _dept(
        "hb",
        "市生态环境局",
        "生态环境局",
        "Municipal Ecology and Environment Bureau",
        clearance=3,
        org_seq=16,
    ),
    _dept(
        "ny",
        "市农业农村局",
        "农业农村局",
        "Municipal Agriculture and Rural Affairs Bureau",
        clearance=3,
        org_seq=17,
    ),
    _dept("sf", "市司法局", "司法局", "Municipal Justice Bureau", clearance=3, org_seq=18),
    _dept(
        "yb",
        "市医疗保障局",
        "医保局",
        "Municipal Healthcare Security Bureau",
        clearance=4,
        org_seq=19,
    ),
    _dept(
        "ty",
        "市退役军人事务局",
        "退役军人局",
        "Municipal Veterans Affairs Bureau",
        clearance=3,
        org_seq=20,
    ),
    # District departments: parent is the city bureau of the same line.
    _dept(
        "yh_mz",
        "瑶海区民政局",
        "瑶海民政局",
        "Yaohai District Civil Affairs Bureau",
        clearance=3,
        org_seq=101,
        district="yh",
        parent="mz",
    ),
    _dept(
        "yh_rs",
        "瑶海区人力资源和社会保障局",
        "瑶海人社局",
        "Yaohai District Human Resources and Social Security Bureau",
        clearance=3,
        org_seq=102,
        district="yh",
        parent="rs",
    ),
    _dept(
        "yh_sj",
        "瑶海区市场监督管理局",
        "瑶海市场监管局",
        "Yaohai District Administration for Market Regulation",
        clearance=2,
        org_seq=103,
        district="yh",
        parent="sj",
    ),
    _dept(
        "yh_jy",
        "瑶海区教育体育局",
        "瑶海教体局",
        "Yaohai District Education and Sports Bureau",
        clearance=2,
        org_seq=104,
        district="yh",
        parent="jy",
    ),
    _dept(
        "ly_mz",
        "庐阳区民政局",
        "庐阳民政局",
        "Luyang District Civil Affairs Bureau",
        clearance=3,
        org_seq=111,
        district="ly",
        parent="mz",
    ),
    _dept(
        "ly_rs",
        "庐阳区人力资源和社会保障局",
        "庐阳人社局",
        "Luyang District Human Resources and Social Security Bureau",
        clearance=3,
        org_seq=112,
        district="ly",
        parent="rs",
    ),
    _dept(
        "ly_sj",
        "庐阳区市场监督管理局",
        "庐阳市场监管局",
        "Luyang District Administration for Market Regulation",
        clearance=2,
        org_seq=113,
        district="ly",
        parent="sj",
    ),
    _dept(
        "ly_jy",
        "庐阳区教育体育局",
        "庐阳教体局",
        "Luyang District Education and Sports Bureau",
        clearance=3,
        org_seq=114,
        district="ly",
        parent="jy",
    ),
]

# National 项 codes the loader creates (类 1 base, 类 2 theme); 类 3 项 come from DEPARTMENTS.
NATIONAL_ITEMS = {
    "101": "人口",
    "102": "法人单位",
    "103": "自然资源和空间地理",
    "104": "社会信用",
    "105": "电子证照",
    "201": "公共服务",
    "202": "健康保障",
    "203": "社会保障",
    "204": "食品药品安全",
    "205": "安全生产",
    "206": "价格监管",
    "207": "能源安全",
    "208": "信用体系",
    "209": "城乡建设",
    "210": "社区治理",
    "211": "生态环保",
    "212": "应急维稳",
}

CATEGORIES: list[dict[str, Any]] = [
    # 类 1 基础
    {"code": "101001", "name": "人口基本信息", "parent": "101"},
    {"code": "101002", "name": "户籍管理信息", "parent": "101"},
    {"code": "101003", "name": "婚姻收养信息", "parent": "101"},
    {"code": "101004", "name": "出生死亡信息", "parent": "101"},
    {"code": "102001", "name": "企业法人信息", "parent": "102"},
    {"code": "102002", "name": "个体工商户信息", "parent": "102"},
    {"code": "102003", "name": "社会组织和事业单位信息", "parent": "102"},
    {"code": "103001", "name": "土地资源和国土空间规划信息", "parent": "103"},
    {"code": "103002", "name": "不动产信息", "parent": "103"},
    {"code": "103003", "name": "基础地理和区划地名信息", "parent": "103"},
    {"code": "104001", "name": "企业信用信息", "parent": "104"},
    {"code": "104002", "name": "行政处罚信息", "parent": "104"},
    {"code": "105001", "name": "资格资质证照信息", "parent": "105"},
    # 类 2 主题
    {"code": "201001", "name": "教育服务信息", "parent": "201"},
    {"code": "201002", "name": "交通出行信息", "parent": "201"},
    {"code": "201003", "name": "就业创业服务信息", "parent": "201"},
    {"code": "202001", "name": "医疗卫生机构信息", "parent": "202"},
    {"code": "202002", "name": "医疗保障信息", "parent": "202"},
    {"code": "202003", "name": "公共卫生信息", "parent": "202"},
    {"code": "203001", "name": "社会保险信息", "parent": "203"},
    {"code": "203002", "name": "社会救助信息", "parent": "203"},
    {"code": "203003", "name": "优抚安置信息", "parent": "203"},
    {"code": "203004", "name": "养老服务信息", "parent": "203"},
    {"code": "204001", "name": "食品生产经营许可信息", "parent": "204"},
    {"code": "204002", "name": "食品和农产品抽检信息", "parent": "204"},
    {"code": "205001", "name": "安全生产许可信息", "parent": "205"},
    {"code": "205002", "name": "安全生产监管执法信息", "parent": "205"},
    {"code": "206001", "name": "价格监测信息", "parent": "206"},
    {"code": "207001", "name": "能源供应保障信息", "parent": "207"},
    {"code": "208001", "name": "信用评价信息", "parent": "208"},
    {"code": "208002", "name": "守信激励和失信惩戒信息", "parent": "208"},
    {"code": "209001", "name": "建设项目信息", "parent": "209"},
    {"code": "209002", "name": "住房保障信息", "parent": "209"},
    {"code": "209003", "name": "房地产市场信息", "parent": "209"},
    {"code": "210001", "name": "社区基础信息", "parent": "210"},
    {"code": "211001", "name": "环境质量信息", "parent": "211"},
    {"code": "211002", "name": "污染源监管信息", "parent": "211"},
    {"code": "212001", "name": "应急资源信息", "parent": "212"},
    {"code": "212002", "name": "突发事件和灾情信息", "parent": "212"},
    # 类 3 部门 (项 = "3" + department position)
    {"code": "301001", "name": "交通管理信息", "parent": "301"},
    {"code": "301002", "name": "治安和刑侦信息", "parent": "301"},
    {"code": "303001", "name": "劳动保障监察信息", "parent": "303"},
    {"code": "304001", "name": "特种设备安全信息", "parent": "304"},
    {"code": "309001", "name": "税收征管信息", "parent": "309"},
    {"code": "310001", "name": "统计调查信息", "parent": "310"},
    {"code": "312001", "name": "投资项目管理信息", "parent": "312"},
    {"code": "313001", "name": "财政预算和资金信息", "parent": "313"},
    {"code": "315001", "name": "道路运输管理信息", "parent": "315"},
    {"code": "317001", "name": "农村经营管理信息", "parent": "317"},
    {"code": "318001", "name": "公共法律服务信息", "parent": "318"},
    {"code": "318002", "name": "社区矫正信息", "parent": "318"},
    {"code": "320001", "name": "退役军人服务信息", "parent": "320"},
]


def _sys(key, department, name, code, purpose, status="active"):
    """Return one information-system dict in the loader's schema."""
    return {
        "key": key,
        "department": department,
        "name": name,
        "registration_code": code,
        "purpose": purpose,
        "status": status,
    }


SYSTEMS: list[dict[str, Any]] = [
    _sys(
        "ga_rk",
        "ga",
        "人口信息管理系统",
        "340100-GA-0001",
        "常住人口、户籍登记、迁移和注销业务办理",
    ),
    _sys(
        "ga_jg",
        "ga",
        "公安交通管理综合应用平台",
        "340100-GA-0002",
        "机动车、驾驶人和道路交通事故管理",
    ),
    _sys(
        "mz_hy",
        "mz",
        "婚姻登记管理信息系统",
        "340100-MZ-0001",
        "结婚、离婚、补领婚姻登记证和收养登记办理",
    ),
    _sys(
        "mz_jz",
        "mz",
        "社会救助信息管理系统",
        "340100-MZ-0002",
        "低保、特困、临时救助的申请审核和资金发放",
    ),
    _sys(
        "mz_zh",
        "mz",
        "民政业务综合管理系统（旧版）",
        "340100-MZ-0003",
        "原民政综合业务办理，已整合至新系统",
        "retired",
    ),
    _sys(
        "rs_sb",
        "rs",
        "社会保险信息系统",
        "340100-RS-0001",
        "养老、失业、工伤保险参保登记、缴费和待遇发放",
    ),
    _sys(
        "rs_jy",
        "rs",
        "公共就业服务信息系统",
        "340100-RS-0002",
        "就业失业登记、职业技能评价和人力资源市场管理",
    ),
    _sys(
        "sj_dj",
        "sj",
        "市场主体登记注册系统",
        "340100-SJ-0001",
        "企业、个体工商户设立、变更和注销登记",
    ),
    _sys(
        "sj_jg",
        "sj",
        "市场监管综合业务系统",
        "340100-SJ-0002",
        "许可审批、抽检、行政处罚和信用监管",
    ),
    _sys(
        "wj_zc",
        "wj",
        "医疗机构和医师电子化注册系统",
        "340100-WJ-0001",
        "医疗机构执业登记、医师执业注册",
    ),
    _sys(
        "wj_jk",
        "wj",
        "全民健康信息平台",
        "340100-WJ-0002",
        "电子健康档案、出生医学证明和传染病报告汇聚",
    ),
    _sys(
        "zr_bdc",
        "zr",
        "不动产登记信息管理系统",
        "340100-ZR-0001",
        "不动产首次、转移、变更、抵押登记",
    ),
    _sys(
        "zr_gt",
        "zr",
        "国土空间基础信息平台",
        "340100-ZR-0002",
        "基础测绘成果、国土空间规划和供地管理",
    ),
    _sys(
        "jy_xj",
        "jy",
        "中小学生学籍信息管理系统",
        "340100-JY-0001",
        "学籍注册、转学、升级和毕业管理",
    ),
    _sys("yj_zf", "yj", "安全生产监管执法系统", "340100-YJ-0001", "危化品许可、执法检查和举报受理"),
    _sys("yj_wz", "yj", "应急资源管理平台", "340100-YJ-0002", "应急物资、救援队伍和避难场所管理"),
    _sys(
        "sw_zg_old",
        "sw",
        "税收征管信息系统（旧版）",
        "340100-SW-0001",
        "原税收征管业务系统，已停用",
        "retired",
    ),
    _sys(
        "sw_zg",
        "sw",
        "税收征管信息系统",
        "340100-SW-0002",
        "纳税人登记、申报征收、个税和纳税信用管理",
    ),
    _sys(
        "tj_ml", "tj", "基本单位名录库管理系统", "340100-TJ-0001", "统计调查单位名录维护和联网直报"
    ),
    _sys(
        "fg_xm",
        "fg",
        "投资项目在线审批监管平台",
        "340100-FG-0001",
        "投资项目审批、核准、备案和建设进度监管",
    ),
    _sys(
        "fg_xy", "fg", "公共信用信息共享平台", "340100-FG-0002", "公共信用信息归集、评价和联合奖惩"
    ),
    _sys(
        "cz_yt",
        "cz",
        "预算管理一体化系统",
        "340100-CZ-0001",
        "预算编制、指标管理、国库支付和补贴发放",
    ),
    _sys("zj_fc", "zj", "房产交易管理系统", "340100-ZJ-0001", "商品房预售许可和合同网签备案"),
    _sys("zj_bz", "zj", "住房保障管理系统", "340100-ZJ-0002", "公租房申请、审核、配租和退出管理"),
    _sys(
        "jt_yz",
        "jt",
        "道路运政管理信息系统",
        "340100-JT-0001",
        "道路运输经营许可和从业人员资格管理",
    ),
    _sys("hb_jc", "hb", "生态环境监测监控平台", "340100-HB-0001", "空气质量和重点污染源自动监测"),
    _sys(
        "ny_cb",
        "ny",
        "农村土地承包经营权信息应用平台",
        "340100-NY-0001",
        "承包地确权登记和流转管理",
    ),
    _sys("sf_jz", "sf", "社区矫正信息管理系统", "340100-SF-0001", "社区矫正对象接收、监管和解除"),
    _sys("yb_pt", "yb", "医疗保障信息平台", "340100-YB-0001", "医保参保、定点管理和费用结算"),
    _sys(
        "yb_old",
        "yb",
        "城镇职工医疗保险结算系统",
        "340100-YB-0002",
        "原职工医保结算系统，已迁移至医疗保障信息平台",
        "retired",
    ),
    _sys("ty_xx", "ty", "退役军人信息管理系统", "340100-TY-0001", "退役军人信息采集和优抚待遇发放"),
    _sys(
        "yh_mz_jz",
        "yh_mz",
        "瑶海区社会救助一体化平台",
        "340102-MZ-0001",
        "辖区特困供养和临时救助受理",
    ),
    _sys(
        "ly_jy_zs",
        "ly_jy",
        "庐阳区义务教育招生入学平台",
        "340103-JY-0001",
        "义务教育阶段新生网上报名和审核",
    ),
]


# ---- Shared data items: one definition each, so duplicate collection can be matched by name. ----


def _pid(level=4, key=True, name="公民身份号码"):
    """A citizen ID number item (GB 11643, 18 chars)."""
    return (name, "C", 18, level, "id_number", key)


def _name(level=3, name="姓名"):
    """A person's name item."""
    return (name, "C", 50, level, "name", False)


def _phone(level=3, name="联系电话"):
    """A mobile phone item."""
    return (name, "C", 11, level, "mobile", False)


def _uscc(key=True, level=1):
    """The unified social credit code of an organisation (GB 32100, 18 chars)."""
    return ("统一社会信用代码", "C", 18, level, "uscc", key)


def _ent(level=1, name="企业名称"):
    """An organisation's name item."""
    return (name, "C", 200, level, "none", False)


def _i(name, data_type, length, level, key=False):
    """A plain (non-personal) data item."""
    return (name, data_type, length, level, "none", key)


UNCONDITIONAL = "无条件"


def _res(
    *,
    provider,
    name,
    category,
    level,
    share_type,
    share_condition,
    items,
    summary,
    format_class="database",
    format_type="MySQL",
    share_method="api",
    open_type="not_open",
    open_condition="",
    update_cycle="daily",
    status="published",
    system=None,
    related=(),
):
    """Return one resource dict in the loader's schema."""
    return {
        "provider": provider,
        "name": name,
        "category": category,
        "summary": summary,
        "format_class": format_class,
        "format_type": format_type,
        "share_type": share_type,
        "share_condition": share_condition,
        "share_method": share_method,
        "open_type": open_type,
        "open_condition": open_condition,
        "update_cycle": update_cycle,
        "level": level,
        "status": status,
        "system": system,
        "related": list(related),
        "items": items,
    }


RESOURCES: list[dict[str, Any]] = [
    # ------------------------------------------------------------------ 市公安局
    _res(
        provider="ga",
        name="人口基础信息",
        category="101001",
        level=4,
        share_type="conditional",
        share_condition="限用于政务服务身份核验、社会救助和社会保险业务办理；须说明使用依据，仅提供申请的信息项，不得向第三方提供",
        items=[
            _pid(),
            _name(),
            _i("性别", "C", 1, 2),
            _i("民族", "C", 2, 2),
            _i("出生日期", "D", 8, 3),
            _i("户籍地址", "C", 200, 4),
            _i("户籍登记日期", "D", 8, 2),
        ],
        summary="A市户籍人口的身份基础信息，包括公民身份号码、姓名、性别、民族、出生日期和户籍地址，"
        "每日从人口信息管理系统同步更新。",
        system="ga_rk",
        related=["户籍迁移信息", "婚姻登记信息", "出生人口登记信息"],
    ),
    _res(
        provider="ga",
        name="户籍迁移信息",
        category="101002",
        level=4,
        share_type="conditional",
        share_condition="限用于户籍关联业务核验（入学、社保关系转移、住房保障资格审核）；按业务办理需要逐人查询",
        items=[
            _i("迁移业务编号", "C", 32, 2, key=True),
            _pid(key=False),
            _name(),
            _i("迁移类型", "C", 2, 2),
            _i("迁出地址", "C", 200, 4),
            _i("迁入地址", "C", 200, 4),
            _i("迁移日期", "D", 8, 2),
            _i("迁移原因", "C", 100, 2),
        ],
        summary="户籍迁入、迁出和市内户口迁移的业务登记信息，包括迁移类型、迁出迁入地址和迁移日期。",
        system="ga_rk",
        related=["人口基础信息"],
    ),
    _res(
        provider="ga",
        name="出生人口登记信息",
        category="101004",
        level=4,
        share_type="conditional",
        share_condition="限用于新生儿医保参保、预防接种建档和生育津贴核定；须提供业务办理依据",
        items=[
            _i("出生登记编号", "C", 32, 2, key=True),
            _pid(key=False),
            _name(),
            _i("出生日期", "D", 8, 3),
            _pid(name="监护人公民身份号码", key=False),
            _name(name="监护人姓名"),
            _i("出生地", "C", 200, 2),
        ],
        summary="新生儿出生户口登记信息，包括新生儿身份号码、出生日期、出生地和监护人信息。",
        system="ga_rk",
        related=["出生医学证明信息", "人口基础信息"],
    ),
    _res(
        provider="ga",
        name="死亡人口注销信息",
        category="101004",
        level=3,
        share_type="conditional",
        share_condition="限用于停发养老金、低保等待遇和注销相关资格；按月批量比对或逐人核验",
        items=[
            _pid(level=3),
            _name(),
            _i("死亡日期", "D", 8, 3),
            _i("户口注销日期", "D", 8, 2),
            _i("注销原因", "C", 20, 2),
        ],
        summary="因死亡注销户口的人员信息，用于各部门及时停发待遇、防止冒领。",
        system="ga_rk",
        update_cycle="daily",
        related=["遗体火化信息", "养老保险待遇发放信息"],
    ),
    _res(
        provider="ga",
        name="机动车驾驶人信息",
        category="301001",
        level=4,
        share_type="conditional",
        share_condition="限用于道路运输从业资格审核和交通安全执法协作；须经公安交管部门审核",
        items=[
            _i("驾驶证档案编号", "C", 12, 2, key=True),
            _pid(key=False),
            _name(),
            _i("联系地址", "C", 200, 4),
            _i("准驾车型", "C", 10, 2),
            _i("驾驶证状态", "C", 2, 2),
            _i("有效期止", "D", 8, 2),
            _i("累积记分", "I", 4, 3),
        ],
        summary="本市核发的机动车驾驶证信息，包括准驾车型、驾驶证状态、有效期和累积记分。",
        format_type="Oracle",
        system="ga_jg",
        related=["出租汽车驾驶员从业资格信息"],
    ),
    _res(
        provider="ga",
        name="涉案人员信息",
        category="301002",
        level=4,
        share_type="none",
        share_condition="依据《中华人民共和国刑事诉讼法》第一百五十二条及《公安机关办理刑事案件程序规定》第八条，"
        "涉及侦查工作秘密和个人隐私，不予共享",
        items=[
            _i("案件编号", "C", 23, 4, key=True),
            _pid(key=False),
            _name(level=4),
            _i("涉案类别", "C", 4, 4),
            _i("立案日期", "D", 8, 4),
        ],
        summary="公安机关立案侦查案件中的涉案人员信息，属侦查工作秘密，仅限公安机关内部使用。",
        format_type="Oracle",
        share_method="database",
        update_cycle="realtime",
    ),
    _res(
        provider="ga",
        name="道路交通事故统计信息",
        category="301001",
        level=2,
        share_type="conditional",
        share_condition="限用于道路交通安全治理、隐患路段整改和安全生产考核，不得对外发布",
        items=[
            _i("统计月份", "C", 6, 1, key=True),
            _i("行政区划代码", "C", 6, 1, key=True),
            _i("事故起数", "I", 10, 2),
            _i("死亡人数", "I", 10, 2),
            _i("受伤人数", "I", 10, 2),
            _i("直接财产损失", "Y", 16, 2),
        ],
        summary="按月、按区县汇总的道路交通事故起数、伤亡人数和直接财产损失。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="monthly",
    ),
    # ------------------------------------------------------------------ 市民政局
    _res(
        provider="mz",
        name="婚姻登记信息",
        category="101003",
        level=4,
        share_type="conditional",
        share_condition="限用于不动产登记、住房保障和社会救助中的婚姻状况核验；按业务逐件查询",
        items=[
            _i("婚姻登记证字号", "C", 30, 2, key=True),
            _pid(name="男方公民身份号码", key=False),
            _name(name="男方姓名"),
            _pid(name="女方公民身份号码", key=False),
            _name(name="女方姓名"),
            _i("登记类型", "C", 2, 2),
            _i("登记日期", "D", 8, 2),
            _i("登记机关", "C", 100, 1),
        ],
        summary="结婚登记、离婚登记和补发婚姻登记证的信息，包括双方身份信息、登记类型和登记日期。",
        system="mz_hy",
        related=["人口基础信息", "不动产登记信息"],
    ),
    _res(
        provider="mz",
        name="低保救助对象信息",
        category="203002",
        level=4,
        share_type="conditional",
        share_condition="限用于医疗救助、教育资助、住房保障等救助衔接业务；不得公开，不得用于救助以外目的",
        items=[
            _pid(),
            _name(),
            _phone(),
            _i("家庭住址", "C", 200, 4),
            _i("家庭人口数", "I", 4, 3),
            _i("月保障金额", "Y", 16, 3),
            _i("救助开始日期", "D", 8, 2),
            _i("所属街道", "C", 50, 2),
        ],
        summary="城乡最低生活保障对象的家庭和保障金发放信息，每月随保障金发放更新。",
        system="mz_jz",
        update_cycle="monthly",
        related=["人口基础信息", "不动产登记信息", "社会保险参保信息"],
    ),
    _res(
        provider="mz",
        name="收养登记信息",
        category="101003",
        level=4,
        share_type="none",
        share_condition="依据《中华人民共和国民法典》第一千一百一十条“收养人、送养人要求保守收养秘密的，其他人应当尊重其意愿，"
        "不得泄露”，不予共享",
        items=[
            _i("收养登记证字号", "C", 30, 4, key=True),
            _pid(name="收养人公民身份号码", key=False),
            _name(name="收养人姓名"),
            _pid(name="被收养人公民身份号码", key=False),
            _i("登记日期", "D", 8, 3),
        ],
        summary="收养登记和解除收养登记信息，涉及收养秘密，不予共享。",
        system="mz_hy",
        share_method="database",
        update_cycle="irregular",
    ),
    _res(
        provider="mz",
        name="社会组织登记信息",
        category="102003",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(name="社会组织名称"),
            _i("组织类型", "C", 20, 1),
            _i("业务主管单位", "C", 100, 1),
            _i("成立登记日期", "D", 8, 1),
            _i("住所", "C", 200, 1),
            _i("登记状态", "C", 10, 1),
        ],
        summary="在本市登记的社会团体、民办非企业单位和基金会的登记信息。",
        open_type="unconditional",
        update_cycle="weekly",
    ),
    _res(
        provider="mz",
        name="养老机构信息",
        category="203004",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(name="机构名称"),
            _i("机构地址", "C", 200, 1),
            _i("床位数", "I", 6, 1),
            _i("收费标准", "M", 2000, 1),
            _i("咨询电话", "C", 20, 1),
            _i("在住老人数", "I", 6, 2),
            _i("运营补贴金额", "Y", 16, 2),
        ],
        summary="本市备案的养老机构名称、地址、床位数、收费标准、在住老人数和运营补贴金额。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="conditional",
        open_condition="机构名称、地址、床位数和收费标准向社会公开，在住人数和补贴金额不开放",
        update_cycle="monthly",
    ),
    _res(
        provider="mz",
        name="遗体火化信息",
        category="101004",
        level=4,
        share_type="conditional",
        share_condition="限用于户口注销、社保待遇停发和殡葬补助发放核验",
        items=[
            _i("火化证明编号", "C", 20, 2, key=True),
            _pid(key=False),
            _name(),
            _i("死亡原因", "C", 100, 4),
            _i("火化日期", "D", 8, 2),
            _i("殡仪馆名称", "C", 100, 1),
        ],
        summary="本市殡仪馆遗体火化登记信息，用于死亡信息交叉核验。",
        system="mz_jz",
        related=["死亡人口注销信息"],
    ),
    _res(
        provider="mz",
        name="行政区划和地名信息",
        category="103003",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("区划代码", "C", 12, 1, key=True),
            _i("区划名称", "C", 100, 1),
            _i("上级区划代码", "C", 12, 1),
            _i("地名类别", "C", 20, 1),
            _i("经度", "B", 16, 1),
            _i("纬度", "B", 16, 1),
        ],
        summary="本市县、乡镇（街道）、村（社区）三级行政区划代码和标准地名。",
        format_class="selfdesc",
        format_type="JSON",
        open_type="unconditional",
        update_cycle="yearly",
    ),
    # ------------------------------------------------------------------ 市人力资源和社会保障局
    _res(
        provider="rs",
        name="社会保险参保信息",
        category="203001",
        level=3,
        share_type="conditional",
        share_condition="限用于社会救助审核、企业用工核验和信用评价；按需申请信息项，使用期限不超过一年",
        items=[
            _pid(level=3),
            _name(),
            _uscc(key=False),
            _ent(name="单位名称"),
            _i("险种类型", "C", 3, 2),
            _i("参保状态", "C", 2, 2),
            _i("参保日期", "D", 8, 2),
            _i("缴费基数", "Y", 16, 3),
        ],
        summary="职工养老、失业、工伤保险参保人员及所在单位的参保、缴费状态信息，每日更新。",
        format_type="Oracle",
        system="rs_sb",
        related=["基本医疗保险参保信息", "企业法人登记信息", "就业登记信息"],
    ),
    _res(
        provider="rs",
        name="养老保险待遇发放信息",
        category="203001",
        level=4,
        share_type="conditional",
        share_condition="限用于社会救助家庭经济状况核对和重复领取待遇比对",
        items=[
            _pid(),
            _name(),
            _i("社会保障卡银行账号", "C", 32, 4),
            _i("月发放金额", "Y", 16, 3),
            _i("发放年月", "C", 6, 2),
        ],
        summary="企业和机关事业单位退休人员基本养老金按月发放信息。",
        format_type="Oracle",
        system="rs_sb",
        update_cycle="monthly",
        related=["死亡人口注销信息"],
    ),
    _res(
        provider="rs",
        name="就业登记信息",
        category="201003",
        level=3,
        share_type="conditional",
        share_condition="限用于就业补贴发放、社会救助就业状况核验和统计分析",
        items=[
            _pid(level=3),
            _name(),
            _uscc(key=False),
            _ent(name="单位名称"),
            _i("就业形式", "C", 2, 2),
            _i("就业登记日期", "D", 8, 2),
        ],
        summary="城镇劳动者就业登记和失业登记信息，包括就业单位和就业形式。",
        system="rs_jy",
        related=["社会保险参保信息"],
    ),
    _res(
        provider="rs",
        name="职业技能等级证书信息",
        category="105001",
        level=3,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("证书编号", "C", 30, 2, key=True),
            _name(),
            _pid(level=3, key=False),
            _i("职业名称", "C", 100, 1),
            _i("技能等级", "C", 2, 1),
            _i("发证日期", "D", 8, 1),
            _i("评价机构名称", "C", 200, 1),
        ],
        summary="本市职业技能等级认定机构颁发的证书信息，可用于人才补贴和落户审核核验。",
        system="rs_jy",
        update_cycle="weekly",
    ),
    _res(
        provider="rs",
        name="人力资源服务机构信息",
        category="201003",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(name="机构名称"),
            _i("许可证编号", "C", 30, 1),
            _i("服务范围", "M", 2000, 1),
            _i("机构地址", "C", 200, 1),
            _i("许可日期", "D", 8, 1),
            _i("年度服务人次", "I", 10, 2),
        ],
        summary="取得人力资源服务许可或备案的机构名单、服务范围和年度报告服务人次。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="monthly",
    ),
    _res(
        provider="rs",
        name="劳动保障监察案件信息",
        category="303001",
        level=2,
        share_type="conditional",
        share_condition="限用于企业信用评价、政府采购资格审查和欠薪联合惩戒",
        items=[
            _i("案件编号", "C", 30, 2, key=True),
            _uscc(key=False),
            _ent(),
            _i("案由", "C", 200, 2),
            _i("立案日期", "D", 8, 2),
            _i("处理结果", "M", 2000, 2),
        ],
        summary="劳动保障监察立案查处的用人单位违法案件，含拖欠工资等案由和处理结果。",
        update_cycle="weekly",
        related=["公共信用综合评价信息"],
    ),
    # ------------------------------------------------------------------ 市市场监督管理局
    _res(
        provider="sj",
        name="企业法人登记信息",
        category="102001",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(),
            _i("企业类型", "C", 50, 1),
            _i("注册资本", "Y", 16, 1),
            _i("成立日期", "D", 8, 1),
            _i("住所", "C", 200, 1),
            _i("经营范围", "M", 4000, 1),
            _i("登记状态", "C", 10, 1),
            _i("登记机关", "C", 100, 1),
            _i("核准日期", "D", 8, 2),
        ],
        summary="在本市登记的企业法人的设立、变更、注销信息，包括统一社会信用代码、名称、类型、注册资本和经营范围。",
        system="sj_dj",
        open_type="unconditional",
        update_cycle="realtime",
        related=["纳税人登记信息", "社会保险参保信息"],
    ),
    _res(
        provider="sj",
        name="个体工商户登记信息",
        category="102002",
        level=3,
        share_type="conditional",
        share_condition="限用于就业补贴、社会救助经营状况核验和税务登记协同",
        items=[
            _uscc(),
            _ent(name="个体工商户名称"),
            _name(name="经营者姓名"),
            _pid(level=3, key=False),
            _i("经营场所", "C", 200, 2),
            _i("组成形式", "C", 10, 2),
            _i("成立日期", "D", 8, 2),
        ],
        summary="个体工商户登记信息，包括经营者身份信息、经营场所和组成形式。",
        system="sj_dj",
        update_cycle="daily",
        related=["企业法人登记信息"],
    ),
    _res(
        provider="sj",
        name="食品经营许可信息",
        category="204001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("许可证编号", "C", 14, 1, key=True),
            _uscc(key=False),
            _ent(name="经营者名称"),
            _i("经营场所", "C", 200, 1),
            _i("经营项目", "M", 2000, 1),
            _i("有效期至", "D", 8, 1),
        ],
        summary="本市核发的食品经营许可证信息，包括经营者、经营场所、经营项目和有效期。",
        system="sj_jg",
        open_type="unconditional",
    ),
    _res(
        provider="sj",
        name="食品安全抽检信息",
        category="204002",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("抽检编号", "C", 30, 1, key=True),
            _i("样品名称", "C", 100, 1),
            _ent(name="被抽样单位名称"),
            _i("抽样日期", "D", 8, 1),
            _i("检验结论", "C", 10, 1),
            _i("不合格项目", "C", 200, 1),
        ],
        summary="食品安全监督抽检结果，包括样品名称、被抽样单位、检验结论和不合格项目。",
        system="sj_jg",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="monthly",
        related=["农产品质量安全检测信息"],
    ),
    _res(
        provider="sj",
        name="市场主体行政处罚信息",
        category="104002",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("处罚决定书文号", "C", 50, 1, key=True),
            _uscc(key=False),
            _ent(),
            _i("违法行为类型", "C", 200, 1),
            _i("处罚内容", "M", 2000, 1),
            _i("处罚决定日期", "D", 8, 1),
        ],
        summary="市场监管部门作出的行政处罚决定信息，依法向社会公示。",
        system="sj_jg",
        open_type="unconditional",
        related=["公共信用综合评价信息"],
    ),
    _res(
        provider="sj",
        name="经营异常名录信息",
        category="104001",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(),
            _i("列入原因", "C", 200, 2),
            _i("列入日期", "D", 8, 2),
            _i("移出原因", "C", 200, 2),
            _i("移出日期", "D", 8, 2),
        ],
        summary="被列入和移出经营异常名录的企业及原因，用于信用联合监管。",
        system="sj_jg",
        open_type="conditional",
        open_condition="经实名认证后通过信用信息公示平台逐户查询",
    ),
    _res(
        provider="sj",
        name="特种设备使用登记信息",
        category="304001",
        level=2,
        share_type="conditional",
        share_condition="限用于安全生产监管、应急处置和消防检查",
        items=[
            _i("设备注册代码", "C", 20, 2, key=True),
            _i("设备类别", "C", 20, 2),
            _uscc(key=False),
            _ent(name="使用单位名称"),
            _i("设备使用地点", "C", 200, 2),
            _i("下次检验日期", "D", 8, 2),
        ],
        summary="电梯、锅炉、压力容器等特种设备的使用登记和定期检验信息。",
        system="sj_jg",
        update_cycle="weekly",
    ),
    # ------------------------------------------------------------------ 市卫生健康委员会
    _res(
        provider="wj",
        name="医疗机构执业信息",
        category="202001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("医疗机构登记号", "C", 22, 1, key=True),
            _ent(name="医疗机构名称"),
            _uscc(key=False),
            _i("机构类别", "C", 20, 1),
            _i("机构地址", "C", 200, 1),
            _i("诊疗科目", "M", 2000, 1),
            _i("执业许可证有效期至", "D", 8, 1),
        ],
        summary="本市医疗机构执业登记信息，包括机构类别、地址、诊疗科目和许可证有效期。",
        system="wj_zc",
        open_type="unconditional",
        update_cycle="weekly",
        related=["医保定点医药机构信息"],
    ),
    _res(
        provider="wj",
        name="出生医学证明信息",
        category="101004",
        level=4,
        share_type="conditional",
        share_condition="限用于出生户口登记、新生儿参保和生育服务；须提供业务办理依据",
        items=[
            _i("出生医学证明编号", "C", 10, 2, key=True),
            _name(name="新生儿姓名"),
            _i("出生日期", "D", 8, 3),
            _pid(name="母亲公民身份号码", key=False),
            _name(name="母亲姓名"),
            _pid(name="父亲公民身份号码", key=False),
            _name(name="父亲姓名"),
            _i("接生机构名称", "C", 200, 1),
        ],
        summary="助产机构签发的出生医学证明信息，是办理出生户口登记的依据。",
        system="wj_jk",
        related=["出生人口登记信息"],
    ),
    _res(
        provider="wj",
        name="居民电子健康档案信息",
        category="202003",
        level=4,
        share_type="none",
        share_condition="依据《中华人民共和国基本医疗卫生与健康促进法》第九十二条及《中华人民共和国个人信息保护法》第二十八条，"
        "属敏感个人健康信息，不予共享",
        items=[
            _pid(),
            _name(),
            _i("既往病史", "M", 4000, 4),
            _i("过敏史", "M", 2000, 4),
            _i("建档日期", "D", 8, 3),
        ],
        summary="居民电子健康档案，含既往病史和过敏史等敏感健康信息，仅限医疗卫生机构诊疗使用。",
        system="wj_jk",
        share_method="database",
        update_cycle="realtime",
    ),
    _res(
        provider="wj",
        name="严重精神障碍患者管理信息",
        category="202003",
        level=4,
        share_type="none",
        share_condition="依据《中华人民共和国精神卫生法》第四条第三款，患者的姓名、住址、病历资料及其他可能推断其身份的信息"
        "应当予以保密，不予共享",
        items=[
            _pid(),
            _name(),
            _i("现住址", "C", 200, 4),
            _i("诊断名称", "C", 100, 4),
            _i("危险性评估等级", "C", 2, 4),
            _i("管理社区卫生服务机构", "C", 200, 3),
        ],
        summary="在册严重精神障碍患者的诊断、危险性评估和社区随访管理信息，依法保密。",
        system="wj_jk",
        share_method="database",
        update_cycle="monthly",
    ),
    _res(
        provider="wj",
        name="医师执业注册信息",
        category="105001",
        level=3,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("医师执业证书编码", "C", 27, 2, key=True),
            _name(),
            _i("执业类别", "C", 20, 1),
            _i("执业范围", "C", 100, 1),
            _i("主要执业机构", "C", 200, 1),
            _i("注册日期", "D", 8, 1),
        ],
        summary="在本市注册执业的医师信息，包括执业类别、执业范围和主要执业机构。",
        system="wj_zc",
        open_type="not_open",
        update_cycle="weekly",
    ),
    _res(
        provider="wj",
        name="法定传染病报告统计信息",
        category="202003",
        level=2,
        share_type="conditional",
        share_condition="限用于疫情防控、应急处置和教育、民政等部门的防控工作参考，不得对外发布",
        items=[
            _i("统计周次", "C", 7, 2, key=True),
            _i("行政区划代码", "C", 6, 1, key=True),
            _i("病种名称", "C", 50, 1),
            _i("发病数", "I", 10, 2),
            _i("死亡数", "I", 10, 2),
        ],
        summary="按周、按区县汇总的法定传染病发病数和死亡数。",
        system="wj_jk",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="weekly",
    ),
    # ------------------------------------------------------------------ 市自然资源局
    _res(
        provider="zr",
        name="不动产登记信息",
        category="103002",
        level=3,
        share_type="conditional",
        share_condition="限用于社会救助家庭财产核查、住房保障资格审核和司法协助；按户申请，结果不得留存挪用",
        items=[
            _i("不动产单元号", "C", 28, 2, key=True),
            _i("不动产权证书号", "C", 50, 2),
            _name(name="权利人姓名"),
            _pid(name="权利人证件号码", level=3, key=False),
            _i("坐落", "C", 200, 3),
            _i("面积", "B", 16, 2),
            _i("用途", "C", 20, 2),
            _i("权利类型", "C", 20, 2),
            _i("登记日期", "D", 8, 2),
        ],
        summary="土地、房屋等不动产的权利人、坐落、面积、用途和权利类型登记信息。",
        format_type="达梦DM8",
        system="zr_bdc",
        related=["商品房网签备案信息", "婚姻登记信息"],
    ),
    _res(
        provider="zr",
        name="国有建设用地使用权出让信息",
        category="103001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("电子监管号", "C", 30, 1, key=True),
            _i("宗地位置", "C", 200, 1),
            _i("土地用途", "C", 20, 1),
            _i("出让面积", "B", 16, 1),
            _i("成交价款", "Y", 16, 1),
            _ent(name="受让人名称"),
            _i("合同签订日期", "D", 8, 1),
        ],
        summary="国有建设用地使用权招拍挂和协议出让的成交结果信息。",
        system="zr_gt",
        open_type="unconditional",
        update_cycle="weekly",
    ),
    _res(
        provider="zr",
        name="基础地理信息数据",
        category="103003",
        level=2,
        share_type="conditional",
        share_condition="限用于政务管理和规划建设，不得用于商业目的；使用单位须落实测绘成果保管制度",
        items=[
            _i("图幅号", "C", 20, 2, key=True),
            _i("比例尺", "C", 10, 1),
            _i("坐标系", "C", 30, 1),
            _i("成果日期", "D", 8, 1),
            _i("成果文件地址", "C", 500, 2),
        ],
        summary="全市1:2000基础地形图和数字正射影像成果，采用2000国家大地坐标系。",
        format_class="image",
        format_type="GeoTIFF",
        share_method="file",
        system="zr_gt",
        update_cycle="yearly",
    ),
    _res(
        provider="zr",
        name="国土空间规划信息",
        category="103001",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("规划编号", "C", 30, 2, key=True),
            _i("规划名称", "C", 200, 1),
            _i("规划层级", "C", 20, 1),
            _i("批复文号", "C", 50, 1),
            _i("批复日期", "D", 8, 1),
            _i("规划范围矢量", "G", 4000, 2),
        ],
        summary="市、区两级国土空间总体规划和详细规划的批复成果及规划范围矢量数据。",
        format_class="image",
        format_type="SHP",
        share_method="file",
        system="zr_gt",
        open_type="conditional",
        open_condition="经审核的规划成果向社会公示，矢量数据不开放",
        update_cycle="irregular",
    ),
    # ------------------------------------------------------------------ 市教育局
    _res(
        provider="jy",
        name="中小学学籍信息",
        category="201001",
        level=3,
        share_type="conditional",
        share_condition="限用于义务教育入学资格审核、学生资助和随迁子女服务",
        items=[
            _i("全国学籍号", "C", 19, 3, key=True),
            _name(name="学生姓名"),
            _pid(level=3, key=False),
            _i("学校名称", "C", 200, 1),
            _i("年级", "C", 10, 2),
            _i("入学日期", "D", 8, 2),
            _i("学籍状态", "C", 2, 2),
        ],
        summary="本市中小学在校学生学籍信息，包括学校、年级、入学日期和学籍状态。",
        format_type="Oracle",
        system="jy_xj",
        related=["户籍迁移信息"],
    ),
    _res(
        provider="jy",
        name="学校基本信息",
        category="201001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("学校标识码", "C", 10, 1, key=True),
            _i("学校名称", "C", 200, 1),
            _uscc(key=False),
            _i("办学类型", "C", 20, 1),
            _i("学校地址", "C", 200, 1),
            _i("在校生数", "I", 10, 1),
        ],
        summary="全市中小学、幼儿园和中等职业学校的基本信息和在校生规模。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="semiannual",
    ),
    # ------------------------------------------------------------------ 市应急管理局
    _res(
        provider="yj",
        name="危险化学品经营许可信息",
        category="205001",
        level=2,
        share_type="conditional",
        share_condition="限用于安全生产监管、消防救援和危险货物运输协同监管",
        items=[
            _i("许可证编号", "C", 30, 1, key=True),
            _uscc(key=False),
            _ent(),
            _i("许可范围", "M", 2000, 1),
            _i("经营方式", "C", 20, 1),
            _i("储存场所地址", "C", 200, 2),
            _i("储存设施规模", "C", 100, 2),
            _i("有效期至", "D", 8, 1),
        ],
        summary="危险化学品经营许可证核发、延续和注销信息，含储存场所和储存设施规模。",
        system="yj_zf",
        open_type="conditional",
        open_condition="许可证编号、企业名称、许可范围和有效期向社会公示",
        update_cycle="weekly",
    ),
    _res(
        provider="yj",
        name="安全生产行政执法信息",
        category="205002",
        level=2,
        share_type="conditional",
        share_condition="限用于信用评价、行业监管和联合执法",
        items=[
            _i("执法文书编号", "C", 50, 2, key=True),
            _uscc(key=False),
            _ent(),
            _i("检查日期", "D", 8, 2),
            _i("发现隐患数", "I", 6, 2),
            _i("处理措施", "M", 2000, 2),
        ],
        summary="安全生产监督检查、隐患整改和行政处罚执法信息。",
        system="yj_zf",
        update_cycle="weekly",
        related=["公共信用综合评价信息"],
    ),
    _res(
        provider="yj",
        name="应急救援物资储备信息",
        category="212001",
        level=2,
        share_type="conditional",
        share_condition="限用于突发事件应急处置和应急预案编制",
        items=[
            _i("储备库编号", "C", 20, 2, key=True),
            _i("储备库名称", "C", 100, 2),
            _i("物资名称", "C", 100, 2),
            _i("储备数量", "N", 12, 2),
            _i("计量单位", "C", 10, 1),
            _i("储备地点", "C", 200, 2),
        ],
        summary="市级应急物资储备库的物资品种、数量和储备地点。",
        system="yj_wz",
        update_cycle="monthly",
    ),
    _res(
        provider="yj",
        name="安全生产举报信息",
        category="205002",
        level=3,
        share_type="none",
        share_condition="依据《中华人民共和国安全生产法》第七十四条及《安全生产领域举报奖励办法》第十六条，举报人信息应当保密，"
        "不予共享",
        items=[
            _i("举报编号", "C", 20, 2, key=True),
            _name(name="举报人姓名"),
            _phone(name="举报人联系电话"),
            _i("被举报单位名称", "C", 200, 2),
            _i("举报内容", "M", 4000, 3),
            _i("受理日期", "D", 8, 2),
        ],
        summary="安全生产非法违法行为举报受理信息，含举报人身份，依法保密。",
        system="yj_zf",
        share_method="database",
        update_cycle="realtime",
    ),
    # ------------------------------------------------------------------ 市税务局 (vertical)
    _res(
        provider="sw",
        name="纳税人登记信息",
        category="309001",
        level=2,
        share_type="conditional",
        share_condition="限用于市场主体信用监管、社会保险登记和统计名录维护",
        items=[
            _uscc(),
            _ent(name="纳税人名称"),
            _i("登记注册类型", "C", 3, 1),
            _i("主管税务机关", "C", 100, 1),
            _i("纳税人状态", "C", 2, 2),
            _i("税务登记日期", "D", 8, 2),
        ],
        summary="在本市办理税务登记的单位纳税人信息，包括登记类型、主管税务机关和纳税人状态。",
        format_type="Oracle",
        system="sw_zg",
        related=["企业法人登记信息"],
    ),
    _res(
        provider="sw",
        name="纳税信用A级纳税人名单",
        category="208001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[_uscc(), _ent(name="纳税人名称"), _i("评价年度", "C", 4, 1, key=True)],
        summary="年度纳税信用评价为A级的纳税人名单，依法向社会公开。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="yearly",
        system="sw_zg",
    ),
    _res(
        provider="sw",
        name="企业纳税申报信息",
        category="309001",
        level=4,
        share_type="none",
        share_condition="依据《中华人民共和国税收征收管理法》第八条第二款“税务机关应当依法为纳税人、扣缴义务人的情况保密”，"
        "不予共享",
        items=[
            _uscc(),
            _ent(),
            _i("税款所属期", "C", 6, 2, key=True),
            _i("营业收入", "Y", 16, 4),
            _i("应纳税额", "Y", 16, 4),
        ],
        summary="企业按期申报的营业收入和应纳税额，属纳税人涉税保密信息。",
        format_type="Oracle",
        share_method="database",
        update_cycle="monthly",
        system="sw_zg",
    ),
    _res(
        provider="sw",
        name="欠税公告信息",
        category="104001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(name="纳税人名称"),
            _i("欠缴税种", "C", 50, 1),
            _i("欠税余额", "Y", 16, 1),
            _i("公告日期", "D", 8, 1, key=True),
        ],
        summary="依法公告的欠缴税款纳税人名单、欠缴税种和欠税余额。",
        open_type="unconditional",
        update_cycle="quarterly",
        system="sw_zg",
    ),
    _res(
        provider="sw",
        name="个人所得税完税信息",
        category="309001",
        level=4,
        share_type="conditional",
        share_condition="须经纳税人本人授权，限用于人才认定、购房资格和社会救助收入核对",
        items=[
            _pid(),
            _name(),
            _ent(name="扣缴义务人名称"),
            _i("所属期", "C", 6, 2),
            _i("收入额", "Y", 16, 4),
            _i("已缴税额", "Y", 16, 4),
        ],
        summary="个人所得税扣缴申报的收入额和已缴税额，按月汇总。",
        format_type="Oracle",
        system="sw_zg",
        update_cycle="monthly",
    ),
    # ------------------------------------------------------------------ 市统计局
    _res(
        provider="tj",
        name="国民经济主要指标数据",
        category="310001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("指标代码", "C", 10, 1, key=True),
            _i("指标名称", "C", 100, 1),
            _i("统计期", "C", 6, 1, key=True),
            _i("本期值", "N", 18, 1),
            _i("同比增长", "F", 8, 1),
            _i("计量单位", "C", 10, 1),
        ],
        summary="地区生产总值、规模以上工业增加值、固定资产投资等主要经济指标月度、季度数据。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="monthly",
    ),
    _res(
        provider="tj",
        name="基本单位名录信息",
        category="310001",
        level=2,
        share_type="conditional",
        share_condition="限用于统计调查、经济普查和部门名录比对，不得用于统计以外的执法依据",
        items=[
            _uscc(),
            _ent(name="单位详细名称"),
            _i("行业代码", "C", 5, 1),
            _i("单位规模", "C", 2, 2),
            _i("从业人员数", "I", 8, 2),
            _i("运营状态", "C", 2, 2),
        ],
        summary="统计基本单位名录库中的法人单位和产业活动单位，含行业和规模信息。",
        system="tj_ml",
        update_cycle="quarterly",
        related=["企业法人登记信息"],
    ),
    _res(
        provider="tj",
        name="企业统计调查原始资料",
        category="310001",
        level=3,
        share_type="none",
        share_condition="依据《中华人民共和国统计法》第二十五条，能够识别或者推断单个统计调查对象身份的资料不得对外提供，"
        "不予共享",
        items=[
            _uscc(),
            _ent(),
            _i("报告期", "C", 6, 2, key=True),
            _i("营业收入", "Y", 16, 3),
            _i("从业人员期末人数", "I", 8, 3),
            _i("应付职工薪酬", "Y", 16, 3),
        ],
        summary="企业联网直报的统计调查原始数据，依法仅用于统计目的。",
        system="tj_ml",
        share_method="database",
        update_cycle="monthly",
    ),
    # ------------------------------------------------------------------ 市发展和改革委员会
    _res(
        provider="fg",
        name="政府投资项目审批信息",
        category="312001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("项目代码", "C", 24, 1, key=True),
            _i("项目名称", "C", 200, 1),
            _ent(name="项目单位名称"),
            _i("总投资", "Y", 16, 1),
            _i("审批事项", "C", 50, 1),
            _i("批复文号", "C", 50, 1),
            _i("批复日期", "D", 8, 1),
        ],
        summary="政府投资项目建议书、可行性研究报告和初步设计的审批结果。",
        system="fg_xm",
        open_type="unconditional",
        update_cycle="weekly",
    ),
    _res(
        provider="fg",
        name="重点项目建设进度信息",
        category="209001",
        level=2,
        share_type="conditional",
        share_condition="限用于项目调度、资金拨付和审计监督",
        items=[
            _i("项目代码", "C", 24, 2, key=True),
            _i("项目名称", "C", 200, 1),
            _i("年度计划投资", "Y", 16, 2),
            _i("累计完成投资", "Y", 16, 2),
            _i("形象进度", "M", 2000, 2),
            _i("填报月份", "C", 6, 2),
        ],
        summary="市级重点项目年度计划投资、累计完成投资和形象进度月报。",
        system="fg_xm",
        update_cycle="monthly",
        status="draft",
    ),
    _res(
        provider="fg",
        name="重要民生商品价格监测信息",
        category="206001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("监测日期", "D", 8, 1, key=True),
            _i("商品名称", "C", 50, 1, key=True),
            _i("规格等级", "C", 50, 1),
            _i("监测点", "C", 100, 1),
            _i("零售价格", "Y", 16, 1),
        ],
        summary="粮油、肉蛋、蔬菜等重要民生商品在本市主要监测点的零售价格。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="weekly",
    ),
    _res(
        provider="fg",
        name="公共信用综合评价信息",
        category="208001",
        level=2,
        share_type="conditional",
        share_condition="限用于行政审批、财政资金安排和评先评优中的信用审查",
        items=[
            _uscc(),
            _ent(),
            _i("评价等级", "C", 2, 2),
            _i("评价得分", "F", 6, 2),
            _i("评价日期", "D", 8, 2),
        ],
        summary="基于各部门归集的公共信用信息对市场主体作出的信用综合评价等级。",
        system="fg_xy",
        update_cycle="monthly",
        related=["市场主体行政处罚信息", "劳动保障监察案件信息", "安全生产行政执法信息"],
    ),
    # ------------------------------------------------------------------ 市财政局
    _res(
        provider="cz",
        name="财政预决算公开信息",
        category="313001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("公开年度", "C", 4, 1, key=True),
            _i("预算单位名称", "C", 200, 1, key=True),
            _i("公开类型", "C", 10, 1),
            _i("公开文件地址", "C", 500, 1),
            _i("公开日期", "D", 8, 1),
        ],
        summary="市级部门预算、决算和“三公”经费公开文件。",
        format_class="file",
        format_type="pdf",
        share_method="file",
        open_type="unconditional",
        update_cycle="yearly",
    ),
    _res(
        provider="cz",
        name="财政专项资金拨付信息",
        category="313001",
        level=2,
        share_type="conditional",
        share_condition="限用于项目绩效评价、审计监督和资金使用单位核对",
        items=[
            _i("指标文号", "C", 50, 2, key=True),
            _i("资金名称", "C", 200, 1),
            _ent(name="收款单位名称"),
            _i("拨付金额", "Y", 16, 2),
            _i("拨付日期", "D", 8, 2),
        ],
        summary="市级财政专项资金的指标下达和国库拨付记录。",
        system="cz_yt",
        update_cycle="monthly",
    ),
    _res(
        provider="cz",
        name="惠民惠农补贴发放信息",
        category="313001",
        level=3,
        share_type="conditional",
        share_condition="限用于补贴资格复核、社会救助家庭收入核对和审计监督",
        items=[
            _pid(level=3),
            _name(),
            _i("补贴项目", "C", 100, 1),
            _i("发放金额", "Y", 16, 3),
            _i("发放日期", "D", 8, 2),
        ],
        summary="通过“一卡通”发放的各类惠民惠农财政补贴资金明细。",
        system="cz_yt",
        update_cycle="monthly",
        related=["低保救助对象信息"],
    ),
    # ------------------------------------------------------------------ 市住房和城乡建设局
    _res(
        provider="zj",
        name="商品房预售许可信息",
        category="209003",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("预售许可证号", "C", 30, 1, key=True),
            _i("项目名称", "C", 200, 1),
            _ent(name="开发企业名称"),
            _i("预售面积", "B", 16, 1),
            _i("预售套数", "I", 8, 1),
            _i("发证日期", "D", 8, 1),
        ],
        summary="商品房预售许可证核发信息，包括项目、开发企业、预售面积和套数。",
        system="zj_fc",
        open_type="unconditional",
        update_cycle="weekly",
    ),
    _res(
        provider="zj",
        name="公共租赁住房保障对象信息",
        category="209002",
        level=3,
        share_type="conditional",
        share_condition="限用于住房保障资格复核、社会救助和户籍管理协同",
        items=[
            _pid(level=3),
            _name(),
            _phone(),
            _i("家庭人口数", "I", 4, 2),
            _i("配租房源地址", "C", 200, 3),
            _i("配租日期", "D", 8, 2),
        ],
        summary="公共租赁住房申请家庭的保障资格、配租房源和配租日期。",
        system="zj_bz",
        update_cycle="monthly",
        related=["低保救助对象信息", "不动产登记信息"],
    ),
    _res(
        provider="zj",
        name="商品房网签备案信息",
        category="209003",
        level=3,
        share_type="conditional",
        share_condition="限用于不动产登记、住房公积金提取和税收征管协同",
        items=[
            _i("合同备案号", "C", 30, 2, key=True),
            _name(name="买受人姓名"),
            _pid(name="买受人证件号码", level=3, key=False),
            _i("房屋坐落", "C", 200, 2),
            _i("建筑面积", "B", 16, 2),
            _i("合同金额", "Y", 16, 3),
            _i("备案日期", "D", 8, 2),
        ],
        summary="商品房买卖合同网签备案信息，包括买受人、房屋坐落、面积和合同金额。",
        system="zj_fc",
        related=["不动产登记信息"],
    ),
    # ------------------------------------------------------------------ 市交通运输局
    _res(
        provider="jt",
        name="道路运输经营许可信息",
        category="315001",
        level=2,
        share_type="conditional",
        share_condition="限用于运输市场监管、交通执法和信用评价",
        items=[
            _i("道路运输经营许可证号", "C", 20, 1, key=True),
            _uscc(key=False),
            _ent(name="业户名称"),
            _i("经营范围", "C", 200, 1),
            _i("营运车辆数", "I", 8, 2),
            _i("有效期至", "D", 8, 1),
        ],
        summary="道路旅客运输、货物运输经营业户的许可信息和营运车辆规模。",
        system="jt_yz",
        open_type="conditional",
        open_condition="许可证号、业户名称、经营范围和有效期向社会公示",
        update_cycle="weekly",
    ),
    _res(
        provider="jt",
        name="公交线路及站点信息",
        category="201002",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("线路编号", "C", 10, 1, key=True),
            _i("线路名称", "C", 50, 1),
            _i("站点序号", "I", 4, 1, key=True),
            _i("站点名称", "C", 50, 1),
            _i("经度", "B", 16, 1),
            _i("纬度", "B", 16, 1),
        ],
        summary="全市公交线路走向和站点位置信息。",
        format_class="selfdesc",
        format_type="JSON",
        open_type="unconditional",
        update_cycle="monthly",
    ),
    _res(
        provider="jt",
        name="出租汽车驾驶员从业资格信息",
        category="315001",
        level=3,
        share_type="conditional",
        share_condition="限用于驾驶人背景核查、服务质量考核和投诉处理",
        items=[
            _i("从业资格证号", "C", 20, 2, key=True),
            _name(),
            _pid(level=3, key=False),
            _i("服务单位", "C", 200, 1),
            _i("注册日期", "D", 8, 2),
        ],
        summary="巡游出租汽车和网约车驾驶员从业资格证核发和注册信息。",
        system="jt_yz",
        status="submitted",
        related=["机动车驾驶人信息"],
    ),
    # ------------------------------------------------------------------ 市生态环境局
    _res(
        provider="hb",
        name="环境空气质量监测信息",
        category="211001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("监测站点编码", "C", 10, 1, key=True),
            _i("监测时间", "T", 14, 1, key=True),
            _i("空气质量指数", "I", 4, 1),
            _i("首要污染物", "C", 20, 1),
            _i("PM2.5浓度", "F", 8, 1),
        ],
        summary="全市国控、省控空气自动监测站的小时空气质量指数和污染物浓度。",
        format_class="service",
        format_type="RESTful API",
        system="hb_jc",
        open_type="unconditional",
        update_cycle="realtime",
    ),
    _res(
        provider="hb",
        name="排污许可证信息",
        category="211002",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("许可证编号", "C", 30, 1, key=True),
            _uscc(key=False),
            _ent(name="排污单位名称"),
            _i("行业类别", "C", 50, 1),
            _i("主要污染物种类", "C", 200, 1),
            _i("许可排放量", "F", 12, 2),
            _i("有效期至", "D", 8, 1),
        ],
        summary="排污许可证核发信息，包括排污单位、行业类别、主要污染物种类和许可排放量。",
        open_type="conditional",
        open_condition="许可证正本信息在全国排污许可证管理信息平台公开",
        update_cycle="weekly",
    ),
    _res(
        provider="hb",
        name="重点排污单位在线监测信息",
        category="211002",
        level=2,
        share_type="conditional",
        share_condition="限用于环境执法、信用评价和重污染天气应急",
        items=[
            _uscc(key=False),
            _ent(name="排污单位名称"),
            _i("排放口编号", "C", 20, 2, key=True),
            _i("监测时间", "T", 14, 2),
            _i("污染物名称", "C", 50, 2),
            _i("排放浓度", "F", 10, 2),
            _i("是否超标", "L", 1, 2),
        ],
        summary="重点排污单位废水、废气排放口自动监测的小时浓度数据。",
        format_class="service",
        format_type="RESTful API",
        system="hb_jc",
        update_cycle="realtime",
    ),
    # ------------------------------------------------------------------ 市农业农村局
    _res(
        provider="ny",
        name="农村土地承包经营权信息",
        category="317001",
        level=3,
        share_type="conditional",
        share_condition="限用于社会救助家庭财产核查、农业补贴发放和征地补偿",
        items=[
            _i("承包合同编号", "C", 30, 2, key=True),
            _name(name="承包方代表姓名"),
            _pid(name="承包方代表证件号码", level=3, key=False),
            _i("承包地块数", "I", 4, 2),
            _i("承包面积", "B", 16, 2),
            _i("所在村组", "C", 100, 2),
        ],
        summary="农村承包地确权登记的承包方、地块和面积信息。",
        system="ny_cb",
        update_cycle="yearly",
    ),
    _res(
        provider="ny",
        name="农产品质量安全检测信息",
        category="204002",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("检测编号", "C", 30, 1, key=True),
            _i("样品名称", "C", 100, 1),
            _ent(name="受检单位名称"),
            _i("检测日期", "D", 8, 1),
            _i("检测结果", "C", 10, 1),
        ],
        summary="蔬菜、水果、畜禽产品等农产品例行监测和监督抽查结果。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="monthly",
        related=["食品安全抽检信息"],
    ),
    _res(
        provider="ny",
        name="家庭农场名录信息",
        category="317001",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _uscc(),
            _ent(name="家庭农场名称"),
            _i("经营类型", "C", 20, 1),
            _i("经营面积", "B", 16, 2),
            _i("所在乡镇", "C", 100, 1),
            _i("是否示范场", "L", 1, 1),
        ],
        summary="纳入名录管理的家庭农场，包括经营类型、经营面积和示范场认定情况。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="quarterly",
        status="draft",
    ),
    # ------------------------------------------------------------------ 市司法局
    _res(
        provider="sf",
        name="律师事务所执业许可信息",
        category="318001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("执业许可证号", "C", 17, 1, key=True),
            _uscc(key=False),
            _ent(name="律师事务所名称"),
            _i("组织形式", "C", 20, 1),
            _i("执业地址", "C", 200, 1),
            _i("执业律师人数", "I", 6, 1),
        ],
        summary="本市律师事务所执业许可信息，包括组织形式、地址和执业律师人数。",
        open_type="unconditional",
        update_cycle="monthly",
    ),
    _res(
        provider="sf",
        name="社区矫正对象信息",
        category="318002",
        level=3,
        share_type="none",
        share_condition="依据《中华人民共和国社区矫正法》第四条及第五十四条，社区矫正对象的身份信息和个人隐私应当依法保密，"
        "不予共享",
        items=[
            _pid(level=3),
            _name(),
            _i("矫正类别", "C", 10, 3),
            _i("矫正起始日期", "D", 8, 3),
            _i("矫正终止日期", "D", 8, 3),
            _i("执行地司法所", "C", 100, 2),
        ],
        summary="社区矫正对象的矫正类别、期限和执行地信息，依法保密。",
        system="sf_jz",
        share_method="database",
    ),
    # ------------------------------------------------------------------ 市医疗保障局
    _res(
        provider="yb",
        name="医保定点医药机构信息",
        category="202002",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("定点机构编码", "C", 12, 1, key=True),
            _ent(name="机构名称"),
            _uscc(key=False),
            _i("机构类型", "C", 20, 1),
            _i("机构地址", "C", 200, 1),
            _i("协议起始日期", "D", 8, 1),
        ],
        summary="本市医疗保障定点医疗机构和定点零售药店名单。",
        system="yb_pt",
        open_type="unconditional",
        update_cycle="weekly",
        related=["医疗机构执业信息"],
    ),
    _res(
        provider="yb",
        name="基本医疗保险参保信息",
        category="202002",
        level=4,
        share_type="conditional",
        share_condition="限用于社会救助、学生资助和医疗救助身份核验；按需申请信息项",
        items=[
            _pid(),
            _name(),
            _i("参保类型", "C", 2, 2),
            _i("参保状态", "C", 2, 2),
            _i("参保日期", "D", 8, 2),
            _ent(name="参保单位名称"),
            _i("个人账户余额", "Y", 16, 4),
        ],
        summary="职工和城乡居民基本医疗保险参保人员的参保类型和参保状态。",
        system="yb_pt",
        related=["社会保险参保信息"],
    ),
    _res(
        provider="yb",
        name="医疗费用结算信息",
        category="202002",
        level=4,
        share_type="conditional",
        share_condition="限用于医疗救助、大病保险和因病致贫返贫监测；须经参保人授权或法定程序",
        items=[
            _i("结算流水号", "C", 40, 2, key=True),
            _pid(key=False),
            _name(),
            _i("定点机构编码", "C", 12, 1),
            _i("诊断名称", "C", 200, 4),
            _i("医疗总费用", "Y", 16, 3),
            _i("统筹支付金额", "Y", 16, 3),
            _i("结算时间", "T", 14, 2),
        ],
        summary="参保人员在定点医药机构发生的医疗费用和医保基金结算明细。",
        system="yb_pt",
        update_cycle="daily",
        related=["基本医疗保险参保信息"],
    ),
    # ------------------------------------------------------------------ 市退役军人事务局
    _res(
        provider="ty",
        name="退役军人基本信息",
        category="320001",
        level=3,
        share_type="conditional",
        share_condition="限用于优待证办理、就业创业扶持和帮扶援助",
        items=[
            _pid(level=3),
            _name(),
            _phone(),
            _i("入伍日期", "D", 8, 2),
            _i("退役日期", "D", 8, 2),
            _i("安置方式", "C", 10, 2),
        ],
        summary="本市退役军人信息采集的基本情况，包括入伍、退役日期和安置方式。",
        system="ty_xx",
        update_cycle="monthly",
        related=["优抚对象抚恤补助信息"],
    ),
    _res(
        provider="ty",
        name="优抚对象抚恤补助信息",
        category="203003",
        level=3,
        share_type="conditional",
        share_condition="限用于社会救助收入核对和医疗优待",
        items=[
            _pid(level=3),
            _name(),
            _i("优抚对象类别", "C", 20, 2),
            _i("月补助金额", "Y", 16, 3),
            _i("发放年月", "C", 6, 2),
        ],
        summary="伤残军人、烈属等重点优抚对象的抚恤和定期生活补助发放信息。",
        system="ty_xx",
        update_cycle="monthly",
        related=["退役军人基本信息"],
    ),
    # ------------------------------------------------------------------ 瑶海区
    _res(
        provider="yh_mz",
        name="瑶海区特困人员救助供养信息",
        category="203002",
        level=3,
        share_type="conditional",
        share_condition="限用于医疗救助、临时救助衔接和供养服务机构管理",
        items=[
            _pid(level=3),
            _name(),
            _i("供养方式", "C", 10, 2),
            _i("基本生活标准", "Y", 16, 3),
            _i("所属街道", "C", 50, 2),
        ],
        summary="瑶海区特困人员认定和集中、分散供养信息。",
        system="yh_mz_jz",
        update_cycle="monthly",
        related=["低保救助对象信息"],
    ),
    _res(
        provider="yh_mz",
        name="瑶海区社区基本信息",
        category="210001",
        level=2,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("社区代码", "C", 12, 1, key=True),
            _i("社区名称", "C", 100, 1),
            _i("所属街道", "C", 50, 1),
            _i("户籍户数", "I", 8, 2),
            _i("常住人口数", "I", 8, 2),
            _i("社区服务中心地址", "C", 200, 1),
        ],
        summary="瑶海区各街道所辖社区的名称、户数、常住人口和社区服务中心地址。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="yearly",
    ),
    _res(
        provider="yh_rs",
        name="瑶海区就业困难人员认定信息",
        category="201003",
        level=3,
        share_type="conditional",
        share_condition="限用于公益性岗位安置、社保补贴发放和就业援助",
        items=[
            _pid(level=3),
            _name(),
            _phone(),
            _i("困难类别", "C", 20, 2),
            _i("认定日期", "D", 8, 2),
        ],
        summary="瑶海区认定的就业困难人员及其困难类别，用于就业援助。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="monthly",
        related=["就业登记信息"],
    ),
    _res(
        provider="yh_sj",
        name="瑶海区农贸市场经营户信息",
        category="204001",
        level=2,
        share_type="conditional",
        share_condition="限用于食品安全监管、市场管理和疫情防控排查",
        items=[
            _i("摊位编号", "C", 20, 2, key=True),
            _i("市场名称", "C", 100, 1),
            _ent(name="经营户名称"),
            _i("经营品类", "C", 50, 1),
            _i("入场日期", "D", 8, 2),
        ],
        summary="瑶海区农贸市场内经营户的摊位、经营品类和入场信息。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="monthly",
    ),
    _res(
        provider="yh_jy",
        name="瑶海区学前教育机构信息",
        category="201001",
        level=1,
        share_type="unconditional",
        share_condition=UNCONDITIONAL,
        items=[
            _i("机构编号", "C", 20, 1, key=True),
            _i("幼儿园名称", "C", 200, 1),
            _i("办园性质", "C", 10, 1),
            _i("学位数", "I", 6, 1),
            _i("园址", "C", 200, 1),
        ],
        summary="瑶海区公办、民办幼儿园的办园性质、学位数和园址。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        open_type="unconditional",
        update_cycle="semiannual",
        status="draft",
    ),
    # ------------------------------------------------------------------ 庐阳区
    _res(
        provider="ly_mz",
        name="庐阳区居家养老服务对象信息",
        category="203004",
        level=3,
        share_type="conditional",
        share_condition="限用于养老服务补贴发放和高龄津贴核对",
        items=[
            _pid(level=3),
            _name(),
            _phone(),
            _i("服务类型", "C", 20, 2),
            _i("补贴金额", "Y", 16, 3),
            _i("所属社区", "C", 100, 2),
        ],
        summary="庐阳区政府购买居家养老服务的对象、服务类型和补贴金额。",
        update_cycle="monthly",
        related=["养老机构信息"],
    ),
    _res(
        provider="ly_rs",
        name="庐阳区灵活就业人员登记信息",
        category="201003",
        level=3,
        share_type="conditional",
        share_condition="限用于灵活就业社保补贴发放和就业统计",
        items=[
            _pid(level=3),
            _name(),
            _i("就业形式", "C", 2, 2),
            _i("登记日期", "D", 8, 2),
            _i("所属街道", "C", 50, 2),
        ],
        summary="庐阳区登记的灵活就业人员信息，用于社保补贴发放。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="monthly",
        related=["就业登记信息"],
    ),
    _res(
        provider="ly_sj",
        name="庐阳区小微企业名录信息",
        category="102001",
        level=2,
        share_type="conditional",
        share_condition="限用于惠企政策兑现、统计分析和融资对接",
        items=[
            _uscc(),
            _ent(),
            _i("所属行业", "C", 50, 1),
            _i("从业人员数", "I", 8, 2),
            _i("享受扶持政策", "C", 200, 2),
        ],
        summary="庐阳区小微企业名录及其享受的扶持政策。",
        format_class="sheet",
        format_type="xlsx",
        share_method="file",
        update_cycle="quarterly",
        status="submitted",
    ),
    _res(
        provider="ly_jy",
        name="庐阳区义务教育招生入学信息",
        category="201001",
        level=3,
        share_type="conditional",
        share_condition="限用于入学资格核验（户籍、房产、社保）和学位统筹",
        items=[
            _i("报名编号", "C", 20, 2, key=True),
            _name(name="学生姓名"),
            _pid(level=3, key=False),
            _i("录取学校", "C", 200, 2),
            _i("入学类别", "C", 20, 2),
            _i("报名日期", "D", 8, 2),
        ],
        summary="庐阳区义务教育阶段新生报名和录取信息。",
        system="ly_jy_zs",
        update_cycle="yearly",
        related=["中小学学籍信息"],
    ),
]


GRANTS: list[dict[str, Any]] = [
    {"consumer": "rs", "resource": "人口基础信息", "items": ["公民身份号码", "姓名"], "months": 12},
    {
        "consumer": "mz",
        "resource": "人口基础信息",
        "items": ["公民身份号码", "姓名", "户籍地址"],
        "months": 12,
    },
    {
        "consumer": "sj",
        "resource": "社会保险参保信息",
        "items": ["统一社会信用代码", "单位名称", "险种类型", "参保状态"],
        "months": 12,
    },
    {
        "consumer": "mz",
        "resource": "不动产登记信息",
        "items": ["不动产单元号", "权利人姓名", "权利人证件号码", "坐落", "面积", "用途"],
        "months": 12,
    },
    {"consumer": "mz", "resource": "社会保险参保信息", "items": None, "months": 12},
    {
        "consumer": "mz",
        "resource": "个人所得税完税信息",
        "items": ["公民身份号码", "所属期", "收入额"],
        "months": 6,
    },
    {
        "consumer": "rs",
        "resource": "死亡人口注销信息",
        "items": ["公民身份号码", "姓名", "死亡日期"],
        "months": 24,
    },
    {"consumer": "rs", "resource": "纳税人登记信息", "items": None, "months": 12},
    {"consumer": "sj", "resource": "纳税人登记信息", "items": None, "months": 12},
    {"consumer": "sj", "resource": "安全生产行政执法信息", "items": None, "months": 12},
    {
        "consumer": "yh_mz",
        "resource": "不动产登记信息",
        "items": ["权利人证件号码", "坐落", "面积"],
        "months": 6,
    },
    {
        "consumer": "yh_mz",
        "resource": "就业登记信息",
        "items": ["公民身份号码", "单位名称", "就业登记日期"],
        "months": 12,
    },
    {
        "consumer": "ly_rs",
        "resource": "个体工商户登记信息",
        "items": ["统一社会信用代码", "个体工商户名称", "公民身份号码", "成立日期"],
        "months": 12,
    },
    {
        "consumer": "ly_rs",
        "resource": "死亡人口注销信息",
        "items": ["公民身份号码", "死亡日期"],
        "months": 12,
    },
]


# ---------------------------------------------------------------------------------------------
# Self-check: `python3 catalog/demo_content.py`


def _check() -> None:
    """Assert the invariants the loader relies on and print the distribution."""
    from collections import Counter

    district_keys = {d["key"] for d in DISTRICTS}
    assert len(district_keys) == len(DISTRICTS) == 2
    for d in DISTRICTS:
        assert len(d["region_code"]) == 6 and d["region_code"][:4] == CITY_REGION[:4], d

    depts = {d["key"]: d for d in DEPARTMENTS}
    assert len(depts) == len(DEPARTMENTS), "duplicate department key"
    assert len({d["name"] for d in DEPARTMENTS}) == len(DEPARTMENTS), "duplicate department name"
    seqs = [d["org_seq"] for d in DEPARTMENTS]
    assert len(set(seqs)) == len(seqs) and all(1 <= s <= 999 for s in seqs), "org_seq"
    city = [d for d in DEPARTMENTS if d["district"] is None]
    assert 18 <= len(city) <= 22, len(city)
    required = {
        "ga": "市公安局",
        "mz": "市民政局",
        "rs": "市人力资源和社会保障局",
        "sj": "市市场监督管理局",
        "wj": "市卫生健康委员会",
        "zr": "市自然资源局",
        "jy": "市教育局",
        "yj": "市应急管理局",
        "sw": "市税务局",
        "tj": "市统计局",
        "sjj": "市政务服务数据管理局",
    }
    for key, name in required.items():
        assert depts[key]["name"] == name and depts[key]["district"] is None, key
    assert [d["key"] for d in DEPARTMENTS if d["vertical"]] == ["sw"]
    for d in DEPARTMENTS:
        assert 1 <= d["clearance"] <= 4, d["key"]
        assert len(d["name"]) <= 50 and d["short_name"] and d["name_en"], d["key"]
        if d["district"] is None:
            assert d["parent"] is None, d["key"]
        else:
            assert d["district"] in district_keys, d["key"]
            assert d["key"].startswith(d["district"] + "_"), d["key"]
            assert d["parent"] in depts and depts[d["parent"]]["district"] is None, d["key"]
            assert d["clearance"] <= 3, d["key"]
            assert d["clearance"] <= depts[d["parent"]]["clearance"], d["key"]
    for district in district_keys:
        n = sum(1 for d in DEPARTMENTS if d["district"] == district)
        assert 3 <= n <= 4, (district, n)
    assert sum(1 for d in city if d["clearance"] >= 3) >= len(city) - 1

    # Category tree: national 项 + one 类-3 项 per city department, in DEPARTMENTS order.
    items_3 = {f"3{i:02d}": d["key"] for i, d in enumerate(city, start=1)}
    parents = set(NATIONAL_ITEMS) | set(items_3)
    categories = {c["code"]: c for c in CATEGORIES}
    assert len(categories) == len(CATEGORIES), "duplicate category code"
    for c in CATEGORIES:
        assert len(c["code"]) == 6 and c["code"].isdigit(), c
        assert c["parent"] in parents and c["code"][:3] == c["parent"], c
        assert c["name"] and len(c["name"]) <= 50, c
    siblings = Counter((c["parent"], c["name"]) for c in CATEGORIES)
    assert max(siblings.values()) == 1, "duplicate category name under one parent"

    systems = {s["key"]: s for s in SYSTEMS}
    assert len(systems) == len(SYSTEMS), "duplicate system key"
    assert len({s["registration_code"] for s in SYSTEMS}) == len(SYSTEMS), (
        "duplicate registration code"
    )
    for s in SYSTEMS:
        assert s["department"] in depts and s["status"] in {"active", "retired"}, s["key"]
        assert s["name"] and s["purpose"] and len(s["name"]) <= 50, s["key"]
    assert 2 <= sum(1 for s in SYSTEMS if s["status"] == "retired") <= 3
    per_dept_systems = Counter(s["department"] for s in SYSTEMS)
    assert max(per_dept_systems.values()) <= 3

    # Resources.
    names = [r["name"] for r in RESOURCES]
    assert len(set(names)) == len(names), [n for n, k in Counter(names).items() if k > 1]
    by_name = {r["name"]: r for r in RESOURCES}
    enums = {
        "format_class": {
            "file",
            "sheet",
            "database",
            "image",
            "media",
            "selfdesc",
            "service",
            "other",
        },
        "share_type": {"unconditional", "conditional", "none"},
        "share_method": {"api", "file", "database", "email", "media"},
        "open_type": {"unconditional", "conditional", "not_open"},
        "update_cycle": {
            "realtime",
            "daily",
            "weekly",
            "dekad",
            "monthly",
            "quarterly",
            "semiannual",
            "yearly",
            "irregular",
        },
        "status": {"published", "draft", "submitted"},
    }
    data_types = set("CNYDTLMGBIF")
    kinds = {"none", "id_number", "mobile", "name", "uscc"}
    canonical: dict[str, Any] = {}  # item name -> (data_type, length, kind) for the shared items
    shared_items = {"公民身份号码", "统一社会信用代码", "姓名", "联系电话", "企业名称"}
    for r in RESOURCES:
        n = r["name"]
        assert 0 < len(n) <= 50, n
        assert r["provider"] in depts, n
        assert r["category"] in categories, n
        assert 0 < len(r["summary"]) <= 256, n
        assert r["format_type"], n
        for field, allowed in enums.items():
            assert r[field] in allowed, (n, field, r[field])
        assert 1 <= r["level"] <= 4, n
        assert r["level"] <= depts[r["provider"]]["clearance"], (n, "above provider clearance")
        cond = r["share_condition"].strip()
        if r["share_type"] == "unconditional":
            assert cond == "无条件", n
        else:
            assert cond and cond != "无条件", n
        if r["share_type"] == "none":
            assert "《" in cond and "第" in cond and "条" in cond, (
                n,
                "legal basis must cite an article",
            )
            assert r["open_type"] == "not_open", n
        if r["open_type"] == "conditional":
            assert r["open_condition"], n
        else:
            assert r["open_condition"] == "", n
        if r["open_type"] != "not_open":
            assert r["level"] <= 2, (n, "only L1/L2 can be opened")
        if r["system"] is not None:
            s = systems[r["system"]]
            assert s["department"] == r["provider"], (n, "system of another department")
            assert s["status"] == "active", (n, "retired system")
        for rel in r["related"]:
            assert rel in by_name and rel != n, (n, rel)
        items = r["items"]
        assert 3 <= len(items) <= 12, (n, len(items))
        item_names = [i[0] for i in items]
        assert len(set(item_names)) == len(item_names), (n, "duplicate item")
        assert any(i[5] for i in items), (n, "no key item")
        for name, data_type, length, level, kind, is_key in items:
            assert 0 < len(name) <= 50, (n, name)
            assert data_type in data_types and kind in kinds, (n, name)
            assert isinstance(length, int) and length > 0, (n, name)
            assert 1 <= level <= r["level"], (n, name, "item level above resource level")
            assert isinstance(is_key, bool), (n, name)
            if kind in {"id_number", "mobile", "name"}:
                assert level >= 3, (n, name, "personal item below L3")
            if kind == "id_number" or kind == "uscc":
                assert (data_type, length) == ("C", 18), (n, name)
            if kind == "mobile":
                assert (data_type, length) == ("C", 11), (n, name)
            if data_type == "D":
                assert length == 8, (n, name)
            if data_type == "T":
                assert length == 14, (n, name)
            if name in shared_items:
                sig = (data_type, length, kind)
                assert canonical.setdefault(name, sig) == sig, (n, name, "inconsistent shared item")

    def must(name, provider, level=None, share_type=None):
        r = by_name[name]
        assert r["provider"] == provider and r["status"] == "published", name
        assert level is None or r["level"] == level, name
        assert share_type is None or r["share_type"] == share_type, name

    must("人口基础信息", "ga", 4, "conditional")
    must("企业法人登记信息", "sj", 2, "unconditional")
    must("社会保险参保信息", "rs", 3, "conditional")
    must("不动产登记信息", "zr", 3, "conditional")
    must("户籍迁移信息", "ga")
    must("婚姻登记信息", "mz")
    must("低保救助对象信息", "mz")
    must("医疗机构执业信息", "wj", share_type="unconditional")

    # Shared items appear in several resources (duplicate-collection detection has material).
    for item in shared_items:
        owners = {r["provider"] for r in RESOURCES if item in {i[0] for i in r["items"]}}
        assert len(owners) >= 3, (item, owners)

    # Counts and spread.
    total = len(RESOURCES)
    status = Counter(r["status"] for r in RESOURCES)
    assert 80 <= total <= 90, total
    assert 3 <= status["draft"] <= 4 and status["submitted"] == 2, status
    per_provider = Counter(r["provider"] for r in RESOURCES)
    for d in DEPARTMENTS:
        k = per_provider[d["key"]]
        if d["key"] == "sjj":
            continue
        if d["district"] is None:
            assert k >= 2, (d["key"], k)
        else:
            assert 1 <= k <= 2, (d["key"], k)
    levels = Counter(r["level"] for r in RESOURCES)
    shares = Counter(r["share_type"] for r in RESOURCES)
    for level, target in {1: 0.25, 2: 0.30, 3: 0.25, 4: 0.20}.items():
        assert abs(levels[level] / total - target) <= 0.06, (level, levels[level])
    for share, target in {"unconditional": 0.35, "conditional": 0.55, "none": 0.10}.items():
        assert abs(shares[share] / total - target) <= 0.06, (share, shares[share])

    # Grants.
    assert 10 <= len(GRANTS) <= 15
    seen = set()
    for g in GRANTS:
        r = by_name[g["resource"]]
        consumer = depts[g["consumer"]]
        assert g["consumer"] in {"mz", "rs", "sj", "yh_mz", "ly_rs"}, g
        assert g["consumer"] != r["provider"], g
        assert r["share_type"] == "conditional" and r["status"] == "published", g
        assert isinstance(g["months"], int) and 1 <= g["months"] <= 36, g
        assert (g["consumer"], g["resource"]) not in seen, g
        seen.add((g["consumer"], g["resource"]))
        granted = (
            r["items"] if g["items"] is None else [i for i in r["items"] if i[0] in g["items"]]
        )
        if g["items"] is not None:
            assert len(granted) == len(g["items"]) == len(set(g["items"])), g
        assert max(i[3] for i in granted) <= consumer["clearance"], (
            g,
            "item above consumer clearance",
        )
    assert {"公民身份号码", "姓名"} == set(
        next(
            g["items"] for g in GRANTS if g["consumer"] == "rs" and g["resource"] == "人口基础信息"
        )
    )
    sj_si = next(g for g in GRANTS if g["consumer"] == "sj" and g["resource"] == "社会保险参保信息")
    assert sj_si["items"] and len(sj_si["items"]) < len(by_name["社会保险参保信息"]["items"])
    assert any(g["consumer"] == "mz" and g["resource"] == "不动产登记信息" for g in GRANTS)

    n_items = sum(len(r["items"]) for r in RESOURCES)
    print(
        f"departments {len(DEPARTMENTS)} (city {len(city)}), categories {len(CATEGORIES)}, "
        f"systems {len(SYSTEMS)}, resources {total}, items {n_items}, grants {len(GRANTS)}"
    )
    print("status:", dict(sorted(status.items())))
    print("level:", {f"L{k}": f"{v} ({v / total:.0%})" for k, v in sorted(levels.items())})
    print("share:", {k: f"{v} ({v / total:.0%})" for k, v in shares.most_common()})
    print("providers:", dict(per_provider.most_common()))
    print("OK")


if __name__ == "__main__":
    _check()
