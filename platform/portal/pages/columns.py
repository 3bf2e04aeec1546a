"""The column (栏目) types and the default columns every department gets.

The four functions of 《政府网站发展指引》 (信息发布、解读回应、办事服务、互动交流) map onto these
columns. A column's type decides its update rule, which the inspection applies.
"""

from dataclasses import dataclass

from django.db import models


class ColumnType(models.TextChoices):
    ABOUT = "about", "机构概况"
    NEWS = "news", "动态要闻"
    NOTICE = "notice", "通知公告"
    POLICY = "policy", "政策文件"
    INTERPRETATION = "interpretation", "政策解读"
    DISCLOSURE = "disclosure", "信息公开"
    SERVICE = "service", "办事服务"
    INTERACTION = "interaction", "互动交流"


# Longest allowed gap between two items, in days, per 《政府网站与政务新媒体检查指标》:
# news columns two weeks, notice and policy columns six months; others have no rule.
UPDATE_RULE_DAYS = {
    ColumnType.NEWS: 14,
    ColumnType.NOTICE: 180,
    ColumnType.POLICY: 180,
    ColumnType.INTERPRETATION: 180,
}


@dataclass(frozen=True)
class ColumnSpec:
    slug: str
    title: str
    column_type: str
    description: str


DEPARTMENT_COLUMNS = [
    ColumnSpec("about", "机构概况", ColumnType.ABOUT, "单位职能、领导分工、内设机构和联系方式"),
    ColumnSpec("news", "部门动态", ColumnType.NEWS, "本单位工作动态"),
    ColumnSpec("notices", "通知公告", ColumnType.NOTICE, "本单位发布的通知和公告"),
    ColumnSpec("policies", "政策文件", ColumnType.POLICY, "本单位制发的规范性文件和政策文件"),
    ColumnSpec("interpretations", "政策解读", ColumnType.INTERPRETATION, "政策文件的解读和回应关切"),
    ColumnSpec("disclosure", "信息公开", ColumnType.DISCLOSURE, "本单位政府信息公开目录"),
    ColumnSpec("services", "办事服务", ColumnType.SERVICE, "办事指南和在线服务入口"),
    ColumnSpec("interaction", "互动交流", ColumnType.INTERACTION, "政务邮箱、咨询和意见征集"),
]

PORTAL_COLUMNS = [
    ColumnSpec("news", "源城要闻", ColumnType.NEWS, "源城区政务要闻"),
    ColumnSpec("notices", "通知公告", ColumnType.NOTICE, "区政府及其办公室发布的通知公告"),
    ColumnSpec("leaders", "领导之窗", ColumnType.ABOUT, "区政府领导简历和分工"),
    ColumnSpec("policies", "政策文件", ColumnType.POLICY, "区政府规范性文件和政策文件库"),
    ColumnSpec("interpretations", "政策解读", ColumnType.INTERPRETATION, "区政府政策解读"),
    ColumnSpec("disclosure", "信息公开", ColumnType.DISCLOSURE, "源城区政府信息公开目录"),
    ColumnSpec("services", "办事服务", ColumnType.SERVICE, "政务服务事项和便民服务"),
    ColumnSpec("interaction", "互动交流", ColumnType.INTERACTION, "区长信箱、在线访谈和意见征集"),
]
