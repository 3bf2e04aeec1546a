"""The 主题分类 (topic classification) of the disclosure catalogue.

The national classification of government information (国务院公文主题分类, as used by Guangdong's
provincial 政府信息公开目录), as data: a top-level topic and its sub-topics. Codes are stable keys
stored on each entry; "11-02" is a sub-topic of "11", so filtering by a topic includes its
sub-topics.
"""

TOPIC_TREE = [
    ("01", "综合政务", [("01-01", "政务公开"), ("01-02", "应急管理"), ("01-03", "政务督查"), ("01-04", "其他")]),
    ("02", "国民经济管理、国有资产监管", [("02-01", "发展规划"), ("02-02", "统计"), ("02-03", "国有资产监管")]),
    ("03", "财政、金融、审计", [("03-01", "财政"), ("03-02", "金融"), ("03-03", "审计")]),
    ("04", "国土资源、能源", [("04-01", "土地"), ("04-02", "能源")]),
    ("05", "农业、林业、水利", [("05-01", "农业"), ("05-02", "林业"), ("05-03", "水利")]),
    ("06", "工业、交通", [("06-01", "工业"), ("06-02", "交通")]),
    ("07", "商贸、海关、旅游", [("07-01", "商贸"), ("07-02", "旅游")]),
    ("08", "市场监管、安全生产监管", [("08-01", "市场监管"), ("08-02", "安全生产")]),
    ("09", "城乡建设、环境保护", [("09-01", "城乡建设"), ("09-02", "环境保护")]),
    ("10", "科技、教育", [("10-01", "科技"), ("10-02", "教育")]),
    ("11", "文化、广电、新闻出版", []),
    ("12", "卫生、体育", [("12-01", "卫生"), ("12-02", "体育")]),
    ("13", "人口与计划生育、妇女儿童工作", []),
    ("14", "劳动、人事、监察", [("14-01", "劳动就业"), ("14-02", "社会保障"), ("14-03", "人事")]),
    ("15", "公安、安全、司法", []),
    ("16", "民政、扶贫、救灾", []),
    ("17", "民族、宗教", []),
    ("18", "对外事务", []),
    ("19", "港澳台侨工作", []),
    ("20", "国防", []),
    ("21", "其他", []),
]

TOPIC_NAMES = {}
for _code, _name, _children in TOPIC_TREE:
    TOPIC_NAMES[_code] = _name
    for _child_code, _child_name in _children:
        TOPIC_NAMES[_child_code] = f"{_name} / {_child_name}"


def topic_choices() -> list[tuple[str, str]]:
    """Choices for the entry form: every topic, sub-topics under their parent."""
    choices = []
    for code, name, children in TOPIC_TREE:
        choices.append((code, name))
        choices.extend((child_code, f"{name} / {child_name}") for child_code, child_name in children)
    return choices


def topic_and_subtopics(code: str) -> list[str]:
    """The codes a filter by `code` matches: the topic itself and its sub-topics."""
    for top, _name, children in TOPIC_TREE:
        if top == code:
            return [top, *(child for child, _ in children)]
    return [code] if code in TOPIC_NAMES else []
