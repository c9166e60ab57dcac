"""The two-level incident categories and the station that usually takes each one.

`suggested_department_code` is the one rule for "who takes this case": the new-incident
form shows its answer as 建议承办 and the triage page presets the dispatch choice with
it, so the two can never disagree. A subcategory with its own station wins over its
category's (劳资纠纷 goes to the labour station, other 矛盾纠纷 to the justice office)."""

from __future__ import annotations

CATEGORIES: dict[str, tuple[str, ...]] = {
    "矛盾纠纷": ("劳资纠纷", "邻里纠纷", "婚姻家庭纠纷", "土地山林纠纷", "物业纠纷", "合同纠纷"),
    "治安隐患": ("可疑人员", "寻衅滋事", "赌博", "盗窃"),
    "安全生产": ("企业安全隐患", "建筑施工安全", "危化品"),
    "消防安全": ("消防通道堵塞", "电动车违规充电", "火灾隐患"),
    "环境卫生": ("垃圾乱堆放", "污水排放", "噪声扰民", "违章搭建"),
    "食品药品": ("无证经营", "过期食品", "药品违规销售"),
    "信访问题": ("征地拆迁", "村务公开", "社会保障"),
    "群体性事件苗头": ("欠薪聚集", "集体上访苗头", "网络舆情"),
}

SUGGESTED_DEPARTMENT = {
    "矛盾纠纷": "ST-SFS",
    "治安隐患": "ST-PCS",
    "安全生产": "ST-AJZ",
    "消防安全": "ST-XFZ",
    "环境卫生": "ST-ZFZD",
    "食品药品": "ST-SCS",
    "信访问题": "PT-ZZ",
    "群体性事件苗头": "PT-ZZ",
}


SUGGESTED_BY_SUBCATEGORY = {
    "劳资纠纷": "ST-LBS",
    "社会保障": "ST-LBS",
}


def suggested_department_code(category: str, subcategory: str = "") -> str | None:
    """The department code that usually takes a case of this (sub)category; None when
    nothing is chosen yet or no station is usual."""
    return SUGGESTED_BY_SUBCATEGORY.get(subcategory) or SUGGESTED_DEPARTMENT.get(category)
