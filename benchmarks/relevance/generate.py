"""Writes the judged relevance set (corpus.json, queries.json) beside this file, deterministically.

The corpus is written for judging: several departments with look-alike topics, each policy with
its 解读, yearly notices of two years, repealed and superseded documents next to valid ones,
each department's institutional pages (职能, 预算, 信息公开指南) that mention its name throughout,
Latin letters and numbers in titles, and terms that only a body contains. Every query names the
documents that must be in its top 3. Run again after editing; the output is the same every time.

Usage: python benchmarks/relevance/generate.py
"""

import json
from pathlib import Path

from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).resolve().parent

DEPARTMENTS = {
    "www": "源城区人民政府",
    "jyj": "区教育局",
    "wjj": "区卫生健康局",
    "rsj": "区人力资源和社会保障局",
    "zjj": "区住房和城乡建设局",
    "scj": "区市场监督管理局",
    "mzj": "区民政局",
    "ybj": "区医疗保障局",
}
# (department, topic, its pinyin, initials, a body-only phrase, a traditional form of the topic)
TOPICS = [
    ("jyj", "义务教育", "yiwujiaoyu", "ywjy", "划片招生", "義務教育"),
    ("jyj", "学前教育", "xueqianjiaoyu", "xqjy", "普惠性幼儿园", "學前教育"),
    ("jyj", "校园安全", "xiaoyuananquan", "xyaq", "防溺水教育", "校園安全"),
    ("jyj", "学生资助", "xueshengzizhu", "xszz", "生源地信用助学贷款", "學生資助"),
    ("wjj", "疫苗接种", "yimiaojiezhong", "ymjz", "冷链运输", "疫苗接種"),
    ("wjj", "家庭医生签约", "jiatingyishengqianyue", "jtysqy", "慢性病随访", "家庭醫生簽約"),
    ("wjj", "公共卫生", "gonggongweisheng", "ggws", "健康档案", "公共衛生"),
    ("wjj", "食品安全", "shipinanquan", "spaq", "小作坊备案", "食品安全"),
    ("rsj", "社会保险", "shehuibaoxian", "shbx", "缴费基数", "社會保險"),
    ("rsj", "就业创业", "jiuyechuangye", "jycy", "一次性创业补贴", "就業創業"),
    ("rsj", "职业技能培训", "zhiyejinengpeixun", "zyjnpx", "以工代训", "職業技能培訓"),
    ("rsj", "养老保险", "yanglaobaoxian", "ylbx", "待遇领取资格认证", "養老保險"),
    ("zjj", "老旧小区改造", "laojiuxiaoqugaizao", "ljxqgz", "加装电梯", "老舊小區改造"),
    ("zjj", "保障性住房", "baozhangxingzhufang", "bzxzf", "轮候家庭", "保障性住房"),
    ("zjj", "建筑工地扬尘治理", "jianzhugongdiyangchenzhili", "jzgdyczl", "雾炮机", "建築工地揚塵治理"),
    ("zjj", "住房公积金", "zhufanggongjijin", "zfgjj", "提取额度", "住房公積金"),
    ("scj", "营商环境", "yingshanghuanjing", "yshj", "证照分离", "營商環境"),
    ("scj", "市场主体登记", "shichangzhutidengji", "sczzdj", "简易注销", "市場主體登記"),
    ("scj", "药品监管", "yaopinjianguan", "ypjg", "飞行检查", "藥品監管"),
    ("scj", "特种设备安全", "tezhongshebeianquan", "tzsbaq", "电梯维保", "特種設備安全"),
    ("mzj", "最低生活保障", "zuidishenghuobaozhang", "zdshbz", "家庭经济状况核对", "最低生活保障"),
    ("mzj", "养老服务", "yanglaofuwu", "ylfw", "长者饭堂", "養老服務"),
    ("mzj", "殡葬改革", "binzanggaige", "bzgg", "生态安葬", "殯葬改革"),
    ("mzj", "社区治理", "shequzhili", "sqzl", "网格员", "社區治理"),
    ("ybj", "医疗保险", "yiliaobaoxian", "ylbx", "门诊共济", "醫療保險"),
    ("ybj", "异地就医", "yidijiuyi", "ydjy", "备案登记", "異地就醫"),
    ("ybj", "医保基金监管", "yibaojijinjianguan", "ybjjjg", "欺诈骗保", "醫保基金監管"),
    ("www", "乡村振兴", "xiangcunzhenxing", "xczx", "驻村工作队", "鄉村振興"),
    ("www", "一网通办", "yiwangtongban", "ywtb", "免证办", "一網通辦"),
    ("www", "安全生产", "anquanshengchan", "aqsc", "隐患排查治理", "安全生產"),
]
# Typed with a pinyin input method: a near-homophone in place of one character.
TYPOS = {
    "营商环境": "营商环竟",
    "医疗保险": "医疗保线",
    "义务教育": "义物教育",
    "疫苗接种": "疫苗接中",
    "社会保险": "社会保显",
    "乡村振兴": "乡村振心",
    "养老服务": "养老服雾",
    "殡葬改革": "殡葬该革",
    "安全生产": "安全声产",
    "老旧小区改造": "老旧小区改照",
    "住房公积金": "住房公基金",
    "药品监管": "药品检管",
    "就业创业": "就业创叶",
    "食品安全": "食品按全",
}
SHORT = {
    "jyj": "教育局",
    "wjj": "卫健局",
    "rsj": "区人社局",
    "zjj": "住建局",
    "scj": "市监局",
    "mzj": "民政局",
    "ybj": "医疗保障局",
}
SYNONYM_QUERIES = [
    ("社保", "社会保险"),
    ("公积金", "住房公积金"),
    ("低保", "最低生活保障"),
    ("医保", "医疗保险"),
    ("食安", "食品安全"),
    ("义教", "义务教育"),
    ("预防接种", "疫苗接种"),
    ("政务服务网", "一网通办"),
]
SYNONYM_FULL = {"社保": ["社会保险"], "医保": ["医疗保险"], "公积金": ["住房公积金"], "低保": ["最低生活保障"]}
SENTENCES = [
    "各单位要高度重视，加强组织领导，明确责任分工，确保各项工作落到实处。",
    "请于每月5日前报送工作进展情况，联系电话：0762-3388xxx。",
    "本通知自印发之日起施行，由发文单位负责解释。",
]


