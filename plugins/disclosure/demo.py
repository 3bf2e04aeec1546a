"""Demo content of the disclosure plugin: the 信息公开指南, catalogue entries (some repealed and
replaced), applications in every state and last year's annual report. Runs inside the
department's schema, within the demo's transaction; every draw comes from the seeded `rng`."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")

ENTRY_TEMPLATES = [
    ("{name}{year}年部门预算", "report", "03-01", "预算 财政资金"),
    ("{name}{year}年政府信息公开工作要点", "notice", "01-01", "政务公开 工作要点"),
    ("{name}关于进一步规范行政执法工作的意见", "opinion", "15", "行政执法 规范"),
    ("{name}行政许可事项办理规定", "provisions", "01-01", "行政许可 办事指南"),
    ("{name}突发事件应急预案", "other", "01-02", "应急预案"),
    ("{name}关于开展安全生产大检查的通知", "notice", "08-02", "安全生产 检查"),
    ("{name}财政专项资金管理办法", "measures", "03-01", "专项资金 管理"),
]
APPLICANTS = [
    ("person", "陈先生", "441602198805060012", ""),
    ("person", "刘女士", "44160219920315002X", ""),
    ("business", "源城区恒达建材有限公司", "91441602MA4W12345X", "黄经理"),
    ("legal_service", "广东源信律师事务所", "31440000MD0123456A", "张律师"),
    ("research", "河源市社会科学研究所", "12441600MB2C34567D", "周研究员"),
]


def add_demo_content(department, rng) -> None:
    if not department.is_site:
        return
    _guide(department)
    _entries(department, rng)
    _applications(department, rng)
    _last_years_report(department)


def _guide(department) -> None:
    """The 信息公开指南 from the department's own contact data."""
    from portal.pages.models import ArticlePage, ColumnPage

    guide = ColumnPage.objects.filter(slug="guide", column_type="disclosure").first()
    if guide is None or ArticlePage.objects.child_of(guide).exists():
        return
    text = (
        f"<h2>一、受理机构</h2><p>{department.name}政府信息公开工作机构</p>"
        f"<p>办公地址：{department.address or '（见机构概况）'}</p>"
        f"<p>办公时间：{department.office_hours or '工作日 上午8:30–12:00，下午14:30–17:30'}</p>"
        f"<p>联系电话：{department.phone or '（见机构概况）'}　传真：{department.phone or '（同联系电话）'}</p>"
        f"<p>电子邮箱：{department.email or '（见机构概况）'}</p>"
        "<h2>二、申请方式</h2><p>申请人可通过本网站“依申请公开”栏目在线提交申请，也可以信函、当面提交书面申请。"
        "本机关自收到申请之日起 20 个工作日内予以答复；需要延长的，延长期限最长不超过 20 个工作日。</p>"
        '<p><a href="/catalogue/apply/">在线申请</a></p>'
    )
    page = ArticlePage(title=f"{department.name}政府信息公开指南", slug="guide-text",
                       summary="受理机构、办公地址、办公时间、联系电话、传真、电子邮箱和申请方式",
                       body=[("text", text)], source=department.name, live=False)
    guide.add_child(instance=page)
    page.save_revision().publish()


def _entries(department, rng) -> None:
    from portal.pages.models import ColumnPage

    from .entries.models import CatalogueEntryPage

    statutory = ColumnPage.objects.filter(slug="statutory", column_type="disclosure").first()
    if statutory is None or CatalogueEntryPage.objects.child_of(statutory).exists():
        return
    now = timezone.localtime(timezone.now(), SHANGHAI)
    short = department.short_name if getattr(department, "short_name", "") else department.name
    entries = []
    for number, (title, genre, topic, keywords) in enumerate(rng.sample(ENTRY_TEMPLATES, 5), start=1):
        published = now - timedelta(days=rng.randint(10, 600), hours=rng.randint(0, 8))
        entry = CatalogueEntryPage(
            title=title.format(name=department.name, year=published.year), slug=f"entry-{number}",
            summary=f"{department.name}依法主动公开的{dict(_genre_labels())[genre]}。", genre=genre, topic=topic,
            keywords=keywords, document_number=f"{short[:2]}〔{published.year}〕{rng.randint(1, 60)}号",
            document_date=(published - timedelta(days=rng.randint(1, 10))).date(), publish_time=published,
            body=[("text", f"<p>{title.format(name=department.name, year=published.year)}全文。</p>")],
            live=False,
        )
        statutory.add_child(instance=entry)
        entry.save_revision().publish()
        entries.append(entry)
    # The oldest document was replaced by a newer one and repealed.
    entries.sort(key=lambda entry: entry.publish_time)
    old, new = entries[0], entries[-1]
    old.validity = "repealed"
    old.validity_date = timezone.localtime(new.publish_time, SHANGHAI).date()
    old.replaced_by = new
    old.save_revision().publish()
    expired = entries[1]
    expired.validity = "expired"
    expired.validity_date = (timezone.localtime(expired.publish_time, SHANGHAI) + timedelta(days=180)).date()
    expired.save_revision().publish()


def _genre_labels():
    from .models import Genre

    return Genre.choices


def _applications(department, rng) -> None:
    from . import applications
    from .models import Application

    if Application.objects.filter(department=department).exists():
        return
    today = applications.today_in_shanghai()

    def submit(days_ago, applicant):
        applicant_type, name, id_number, contact = applicant
        return applications.submit(department=department, received_on=today - timedelta(days=days_ago), data={
            "applicant_type": applicant_type, "name": name, "id_number": id_number, "contact_person": contact,
            "phone": f"1380000{rng.randint(1000, 9999)}", "email": "", "address": "源城区",
            "description": f"{department.name}{today.year - 1}年度相关工作的统计数据和文件", "delivery": "post",
        })

    picks = rng.sample(APPLICANTS, len(APPLICANTS))
    submit(3, picks[0])  # just arrived
    waiting = submit(5, picks[1])
    answered = submit(40, picks[2])
    submit(60, picks[3])  # forgotten: overdue, flagged by the inspection
    extended = submit(25, picks[4])
    try:
        applications.request_completion(waiting, text="请写明所需信息的具体年份和文件名称", user=None,
                                        on=today - timedelta(days=4))
        applications.decide(answered, decision=rng.choice(["disclose", "partial"]), reason="部分内容涉及商业秘密",
                            answer="现将可以公开的信息提供给您，请查收。", user=None, on=today - timedelta(days=20))
        applications.extend(extended, days=15, reason="需要征求第三方意见", user=None,
                            on=today - timedelta(days=2))
    except applications.ApplicationError:
        pass  # a year without a holiday schedule: the demo leaves those applications as they are


def _last_years_report(department) -> None:
    from . import reports

    year = reports.today_year() - 1
    if department.is_portal:
        return  # the district's report is written by the centre from every department's figures
    report = reports.generate_report(department, year, user=None)
    report.data["overview"] = (f"{year}年，{department.name}认真贯彻《中华人民共和国政府信息公开条例》，"
                               "依法做好政府信息公开工作。")
    report.save(update_fields=["data"])
    reports.publish_report(report, user=None)
