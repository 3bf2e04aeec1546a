"""Deterministic benchmark data for search (S6, S7): departments and 10^5 published items.

Realistic government text is assembled from a fixed vocabulary with a seeded generator, written
as `PublishedItem` rows with bulk SQL, and turned into search-projection rows by the real code
(`search.documents.row_from_item`, the same upsert the publishing transaction runs). Sentences
repeat across documents, so jieba's per-sentence cache makes the generation fast without
bypassing the segmentation. The database `govsite_bench_search` is reused when it already holds
the requested data set (same --docs, --tenants and --seed).

Usage (normally called by search_latency.py / search_indexing.py):
    python benchmarks/search_corpus.py --docs 100000 --tenants 10 --seed 7
"""

import argparse
import os
import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from _common import ROOT, use_benchmark_database

DATABASE = "govsite_bench_search"
os.environ.setdefault("SEARCH_INDEX_PREFIX", "bench-govsite")

DEPARTMENTS = [
    ("区教育局", "jyj"), ("区卫生健康局", "wjj"), ("区财政局", "czj"), ("区人力资源和社会保障局", "rsj"),
    ("区住房和城乡建设局", "zjj"), ("区农业农村局", "nyj"), ("区市场监督管理局", "scj"), ("区民政局", "mzj"),
    ("区交通运输局", "jtj"), ("区应急管理局", "yjj"), ("区水务局", "swj"), ("区文化广电旅游体育局", "wlj"),
    ("区司法局", "sfj"), ("区科学技术局", "kjj"), ("区生态环境分局", "hbj"), ("区自然资源局", "zrj"),
]
TOPICS = [
    "义务教育", "学前教育", "职业教育", "校园安全", "招生入学", "学生资助", "教师招聘", "基本公共卫生服务",
    "家庭医生签约", "疫苗接种", "医疗保险", "城乡居民养老保险", "就业创业", "职业技能培训", "最低生活保障",
    "特困人员救助", "养老服务", "住房公积金", "保障性住房", "老旧小区改造", "城市更新", "建筑工地扬尘治理",
    "农村人居环境整治", "高标准农田建设", "乡村振兴", "耕地保护", "食品安全", "药品监管", "营商环境",
    "市场主体登记", "防汛防台风", "森林防火", "安全生产", "道路交通安全", "公交线路调整", "河长制",
    "饮用水水源保护", "大气污染防治", "垃圾分类", "文化惠民", "全民健身", "旅游市场整治", "法律援助", "人民调解",
    "科技创新", "高新技术企业认定", "不动产登记", "财政预算公开", "政府采购", "减税降费", "退役军人服务",
    "残疾人补贴", "殡葬改革", "社区治理", "政务服务", "一网通办", "信息公开", "优化营商环境",
]
TITLE_PATTERNS = [
    ("policy", "政策文件", "源城区{topic}工作实施方案"), ("policy", "政策文件", "关于进一步加强{topic}工作的意见"),
    ("policy", "政策文件", "{year}年{topic}工作要点"), ("notice", "通知公告", "关于做好{year}年{topic}工作的通知"),
    ("notice", "通知公告", "关于开展{topic}专项检查的公告"),
    ("interpretation", "政策解读", "《源城区{topic}工作实施方案》政策解读"),
    ("news", "部门动态", "{dept}召开{topic}工作推进会"), ("news", "部门动态", "{dept}深入基层调研{topic}工作"),
    ("news", "部门动态", "我区{topic}工作取得阶段性成效"),
    ("disclosure", "信息公开", "{dept}{year}年{topic}信息公开"),
]
SUBJECTS = ["区委区政府", "各镇街", "区直各单位", "{dept}", "有关部门", "各社区", "相关企业", "全区上下"]
VERBS = ["高度重视", "认真贯彻落实", "统筹推进", "持续深化", "扎实开展", "全面加强", "稳步推进", "积极探索"]
PHRASES = [
    "进一步完善工作机制", "切实保障群众合法权益", "确保各项任务按期完成", "不断提升服务质量和水平", "形成工作合力",
    "加强监督检查和考核评估", "做好政策宣传和解读", "及时回应群众关切", "落实属地管理责任", "推动工作落地见效",
    "强化资金保障", "建立长效管理机制", "提高群众满意度", "坚持问题导向", "加快补齐短板弱项",
]