def main():
    docs, queries = {}, []

    def doc(key, prefix, type_, title, body, date, validity="valid"):
        docs[key] = {
            "department": prefix,
            "type": type_,
            "title": title,
            "body": body,
            "date": date,
            "validity": validity,
        }
        return key

    def ask(kind, q, *expected):
        queries.append({"kind": kind, "q": q, "top3": list(expected)})

    def ask_any(kind, q, *relevant):
        """A query about a topic in general: any one of its main documents in the top 3 will do."""
        queries.append({"kind": kind, "q": q, "top3_any": list(relevant)})

    for prefix, name in DEPARTMENTS.items():
        if prefix == "www":
            continue
        mentions = f"{name}是区人民政府工作部门。{name}负责本行业管理工作。" * 3
        doc(
            f"{prefix}-duty",
            prefix,
            "about",
            f"{name}主要职能",
            mentions + "负责有关政策的起草和组织实施。",
            "2024-01-05",
        )
        doc(
            f"{prefix}-budget",
            prefix,
            "disclosure",
            f"{name}2026年部门预算",
            mentions + "一般公共预算收支情况。",
            "2026-02-20",
        )
        doc(
            f"{prefix}-guide",
            prefix,
            "disclosure",
            f"{name}政府信息公开指南",
            mentions + "依申请公开的受理渠道。",
            "2023-06-01",
        )
        ask("department_only", SHORT[prefix] if prefix not in ("mzj",) else name, f"{prefix}-duty")
    for number, (prefix, topic, full, _initials, body_term, traditional) in enumerate(TOPICS):
        name = DEPARTMENTS[prefix]
        base = f"t{number:02d}"
        body = (
            f"为进一步做好{topic}工作，{name}结合实际，现就有关事项通知如下。"
            f"一、工作目标。全面提升{topic}服务水平。二、重点任务。推进{body_term}等措施。" + SENTENCES[number % 3]
        )
        policy = doc(
            f"{base}-policy", prefix, "policy", f"源城区{topic}工作实施方案", body, f"2025-{number % 12 + 1:02d}-10"
        )
        reading = doc(
            f"{base}-reading",
            prefix,
            "interpretation",
            f"《源城区{topic}工作实施方案》政策解读",
            f"一、制定背景。二、主要内容：明确{topic}的目标和任务。三、适用范围。",
            f"2025-{number % 12 + 1:02d}-12",
        )
        doc(f"{base}-notice-2025", prefix, "notice", f"关于做好2025年{topic}工作的通知", body, "2025-03-01")
        new = doc(f"{base}-notice-2026", prefix, "notice", f"关于做好2026年{topic}工作的通知", body, "2026-03-02")
        doc(
            f"{base}-news",
            prefix,
            "news",
            f"{name}召开{topic}工作推进会",
            f"会议要求{name}各科室抓好{topic}各项任务落实。",
            f"2026-{number % 9 + 1:02d}-18",
        )
        doc(
            f"{base}-measures-old",
            prefix,
            "policy",
            f"源城区{topic}管理暂行办法",
            f"为规范{topic}管理，制定本办法。本办法已废止。",
            "2018-05-01",
            "repealed",
        )
        valid = doc(
            f"{base}-measures",
            prefix,
            "policy",
            f"源城区{topic}管理办法",
            f"为规范{topic}管理，制定本办法。本办法自发布之日起施行。",
            "2023-05-01",
        )
        doc(
            f"{base}-summary",
            prefix,
            "disclosure",
            f"{name}{topic}工作年度总结",
            f"本年度{topic}工作总体平稳，下一步将继续完善制度。",
            "2025-12-20",
        )
        doc(
            f"{base}-other",
            "www" if prefix != "www" else "jyj",
            "news",
            f"我区召开{topic[:2]}相关工作会议",
            f"会议提到{topic}等工作。",
            "2024-08-08",
        )
        ask("exact_title", f"源城区{topic}工作实施方案", policy)
        ask("keyword", f"{topic}实施方案", policy)
        ask("traditional", f"{traditional}工作實施方案", policy)
        ask("body_only", body_term, policy)
        ask("recency", f"{topic}工作的通知", new)
        ask("validity", f"{topic}办法", valid)
        ask("interpretation", f"{topic}政策解读", reading)
        main_documents = (policy, valid, reading, new)
        if number % 2 == 0:
            ask_any("pinyin_full", full, *main_documents)
        else:
            ask_any("pinyin_initials", "".join(lazy_pinyin(topic, style=Style.FIRST_LETTER)), *main_documents)
        if number % 3 == 0:
            half = len(topic) // 2
            ask_any("pinyin_mixed", "".join(lazy_pinyin(topic[:half])) + topic[half:], *main_documents)
        if topic in TYPOS:
            ask_any("typo", TYPOS[topic], *main_documents)
        if prefix != "www":
            ask_any("department_topic", f"{SHORT[prefix]} {topic}", *main_documents)
    # Single characters and Latin letters with numbers in titles.
    singles = [
        ("棋", "全区中小学围棋比赛举行"),
        ("桥", "东江大桥维修期间交通管制的通告"),
        ("鼠", "春季灭鼠工作安排"),
        ("茶", "客家擂茶非遗展示活动"),
        ("蚊", "登革热防控灭蚊行动"),
        ("柚", "柚子产业园建设进展"),
        ("鹅", "河源鹅养殖技术培训"),
        ("窑", "古窑址保护范围公告"),
        ("梅", "梅花节游园活动"),
        ("笋", "春笋采挖安全提示"),
    ]
    for number, (char, title) in enumerate(singles):
        key = doc(
            f"single-{number}", "www", "news", title, f"{title}。" + SENTENCES[number % 3], f"2026-0{number % 9 + 1}-03"
        )
        ask("single_char", char, key)
    latin = [
        ("5G+智慧医疗试点工作方案", "5G智慧医疗", "wjj"),
        ("GB 2760-2014食品添加剂标准宣贯会", "GB2760", "scj"),
        ("12345热线工单办理情况通报", "12345热线", "www"),
        ("PM2.5浓度月度通报", "PM2.5", "www"),
        ("ISO 9001质量管理体系认证补助", "ISO9001", "scj"),
        ("2026年度A级纳税人名单", "A级纳税人", "www"),
        ("区第3季度HPV疫苗接种安排", "HPV疫苗", "wjj"),
        ("App适老化改造工作方案", "App适老化", "www"),
        ("G205国道改造施工公告", "G205", "zjj"),
        ("3岁以下婴幼儿照护服务补贴", "3岁以下婴幼儿照护", "wjj"),
        ("CT检查费用下调通知", "CT检查", "ybj"),
        ("AI辅助诊疗试点", "AI辅助诊疗", "wjj"),
    ]
    for number, (title, query, prefix) in enumerate(latin):
        key = doc(
            f"latin-{number}",
            prefix,
            "notice",
            title,
            f"{title}。" + SENTENCES[number % 3],
            "2026-04-0" + str(number % 9 + 1),
        )
        ask("latin_number", query, key)
    # Synonyms: the query uses the short form, the documents the full one.
    by_topic = {topic: f"t{number:02d}" for number, (_, topic, *_rest) in enumerate(TOPICS)}
    for short, full in SYNONYM_QUERIES:
        ask("synonym", f"{short}管理办法", f"{by_topic[full]}-measures")
    # Short pinyin and initials of common words that the titles carry.
    for number, (title, query, word) in enumerate(
        [
            ("社保卡申领和补换指南", "shebao", "社保"),
            ("医保报销范围问答", "yibao", "医保"),
            ("公积金贷款额度调整", "gongjijin", "公积金"),
            ("低保对象名单公示", "dibao", "低保"),
        ]
    ):
        key = doc(
            f"short-{number}",
            ["rsj", "ybj", "zjj", "mzj"][number],
            "notice",
            title,
            f"{title}。{word}相关问题。",
            "2026-06-1" + str(number),
        )
        ask_any(
            "pinyin_full",
            query,
            key,
            *(
                f"{by_topic[full]}-{part}"
                for full in SYNONYM_FULL.get(word, [])
                for part in ("policy", "measures", "reading", "notice-2026")
            ),
        )
    (HERE / "corpus.json").write_text(
        json.dumps({"departments": DEPARTMENTS, "documents": docs}, ensure_ascii=False, indent=1) + "\n"
    )
    (HERE / "queries.json").write_text(json.dumps(queries, ensure_ascii=False, indent=1) + "\n")
    kinds = {}
    for entry in queries:
        kinds[entry["kind"]] = kinds.get(entry["kind"], 0) + 1
    print(len(docs), "documents;", len(queries), "queries:", kinds)


if __name__ == "__main__":
    main()
