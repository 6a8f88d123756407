"""The evaluation's rules in one place: update cycles, legal-basis markers, name synonyms.

Every figure on a scorecard is defined on the page from these values, so the page, the XLSX
report and the tests read the same definitions.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from catalog.models import UpdateCycle

from .periods import add_months

# 更新周期 -> (days, months) the data may age before it is late. Real-time data is judged on
# a day; irregular (不定期) resources have no cycle and are left out of the freshness figures.
CYCLE_LENGTHS: dict[str, tuple[int, int]] = {
    UpdateCycle.REALTIME: (1, 0),
    UpdateCycle.DAILY: (1, 0),
    UpdateCycle.WEEKLY: (7, 0),
    UpdateCycle.DEKAD: (10, 0),
    UpdateCycle.MONTHLY: (0, 1),
    UpdateCycle.QUARTERLY: (0, 3),
    UpdateCycle.SEMIANNUAL: (0, 6),
    UpdateCycle.YEARLY: (0, 12),
}


def cycle_threshold(cycle: str, as_of: datetime) -> datetime:
    """Return the oldest update time that is still on cycle at ``as_of``."""
    days, months = CYCLE_LENGTHS[cycle]
    if months:
        local = timezone.localtime(as_of)
        moved = add_months(local.date(), -months)
        return local.replace(year=moved.year, month=moved.month, day=moved.day)
    return as_of - timedelta(days=days)


# A refusal must state its legal basis (政务数据共享条例). A reason is taken to cite one when it
# names a law, regulation or rule, a document title in 《》 or an article (第…条). A bare 法 counts
# except in everyday words that contain it (无法 "unable", 方法, 办法 alone, 法人, 合法, 违法...),
# so "暂时无法提供" is not mistaken for a citation. This is a keyword check: it flags refusals
# for a person to read, it cannot judge whether the basis cited is valid.
LEGAL_BASIS_MARKERS = (
    "《…》",
    "法",
    "法律",
    "法规",
    "条例",
    "规定",
    "规章",
    "细则",
    "管理办法",
    "实施办法",
    "第…条",
)
_LEGAL_BASIS_RE = re.compile(
    r"《[^》]+》|法律|法规|条例|规定|规章|细则|管理办法|实施办法"
    r"|第[一二三四五六七八九十百零〇0-9]+条"
    r"|(?<![无设办方想看做说合违非没])法(?![人子])"
)


def cites_legal_basis(reason: str) -> bool:
    """Return whether a refusal's reason cites a legal instrument."""
    return bool(_LEGAL_BASIS_RE.search(reason))


# Names of one data item that departments spell differently (数据打架). Each key is a
# normalised synonym, each value the canonical normalised name.
NAME_SYNONYMS: dict[str, str] = {
    "身份证号码": "身份证号",
    "公民身份号码": "身份证号",
    "居民身份证号码": "身份证号",
    "身份证件号码": "身份证号",
    "证件号码": "身份证号",
    "手机号码": "手机号",
    "联系电话": "手机号",
    "移动电话": "手机号",
    "统一社会信用代码证号": "统一社会信用代码",
    "社会信用代码": "统一社会信用代码",
    "企业名称": "单位名称",
    "法人名称": "单位名称",
    "法定代表人姓名": "法定代表人",
    "出生年月日": "出生日期",
    "性别代码": "性别",
    "住址": "地址",
    "住所": "地址",
    "家庭住址": "地址",
}

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_item_name(name: str) -> str:
    """Return the comparable form of a data item name: no spaces or punctuation, synonyms merged."""
    text = unicodedata.normalize("NFKC", name).lower()
    text = _NOT_WORD.sub("", text)
    return NAME_SYNONYMS.get(text, text)


# Score components and their default weights; PORTAL_SCORE_WEIGHTS overrides any of them.
DEFAULT_WEIGHTS: dict[str, float] = {
    "catalog": 20,
    "freshness": 25,
    "timeliness": 25,
    "corrections": 10,
    "use": 10,
    "reuse": 10,
    "consistency": 10,
}


def score_weights() -> dict[str, float]:
    """Return the weight of each score component."""
    weights = dict(DEFAULT_WEIGHTS)
    weights.update(getattr(settings, "PORTAL_SCORE_WEIGHTS", {}) or {})
    return {key: float(weights[key]) for key in DEFAULT_WEIGHTS}


def zombie_months() -> int:
    """Return the months without data updates after which a system counts as a zombie."""
    return int(getattr(settings, "PORTAL_ZOMBIE_MONTHS", 6))
