"""Demo rows for a few published demo resources, so previews, downloads and the API have data.

The rows are generated, not real: citizen ID numbers and USCCs carry valid check digits (they
pass the same validators as any upload), names are common Chinese names, and every person and
enterprise lives in 瑶海区 (340102) or 庐阳区 (340103). A fixed seed makes every load identical,
and a resource that already holds data is left alone, so loading twice changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from stdnum.cn import ric, uscc

from accounts.identifiers import organization_code
from catalog.models import Resource
from datasets.models import DatasetVersion
from datasets.services import dataset_push

REGIONS = {"340102": "瑶海区", "340103": "庐阳区"}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩然子涵欣怡梓轩雨婷佳琪思远晨阳"
STREETS = [
    "长江东路",
    "胜利路",
    "铜陵路",
    "濉溪路",
    "阜阳路",
    "蒙城路",
    "寿春路",
    "宿州路",
    "六安路",
    "安庆路",
]
TRADES = [
    "科技",
    "商贸",
    "建筑工程",
    "食品",
    "物流",
    "医药",
    "文化传媒",
    "电子",
    "餐饮管理",
    "物业服务",
]
PEOPLE = 200
ENTERPRISES = 100
PROPERTIES = 80


def citizen_id(region: str, birth: date, serial: int, male: bool) -> str:
    """Return a GB 11643 citizen ID number with a valid check digit."""
    sequence = serial % 500 * 2 + (1 if male else 0)  # the 17th digit is odd for men
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def enterprise_uscc(region: str, serial: int) -> str:
    """Return a GB 32100 USCC of an enterprise (工商 91) with valid check digits."""
    first17 = "91" + region + organization_code(f"{70000000 + serial:08d}")
    return first17 + uscc.calc_check_digit(first17)


def _people(rng: random.Random) -> list[dict[str, Any]]:
    people = []
    for serial in range(PEOPLE):
        region = "340102" if serial % 2 == 0 else "340103"
        male = rng.random() < 0.5
        # The district codes exist since 1983; an ID number cannot name a place before it did.
        birth = date(1983, 1, 1) + timedelta(days=rng.randrange(0, 365 * 25))
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        street = rng.choice(STREETS)
        people.append(
            {
                "id": citizen_id(region, birth, serial, male),
                "name": name,
                "male": male,
                "birth": birth,
                "address": f"安徽省A市{REGIONS[region]}{street}{rng.randrange(1, 400)}号",
                "region": region,
            }
        )
    return people


def _enterprises(rng: random.Random, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    result = []
    for serial in range(ENTERPRISES):
        region = "340102" if serial % 2 == 0 else "340103"
        trade = TRADES[serial % len(TRADES)]
        founded = date(2000, 1, 1) + timedelta(days=rng.randrange(0, 365 * 24))
        result.append(
            {
                "uscc": enterprise_uscc(region, serial),
                "name": f"A市{rng.choice('新华安康恒泰宏远长青瑞丰金诚')}{serial:03d}{trade}有限公司",
                "region": region,
                "trade": trade,
                "founded": founded,
                "address": f"安徽省A市{REGIONS[region]}{rng.choice(STREETS)}{rng.randrange(1, 400)}号",
                "capital": f"{rng.randrange(10, 5000) * 10000}.00",
                "legal_person": people[serial]["name"],
            }
        )
    return result


def _population_rows(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "公民身份号码": p["id"],
            "姓名": p["name"],
            "性别": "男" if p["male"] else "女",
            "民族": "汉族",
            "出生日期": p["birth"].isoformat(),
            "户籍地址": p["address"],
            "户籍登记日期": p["birth"].isoformat(),
        }
        for p in people
    ]


def _enterprise_rows(enterprises: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "统一社会信用代码": e["uscc"],
            "企业名称": e["name"],
            "企业类型": "有限责任公司（自然人投资或控股）",
            "注册资本": e["capital"],
            "成立日期": e["founded"].isoformat(),
            "住所": e["address"],
            "经营范围": f"{e['trade']}相关业务（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
            "登记状态": "存续",
            "登记机关": f"A市{REGIONS[e['region']]}市场监督管理局",
            "核准日期": (e["founded"] + timedelta(days=400)).isoformat(),
        }
        for e in enterprises
    ]


def _insurance_rows(
    rng: random.Random, people: list[dict[str, Any]], enterprises: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    rows = []
    for p in people[:150]:
        employer = rng.choice(enterprises)
        rows.append(
            {
                "公民身份号码": p["id"],
                "姓名": p["name"],
                "统一社会信用代码": employer["uscc"],
                "单位名称": employer["name"],
                "险种类型": rng.choice(["110", "210", "410"]),
                "参保状态": rng.choice(["01", "01", "01", "02"]),
                "参保日期": (
                    employer["founded"] + timedelta(days=rng.randrange(30, 900))
                ).isoformat(),
                "缴费基数": f"{rng.randrange(4000, 30000)}.00",
            }
        )
    return rows


def _property_rows(rng: random.Random, people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for serial, p in enumerate(people[:PROPERTIES]):
        unit = (
            f"{p['region']}{serial // 20 + 1:03d}{serial % 20 + 1:03d}GB{serial + 1:05d}F00010001"
        )
        rows.append(
            {
                "不动产单元号": unit,
                "不动产权证书号": f"皖（2024）A市不动产权第{1000000 + serial:07d}号",
                "权利人姓名": p["name"],
                "权利人证件号码": p["id"],
                "坐落": p["address"] + f"{rng.randrange(1, 30)}栋{rng.randrange(101, 3303)}室",
                "面积": f"{rng.randrange(4000, 18000) / 100:.2f}",
                "用途": rng.choice(["住宅", "住宅", "商业"]),
                "权利类型": "国有建设用地使用权/房屋所有权",
                "登记日期": (date(2010, 1, 1) + timedelta(days=rng.randrange(0, 5000))).isoformat(),
            }
        )
    return rows


def demo_datasets_load() -> dict[str, int]:
    """Push the demo rows into the demo resources that have no data yet; return rows per name."""
    rng = random.Random(20261126)  # noqa: S311 - demo data, not security
    people = _people(rng)
    enterprises = _enterprises(rng, people)
    batches = {
        "人口基础信息": _population_rows(people),
        "企业法人登记信息": _enterprise_rows(enterprises),
        "社会保险参保信息": _insurance_rows(rng, people, enterprises),
        "不动产登记信息": _property_rows(rng, people),
    }
    loaded: dict[str, int] = {}
    for name, rows in batches.items():
        resource = (
            Resource.objects.filter(name=name, status=Resource.Status.PUBLISHED)
            .order_by("id")
            .first()
        )
        if resource is None or DatasetVersion.objects.filter(resource=resource).exists():
            continue
        result = dataset_push(
            actor=None, resource=resource, rows=rows, mode="replace", batch_id="demo-1"
        )
        loaded[name] = result["rows"]
    return loaded
