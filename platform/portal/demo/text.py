"""Plans the demo articles of one department: titles, dates, bodies and attachments, as plain data.

Everything here is a pure function of (department, seed, item count, today), with no database,
so the demo is reproducible (the same seed on the same day gives the same district) and the
plan can be tested and inspected without loading it. `portal.demo.build` writes the plan.
"""

import random
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from .catalog import (
    EMPTY_INTERPRETATION_DEPARTMENTS,
    STALE_NEWS_DEPARTMENTS,
    STALE_NEWS_MIN_DAYS,
    DepartmentSpec,
    Person,
)
from .topics import COMMON_SERVICE_PLACE, TOPICS, ServiceGuide, Topic

TZ = ZoneInfo("Asia/Shanghai")
SPAN_DAYS = 730  # items are spread over the two years before today
ATTACHMENT_RATE = 1 / 6
FRESH_NEWS_MAX_DAYS = 6  # a department that is not deliberately stale has news from the last week
# …and notices and policies from the last five months: the inspection allows six.
FRESH_DOCUMENTS_MAX_DAYS = 150

HOLIDAYS = {
    1: "春节", 2: "春节", 3: "清明节", 4: "“五一”劳动节", 5: "端午节", 6: "暑假",
    7: "暑假", 8: "暑假", 9: "中秋节、国庆节", 10: "国庆节", 11: "元旦", 12: "元旦、春节",
}
SEASONS = {12: "冬季", 1: "冬季", 2: "冬季", 3: "春季", 4: "春季", 5: "春季", 6: "夏季", 7: "夏季", 8: "夏季",
           9: "秋季", 10: "秋季", 11: "秋季"}
SPIRITS = (
    "习近平总书记重要讲话和重要指示批示精神", "省委全会精神", "市委经济工作会议精神",
    "中央八项规定及其实施细则精神", "全省高质量发展大会精神",
)
QUOTES = ("现在办事方便多了，政府的服务越来越贴心。", "身边的变化看得见、摸得着，我们打心底里满意。",
          "有什么问题找网格员，很快就有人来处理。", "政策讲得明明白白，我们心里更踏实了。")
MEDIA_SOURCES = ("源城区融媒体中心", "河源日报", "河源市广播电视台")
REPORTERS = ("邱雅琪", "温浩然", "黄思远", "叶子涵")
BIRTHPLACES = ("广东紫金", "广东龙川", "广东和平", "广东连平", "广东东源", "广东兴宁")
TOWNS = ("源南镇", "埔前镇", "上城街道", "高埔岗街道", "东埔街道", "新江街道", "源西街道")
DOC_KINDS = (
    "实施方案", "工作方案", "行动方案", "实施细则", "实施办法", "管理办法", "若干措施", "应急预案",
    "工作要点", "行动计划", "工作机制", "工作规则", "工作规定", "办法", "方案", "措施", "预案", "计划",
    "规则", "规定", "细则", "机制",
)


@dataclass(frozen=True)
class AttachmentPlan:
    title: str  # shown on the article, e.g. 附件1：报名表
    filename: str  # ASCII file name with extension
    kind: str  # pdf or docx
    heading: str  # first line inside the file
    paragraphs: tuple[str, ...]
    issuer: str = ""  # policy PDFs carry the issuer's red header …
    number: str = ""  # … and the document number


@dataclass
class ArticlePlan:
    column: str  # column slug
    title: str
    slug: str
    publish_time: datetime
    information_date: date
    source: str
    author: str
    summary: str
    keywords: str
    blocks: list  # StreamField content: [("text", html), ("table", {...}), …]
    paragraphs: list[str]  # the body as plain text paragraphs (for attachments)
    attachments: list[AttachmentPlan] = field(default_factory=list)
    policy_name: str = ""  # policies: the document's name, which its interpretation quotes
    doc_number: str = ""  # policies: 发文字号, e.g. 源教〔2025〕12号
    issuer: str = ""  # policies: who signed it (源城区人民政府 or its 办公室 on the portal)


def department_rng(seed: int, prefix: str, purpose: str = "core") -> random.Random:
    """A generator of its own per department, so one department's content does not depend on
    which other departments are built (a test may build two, `load_demo` builds all)."""
    return random.Random(f"govsite-demo:{seed}:{prefix}:{purpose}")


def allocate(spec: DepartmentSpec, items: int) -> dict[str, int]:
    """How many items each column gets: 部门动态 most, then 通知公告, 政策文件, 政策解读 …"""
    about = len(spec.leaders) if spec.is_portal else (1 if items < 30 else 2)
    services = min(len(TOPICS[spec.topic].services), max(1, round(items * 0.06)))
    policies = max(1, round(items * 0.10))
    interpretations = max(1, min(policies, round(items * 0.08)))
    if spec.prefix in EMPTY_INTERPRETATION_DEPARTMENTS:
        interpretations = 0
    notices = max(1, round(items * 0.22))
    news = max(1, items - about - services - policies - interpretations - notices)
    return {
        "about": about, "services": services, "policies": policies,
        "interpretations": interpretations, "notices": notices, "news": news,
    }


