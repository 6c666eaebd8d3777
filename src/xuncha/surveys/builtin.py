"""The built-in survey templates a group starts from: the 民主测评表, a general 调查问卷 and the 巡察后评估问卷.

They are the printed forms' wording (document content, like the talk outlines), so the text is Chinese here. A
survey made from a template gets its own copy of the questions, which the group then edits while it is a draft.
"""

from __future__ import annotations

from dataclasses import dataclass

from xuncha.surveys.models import QuestionKind, RatingScale, SurveyPurpose


@dataclass(frozen=True)
class TemplateQuestion:
    text: str
    kind: str
    section: str = ""
    choices: tuple[str, ...] = ()
    scale: str = ""
    required: bool = True


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    purpose: str
    title: str  # {unit} is replaced by the unit surveyed (or the inspected units)
    intro: str
    questions: tuple[TemplateQuestion, ...]


def _rated(section: str, *items: str) -> tuple[TemplateQuestion, ...]:
    return tuple(TemplateQuestion(text, QuestionKind.RATING, section=section, scale=RatingScale.QUALITY)
                 for text in items)


def _satisfaction(*items: str) -> tuple[TemplateQuestion, ...]:
    return tuple(TemplateQuestion(text, QuestionKind.RATING, section="对巡察组工作的评价",
                                  scale=RatingScale.SATISFACTION) for text in items)


APPRAISAL = SurveyTemplate(
    key="appraisal",
    purpose=SurveyPurpose.APPRAISAL,
    title="{unit}领导班子和主要负责人民主测评表",
    intro=("为全面了解{unit}领导班子和主要负责人的履职情况，巡察组开展民主测评。本次测评采取无记名方式，"
           "每个测评码只能使用一次，答卷与测评码不关联，请根据平时了解的情况如实评价。"),
    questions=(
        *_rated("对领导班子的评价",
                "政治建设（学习贯彻党的创新理论、落实上级决策部署）",
                "落实全面从严治党主体责任",
                "贯彻执行民主集中制和“三重一大”决策制度",
                "选人用人和干部队伍建设",
                "作风建设（落实中央八项规定精神、纠治“四风”）",
                "党风廉政建设和廉洁自律",
                "基层党组织建设",
                "推动本单位事业发展",
                "对领导班子的总体评价"),
        *_rated("对主要负责人（一把手）的评价",
                "政治素质和政治担当",
                "履行全面从严治党第一责任人职责",
                "执行民主集中制、带头依规决策",
                "选人用人",
                "工作作风",
                "廉洁自律",
                "对主要负责人的总体评价"),
        TemplateQuestion("对领导班子和主要负责人的意见建议", QuestionKind.TEXT, section="意见建议", required=False),
    ),
)

QUESTIONNAIRE = SurveyTemplate(
    key="questionnaire",
    purpose=SurveyPurpose.QUESTIONNAIRE,
    title="{unit}巡察调查问卷",
    intro=("为深入了解{unit}党的建设和全面从严治党情况，巡察组开展问卷调查。问卷不记名，"
           "答卷与测评码不关联，请如实填写。"),
    questions=(
        TemplateQuestion("你认为本单位党组织发挥领导作用、把方向管大局保落实的情况如何？", QuestionKind.RATING,
                         scale=RatingScale.QUALITY),
        TemplateQuestion("你认为本单位落实中央八项规定精神、纠治“四风”的情况如何？", QuestionKind.RATING,
                         scale=RatingScale.QUALITY),
        TemplateQuestion("你认为本单位目前存在的突出问题有哪些？（可多选）", QuestionKind.MULTIPLE, choices=(
            "形式主义、官僚主义", "违反中央八项规定精神", "选人用人不规范", "“三重一大”决策不规范",
            "资金资产资源管理不规范", "优亲厚友、吃拿卡要", "基层党组织软弱涣散", "没有发现明显问题", "其他")),
        TemplateQuestion("你认为本单位干部选拔任用工作是否公开公正？", QuestionKind.SINGLE, choices=(
            "公开公正", "比较公正", "不够公正", "不了解")),
        TemplateQuestion("上一轮巡察（审计）发现问题的整改是否到位？", QuestionKind.SINGLE, choices=(
            "整改到位", "基本到位", "整改不到位", "不了解")),
        TemplateQuestion("你对本单位党的建设和巡察工作有何意见建议？", QuestionKind.TEXT, required=False),
    ),
)

EVALUATION = SurveyTemplate(
    key="evaluation",
    purpose=SurveyPurpose.EVALUATION,
    title="{unit}巡察后评估问卷",
    intro=("巡察反馈后，为了解巡察组工作情况，改进巡察工作，请对巡察组的工作作出评价。问卷不记名，"
           "答卷与测评码不关联，请如实填写。"),
    questions=(
        *_satisfaction(
            "巡察组严守政治纪律和政治规矩、坚持政治巡察定位的情况",
            "巡察组工作作风深入扎实、联系干部群众的情况",
            "巡察组遵守中央八项规定精神和廉洁纪律的情况",
            "巡察组依规依纪依法开展工作、严守保密纪律的情况",
            "巡察发现问题精准、反馈意见有针对性和指导性的情况",
            "巡察对推动本单位整改和工作的作用",
            "对巡察组工作的总体评价"),
        TemplateQuestion("对巡察组和改进巡察工作的意见建议", QuestionKind.TEXT, section="意见建议", required=False),
    ),
)

TEMPLATES: dict[str, SurveyTemplate] = {t.key: t for t in (APPRAISAL, QUESTIONNAIRE, EVALUATION)}
TEMPLATE_FOR_PURPOSE: dict[str, SurveyTemplate] = {t.purpose: t for t in TEMPLATES.values()}
