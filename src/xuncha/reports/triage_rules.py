"""A first sort of citizens' reports (举报/信访): which category, which disposal, who is named, and why.

This is a transparent keyword rule set, not a model: every suggestion says which words led to it, and a
person decides. No Django here, so the benchmark (bench/triage.py) runs without a database.

How it works
------------
1. The text is normalised (NFKC, lower case, whitespace removed).
2. Every lexicon below is a list of (word, weight). A word is either a plain string or, when it starts with
   ``re:``, a regular expression. Each word counts once however often it appears.
3. Negation, roughly: a hit is dropped when the few characters just before it end in a negation cue
   (没有/没/未/不/无/并未/从未 … optionally followed by 发现/听说/存在/涉及/是/有): "没有发现贪污" does not count
   贪污; or when its clause has a denying cue anywhere before it (没有发现/不存在/从未 …: "没有发现村会计贪污").
   Words that carry their own negation ("没有公示", "没人管") are matched as they stand: for a report the
   negation is often the problem itself. Negation is applied to the wrongdoing, forward, quick-fix and
   category lexicons, never to the advert lexicon.
4. Disposal, in priority order (the first that applies wins):
   - ``archive``   advert words score ≥ ADVERT_MIN (seed 000's gambling advert: 注册、开户、APP下载、客服 …);
   - ``clue``      wrongdoing score ≥ CLUE_MIN and someone identifiable (a title, a name, 某/姓X, 村干部 …),
                   or wrongdoing score ≥ CLUE_STRONG on its own;
   - ``forward``   outside-the-remit score ≥ FORWARD_MIN and not below the wrongdoing score (private disputes,
                   lawsuits, 劳动争议, 家庭纠纷, 交通事故 …: 转交有关部门);
   - ``immediate`` quick-fix score ≥ IMMEDIATE_MIN and not below the style score (公示不及时, 服务态度, 办事
                   拖延, 停水, 路灯 …);
   - ``general``   a category, wrongdoing or quick-fix score ≥ GENERAL_MIN (a problem of work or style);
   - ``general``   no rule word, but a text of SUBSTANTIVE_HAN Han characters or more without NO_CONTENT
                   words (greetings, thanks, questions): it describes something, so a person reads it;
   - ``archive``   nothing concrete.
   The wrongdoing score gains SELF_BENEFIT_WEIGHT when the text has both someone's own people (自己/亲戚/
   家族 …) and money or goods (钱/资金/物资/补贴/"五百元" …).
5. Category: the highest weighted category lexicon; ties go to the earlier category in CATEGORY_LEXICON.
   Forwarded and archived reports get no category (""): they are not a problem of the inspected unit.
   A clue without category words is filed under integrity, a quick-fix matter under masses.

How good it is: on the reports the lexicons were written beside, disposal macro F1 ≈ 0.9; on reports
written afterwards and never used for tuning (the "holdout3" split) only ≈ 0.33, and each earlier holdout
told the same story before it was used. Treat the suggestion as a first sort that a person confirms, and
read the reason: when it says no rule word matched, the rules know nothing about the report.

Change the lexicons with the labelled set at hand (src/xuncha/reports/data/labelled_reports.jsonl) and run
bench/triage.py before and after: the set was written as people write, so a word added to catch one report
may well break two others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Lexicon = tuple[tuple[str, float], ...]

CATEGORIES: tuple[str, ...] = (
    "political", "organisational", "integrity", "masses", "work", "life", "formalism", "bureaucratism",
    "hedonism", "extravagance", "eight_rules", "leadership", "party_building", "strict_governance",
)
DISPOSALS: tuple[str, ...] = ("clue", "immediate", "general", "forward", "archive")

DISPOSAL_LABELS = {
    "clue": "问题线索",
    "immediate": "立行立改",
    "general": "一般性问题",
    "forward": "转交有关部门",
    "archive": "存档",
}

ADVERT_MIN = 2.0
CLUE_MIN = 3.0
CLUE_STRONG = 6.0
FORWARD_MIN = 2.0
IMMEDIATE_MIN = 2.0
GENERAL_MIN = 2.0  # one weak hint ("希望", "网站") is not a problem

# Adverts and pasted junk (seed 000 opens with a gambling site's blurb). Weights: 2 = only adverts say it.
ADVERT: Lexicon = (
    ("注册", 1), ("开户", 2), ("app下载", 2), ("下载", 1), ("客服", 1), ("在线客服", 2), ("营业牌照", 2),
    ("正规经营", 2), ("正规平台", 2), ("娱乐城", 3), ("博彩", 3), ("彩票", 2), ("百家乐", 3), ("送88", 2),
    ("re:注册.{0,2}送", 2), ("日赚", 2), ("日结", 2), ("刷单", 3), ("兼职", 1), ("加微信", 2), ("加qq", 2),
    ("qq群", 2), ("re:微信号?[:：]?[a-z0-9_-]{5,}", 2), ("低息", 2), ("无抵押", 2), ("放款", 2), ("贷款", 1),
    ("充值", 2), ("秒到账", 2), ("欢迎体验", 2), ("上门服务", 1), ("高价回收", 3), ("办理各类证件", 3),
    ("刻章", 2), ("代开发票", 3), ("re:1[3-9]\\d{9}", 1), ("http", 1), ("www.", 1), ("点击", 1),
)

# What says there is nothing to act on: greetings, thanks, praise, questions about the group, tests.
NO_CONTENT: Lexicon = (
    ("没什么问题", 2), ("没有问题", 2), ("没什么要反映", 3), ("挺好", 1), ("支持你们", 2), ("感谢", 1),
    ("辛苦了", 2), ("祝", 1), ("顺利", 1), ("请问", 2), ("问问", 1), ("测试", 2), ("你们好", 1), ("看看", 1),
    ("还可以", 2), ("越来越好", 2), ("不方便说", 2), ("来了就知道", 2), ("说得对", 2), ("免费领取", 3),
    ("礼品", 1), ("代写", 3), ("代考", 3), ("包过", 3), ("私聊", 2), ("谢谢", 1), ("公众号", 3), ("关注", 1),
    ("诚招", 3), ("零投资", 3), ("月入", 3), ("详询", 3), ("想问", 2), ("不知道该说什么", 3), ("盼着", 1),
    ("欢迎", 1), ("有看法", 2), ("加油", 2), ("点赞", 2),
)
# A text with at least this many Han characters and no word from NO_CONTENT describes something: when no rule
# word matches, it goes to a person as a general problem rather than to the archive.
SUBSTANTIVE_HAN = 14
_HAN = re.compile(r"[\u4e00-\u9fff]")

# Specific wrongdoing: money taken, bribes, embezzlement, relatives favoured, votes bought, improper relations.
WRONGDOING: Lexicon = (
    ("贪污", 4), ("受贿", 4), ("行贿", 4), ("索贿", 4), ("回扣", 4), ("返点", 4), ("好处费", 4), ("挪用", 4),
    ("侵占", 4), ("截留", 4), ("克扣", 4), ("虚报", 4), ("冒领", 4), ("冒用", 3), ("套取", 4), ("套钱", 4),
    ("re:套.{0,4}补贴", 3), ("小金库", 4), ("利益输送", 4), ("权钱交易", 4), ("优亲厚友", 4), ("腰包", 4),
    ("私分", 4), ("re:(被|给)?他们.{0,2}分了", 3), ("中饱私囊", 4), ("吃回扣", 4), ("红包", 3), ("礼金", 3),
    ("购物卡", 3), ("收钱", 3), ("re:收了?.{0,6}的?钱", 3), ("送了钱", 3), ("花钱买", 3), ("买票", 4),
    ("贿选", 4), ("拉票", 3), ("买官", 4), ("跑官", 3), ("不正当关系", 4), ("包养", 4), ("情人", 3),
    ("赌场", 4), ("聚众赌博", 4), ("高利贷", 3), ("公款", 3), ("公家的钱", 3), ("公车私用", 4),
    ("re:公家的?车", 2), ("re:政府的?车", 2), ("re:报销", 1), ("烟酒", 2), ("土特产", 1), ("请客", 2),
    ("请吃饭", 2), ("吃拿卡要", 3), ("国有资产损失", 3), ("偷偷", 1), ("多占", 3), ("多拿", 3), ("多算", 2),
    ("多量", 2), ("做手脚", 3), ("压级压价", 3), ("差价", 2), ("手续费", 2), ("乱收费", 2), ("不给收据", 2),
    ("转到自己", 3), ("自己卡", 2), ("指定用", 2), ("大操大办", 3), ("re:摆了.{0,4}桌", 3), ("旅游", 2),
    ("关系铁", 1), ("关系很好", 1), ("小舅子", 2), ("侄子", 1), ("表哥", 1), ("亲戚", 1), ("亲属", 1),
    ("re:(亲戚|弟弟|儿子|儿媳|老婆|家里人|家人|亲属|家属).{0,12}(低保|底保)", 4),
    ("re:(低保|底保).{0,12}(亲戚|弟弟|儿子|儿媳|老婆|家里人|家人|亲属|家属)", 3),
    ("据为己有", 4), ("以权谋私", 4), ("吃空饷", 4), ("空挂", 3), ("冒名", 3), ("白条", 2), ("虚开", 3),
    ("账外", 3), ("私设", 3), ("私自", 2), ("个人名下", 3), ("个人账户", 3), ("自己的账户", 3), ("辛苦费", 3),
    ("好处", 2), ("拿两条烟", 3), ("re:拿.{0,3}条烟", 3), ("安排吃住", 3), ("吃住", 1), ("指定的", 2),
    ("入干股", 4), ("干股", 3), ("违规发放", 3), ("私用", 3), ("报账", 1), ("假账", 4), ("做假", 3),
    ("偷工减料", 2), ("没资质", 2), ("没有资质", 2), ("违规担保", 3), ("违规", 1), ("突击提拔", 3),
    ("改分数", 3), ("卖给", 2), ("偷偷卖", 3), ("放在小金库", 4), ("收受", 3), ("送礼", 3), ("收礼", 3),
)

# Someone benefits themselves or their people with money or goods: "把救灾物资先分给了自己家族的人".
SELF_BENEFIT = re.compile(r"(自己|自家|家族|亲戚|家人|老婆|老妈|儿子|弟弟|同学|朋友|他妈|他家)")
MONEY = re.compile(r"(\d+|[一二三四五六七八九十百千万两几]+)(万|千|百|块|元)|钱|资金|物资|补贴|补助|款")
SELF_BENEFIT_WEIGHT = 3.0

# Outside the remit: disputes between private parties, courts, labour, family, traffic, consumer matters.
FORWARD: Lexicon = (
    ("邻居", 2), ("边界", 1), ("界线", 2), ("拖欠工资", 4), ("欠薪", 4), ("工钱", 2), ("老板", 1), ("家暴", 4),
    ("打我", 3), ("老公", 2), ("离婚", 4), ("前妻", 3), ("前夫", 3), ("抚养费", 4), ("车祸", 4),
    ("交通事故", 4), ("保险公司", 2), ("打官司", 4), ("法院", 3), ("法庭", 3), ("起诉", 3), ("判决", 2),
    ("劳动仲裁", 4), ("仲裁", 3), ("辞退", 3), ("社保", 2), ("借了我", 3), ("不还", 2), ("假货", 3),
    ("退款", 2), ("商家", 2), ("开发商", 2), ("交房", 3), ("物业费", 2), ("业主", 2), ("业委会", 2),
    ("遗产", 4), ("分家", 3), ("造谣", 3), ("名誉", 3), ("网贷", 3), ("催收", 3), ("不肯赔", 3), ("不赔", 3),
    ("赔偿", 1), ("押金", 3), ("房东", 3), ("驾校", 3), ("医疗事故", 4), ("鉴定", 1), ("工伤", 3),
    ("复议", 2), ("立案", 2), ("打架", 3), ("打伤", 3), ("土地流转费", 3), ("强占", 1), ("协商不成", 2),
    ("装修", 1), ("推销", 2), ("被骗", 3), ("跑路了", 1), ("养殖场", 1), ("养猪场", 1), ("纠纷", 2),
    ("理财", 2), ("欠我", 2), ("传销", 3), ("年终奖", 3), ("合同纠纷", 3), ("债主", 3), ("欠债", 3),
    ("庄稼", 1), ("缩水", 2), ("工资", 1), ("加班费", 3), ("失踪", 2), ("找人", 1), ("诈骗", 3), ("骗了", 2),
    ("噪音", 2), ("宠物", 2), ("彩礼", 3), ("赡养", 3), ("继承", 3),
    ("婆婆", 2), ("嫂子", 2), ("我哥", 1), ("我弟", 1), ("我爸", 1),
)

# A concrete matter the unit can fix now.
IMMEDIATE: Lexicon = (
    ("没有公示", 3), ("没公示", 3), ("未公示", 3), ("不公示", 3), ("公示不及时", 3), ("没贴出来", 3),
    ("re:没有?张贴", 2), ("没更新", 2), ("没有更新", 2), ("公开栏", 1), ("态度", 2), ("爱答不理", 3),
    ("大呼小叫", 3), ("说话很冲", 3), ("玩手机", 2), ("re:跑了.{0,3}[趟次]", 3), ("白跑", 3),
    ("来回跑", 3), ("一次说清楚", 3), ("一次性告知", 3), ("推来推去", 3), ("不归", 1), ("停水", 3),
    ("停电", 3), ("吃水", 2), ("路灯", 3), ("坑", 2), ("修一下", 2), ("危险", 2), ("护栏", 2),
    ("减速带", 3), ("斑马线", 3), ("垃圾", 2), ("没人管", 1), ("没人修", 2), ("没人换", 2), ("没人拉", 2),
    ("下水道", 2), ("堵了", 2), ("排队", 2), ("窗口", 2), ("没人值班", 3), ("找不到人", 2), ("打不通", 3),
    ("没人接", 2), ("锁着", 2), ("没反馈", 3), ("没有反馈", 3), ("还没发", 3), ("没发到", 3), ("停发", 3),
    ("一拖再拖", 3), ("补缴", 2), ("没有提前通知", 3), ("没人通知", 3), ("没给开", 2), ("票据", 1),
    ("检测", 2), ("缺材料", 2), ("证明", 1), ("天然气", 2), ("玻璃", 2), ("坏了", 2), ("断了", 2),
    ("一直说在审核", 3), ("还差什么", 2), ("不一样", 1), ("清单", 1), ("摔", 1), ("尽快", 1), ("希望", 1),
    ("快点", 1), ("能不能", 1), ("漏水", 3), ("积水", 3), ("塌", 2), ("异味", 3), ("味道", 1), ("井盖", 3),
    ("红绿灯", 3), ("信号灯", 3), ("停了", 2), ("坏的", 2), ("弄丢", 3), ("没人教", 2), ("不会用", 1),
    ("发完了", 2), ("班车", 2), ("办不了", 2), ("办不下来", 2), ("re:交了.{0,2}[次遍]", 3), ("不给办", 3),
    ("排水", 2), ("漏雨", 3), ("停暖", 3), ("供暖", 2), ("信号", 1), ("网络", 1), ("不敢喝", 2),
    ("号贩子", 3), ("不在", 1), ("没人", 1), ("二十多天", 1), ("三个月", 1),
)

# Category lexicons. Weights: 3 = names the category, 2 = typical, 1 = hints.
CATEGORY_LEXICON: dict[str, Lexicon] = {
    "political": (
        ("妄议", 3), ("不当言论", 3), ("意识形态", 3), ("第一议题", 3), ("中央精神", 2), ("中央的政策", 2),
        ("两面人", 3), ("政治站位", 3), ("团团伙伙", 3), ("对抗组织", 3), ("迷信活动", 2), ("宗教", 1),
    ),
    "organisational": (
        ("选人用人", 3), ("提拔", 3), ("买官", 3), ("卖官", 3), ("跑官", 3), ("拉票", 3), ("贿选", 3),
        ("买票", 3), ("选举", 2), ("民主集中制", 3), ("一言堂", 3), ("三重一大", 3), ("不上会", 3),
        ("说了算", 2), ("招聘", 2), ("编制", 2), ("发展党员", 3), ("入党", 2), ("轮岗", 3), ("民主推荐", 3),
        ("档案造假", 3), ("违规用人", 3),
    ),
    "integrity": (
        ("回扣", 3), ("返点", 3), ("好处费", 3), ("受贿", 3), ("行贿", 3), ("收受", 2), ("贪污", 3), ("挪", 2),
        ("侵占", 3), ("小金库", 3), ("利益输送", 3), ("工程", 2), ("包工头", 2), ("承包商", 2), ("招投标", 2),
        ("套", 1), ("腰包", 2), ("集体", 1), ("国有资产", 2), ("担保", 2), ("红包", 2), ("购物卡", 2),
        ("偷工减料", 2), ("权钱交易", 3), ("违规经商", 3), ("入股", 2), ("指定用", 2), ("口袋", 2),
        ("资质", 1), ("收钱", 2), ("收了", 1), ("不罚", 2), ("卖给", 1), ("出纳", 1), ("炒股", 2),
        ("医保卡", 2), ("补贴", 1), ("自己卡", 2), ("财政", 1),
    ),
    "masses": (
        ("低保", 3), ("底保", 3), ("优亲厚友", 3), ("虚报", 2), ("冒领", 3), ("克扣", 3), ("补贴", 2),
        ("补助", 2), ("救助", 1), ("养老金", 2), ("惠民", 2), ("征地", 2), ("补偿", 2), ("拆迁", 2),
        ("安置", 2), ("廉租房", 2), ("扶贫", 1), ("压级压价", 3), ("手续费", 2), ("乱收费", 3), ("公示", 2),
        ("公开", 1), ("停水", 2), ("吃水", 2), ("饮水", 2), ("路灯", 2), ("修路", 1), ("垃圾", 2),
        ("危险", 1), ("群众利益", 3), ("态度蛮横", 3), ("骂人", 2), ("津贴", 2), ("优抚", 2), ("老人", 1),
        ("孩子", 1), ("学生", 1), ("卫生院", 1), ("窗口", 1), ("下水道", 2), ("天然气", 2), ("护栏", 2),
        ("合作医疗", 2), ("器材", 1), ("缴费", 1), ("农户", 1), ("困难户", 2),
    ),
    "work": (
        ("不在岗", 3), ("脱岗", 3), ("迟到早退", 3), ("上班时间", 2), ("打游戏", 2), ("找不到人", 2),
        ("打不通", 2), ("交接", 2), ("宣传不到位", 3), ("政策", 1), ("网站", 2), ("没更新", 1), ("规划", 2),
        ("不作为", 2), ("在外面做生意", 2), ("经常不在", 3), ("钓鱼", 1), ("没人干", 2),
    ),
    "life": (
        ("不正当关系", 3), ("情人", 3), ("包养", 3), ("赌博", 3), ("赌场", 3), ("高利贷", 2), ("家风", 2),
        ("婚外", 3), ("生活作风", 3),
    ),
    "formalism": (
        ("形式主义", 3), ("开会", 2), ("会议记录", 2), ("文山会海", 3), ("补材料", 3), ("材料", 1),
        ("填表", 3), ("留痕", 3), ("打卡", 2), ("拍照", 2), ("拍个照", 2), ("拍几张照片", 2), ("转发", 1),
        ("督查检查", 3), ("检查", 1), ("走过场", 2), ("横幅", 2), ("口号", 2), ("突击", 2), ("模板", 3),
        ("已办结", 2), ("文件回复文件", 3), ("以文件落实文件", 3), ("念文件", 3), ("签个字", 2), ("作秀", 3),
        ("面子工程", 3), ("锁着", 1), ("档案", 1), ("考核", 2), ("都是优秀", 2), ("转一圈", 2),
    ),
    "bureaucratism": (
        ("官僚主义", 3), ("态度", 2), ("爱答不理", 3), ("推诿", 3), ("推来推去", 3), ("踢皮球", 3),
        ("跑了", 2), ("来回跑", 2), ("白跑", 2), ("拖延", 2), ("一拖再拖", 1), ("没反馈", 2), ("没人接", 2),
        ("拍脑袋", 3), ("不归", 2), ("门难进", 3), ("脸难看", 3), ("研究研究", 3), ("没有下文", 3),
        ("大呼小叫", 3), ("说话很冲", 3), ("审核", 2), ("一次说清楚", 2), ("缺材料", 2), ("证明", 1),
        ("号贩子", 2), ("没人值班", 2), ("玩手机", 2), ("材料每次", 2), ("信访接待", 2), ("审批", 1),
    ),
    "hedonism": (
        ("享乐", 3), ("会所", 3), ("娱乐场所", 3), ("小灶", 3), ("高尔夫", 3), ("ktv", 2), ("洗浴", 2),
    ),
    "extravagance": (
        ("奢靡", 3), ("铺张浪费", 3), ("奢侈", 3), ("高档烟酒", 2), ("名贵", 2),
    ),
    "eight_rules": (
        ("八项规定", 3), ("公款吃喝", 3), ("请客", 2), ("吃饭", 2), ("吃喝", 2), ("公车", 3), ("公家的车", 3),
        ("政府的车", 3), ("公款旅游", 3), ("旅游", 2), ("考察", 1), ("烟酒", 2), ("土特产", 2), ("礼金", 2),
        ("收礼", 3), ("送礼", 3), ("大操大办", 3), ("婚丧嫁娶", 3), ("结婚", 1), ("桌", 1), ("喝酒", 3),
        ("酒气", 2), ("办公用房", 3), ("办公室面积", 3), ("超标", 2), ("豪华", 2), ("津补贴", 3),
        ("好烟好酒", 3), ("过年", 1), ("逢年过节", 2),
    ),
    "leadership": (
        ("不团结", 3), ("党的领导", 3), ("核心作用", 3), ("软弱涣散", 3), ("领导弱化", 3), ("各管一摊", 3),
        ("班子", 1), ("工作推不动", 2),
    ),
    "party_building": (
        ("三会一课", 3), ("党员大会", 3), ("组织生活", 3), ("党费", 3), ("党员活动室", 3), ("支部", 1),
        ("党建", 3), ("两张皮", 3), ("党课", 3), ("后备力量", 3), ("主题党日", 3), ("学习活动", 2),
    ),
    "strict_governance": (
        ("主体责任", 3), ("监督责任", 3), ("党风廉政建设", 3), ("整改", 2), ("从来没见处理", 3),
        ("没人过问", 2), ("管理很松", 3), ("宽松软", 3), ("一岗双责", 3), ("问责", 2), ("睁一只眼闭一只眼", 1),
        ("批评几句", 2), ("监督管理", 2),
    ),
}

# Categories whose words describe a way of working (style): they pull a quick-fix matter back to "general".
STYLE_CATEGORIES = ("formalism", "party_building", "organisational", "leadership", "strict_governance",
                    "political", "work", "hedonism")

# Titles of people who matter (一把手, those who manage people, money and assets), longest first when matched.
TITLES: tuple[str, ...] = (
    "党委书记", "党组书记", "支部书记", "村支书", "支书", "书记", "书计", "副局长", "局长", "副镇长", "镇长",
    "副乡长", "乡长", "副县长", "县长", "村主任", "村委会主任", "村长", "主任", "会计", "出纳", "村干部",
    "院长", "所长", "站长", "校长", "科长", "董事长", "总经理", "经理", "理事长", "组长", "队长", "行长",
)
_TITLE_RE = re.compile("|".join(sorted(map(re.escape, TITLES), key=len, reverse=True)))
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
_SOMEONE = re.compile(f"[{SURNAMES}]某+|姓[{SURNAMES}]")
# Someone identifiable even without a title: enough for a clue.
_ACTOR = re.compile(r"干部|工作人员|执法人员|科员|抄表员|领导|" + _SOMEONE.pattern)

_NEGATION = re.compile(r"(?:没有|没|未|不|无|并未|并没有|从未|从来没有|从没)(?:发现|听说|存在|涉及|是|有)?$")
_NEGATION_WINDOW = 5
# Cues that deny everything after them in the clause ("没有发现村会计贪污").
_CLAUSE_NEGATION = re.compile(r"没有?发现|未发现|不存在|没听说|并没有|并未|从未|从来没有?")
_CLAUSE_END = re.compile(r"[，。！？；：,.!?;:、…]")
_NEGATION_START = ("没", "未", "不", "无")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class TriageSuggestion:
    category: str
    disposal: str
    key_persons: tuple[str, ...] = ()
    reason: str = ""
    scores: dict[str, float] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class _Hits:
    score: float
    words: tuple[str, ...]


def normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "").lower())


def _negated(text: str, start: int) -> bool:
    if _NEGATION.search(text[max(0, start - _NEGATION_WINDOW):start]):
        return True
    clause = _CLAUSE_END.split(text[:start])[-1]
    return bool(_CLAUSE_NEGATION.search(clause))


def _match(text: str, lexicon: Lexicon, *, negation: bool = True) -> _Hits:
    score, words = 0.0, []
    for word, weight in lexicon:
        if word.startswith("re:"):
            pattern = re.compile(word[3:])
            spans = [(m.start(), m.group(0)) for m in pattern.finditer(text)]
            check = negation
        else:
            spans, i = [], text.find(word)
            while i >= 0:
                spans.append((i, word))
                i = text.find(word, i + 1)
            check = negation and not word.startswith(_NEGATION_START)
        found = next((w for pos, w in spans if not (check and _negated(text, pos))), None)
        if found is not None:
            score += weight
            words.append(found)
    return _Hits(score, tuple(words))


def _key_persons(text: str, names: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        name = name.strip()
        if name and normalise(name) in text and name not in out:
            out.append(name)
    for m in _SOMEONE.finditer(text):
        if m.group(0) not in out and not m.group(0).startswith("姓"):
            out.append(m.group(0))
    for m in _TITLE_RE.finditer(text):
        title = "书记" if m.group(0) == "书计" else m.group(0)
        if m.start() > 0 and text[m.start() - 1] in SURNAMES:
            title = text[m.start() - 1] + title  # 王副局长, 张会计
        if title not in out and not any(title in p for p in out):
            out.append(title)
    return tuple(out)


def _quote(words: Sequence[str], limit: int = 4) -> str:
    return "".join(f"“{w}”" for w in list(dict.fromkeys(words))[:limit])


def suggest(text: str, *, principal_names: Sequence[str] = (), money_names: Sequence[str] = ()) -> TriageSuggestion:
    """Suggest a category and disposal for one report, with the key persons it names and the reason."""
    t = normalise(text)
    names = list(principal_names) + list(money_names)
    persons = _key_persons(t, names)
    advert = _match(t, ADVERT, negation=False)
    wrong = _match(t, WRONGDOING)
    forward = _match(t, FORWARD)
    quick = _match(t, IMMEDIATE)
    if SELF_BENEFIT.search(t) and MONEY.search(t):
        wrong = _Hits(wrong.score + SELF_BENEFIT_WEIGHT, wrong.words + ("利己+钱物",))
    empty = _match(t, NO_CONTENT, negation=False)
    cats = {c: _match(t, lex) for c, lex in CATEGORY_LEXICON.items()}
    style = max(cats[c].score for c in STYLE_CATEGORIES)
    scores = {"advert": advert.score, "clue": wrong.score, "forward": forward.score, "immediate": quick.score,
              "style": style} | {c: h.score for c, h in cats.items()}
    best = max(CATEGORIES, key=lambda c: (cats[c].score, -CATEGORIES.index(c)))
    category = best if cats[best].score > 0 else ""
    identifiable = bool(persons) or bool(_ACTOR.search(t))

    if advert.score >= ADVERT_MIN and advert.score > wrong.score:
        return TriageSuggestion("", "archive", (), f"含{_quote(advert.words)}等广告用语，建议存档", scores)
    if (wrong.score >= CLUE_MIN and identifiable) or wrong.score >= CLUE_STRONG:
        who = f"，涉及{'、'.join(persons[:3])}" if persons else ""
        return TriageSuggestion(category or "integrity", "clue", persons,
                                f"含{_quote(wrong.words)}{who}，建议作为问题线索", scores)
    if forward.score >= FORWARD_MIN and forward.score >= wrong.score:
        return TriageSuggestion("", "forward", persons,
                                f"含{_quote(forward.words)}，属个人纠纷或其他部门职责，建议转交有关部门", scores)
    if quick.score >= IMMEDIATE_MIN and quick.score >= style:
        return TriageSuggestion(category or "masses", "immediate", persons,
                                f"含{_quote(quick.words)}，事项具体、可即时解决，建议立行立改", scores)
    if max(cats[best].score, wrong.score, quick.score) >= GENERAL_MIN:
        words = (cats[best].words if category else ()) + wrong.words + quick.words
        return TriageSuggestion(category or "work", "general", persons,
                                f"含{_quote(words)}，属工作或作风问题，建议作为一般性问题", scores)
    if empty.score < 2 and len(_HAN.findall(t)) >= SUBSTANTIVE_HAN:
        return TriageSuggestion("work", "general", persons,
                                "未命中规则用语，但内容具体，建议人工研判，暂作为一般性问题", scores)
    return TriageSuggestion("", "archive", (), "未见具体问题内容，建议存档", scores)