def _spread(rng: random.Random, count: int, low: int, high: int) -> list[int]:
    """`count` day offsets before today, one in each equal slice of [low, high): newest first."""
    if count <= 0:
        return []
    width = (high - low) / count
    return [low + int(width * index + rng.random() * width) for index in range(count)]


def _freshen(rng: random.Random, offsets: list[int], low: int, high: int) -> list[int]:
    """Make sure the newest of `offsets` lies in [low, high] days, whatever the item count."""
    if offsets and offsets[0] > high:
        offsets[0] = rng.randint(low, high)
    return offsets


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def formal_name(spec: DepartmentSpec) -> str:
    """The name a department signs documents with: 源城区教育局, 源南镇人民政府, 上城街道办事处."""
    if spec.official_name:
        return spec.official_name
    if spec.is_portal:
        return spec.name
    if spec.is_town:
        return spec.name + ("人民政府" if spec.name.endswith("镇") else "办事处")
    return "源城区" + spec.name.removeprefix("区")


def doc_kind(policy: str) -> str:
    """方案 / 办法 / 细则 … : how the policy calls itself (本方案自印发之日起施行)."""
    name = re.sub(r"（[^）]*）$", "", policy)
    for kind in DOC_KINDS:
        if name.endswith(kind):
            return kind[-2:] if len(kind) > 2 else kind
    return "文件"


class Body:
    """Collects a body as StreamField blocks and, alongside, as plain paragraphs."""

    def __init__(self):
        self.blocks: list = []
        self.paragraphs: list[str] = []
        self._html: list[str] = []

    def p(self, text: str) -> "Body":
        self._html.append(f"<p>{escape(text, quote=False)}</p>")
        self.paragraphs.append(text)
        return self

    def h2(self, text: str) -> "Body":
        self._html.append(f"<h2>{escape(text, quote=False)}</h2>")
        self.paragraphs.append(text)
        return self

    def link(self, before: str, label: str, href: str) -> "Body":
        link = f'<a href="{escape(href)}">{escape(label, quote=False)}</a>'
        self._html.append(f"<p>{escape(before, quote=False)}{link}</p>")
        self.paragraphs.append(before + label)
        return self

    def items(self, entries, ordered: bool = False) -> "Body":
        tag = "ol" if ordered else "ul"
        inner = "".join(f"<li>{escape(entry, quote=False)}</li>" for entry in entries)
        self._html.append(f"<{tag}>{inner}</{tag}>")
        self.paragraphs.extend(f"{index}. {entry}" if ordered else f"· {entry}" for index, entry in
                               enumerate(entries, start=1))
        return self

    def table(self, caption: str, rows: list[list[str]]) -> "Body":
        self._flush()
        value = {"data": rows, "first_row_is_table_header": True, "first_col_is_header": False}
        self.blocks.append(("table", {**value, "table_caption": caption}))
        self.paragraphs.append(caption)
        self.paragraphs.extend("  ".join(row) for row in rows)
        return self

    def _flush(self):
        if self._html:
            self.blocks.append(("text", "".join(self._html)))
            self._html = []

    def done(self) -> list:
        self._flush()
        return self.blocks


