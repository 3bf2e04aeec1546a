"""The fields of the national template (《政府网站工作年度报表》, 国办函〔2018〕12号), in its order.

Each field is either computed from the platform's data (`how` says from what) or entered by hand
(`manual`; `how` says what to enter): the platform cannot know, for instance, a 政务服务 system's
caseload or whether an emergency drill was held. A computed value of `None` means the function
behind it is not in use on any site, shown as 未开展 rather than as zeros.
"""

from dataclasses import dataclass

NUMBER, DECIMAL, YESNO, TEXT, ACCOUNTS = "number", "decimal", "yesno", "text", "accounts"
NOT_RUN = "未开展"


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str
    how: str
    manual: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]


def _manual(key, label, kind, how) -> Field:
    return Field(key, label, kind, how, manual=True)


SECTIONS = (
    Section("基本信息", (
        Field("site_name", "网站名称", TEXT, "统一主题中的网站名称"),
        Field("homepage_url", "首页网址", TEXT, "门户网站的公开地址"),
        Field("sponsor", "主办单位", TEXT, "统一主题中的主办单位"),
        Field("site_type", "网站类型", TEXT, "本平台是区政府门户网站及其部门频道（集约化平台）"),
        Field("site_code", "政府网站标识码", TEXT, "统一主题中的网站标识码"),
        Field("icp_number", "ICP备案号", TEXT, "统一主题中的 ICP 备案号"),
        Field("police_number", "公安机关备案号", TEXT, "统一主题中的公安机关备案号"),
        Field("unique_visitors", "独立用户访问总量（单位：个）", NUMBER,
              "访问统计：全年各网站每日独立访客之和（访客按每日更换的加盐散列区分，不保存 IP 或 Cookie；已排除搜索"
              "引擎爬虫和平台自身的巡检）"),
        Field("page_views", "网站总访问量（单位：次）", NUMBER,
              "访问统计：全年各网站页面浏览次数之和（同上排除爬虫和巡检）"),
    )),
    Section("信息发布", (
        Field("items_total", "信息发布总数（单位：条）", NUMBER,
              "全年发布且目前仍在网站上的信息条数（全部网站、全部栏目）"),
        Field("items_about", "概况类信息更新量（单位：条）", NUMBER, "其中“机构概况”类栏目的信息"),
        Field("items_news", "政务动态信息更新量（单位：条）", NUMBER, "其中“动态要闻”和“通知公告”类栏目的信息"),
        Field("items_disclosure", "信息公开目录信息更新量（单位：条）", NUMBER,
              "其中“信息公开”类栏目（信息公开目录）的信息"),
    )),
    Section("专栏专题", (
        Field("topics_maintained", "维护数量（单位：个）", NUMBER,
              "全年任一天在办的已发布专题（开始不晚于年末、未在年初前结束）"),
        Field("topics_opened", "新开设数量（单位：个）", NUMBER, "开始日期在本年度的已发布专题"),
    )),
    Section("解读回应", (
        Field("interpretation_total", "解读信息发布总数（单位：条）", NUMBER,
              "解读材料、解读产品、媒体评论文章三项之和"),
        Field("interpretation_materials", "其中：解读材料数量（单位：条）", NUMBER, "全年“政策解读”类栏目发布的信息"),
        _manual("interpretation_products", "其中：解读产品数量（单位：个）", NUMBER,
              "图解、动漫、音视频等解读产品的数量"),
        _manual("media_commentaries", "其中：媒体评论文章数量（单位：篇）", NUMBER, "媒体评论文章的数量"),
        _manual("hot_responses", "回应公众关注热点或重大舆情数量（单位：次）", NUMBER,
              "回应公众关注热点或重大舆情的次数"),
    )),
    Section("办事服务", (
        _manual("service_catalogue", "是否发布服务事项目录", YESNO, "平台未接入政务服务系统，请按实际填写"),
        _manual("registered_users", "注册用户数（单位：个）", NUMBER, "政务服务系统的注册用户数"),
        _manual("service_items", "政务服务事项数量（单位：项）", NUMBER, "政务服务事项数量"),
        _manual("online_service_items", "可全程在线办理政务服务事项数量（单位：项）", NUMBER,
              "可全程在线办理的事项数量"),
        _manual("cases_total", "办件量总数（单位：件）", NUMBER, "全年办件量"),
        _manual("cases_natural", "其中：自然人办件量（单位：件）", NUMBER, "自然人办件量"),
        _manual("cases_legal", "其中：法人办件量（单位：件）", NUMBER, "法人办件量"),
    )),
    Section("互动交流", (
        Field("unified_platform", "是否使用统一平台", YESNO, "是：各网站的政务邮箱由本平台统一受理、转办"),
        Field("letters_received", "留言办理：收到留言数量（单位：条）", NUMBER,
              "政务邮箱全年收到的有效来信（不含作无效、重复关闭的）"),
        Field("letters_closed", "留言办理：办结留言数量（单位：条）", NUMBER, "其中已审核答复的来信"),
        Field("letters_avg_days", "留言办理：平均办理时间（单位：天）", DECIMAL,
              "已答复来信从收信到答复的平均工作日数"),
        Field("letters_published", "留言办理：公开答复数量（单位：条）", NUMBER, "其中答复已在网站公开的来信"),
        Field("consultation_periods", "征集调查：征集调查期数（单位：期）", NUMBER,
              "征集调查插件：开始日期在本年度的意见征集和问卷调查"),
        Field("consultation_opinions", "征集调查：收到意见数量（单位：条）", NUMBER,
              "全年收到的意见和问卷（审核中拒绝的不计）"),
        Field("consultation_results", "征集调查：公布调查结果期数（单位：期）", NUMBER, "全年发布结果反馈的期数"),
        Field("interviews", "在线访谈：访谈期数（单位：期）", NUMBER,
              "在线访谈插件：开始时间在本年度、已开始或已结束的访谈"),
        Field("interview_questions", "在线访谈：网民留言数量（单位：条）", NUMBER, "全年网民提交的问题"),
        Field("interview_answers", "在线访谈：答复网民提问数量（单位：条）", NUMBER, "全年发布了答复的问题"),
        _manual("smart_qa", "是否提供智能问答", YESNO, "本平台没有智能问答功能；接入了其他系统的请填“是”"),
    )),
    Section("安全防护", (
        Field("security_checks", "安全检测评估次数（单位：次）", NUMBER,
              "全年的全站巡检和可用性监测（按检测来源分项相加）"),
        Field("problems_found", "发现问题数量（单位：个）", NUMBER,
              "事件记录：全年发现的安全事件（站点不可访问、网页被篡改、发布或备份失败等）"),
        Field("problems_fixed", "问题整改数量（单位：个）", NUMBER, "事件记录：全年处置完成的事件"),
        Field("monitoring", "是否建立安全监测预警机制", YESNO,
              "是：平台每 5 分钟监测各网站可用性、每 10 分钟比对网页防篡改，异常即时告警值班人员"),
        _manual("emergency_drill", "是否开展应急演练", YESNO, "全年是否开展了网站安全应急演练"),
        Field("security_officer", "是否明确网站安全责任人", YESNO, "是：已任命安全管理员"),
    )),
    Section("移动新媒体", (
        Field("has_newmedia", "是否有移动新媒体", YESNO, "政务新媒体登记：本年度在运营的账号"),
        Field("weibo", "微博", ACCOUNTS, "政务新媒体登记：账号名称、全年信息发布量之和、年内最后一个月的关注量"),
        Field("wechat", "微信", ACCOUNTS, "同上"),
        Field("other", "其他", ACCOUNTS, "同上（客户端、短视频等）"),
    )),
    Section("创新发展", (
        Field("search_service", "搜索即服务", YESNO,
              "是：一个搜索框检索全部网站的信息、政务公开和互动内容，并支持拼音与纠错"),
        _manual("multilingual", "多语言版本", YESNO, "是否提供外文版本"),
        Field("accessibility", "无障碍浏览", YESNO, "是：全部网站提供关怀模式（大字、高对比度）和纯文本浏览"),
        _manual("personalised", "千人千网", YESNO, "是否按用户提供个性化页面"),
        _manual("innovation_other", "其他", TEXT, "其他创新做法（可不填）"),
    )),
)

FIELDS = {field.key: field for section in SECTIONS for field in section.fields}
MANUAL_FIELDS = [field for field in FIELDS.values() if field.manual]


def display_value(field: Field, value) -> str:
    """A value as the statement prints it."""
    if field.kind == ACCOUNTS:
        if not value:
            return "无"
        return "；".join(f"{account['name']}（发布 {account['posts']} 条，关注 {account['followers']}）"
                        for account in value)
    if value is None:
        if field.manual:
            return "无" if field.kind == TEXT else "未填写"
        return NOT_RUN
    if field.kind == YESNO:
        return "是" if value else "否"
    if value == "":
        return "无"
    return str(value)
