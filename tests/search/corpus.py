"""The fixture corpus: a few realistic items per department, written so each test has one clear
right answer. Keys are referenced by the tests; (department, column slug, title, body, time)."""

from datetime import datetime
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return datetime(year, month, day, 9, 0, tzinfo=BEIJING)


CORPUS = {
    # A policy about 义务教育: the subject in its title and throughout its body.
    "compulsory_policy": ("jyj", "policies", "源城区义务教育阶段学校招生入学工作实施方案",
        "<p>为规范义务教育阶段学校招生入学工作，保障适龄儿童少年依法接受义务教育，根据有关规定，制定本方案。</p>"
        "<p>义务教育阶段公办学校实行划片招生、免试就近入学。义务教育学校不得以考试方式选拔学生。</p>"
        "<p>各义务教育学校应当公开招生范围、招生计划和报名时间，接受社会监督。</p>", at(2026, 5, 20)),
    # News that mentions 教育 exactly once, in passing.
    "city_news": ("jyj", "news", "区领导调研城市更新项目建设进展",
        "<p>11月18日，区领导到东埔片区调研城市更新项目。会议听取了住建、交通和教育等部门的工作汇报，"
        "要求各单位加快征地拆迁和道路建设进度，确保项目按期完工。</p>", at(2026, 11, 18)),
    "compulsory_reading": ("jyj", "interpretations", "《源城区义务教育阶段学校招生入学工作实施方案》政策解读",
        "<p>一、制定背景。二、主要内容：明确划片招生和就近入学原则。三、适用范围：全区公办义务教育学校。</p>",
        at(2026, 5, 22)),
    "school_notice": ("jyj", "notices", "关于做好2026年秋季学期开学工作的通知",
        "<p>各中小学校：秋季学期将于9月1日开学，请做好校园安全检查、教材发放和食堂卫生工作。</p>", at(2026, 8, 20)),
    "go_contest": ("jyj", "news", "全区中小学围棋比赛在区少年宫举行",
        "<p>本次比赛共有32所学校的两百余名学生参加，比赛分小学组和初中组进行。</p>", at(2025, 4, 12)),
    # Exact title against a longer title that repeats the words many times.
    "aid_exact": ("jyj", "news", "学生资助", "<p>本栏目发布学生资助相关信息。</p>", at(2024, 3, 1)),
    "aid_long": ("jyj", "policies", "2026年学生资助工作要点及学生资助申请指南",
        "<p>学生资助是保障家庭经济困难学生顺利完成学业的重要举措。学生资助项目包括国家助学金、"
        "学生资助专项资金和生源地信用助学贷款。学生资助申请每学期集中受理一次，学生资助资金按时足额发放。</p>",
        at(2026, 2, 10)),
    # Written in traditional characters: a simplified query must find it.
    "traditional": ("jyj", "notices", "關於學校體育設施向社會開放的公告",
        "<p>為滿足群眾健身需求，全區學校體育設施在節假日向社會開放。</p>", at(2025, 6, 1)),
    "wjj_free_clinic": ("wjj", "news", "区卫生健康局开展送医下乡义诊活动",
        "<p>区卫生健康局组织医疗专家到偏远乡村开展义诊，为群众免费测量血压、血糖。</p>", at(2026, 10, 9)),
    "wjj_health_education": ("wjj", "news", "健康教育进校园活动启动",
        "<p>区卫生健康局联合区教育局开展健康教育进校园活动，普及传染病防控知识。</p>", at(2025, 9, 3)),
    "wjj_public_health": ("wjj", "policies", "源城区基本公共卫生服务项目实施方案",
        "<p>为做好基本公共卫生服务项目，提高居民健康水平，制定本方案。</p>", at(2024, 7, 15)),
    "portal_policy": ("www", "policies", "源城区人民政府关于印发教育强区建设规划的通知",
        "<p>各镇人民政府、街道办事处，区直各单位：现将《源城区教育强区建设规划》印发给你们，请认真贯彻执行。"
        "规划提出推进义务教育优质均衡发展。</p>", at(2025, 12, 30)),
    "portal_social_security": ("www", "notices", "城乡居民社会保险缴费工作通知",
        "<p>2027年度城乡居民基本养老保险和医疗保险缴费工作即日启动。</p>", at(2026, 11, 1)),
}

# Never found: a draft, a withdrawn (published then unpublished) item and a private page.
DRAFTS = {
    "draft": ("jyj", "news", "草稿绿萝计划尚未发布", "<p>绿萝计划草稿内容。</p>", at(2026, 11, 2)),
}
WITHDRAWN = {
    "withdrawn": ("jyj", "notices", "已撤回的文竹专项通知", "<p>文竹专项通知已撤回。</p>", at(2026, 11, 3)),
}
PRIVATE = {
    "private": ("wjj", "notices", "内部芦荟工作安排", "<p>芦荟工作安排仅限内部查看。</p>", at(2026, 11, 4)),
}