class Writer:
    """Writes the articles of one department with its own seeded generator."""

    def __init__(self, spec: DepartmentSpec, seed: int, today: date):
        self.spec = spec
        self.topic: Topic = TOPICS[spec.topic]
        self.rng = department_rng(seed, spec.prefix)
        self.today = today
        self.places = spec.places or self.topic.places
        self.titles: set[str] = set()
        self.counter = 0
        self.policies: list[ArticlePlan] = []
        self.doc_numbers: dict[int, int] = {}

    # -- small helpers -------------------------------------------------------------------------

    def pick(self, options, count: int | None = None):
        if count is None:
            return self.rng.choice(options)
        return self.rng.sample(list(options), min(count, len(options)))

    def numbers(self, template: str) -> str:
        ranges = {"s": (3, 60), "n": (60, 3000), "l": (3000, 60000), "m": (120, 9800)}

        def replace(match):
            key = match.group(1)
            if key == "p":
                return f"{self.rng.uniform(90, 99.8):.1f}"
            if key == "g":
                return f"{self.rng.uniform(2, 15):.1f}"
            low, high = ranges[key]
            return str(self.rng.randint(low, high))

        return re.sub(r"\{([snlmpg])\}", replace, template)

    def moment(self, offset: int) -> datetime:
        day = self.today - timedelta(days=max(offset, 1))
        while day.weekday() >= 5:  # government sites publish on working days
            day -= timedelta(days=1)
        minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 40)
        return datetime.combine(day, time(minutes // 60, minutes % 60), TZ)

    def unique(self, make) -> str:
        """A title not used before in this department; after many tries, a numbered variant."""
        for _ in range(40):
            title = make()
            if title not in self.titles:
                break
        else:
            base, number = title, 2
            while f"{base}（{number}）" in self.titles:
                number += 1
            title = f"{base}（{number}）"
        self.titles.add(title)
        return title

    def slug(self, moment: datetime) -> str:
        self.counter += 1
        return f"{moment:%Y%m%d}-{self.counter:03d}"

    @property
    def area(self) -> str:
        """The department's whole area, as documents say it: 全区 / 全镇 / 全街道."""
        if self.spec.is_town:
            return "全街道" if self.spec.name.endswith("街道") else "全镇"
        return "全区"

    @property
    def ours(self) -> str:
        return "我" + self.area[1:]

    @property
    def leader(self) -> Person:
        return self.spec.leader

    def deputy(self) -> Person:
        return self.pick(self.spec.deputies) if self.spec.deputies else self.spec.leader

    def attendees(self) -> str:
        if self.spec.is_portal:
            return "各镇（街道）、区直有关单位负责同志"
        if self.spec.is_town:
            return "班子成员、各村（社区）党组织书记和网格员"
        return "局班子成员、各股室和直属单位负责人"

    def units(self) -> str:
        if self.spec.is_town:
            return "村（社区）和各办（所、中心）"
        return "镇（街道）和区直有关单位" if self.spec.is_portal else "股室和直属单位"

    def article(self, column: str, title: str, moment: datetime, body: Body, summary: str, *,
                keywords=(), source: str = "", author: str = "") -> ArticlePlan:
        words = [*keywords, *self.topic.keywords[:2]]
        words = list(dict.fromkeys(word.replace("“", "").replace("”", "") for word in words if word))
        return ArticlePlan(
            column=column, title=title, slug=self.slug(moment), publish_time=moment,
            information_date=(moment - timedelta(days=self.rng.randint(0, 2))).date(),
            source=source or self.spec.name, author=author or self.spec.editor_name,
            summary=summary[:180], keywords=",".join(words[:5]), blocks=body.done(),
            paragraphs=body.paragraphs,
        )

    def signature(self, body: Body, moment: datetime, issuer: str = ""):
        body.p(issuer or formal_name(self.spec))
        body.p(cn_date(moment.date()))

    def contact(self, body: Body):
        person = self.spec.editor_name
        body.p(f"联系人：{person}，联系电话：{self.spec.phone}，电子邮箱：{self.spec.email}。")

    def doc_number(self, moment: datetime, prefix: str | None = None) -> str:
        year = moment.year
        number = self.doc_numbers.get(year, self.rng.randint(1, 8)) + self.rng.randint(1, 6)
        self.doc_numbers[year] = number
        return f"{prefix or self.spec.doc_prefix}〔{year}〕{number}号"

    # -- columns -------------------------------------------------------------------------------

    def plan(self, items: int) -> list[ArticlePlan]:
        counts = allocate(self.spec, items)
        spec = self.spec
        stale = spec.prefix in STALE_NEWS_DEPARTMENTS
        rng = self.rng
        plans: list[ArticlePlan] = []

        about_offsets = _spread(rng, counts["about"], SPAN_DAYS - 130, SPAN_DAYS)
        if spec.is_portal:
            for leader, offset in zip(spec.leaders, about_offsets, strict=False):
                plans.append(self.leader_page(leader, self.moment(offset)))
        else:
            for index, offset in enumerate(about_offsets):
                plans.append(self.about_page(index, self.moment(offset)))

        policy_offsets = _spread(rng, counts["policies"], 10, SPAN_DAYS)
        policy_offsets = sorted(_freshen(rng, policy_offsets, 10, FRESH_DOCUMENTS_MAX_DAYS), reverse=True)
        for offset in policy_offsets:  # oldest first so that document numbers grow over the year
            self.policies.append(self.policy(self.moment(offset)))
        plans.extend(self.policies)

        newest_policies = sorted(self.policies, key=lambda plan: plan.publish_time, reverse=True)
        for policy in newest_policies[: counts["interpretations"]]:
            plans.append(self.interpretation(policy))

        notice_offsets = _spread(rng, counts["notices"], 1, SPAN_DAYS)
        for offset in _freshen(rng, notice_offsets, 1, FRESH_DOCUMENTS_MAX_DAYS):
            plans.append(self.notice(self.moment(offset)))

        for offset in _spread(rng, counts["services"], 30, SPAN_DAYS):
            plans.append(self.service(self.moment(offset)))

        if stale:
            news_offsets = _spread(rng, counts["news"], rng.randint(STALE_NEWS_MIN_DAYS, 40), SPAN_DAYS)
        else:
            news_offsets = _spread(rng, counts["news"], 1, SPAN_DAYS)
            news_offsets[0] = rng.randint(1, FRESH_NEWS_MAX_DAYS)
        for offset in news_offsets:
            plans.append(self.news(self.moment(offset)))

        self.add_attachments(plans)
        plans.sort(key=lambda plan: (plan.publish_time, plan.slug))
        return plans

    def news(self, moment: datetime) -> ArticlePlan:
        topic, spec, rng = self.topic, self.spec, self.rng
        day = moment.date()
        deputy = self.deputy()
        values = {
            "actor": spec.actor, "year": day.year, "month": day.month, "season": SEASONS[day.month],
            "spirit": self.pick(SPIRITS),
            "leader": f"{self.leader.title}{self.leader.name}", "leader_name": self.leader.name,
            "deputy": f"{deputy.title}{deputy.name}", "date": cn_date(day), "attendees": self.attendees(),
            "count": rng.randint(30, 180),
        }
        party_meeting = "党组（扩大）会议"
        if spec.is_portal or spec.is_town:
            party_meeting = "区政府常务会议" if spec.is_portal else "党委会议"
        templates = [
            ("meeting", "{actor}召开{year}年{subject}工作推进会",
             "{date}，{actor}召开{year}年{subject}工作推进会，总结前一阶段工作，分析当前形势，部署下一步任务。"
             "{leader}出席会议并讲话，{deputy}主持会议。"),
            ("meeting", "{actor}召开{month}月份重点工作调度会",
             "{date}，{actor}召开{month}月份重点工作调度会，逐项听取{subject}等重点工作进展情况汇报，研究解决存在问题。"
             "{leader}出席会议并讲话。"),
            ("meeting", "{actor}部署{season}{subject}工作",
             "{date}，{actor}召开专题会议，对{season}{subject}工作进行再动员、再部署。{leader}出席会议并讲话，{attendees}参加会议。"),
            ("meeting", "{actor}召开" + party_meeting + "传达学习{spirit}",
             "{date}，{actor}召开" + party_meeting + "，传达学习{spirit}，研究部署贯彻落实措施。"
             "{leader}主持会议并讲话。"),
            ("inspection", "{actor}开展{subject}专项检查",
             "为切实抓好{subject}工作，{date}，{deputy}带队深入{place}等地开展专项检查。"),
            ("survey", "{leader_name}到{place}调研{subject}工作",
             "{date}，{leader}到{place}调研{subject}工作，实地了解工作推进情况，认真听取基层意见建议。"),
            ("event", "{actor}开展{campaign}主题活动",
             "{date}，{actor}在{place}开展{campaign}主题活动，通过设置咨询台、发放宣传资料、现场讲解等方式，"
             "向群众宣传{subject}相关政策和知识。"),
            ("training", "{actor}举办{subject}业务培训班",
             "为进一步提升干部队伍业务能力，{date}，{actor}举办{subject}业务培训班，{attendees}共{count}人参加培训。"),
            ("progress", "{actor}{subject}工作取得阶段性成效",
             "{year}年以来，{actor}坚持以人民为中心的发展思想，扎实推进{subject}工作，各项任务取得阶段性成效。"),
            ("progress", "{place}扎实推进{subject}工作",
             "近日，记者在{place}看到，{subject}各项工作正有序推进，群众的获得感、幸福感、安全感不断增强。"),
        ]
        if spec.is_portal:
            templates.append(("meeting", "{leader_name}主持召开区政府第{count}次常务会议",
                              "{date}，{leader}主持召开区政府第{count}次常务会议，研究{subject}等工作。"))
        chosen = {}

        def make_title():
            chosen["template"] = self.pick(templates)
            values.update(subject=self.pick(topic.subjects), place=self.pick(self.places),
                          campaign=self.pick(topic.campaigns))
            return chosen["template"][1].format(**values)

        title = self.unique(make_title)
        kind, _, lead_template = chosen["template"]
        subject, place = values["subject"], values["place"]
        place2 = self.pick([other for other in self.places if other != place])
        goal = self.pick(topic.goals)
        measures = self.pick(topic.measures, 4)
        body = Body()
        lead = lead_template.format(**values)
        body.p(lead)
        if kind == "meeting":
            body.p(f"会议指出，{subject}事关群众切身利益，是{goal}的重要内容。{day.year}年以来，"
                   f"{self.numbers(self.pick(topic.achievements))}，工作取得明显成效。")
            body.p(f"会议强调，要{measures[0]}；要{measures[1]}；要{measures[2]}，确保各项工作落地见效。")
            body.p(f"会议要求，各{self.units()}要切实提高政治站位，强化责任担当，加强协调配合，"
                   f"以更高标准、更实举措推动{subject}工作再上新台阶。")
        elif kind == "inspection":
            body.p(f"检查组先后来到{place}、{place2}，通过实地查看、查阅台账、座谈交流等方式，"
                   f"详细了解{subject}工作开展情况。")
            body.p(f"{deputy.name}指出，{subject}工作责任重大、任务艰巨，要{measures[0]}，{measures[1]}。")
            body.p("针对检查中发现的问题，检查组现场反馈并提出整改意见，要求相关单位建立问题清单、责任清单和整改清单，"
                   "明确整改时限，确保整改到位。")
        elif kind == "survey":
            body.p(f"在{place}，{self.leader.name}详细询问{subject}工作的进展情况和存在困难，并与基层干部群众深入交流。"
                   f"随后，{self.leader.name}一行又来到{place2}，实地察看有关工作落实情况。")
            body.p(f"{self.leader.name}指出，{subject}工作事关群众切身利益，要{measures[0]}，{measures[1]}。")
            body.p(f"{self.leader.name}要求，有关单位要坚持问题导向，主动靠前服务，及时协调解决工作中遇到的困难和问题，"
                   "确保各项任务按时保质完成。")
        elif kind == "event":
            body.p(f"活动现场气氛热烈，工作人员耐心细致地解答群众提出的问题。本次活动共发放宣传资料"
                   f"{rng.randint(200, 3000)}份，现场解答群众咨询{rng.randint(50, 600)}人次。")
            body.p(f"据了解，{self.numbers(self.pick(topic.achievements))}。")
        elif kind == "training":
            body.p(f"培训采取专题授课、案例分析和交流研讨相结合的方式，围绕{subject}相关政策法规、业务流程和常见问题进行了系统讲解。")
            body.p(f"参训人员纷纷表示，通过培训进一步明确了工作要求，将把所学知识运用到实际工作中，切实提升{subject}工作水平。")
        else:
            first, second = self.pick(topic.achievements, 2)
            body.p(f"{self.numbers(first)}；{self.numbers(second)}。")
            body.p(f"在推进过程中，{spec.actor}{measures[0]}，{measures[1]}，形成了一批可复制、可推广的经验做法。")
            body.p(f"“{self.pick(QUOTES)}”{self.pick(self.places)}的一位群众说。")
        if rng.random() < 0.3:
            body.h2("下一步工作安排" if kind != "progress" else "主要做法")
            body.items(measures[:rng.randint(3, 4)], ordered=kind != "progress")
        if rng.random() < 0.15:
            rows = [["序号", "单位", "年度任务", "已完成", "完成率"]]
            for index, unit in enumerate(self.pick(self.places, rng.randint(3, 5)), start=1):
                target = rng.randint(20, 300)
                done = rng.randint(target // 2, target)
                rows.append([str(index), unit, str(target), str(done), f"{done * 100 / target:.1f}%"])
            body.table(f"{day.year}年{subject}工作进展情况", rows)
        body.p(f"下一步，{spec.actor}将{measures[3]}，为{goal}作出新的更大贡献。")
        source = author = ""
        if spec.is_portal or rng.random() < 0.2:  # a report by the media rather than the department
            source = self.pick(MEDIA_SOURCES) if spec.is_portal else "源城区融媒体中心"
            author = f"记者 {self.pick(REPORTERS)}"
        keywords = [subject, spec.short_name]
        return self.article("news", title, moment, body, lead, keywords=keywords, source=source,
                            author=author)

    def notice(self, moment: datetime) -> ArticlePlan:
        topic, spec, rng = self.topic, self.spec, self.rng
        day = moment.date()
        org = formal_name(spec)
        holiday = HOLIDAYS[day.month]
        chosen = {}

        def make_title():
            kind = self.pick(["work", "work", "holiday", "publicity", "consultation", "recruitment"])
            subject = self.pick(topic.subjects)
            chosen.update(kind=kind, subject=subject)
            if kind == "holiday":
                return f"关于做好{holiday}期间{subject}工作的通知"
            if kind == "publicity":
                listing = self.pick(["拟认定名单", "拟补助对象", "考核结果"])
                chosen["listing"] = f"{day.year}年{subject}{listing}"
                return f"关于{chosen['listing']}的公示"
            if kind == "consultation":
                chosen["subject"] = self.pick(topic.policies).format(year=day.year + 1, town=spec.name)
                return f"关于公开征求《{chosen['subject']}（征求意见稿）》意见的公告"
            if kind == "recruitment":
                chosen["subject"] = "公开招聘"
                return f"{org}{day.year}年公开招聘编外工作人员公告"
            return f"关于开展{day.year}年{subject}工作的通知"

        title = self.unique(make_title)
        kind, subject = chosen["kind"], chosen["subject"]
        measures = self.pick(topic.measures, 4)
        body = Body()
        if kind == "holiday":
            purpose = f"为确保{holiday}期间{self.area}{subject}工作平稳有序，现就有关事项通知如下："
            body.p(f"{topic.audience}：").p(purpose)
            body.items(measures[: rng.randint(3, 4)], ordered=True)
            body.p(f"请各单位严格落实值班值守制度，遇有重要情况及时报告。值班电话：{spec.phone}。")
            self.signature(body, moment)
        elif kind == "publicity":
            purpose = (f"根据有关工作安排，经单位申报、材料审核、实地核查和集体研究，现将{chosen['listing']}"
                       f"予以公示。公示期为{cn_date(day)}至{cn_date(day + timedelta(days=7))}。")
            body.p(purpose)
            rows = [["序号", "名称", "所在镇（街道）", "备注"]]
            for index, place in enumerate(self.pick(self.places, rng.randint(3, 6)), start=1):
                rows.append([str(index), place, spec.name if spec.is_town else self.pick(TOWNS), ""])
            body.table("公示名单", rows)
            body.p(f"公示期间，任何单位和个人如有异议，可通过来电、来信、来访等方式向{org}反映。"
                   "反映情况应实事求是，以单位名义反映的需加盖公章，以个人名义反映的需署真实姓名。")
            self.contact(body)
            self.signature(body, moment)
        elif kind == "consultation":
            purpose = (f"为提高决策的科学性和透明度，{org}起草了《{subject}（征求意见稿）》，"
                       "现向社会公开征求意见。")
            body.p(purpose)
            body.p("社会公众可通过以下方式提出意见和建议：")
            body.items([f"电子邮件：发送至{spec.email}，邮件主题请注明“意见建议”；",
                        f"信函：寄至{spec.address}{org}，信封请注明“征求意见”；",
                        f"电话：{spec.phone}（工作日办公时间）。"], ordered=True)
            body.p(f"意见反馈截止时间为{cn_date(day + timedelta(days=30))}。")
            self.signature(body, moment)
        elif kind == "recruitment":
            posts = [(post, rng.randint(1, 3), self.pick(["大专及以上", "本科及以上"]))
                     for post in self.pick(["综合文秘", "财务会计", "信息化管理", "业务辅助", "后勤保障"], 3)]
            count = sum(number for _, number, _ in posts)
            purpose = (f"因工作需要，经研究，{org}决定面向社会公开招聘编外工作人员{count}名。"
                       "现将有关事项公告如下：")
            body.p(purpose)
            body.h2("一、招聘岗位及人数")
            rows = [["岗位名称", "人数", "学历要求", "专业要求"]]
            rows.extend([post, str(number), education, "不限"] for post, number, education in posts)
            body.table("招聘岗位表", rows)
            body.h2("二、报名条件")
            body.items(["拥护中国共产党的领导，遵纪守法，品行端正；", "年龄18周岁以上、35周岁以下；",
                        "具有岗位所需的学历和专业条件；", "身体健康，具有正常履行职责的身体条件。"])
            body.h2("三、报名方式")
            body.p(f"报名时间为公告发布之日起7个工作日内，报名地点：{spec.address}。"
                   "报名时请提交报名表、身份证、学历证书原件及复印件。")
            self.contact(body)
        else:
            purpose = (f"为深入贯彻落实上级关于{subject}工作的部署要求，{self.pick(topic.goals)}，"
                       f"经研究，决定开展{day.year}年{subject}工作。现将有关事项通知如下：")
            body.p(f"{topic.audience}：").p(purpose)
            body.h2("一、工作目标")
            body.p(f"通过开展{subject}工作，进一步{measures[0]}，推动{self.area}{topic.field}工作提质增效。")
            body.h2("二、工作任务")
            body.items(measures[1:4], ordered=True)
            body.h2("三、工作要求")
            deadline = cn_date(day + timedelta(days=rng.randint(10, 40)))
            body.p(f"各单位要高度重视，明确专人负责，于{deadline}前将工作开展情况报送至{org}。")
            self.contact(body)
            self.signature(body, moment)
        return self.article("notices", title, moment, body, purpose, keywords=[subject])

    def policy(self, moment: datetime) -> ArticlePlan:
        topic, spec = self.topic, self.spec
        day = moment.date()
        org = formal_name(spec)
        prefix = spec.doc_prefix
        if spec.is_portal and self.rng.random() < 0.4:
            org, prefix = "源城区人民政府办公室", "源府办"
        name = self.unique(lambda: self.pick(topic.policies).format(year=day.year, town=spec.name))
        number = self.doc_number(moment, prefix)
        title = f"{org}关于印发《{name}》的通知"
        self.titles.add(title)
        kind = doc_kind(name)
        body = Body()
        body.p(number)
        body.p(f"{topic.audience}：")
        body.p(f"现将《{name}》印发给你们，请结合实际认真贯彻执行。执行过程中遇到的问题，请径向{org}反映。")
        self.signature(body, moment, org)
        body.h2(name)
        body.h2("一、总体要求")
        body.p(f"坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，坚持以人民为中心的发展思想，"
               f"以{self.pick(topic.goals)}为目标，扎实推进{self.area}{topic.field}各项工作。")
        body.h2("二、主要任务")
        body.items(self.pick(topic.measures, self.rng.randint(3, 5)), ordered=True)
        body.h2("三、保障措施")
        body.p("（一）加强组织领导。各单位要把此项工作列入重要议事日程，主要负责同志亲自抓、负总责。"
               "（二）强化督促检查。将工作落实情况纳入年度考核，定期通报进展情况。"
               "（三）加强宣传引导。充分利用政府网站、政务新媒体等渠道做好政策宣传解读。")
        body.h2("四、附则")
        body.p(f"本{kind}自印发之日起施行，有效期{self.pick([3, 5])}年。本{kind}由{org}负责解释。")
        summary = f"文号：{number}。{org}印发《{name}》，自印发之日起施行。"
        plan = self.article("policies", title, moment, body, summary, keywords=["政策文件", number])
        plan.policy_name, plan.doc_number, plan.issuer = name, number, org
        return plan

    def interpretation(self, policy: ArticlePlan) -> ArticlePlan:
        topic, spec, rng = self.topic, self.spec, self.rng
        moment = policy.publish_time + timedelta(days=rng.randint(0, 3), minutes=rng.randint(30, 240))
        if moment.date() >= self.today:
            moment = policy.publish_time + timedelta(minutes=rng.randint(30, 120))
        name = policy.policy_name
        title = self.unique(lambda: self.pick([f"《{name}》政策解读", f"一图读懂《{name}》",
                                                f"关于《{name}》的解读"]))
        kind = doc_kind(name)
        body = Body()
        body.h2("一、制定背景")
        body.p(f"为{self.pick(topic.goals)}，根据上级有关文件精神，结合{self.ours}实际，{formal_name(spec)}制定了《{name}》"
               f"（{policy.doc_number}）。")
        body.h2("二、主要内容")
        body.p(f"本{kind}共分四个部分，明确了总体要求、主要任务、保障措施和附则。主要任务包括：")
        body.items(self.pick(topic.measures, 3))
        body.h2("三、适用范围")
        body.p(f"本{kind}适用于{topic.audience.replace('，', '、')}。")
        body.h2("四、咨询方式")
        body.p(f"如有疑问，请在工作日办公时间致电{spec.name}咨询，咨询电话：{spec.phone}。")
        body.link("政策原文：", f"《{name}》", f"/policies/{policy.slug}/")
        summary = f"为便于社会公众准确理解《{name}》（{policy.doc_number}），现就有关内容解读如下。"
        return self.article("interpretations", title, moment, body, summary,
                            keywords=["政策解读", policy.doc_number])

    def about_page(self, index: int, moment: datetime) -> ArticlePlan:
        topic, spec = self.topic, self.spec
        body = Body()
        if index == 0:
            title = f"{spec.name}主要职能"
            if spec.is_town:
                role = ("街道办事处是源城区人民政府的派出机关" if spec.name.endswith("街道")
                        else "镇人民政府是最基层的国家行政机关")
                places = "、".join(spec.places)
                intro = f"{spec.name}位于源城区，辖{places}等{len(spec.places)}个村（社区），{role}。"
            else:
                intro = f"{formal_name(spec)}是源城区人民政府工作部门，主管全区{topic.field}工作。"
            body.p(intro)
            body.h2("主要职能")
            body.items(list(topic.functions), ordered=True)
            body.h2("联系方式")
            body.items([f"办公地址：{spec.address}", f"联系电话：{spec.phone}", f"电子邮箱：{spec.email}",
                        f"办公时间：{spec.office_hours}"])
            summary = intro
        else:
            title = f"{spec.name}内设机构和领导分工"
            body.p(f"{formal_name(spec)}内设机构和领导班子分工如下。")
            body.table("内设机构", [["机构名称", "主要职责"], *(list(office) for office in topic.offices)])
            body.h2("领导分工")
            body.p(f"{self.leader.name}：{self.leader.title}，主持全面工作。")
            for deputy in self.spec.deputies:
                body.p(f"{deputy.name}：{deputy.title}，协助主要负责同志分管{self.pick(topic.subjects)}等工作。")
            summary = f"{formal_name(spec)}内设机构和领导班子分工。"
        self.titles.add(title)
        return self.article("about", title, moment, body, summary, keywords=["机构概况"])

    def leader_page(self, leader: Person, moment: datetime) -> ArticlePlan:
        rng = self.rng
        position = leader.title.split("、")[-1]
        title = f"{position} {leader.name}"
        self.titles.add(title)
        body = Body()
        body.h2("简历")
        born = self.today.year - rng.randint(45, 56)
        education = self.pick(["大学", "研究生"])
        degree = self.pick(["管理学硕士", "经济学学士", "法学学士", "工学硕士"])
        body.p(f"{leader.name}，汉族，{born}年{rng.randint(1, 12)}月生，{self.pick(BIRTHPLACES)}人，"
               f"{education}学历，{degree}，中共党员。")
        body.p(f"现任源城区{leader.title}。")
        body.h2("工作分工")
        body.p(leader.duties)
        return self.article("leaders", title, moment, body, f"{leader.title}{leader.name}的简历和工作分工。",
                            keywords=["领导之窗", leader.name])

    def service(self, moment: datetime) -> ArticlePlan:
        spec = self.spec
        unused = [guide for guide in self.topic.services if f"{guide.name}办事指南" not in self.titles]
        guide: ServiceGuide = self.pick(unused or self.topic.services)
        title = self.unique(lambda: f"{guide.name}办事指南")
        body = Body()
        body.h2("一、事项名称").p(guide.name)
        body.h2("二、办理依据").p(guide.basis)
        body.h2("三、受理条件").p(guide.conditions)
        body.h2("四、申请材料")
        body.items(list(guide.materials), ordered=True)
        body.h2("五、办理流程").p("申请人提交申请 → 窗口受理 → 审核 → 作出决定 → 送达结果。"
                                "申请人也可通过广东政务服务网在线申请。")
        limit = guide.time_limit if "办结" in guide.time_limit else f"自受理之日起{guide.time_limit}"
        body.h2("六、办理时限").p(limit)
        body.h2("七、收费标准").p(guide.fee)
        place = COMMON_SERVICE_PLACE if spec.kind != "town" else f"{spec.name}党群服务中心（{spec.address}）"
        body.h2("八、办理地点和时间").p(f"{place}，{spec.office_hours}。")
        body.h2("九、咨询电话").p(spec.phone)
        summary = f"{guide.name}的办理依据、申请材料、办理流程和时限。"
        return self.article("services", title, moment, body, summary, keywords=[guide.name, "办事指南"])

    # -- attachments ---------------------------------------------------------------------------

    def add_attachments(self, plans: list[ArticlePlan]):
        first_policy = self.policies[0] if self.policies else None
        for plan in plans:
            forced = plan is first_policy
            if not forced and self.rng.random() >= ATTACHMENT_RATE:
                continue
            count = 1 if forced else self.rng.randint(1, 2)
            for number in range(1, count + 1):
                plan.attachments.append(self.attachment(plan, number, count))

    def attachment(self, plan: ArticlePlan, number: int, count: int) -> AttachmentPlan:
        # A guide's first attachment is its application form (DOCX), anything else's is a PDF.
        if plan.column == "services":
            kind = "docx" if number == 1 else "pdf"
        else:
            kind = "pdf" if number == 1 else "docx"
        label = f"附件{number}：" if count > 1 else "附件："
        first = number == 1
        if plan.column == "policies":
            name = plan.policy_name if first else f"《{plan.policy_name}》起草说明"
        elif plan.column == "services":
            name = plan.title.removesuffix("办事指南") + ("申请表" if first else "办理流程图")
        elif plan.column == "notices":
            names = ["工作任务清单", "评分细则", "相关政策汇编"] if first else ["报名表", "申报表", "回执"]
            name = self.pick(names)
        elif plan.column == "interpretations":
            name = plan.title.removeprefix("一图读懂") + ("（图解）" if first else "（问答）")
        elif plan.column in ("about", "leaders"):
            name = plan.title + ("（全文）" if first else "（联系方式）")
        else:
            name = plan.title + ("（简报）" if first else "（统计表）")
        paragraphs = plan.paragraphs
        issuer = doc_number = ""
        if plan.column == "policies" and first:
            # The policy's own text (after the covering notice), under the issuer's red header.
            paragraphs = paragraphs[paragraphs.index(plan.policy_name) + 1:]
            issuer, doc_number = plan.issuer, plan.doc_number
        return AttachmentPlan(
            title=f"{label}{name}", filename=f"{self.spec.prefix}-{plan.slug}-{number}.{kind}", kind=kind,
            heading=name if plan.column == "policies" else name.strip("《》"),
            paragraphs=tuple(paragraphs[:12]), issuer=issuer, number=doc_number,
        )


def plan_department(spec: DepartmentSpec, *, seed: int, items: int, today: date) -> list[ArticlePlan]:
    """Every article of one department, oldest first: the same for the same (seed, items, today)."""
    return Writer(spec, seed, today).plan(items)
