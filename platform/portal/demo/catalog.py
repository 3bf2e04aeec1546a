"""Who is in the demo district: its departments, their contact data, leaders and demo accounts.

Kept apart from the text generation and the database work so that tests, the inspection and the
documentation can name the demo's deliberate defects (stale and blank columns) without importing
Django models.
"""

from dataclasses import dataclass, field

# Every demo account has this password; the demo is for trying the platform, never for production.
DEMO_PASSWORD = "Yuancheng@2026"
DEFAULT_SEED = 2026
DEFAULT_ITEMS = 50

# Deliberate defects the inspection must find. In these departments the newest 部门动态 item is
# older than three weeks (the news rule allows two) …
STALE_NEWS_DEPARTMENTS = ("czj", "nyj", "pq")
STALE_NEWS_MIN_DAYS = 24
# … and in these the 政策解读 column has never had any content (空白栏目).
EMPTY_INTERPRETATION_DEPARTMENTS = ("jtj", "dp")

# The central administrator, and one person who is 业务员 in two departments.
ADMIN_USERNAME = "admin"
ADMIN_FULL_NAME = "钟立新"
# 三员分立: the security and audit administrators are other people than the system administrator.
OTHER_CENTRAL_ADMINS = (
    ("security", "陈安", "security_admin"),  # 安全管理员: 保密审查, locks and unlocks accounts
    ("auditor", "林审", "audit_admin"),  # 审计管理员: reads and exports the audit log
    ("theme", "何美", "theme_admin"),  # 主题管理员: the unified theme and the site-wide modes
    ("office", "黄政", "office_admin"),  # 区政府办公室: approves the 通报, publishes the 年度报表
)
SHARED_EDITOR_USERNAME = "liwei"
SHARED_EDITOR_FULL_NAME = "李伟"
SHARED_EDITOR_DEPARTMENTS = ("jyj", "wjj")


@dataclass(frozen=True)
class Person:
    title: str  # e.g. 局长, 副区长
    name: str
    duties: str = ""  # 工作分工 (portal leaders)


@dataclass(frozen=True)
class DepartmentSpec:
    prefix: str
    name: str
    short_name: str
    kind: str  # portal / bureau / town
    topic: str  # key into portal.demo.topics.TOPICS
    organization_code: str
    address: str
    phone: str
    email: str
    doc_prefix: str  # 发文字号 prefix, e.g. 源教 → 源教〔2025〕12号
    leader: Person
    deputies: tuple[Person, ...]
    editor_name: str  # full name of <prefix>_editor (业务员)
    head_name: str  # full name of <prefix>_head (负责人)
    places: tuple[str, ...] = ()  # villages / communities of a town, used in its news
    office_hours: str = "周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"
    sort_order: int = 100
    leaders: tuple[Person, ...] = field(default=())  # 领导之窗 of the portal
    official_name: str = ""  # the name it signs documents with, when not derived from `name`

    @property
    def is_town(self) -> bool:
        return self.kind == "town"

    @property
    def is_portal(self) -> bool:
        return self.kind == "portal"

    @property
    def actor(self) -> str:
        """How news titles name the department: 区教育局 / 源南镇 / 源城区."""
        return "源城区" if self.is_portal else self.name


TOWN_HOURS = "周一至周五 上午8:00—12:00，下午14:30—17:30（法定节假日除外）"

PORTAL_LEADERS = (
    Person("区委副书记、区长", "陈志明", "主持区政府全面工作。负责审计方面的工作。分管区审计局。"),
    Person("区委常委、常务副区长", "罗国强",
           "负责区政府常务工作。负责发展改革、财政、税务、统计、金融、国有资产管理、应急管理方面的工作。"
           "分管区发展和改革局、区财政局、区统计局、区应急管理局，联系区税务局。"),
    Person("副区长", "刘海燕",
           "负责教育、卫生健康、民政、人力资源和社会保障、文化广电旅游体育、医疗保障方面的工作。"
           "分管区教育局、区卫生健康局、区民政局、区人力资源和社会保障局、区文化广电旅游体育局、区医疗保障局。"),
    Person("副区长", "张建新",
           "负责住房和城乡建设、交通运输、自然资源、城市管理、生态环境方面的工作。"
           "分管区住房和城乡建设局、区交通运输局，联系市自然资源局源城分局、市生态环境局源城分局。"),
    Person("副区长", "黄伟东",
           "负责农业农村、水务、林业、乡村振兴、市场监督管理方面的工作。"
           "分管区农业农村局、区水务局、区林业局、区市场监督管理局。"),
)

DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    DepartmentSpec(
        "www", "源城区人民政府", "区政府", "portal", "portal", "007218000",
        "广东省河源市源城区文明路33号", "0762-3332345", "yczfb@heyuan.gov.cn", "源府",
        PORTAL_LEADERS[0], PORTAL_LEADERS[1:], "何晓琳", "邹志坚", sort_order=1, leaders=PORTAL_LEADERS,
    ),
    DepartmentSpec(
        "bgs", "区政府办公室", "区府办", "bureau", "office", "007218019",
        "源城区文明路33号区政府大院1号楼", "0762-3332346", "ycbgs@heyuan.gov.cn", "源府办函",
        Person("区政府党组成员、办公室主任", "温振华"), (Person("办公室副主任", "叶春梅"),),
        "廖思颖", "曾庆丰", sort_order=10, official_name="源城区人民政府办公室",
    ),
    DepartmentSpec(
        "jyj", "区教育局", "教育局", "bureau", "education", "007218384",
        "源城区新风路128号", "0762-3383126", "ycjyj@heyuan.gov.cn", "源教",
        Person("党组书记、局长", "刘建华"), (Person("副局长", "谢丽君"), Person("副局长", "钟国良")),
        "陈晓敏", "黄志强", sort_order=20,
    ),
    DepartmentSpec(
        "wjj", "区卫生健康局", "卫生健康局", "bureau", "health", "007218392",
        "源城区长塘路66号", "0762-3356210", "ycwjj@heyuan.gov.cn", "源卫健",
        Person("党组书记、局长", "邱文彬"), (Person("副局长", "潘慧玲"), Person("副局长", "古永胜")),
        "赖雪芬", "朱伟明", sort_order=30,
    ),
    DepartmentSpec(
        "czj", "区财政局", "财政局", "bureau", "finance", "007218405",
        "源城区文明路31号", "0762-3332780", "ycczj@heyuan.gov.cn", "源财",
        Person("党组书记、局长", "杨少华"), (Person("副局长", "彭丽萍"),),
        "吴佳慧", "宋建军", sort_order=40,
    ),
    DepartmentSpec(
        "rsj", "区人力资源和社会保障局", "人社局", "bureau", "hr", "00721842X",
        "源城区建设大道东88号", "0762-3365118", "ycrsj@heyuan.gov.cn", "源人社",
        Person("党组书记、局长", "骆明辉"), (Person("副局长", "陈秀兰"), Person("副局长", "李振东")),
        "张雨晴", "余国平", sort_order=50,
    ),
    DepartmentSpec(
        "zjj", "区住房和城乡建设局", "住建局", "bureau", "housing", "007218454",
        "源城区越王大道168号", "0762-3321526", "yczjj@heyuan.gov.cn", "源住建",
        Person("党组书记、局长", "徐永康"), (Person("副局长", "邓晓红"), Person("副局长", "林俊杰")),
        "郭雅婷", "巫德明", sort_order=60,
    ),
    DepartmentSpec(
        "scjgj", "区市场监督管理局", "市场监管局", "bureau", "market", "007218470",
        "源城区公园东路19号", "0762-3345327", "ycscjgj@heyuan.gov.cn", "源市监",
        Person("党组书记、局长", "曾志远"), (Person("副局长", "卢美玲"), Person("副局长", "严国栋")),
        "冯婉婷", "蓝海波", sort_order=70,
    ),
    DepartmentSpec(
        "mzj", "区民政局", "民政局", "bureau", "civil", "007218489",
        "源城区东环路52号", "0762-3336418", "ycmzj@heyuan.gov.cn", "源民",
        Person("党组书记、局长", "王丽芳"), (Person("副局长", "马建成"),),
        "周嘉怡", "凌志勇", sort_order=80,
    ),
    DepartmentSpec(
        "jtj", "区交通运输局", "交通运输局", "bureau", "transport", "007218497",
        "源城区河源大道北218号", "0762-3389612", "ycjtj@heyuan.gov.cn", "源交",
        Person("党组书记、局长", "赖国华"), (Person("副局长", "江晓峰"),),
        "刘思敏", "丘永强", sort_order=90,
    ),
    DepartmentSpec(
        "nyj", "区农业农村局", "农业农村局", "bureau", "agriculture", "007218507",
        "源城区大同路9号", "0762-3312635", "ycnyj@heyuan.gov.cn", "源农",
        Person("党组书记、局长", "钟汉文"), (Person("副局长", "袁秀娟"), Person("副局长", "叶伟强")),
        "欧阳琳", "何振华", sort_order=100,
    ),
    DepartmentSpec(
        "yn", "源南镇", "源南镇", "town", "town", "007218515",
        "源城区源南镇源南大道1号", "0762-3672101", "ycyn@heyuan.gov.cn", "源南府",
        Person("镇党委副书记、镇长", "黄振宇"), (Person("副镇长", "罗雪梅"), Person("副镇长", "卓文亮")),
        "廖晓雯", "谢国伟",
        places=("双下村", "埔前坝村", "江东村", "联和村", "金史村", "双田社区"),
        office_hours=TOWN_HOURS, sort_order=200,
    ),
    DepartmentSpec(
        "sc", "上城街道", "上城街道", "town", "town", "007218523",
        "源城区上城街道中山街45号", "0762-3322190", "ycsc@heyuan.gov.cn", "源上城办",
        Person("街道党工委副书记、办事处主任", "邝永辉"), (Person("办事处副主任", "钟美华"),),
        "温欣怡", "邓志斌",
        places=("中山社区", "沿江社区", "新风社区", "文明社区", "长塘社区"),
        office_hours=TOWN_HOURS, sort_order=210,
    ),
    DepartmentSpec(
        "pq", "埔前镇", "埔前镇", "town", "town", "007218531",
        "源城区埔前镇埔前大道8号", "0762-3651026", "ycpq@heyuan.gov.cn", "源埔府",
        Person("镇党委副书记、镇长", "叶建明"), (Person("副镇长", "李春兰"),),
        "赖诗琪", "曾德华",
        places=("莲塘岭村", "新径村", "杨子坑村", "赤岭村", "埔前社区"),
        office_hours=TOWN_HOURS, sort_order=220,
    ),
    DepartmentSpec(
        "gpg", "高埔岗街道", "高埔岗街道", "town", "town", "007218540",
        "源城区高埔岗街道大桥路26号", "0762-3263158", "ycgpg@heyuan.gov.cn", "源高办",
        Person("街道党工委副书记、办事处主任", "朱永清"), (Person("办事处副主任", "黄丽娟"),),
        "张慧敏", "林国强",
        places=("高埔岗社区", "大桥社区", "河背社区", "明珠社区"),
        office_hours=TOWN_HOURS, sort_order=230,
    ),
    DepartmentSpec(
        "dp", "东埔街道", "东埔街道", "town", "town", "007218558",
        "源城区东埔街道东华路12号", "0762-3229036", "ycdp@heyuan.gov.cn", "源东办",
        Person("街道党工委副书记、办事处主任", "何志军"), (Person("办事处副主任", "陈玉霞"),),
        "蔡佳琪", "刘永红",
        places=("东埔社区", "东华社区", "红星社区", "胜利社区", "东源社区"),
        office_hours=TOWN_HOURS, sort_order=240,
    ),
)

DEPARTMENTS_BY_PREFIX = {spec.prefix: spec for spec in DEPARTMENTS}