def sentence_pool(rng: random.Random, size: int = 4000) -> list[str]:
    pool = []
    for _ in range(size):
        subject = rng.choice(SUBJECTS).replace("{dept}", rng.choice(DEPARTMENTS)[0])
        topic = rng.choice(TOPICS)
        pool.append(f"{subject}{rng.choice(VERBS)}{topic}工作，{rng.choice(PHRASES)}，{rng.choice(PHRASES)}。")
    return pool


def generate(docs: int, tenants: int, seed: int, say=print) -> dict:
    """Create (or reuse) the benchmark database with `docs` items over `tenants` departments."""
    from django.core.management import call_command
    from django.db import connection, transaction

    meta = f"docs={docs} tenants={tenants} seed={seed}"
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT value FROM bench_search_meta")
            if cursor.fetchone()[0] == meta:
                say(f"复用已有基准数据（{meta}）")
                return {"reused": True}
    except Exception:  # noqa: BLE001 - no data set yet (or an older one): make it anew
        pass
    connection.close()
    use_benchmark_database(DATABASE)  # start from an empty database
    from portal.models import PublishedItem

    from search.documents import row_from_item
    from search.outbox import UPSERT, row_params
    from tenants.provisioning import create_department, ensure_public_tenant, ensure_template

    started = time.perf_counter()
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    ensure_public_tenant()
    ensure_template()
    sites = [create_department(name="源城区人民政府", host_prefix="www", kind="portal", organization_code="007218000")]
    for index, (name, prefix) in enumerate(DEPARTMENTS[:tenants]):
        sites.append(create_department(name=name, host_prefix=prefix, organization_code=f"0072184{index:02d}"))
    say(f"已创建 {len(sites)} 个站点（{time.perf_counter() - started:.1f} 秒）")

    rng = random.Random(seed)
    pool = sentence_pool(rng)
    base = datetime(2026, 11, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    upsert = UPSERT.replace("RETURNING version", "")
    batch, written = [], 0
    generated_at = time.perf_counter()
    for number in range(1, docs + 1):
        site = sites[rng.randrange(len(sites))]
        column_type, column_title, pattern = rng.choice(TITLE_PATTERNS)
        published = base - timedelta(minutes=rng.randrange(6 * 365 * 24 * 60))
        title = pattern.format(topic=rng.choice(TOPICS), year=published.year, dept=site.name)
        body = "".join(rng.choice(pool) for _ in range(rng.randint(6, 14)))
        batch.append(PublishedItem(
            department=site, kind="article", object_id=number, title=title,
            url=f"{site.base_url}/{column_type}/bench-{number}/", column_title=column_title, column_type=column_type,
            publish_time=published, source=site.name, summary=body[:120], body_text=body,
        ))
        if len(batch) == 2000 or number == docs:
            with transaction.atomic():
                items = PublishedItem.objects.bulk_create(batch)
                params = [row_params(row_from_item(item, item.department)) for item in items]
                with connection.cursor() as cursor:
                    cursor.executemany(upsert, params)
            written += len(batch)
            batch = []
            if written % 20000 == 0 or written == docs:
                rate = written / (time.perf_counter() - generated_at)
                say(f"  已生成 {written} / {docs} 条（{rate:.0f} 条/秒）")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute("ANALYZE portal_publisheditem")
        cursor.execute("CREATE TABLE bench_search_meta (value text)")
        cursor.execute("INSERT INTO bench_search_meta VALUES (%s)", [meta])
    say(f"生成完成，用时 {time.perf_counter() - started:.1f} 秒")
    return {"reused": False, "seconds": time.perf_counter() - started}


def open_data_set(docs: int, tenants: int, seed: int, say=print) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    use_benchmark_database(DATABASE, keep=True)
    return generate(docs, tenants, seed, say=say)


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--tenants", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    return parser


def pin(core: int) -> None:
    """Pin this process to one core (the load generator side), when the machine has it."""
    try:
        if core in os.sched_getaffinity(0) or len(os.sched_getaffinity(0)) > core:
            os.sched_setaffinity(0, {core})
    except (AttributeError, OSError):
        pass


if __name__ == "__main__":
    args = arguments("生成搜索基准数据").parse_args()
    open_data_set(args.docs, args.tenants, args.seed)
    print("数据库:", DATABASE, "根目录:", ROOT)
