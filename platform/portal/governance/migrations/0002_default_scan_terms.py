"""The word lists a new platform starts with; the 安全管理员 maintains them afterwards."""

from django.db import migrations

CLASSIFICATION = [
    ("绝密", "国家秘密最高密级标志"),
    ("机密", "国家秘密密级标志"),
    ("秘密", "国家秘密密级标志"),
    ("★", "密级与保密期限之间的标志，如“秘密★1年”"),
    ("内部资料", "内部资料不得上网"),
    ("内部使用", "仅限内部使用的材料不得上网"),
    ("内部文件", "内部文件不得上网"),
    ("不宜公开", "标注不宜公开的材料不得上网"),
    ("涉密", "涉及国家秘密的材料不得上网"),
    ("注意保密", "标注注意保密的材料不得上网"),
]

# (wrong or outdated wording, correct wording, note)
SENSITIVE = [
    ("中华人民共和国总理", "中华人民共和国国务院总理", "领导职务名称不全"),
    ("中华人民共和国国务总理", "中华人民共和国国务院总理", "领导职务名称错误"),
    ("中国国务院总理", "中华人民共和国国务院总理", "正式文稿使用规范职务名称"),
    ("源城区地方税务局", "国家税务总局源城区税务局", "机构已改革（2018 年国地税合并）"),
    ("源城区国家税务局", "国家税务总局源城区税务局", "机构已改革（2018 年国地税合并）"),
    ("源城区地税局", "国家税务总局源城区税务局", "机构已改革（2018 年国地税合并）"),
    ("区长邮箱", "区长信箱", "栏目规范名称"),
    ("区长信件箱", "区长信箱", "栏目规范名称"),
    ("区长意见箱", "区长信箱", "栏目规范名称"),
    ("源城区卫生和计划生育局", "源城区卫生健康局", "机构已改革（2019 年）"),
    ("区卫生和计划生育局", "区卫生健康局", "机构已改革（2019 年）"),
    ("源城区卫计局", "源城区卫生健康局", "机构已改革（2019 年）"),
    ("源城区食品药品监督管理局", "源城区市场监督管理局", "机构已改革（2019 年）"),
    ("源城区安全生产监督管理局", "源城区应急管理局", "机构已改革（2019 年）"),
    ("源城区环境保护局", "河源市生态环境局源城分局", "机构已改革"),
    ("党的十九大", "党的二十大", "引用历史会议时可忽略"),
    ("十九大精神", "二十大精神", "引用历史会议时可忽略"),
    ("截止目前", "截至目前", "常见错别字"),
    ("截止到目前", "截至目前", "常见错别字"),
    ("一如继往", "一如既往", "常见错别字"),
    ("再接再励", "再接再厉", "常见错别字"),
    ("按装", "安装", "常见错别字"),
    ("精减机构", "精简机构", "常见错别字"),
    ("既使", "即使", "常见错别字"),
    ("必需遵守", "必须遵守", "常见错别字"),
]


def seed(apps, schema_editor):
    ScanTerm = apps.get_model("governance", "ScanTerm")
    for term, note in CLASSIFICATION:
        ScanTerm.objects.get_or_create(kind="classification", term=term, defaults={"note": note})
    for term, suggestion, note in SENSITIVE:
        ScanTerm.objects.get_or_create(kind="sensitive", term=term, defaults={"suggestion": suggestion, "note": note})


def unseed(apps, schema_editor):
    ScanTerm = apps.get_model("governance", "ScanTerm")
    for term, _ in CLASSIFICATION:
        ScanTerm.objects.filter(kind="classification", term=term).delete()
    for term, _, _ in SENSITIVE:
        ScanTerm.objects.filter(kind="sensitive", term=term).delete()


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
