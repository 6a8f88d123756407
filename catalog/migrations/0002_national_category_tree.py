"""Seed the national category tree: 类 1 基础 / 2 主题 / 3 部门 and the 项 of 基础 and 主题.

Source: 政务信息资源目录编制指南（试行）(2017). 部门 项 are added per department.
"""

from django.db import migrations

TREE = [
    ("1", "基础信息资源", "Base information resources", [
        ("01", "人口", "Population"),
        ("02", "法人单位", "Legal entities"),
        ("03", "自然资源和空间地理", "Natural resources and spatial geography"),
        ("04", "社会信用", "Social credit"),
        ("05", "电子证照", "Electronic licences and certificates"),
    ]),
    ("2", "主题信息资源", "Theme information resources", [
        ("01", "公共服务", "Public services"),
        ("02", "健康保障", "Health security"),
        ("03", "社会保障", "Social security"),
        ("04", "食品药品安全", "Food and drug safety"),
        ("05", "安全生产", "Work safety"),
        ("06", "价格监管", "Price supervision"),
        ("07", "能源安全", "Energy security"),
        ("08", "信用体系", "Credit system"),
        ("09", "城乡建设", "Urban and rural construction"),
        ("10", "社区治理", "Community governance"),
        ("11", "生态环保", "Ecology and environmental protection"),
        ("12", "应急维稳", "Emergency response and stability"),
    ]),
    ("3", "部门信息资源", "Department information resources", []),
]


def seed(apps, schema_editor):
    Category = apps.get_model("catalog", "Category")
    for code, name, name_en, items in TREE:
        root, _ = Category.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "depth": 1}
        )
        for suffix, item_name, item_en in items:
            Category.objects.get_or_create(
                code=code + suffix,
                defaults={"name": item_name, "name_en": item_en, "depth": 2, "parent": root},
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
