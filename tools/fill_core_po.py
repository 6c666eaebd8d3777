"""Regenerate src/xuncha/core/locale/zh_Hans/LC_MESSAGES/django.po from the core apps' strings.

Usage: xgettext … -o /tmp/core.pot (see Makefile target `core-messages`), then run this script.
Translations for the domain vocabulary live here, next to the English msgids.
"""

import sys
from pathlib import Path

import polib

ZH = {
    "%(unit)s is not managed by this committee.": "%(unit)s 不属于本级党委管理的单位。",
    "%(user)s is not an inspector account.": "%(user)s 不是巡察干部账号。",
    "%(year)s round %(number)s": "%(year)s年第%(number)s轮",
    "A closed task cannot be changed.": "已销号的整改任务不能再修改。",
    "A clue cannot be disposed of before it was handed over.": "处置日期不能早于移交日期。",
    "A group has exactly one group leader.": "每个巡察组必须有且仅有一名组长。",
    "A problem that is %(frm)s cannot become %(to)s.": "问题当前为“%(frm)s”，不能变为“%(to)s”。",
    "A special round needs its topic.": "专项巡察须填写专项主题。",
    "A stage move records what happened; its date cannot be in the future.": "阶段推进记录的是已发生的事项，日期不能晚于今天。",
    "A task that is %(frm)s cannot become %(to)s.": "整改任务当前为“%(frm)s”，不能变为“%(to)s”。",
    "A unit needs a name.": "请填写单位名称。",
    "A unit with this name already exists here.": "此处已有同名单位。",
    "API token": "接口令牌",
    "An inspection covers at least one unit.": "一次巡察至少包含一个被巡察单位。",
    "An inspection in %(frm)s cannot move to %(to)s.": "处于“%(frm)s”阶段的巡察不能推进到“%(to)s”。",
    "Checked and closed.": "经对账核实，予以销号。",
    "Choose a category.": "请选择问题类别。",
    "Choose a disposal.": "请选择处置方式。",
    "Choose the kind of task.": "请选择整改类型。",
    "Choose one of the offered judgements.": "请从给定的定性选项中选择。",
    "Deadline rules must be between 0 and 365.": "时限规则须在0至365之间。",
    "Describe the measure.": "请填写整改措施。",
    "Describe the problem.": "请填写问题描述。",
    "Fieldwork cannot end before it started.": "进驻结束日期不能早于进驻日期。",
    "Fieldwork cannot end before it starts.": "进驻结束日期不能早于进驻日期。",
    "Give the reason for judging it a mistake or a dereliction.": "认定为失误或失责时，须写明理由。",
    "Name the meeting that approved the list.": "请填写审定名单的会议。",
    "Name the responsible department.": "请填写责任部门。",
    "Name the responsible leader.": "请填写责任领导。",
    "Name the responsible person.": "请填写责任人。",
    "Only an administrator creates a top-level committee.": "只有系统管理员可以创建顶级党委。",
    "Only an administrator creates accounts.": "只有系统管理员可以创建账号。",
    "Only the inspection office of this committee may do this.": "只有本级巡察办可以进行此操作。",
    "Only the organ the clue was handed to records its disposal.": "只有线索接收单位可以登记处置结果。",
    "Problems are recorded before the feedback is given.": "问题须在反馈之前登记。",
    "Report progress before asking the office to check the task.": "请先报送整改进展，再提请巡察办对账。",
    "Say how the suggestion was completed.": "请说明意见建议的办理情况。",
    "Say why the task is returned.": "请写明退回理由。",
    "Send the inspection notice before fieldwork starts.": "进驻前须先发出巡察通知。",
    "Set a deadline (only long-term tasks may go without).": "请设定完成时限（只有长期坚持类任务可不设）。",
    "Someone else saved this record while you were editing it. Your changes were not saved; they are still in the form. Reload to see the current version, then apply them again.":
        "您编辑期间，他人已保存了这条记录。您的修改尚未保存，仍保留在表单中；请刷新查看最新内容后再次提交。",
    "Submitted for checking.": "已提请对账。",
    "Summarise the clue.": "请填写线索摘要。",
    "Tasks are planned for problems that have been fed back.": "只能为已反馈的问题制定整改任务。",
    "The group belongs to another round.": "该巡察组属于其他轮次。",
    "The last year of a term plan cannot come before its first year.": "规划截止年份不能早于起始年份。",
    "The round's unit list has not been approved by the secretary's meeting.": "本轮巡察名单尚未经书记专题会审定。",
    "The round's year lies outside the term plan.": "轮次年份不在届内规划期内。",
    "This clue's disposal is already recorded.": "该线索已登记处置结果。",
    "This committee already has round %(n)s of %(y)s.": "本级党委%(y)s年已有第%(n)s轮巡察。",
    "This date is set by a stage move, not by editing.": "该日期由阶段推进自动记录，不能直接修改。",
    "This suggestion is already completed.": "该意见建议已办结。",
    "This task is waiting for the office or already closed.": "该任务正在等待巡察办对账或已销号。",
    "This unit already has a principal leader.": "该单位已有主要负责人。",
    "This unit is not covered by the inspection.": "该单位不在本次巡察范围内。",
    "This user name is taken.": "该用户名已被使用。",
    "Write the suggestion.": "请填写意见建议。",
    "Write what was done.": "请填写整改进展。",
    "You may not change the unit library of this committee.": "您无权修改该党委的单位库。",
    "You may not change this task.": "您无权修改该整改任务。",
    "You may not complete this suggestion.": "您无权办结该意见建议。",
    "You may not edit problems of this inspection.": "您无权修改本次巡察的问题。",
    "You may not hand over clues of this inspection.": "您无权移交本次巡察的问题线索。",
    "You may not make suggestions in this inspection.": "您无权在本次巡察中提出意见建议。",
    "You may not make this move on this task.": "您无权对该任务进行此操作。",
    "You may not plan the rectification of this problem.": "您无权为该问题制定整改任务。",
    "You may not record problems in this inspection.": "您无权在本次巡察中登记问题。",
    "You may not report progress on this task.": "您无权报送该任务的进展。",
    "A problem cannot be fed back before it was found.": "反馈日期不能早于发现日期。",
    "A problem cannot be rectified before it was fed back.": "整改完成日期不能早于反馈日期。",
    "An imported problem cannot start as %(status)s.": "导入的问题不能以“%(status)s”状态开始。",
    "Give the date a rectified problem was rectified.": "已整改的问题须填写整改完成日期。",
    "Give the date the problem was found.": "请填写发现日期。",
    "Only a problem fed back has a feedback date.": "只有已反馈的问题才有反馈日期。",
    "Only a rectified problem has a rectification date.": "只有已整改的问题才有整改完成日期。",
    "Only the inspection office imports problem ledgers.": "只有巡察办可以导入问题台账。",
    "Row %(row)s: %(message)s": "第%(row)s行：%(message)s",
    "The date found cannot be in the future.": "发现日期不能晚于今天。",
    "The feedback date cannot be in the future.": "反馈日期不能晚于今天。",
    "The inspection has already given its feedback, so its problems are at least fed back.": "该巡察已反馈，其问题至少应为“已反馈”。",
    "The inspection has not given its feedback yet; the problem cannot be %(status)s.": "该巡察尚未反馈，问题不能为“%(status)s”。",
    "The rectification date cannot be in the future.": "整改完成日期不能晚于今天。",
    "The same problem appears twice in the file.": "文件中同一问题出现了两次。",
    "There are no problems to import.": "文件中没有可导入的问题。",
    "This problem is already on the ledger (same inspection, unit and description).": "该问题已在台账中（同一巡察、单位和问题描述）。",
    "Unknown status.": "未知状态。",
    "account": "账号", "action": "操作", "active": "在用", "actor": "操作人", "address": "地址",
    "administrator": "系统管理员", "after": "变更后", "approval record": "审定记录",
    "approval recorded by": "审定登记人", "approved on": "审定日期", "approving meeting": "审定会议",
    "archived": "归档", "archived on": "归档日期", "audit bureau": "审计局", "audit event": "审计日志",
    "awaiting check": "待对账", "before": "变更前", "being rectified": "整改中", "bureaucratism": "官僚主义",
    "cadre": "班子成员", "category": "问题类别", "central eight-point rules": "违反中央八项规定精神",
    "check note": "对账意见", "city/prefecture": "市/州", "closed": "已销号", "closed by": "销号人",
    "closed on": "销号日期", "closed without action": "予以了结", "clue": "问题线索", "code": "编码",
    "committee": "党委", "completed": "已办结", "completed on": "办结日期", "concerns key persons": "涉及重点人",
    "county/district": "县/市/区/旗", "coverage target (%)": "覆盖目标（%）", "cross": "交叉巡察",
    "deadline": "完成时限", "deputy group leader": "副组长", "dereliction (held to account)": "失责（纠错问责）",
    "description": "问题描述", "discipline in private life": "生活纪律",
    "discipline inspection and supervision commission": "纪委监委",
    "discipline towards the masses": "群众纪律", "disposal": "处置方式", "disposal note": "处置情况",
    "disposed on": "处置日期", "e-mail notifications": "邮件提醒", "elevated": "提级巡察", "essence": "本质",
    "evidence summary": "证据摘要", "extravagance": "奢靡之风", "fed back": "已反馈", "fed back on": "反馈日期",
    "feedback": "反馈", "feedback given on": "反馈日期", "fieldwork ends": "进驻结束", "fieldwork starts": "进驻日期",
    "first year": "起始年份", "follow-up visit": "回访", "follow-up visit on": "回访日期", "formalism": "形式主义",
    "found on": "发现日期", "general problem": "一般性问题", "group leader": "组长", "group membership": "巡察组成员",
    "handed over on": "移交日期", "handed over to": "移交单位", "hedonism": "享乐主义",
    "honest mistake (tolerated)": "失误（容错）", "how it was completed": "办理情况",
    "ideological understanding": "思想认识", "implementation of work": "工作落实", "in post since": "任职时间",
    "in progress": "整改中", "inspected unit": "被巡察单位", "inspected units": "被巡察单位",
    "inspection": "巡察", "inspection group": "巡察组", "inspection notice sent": "发出巡察通知",
    "inspection office": "巡察办", "institutions and mechanisms": "体制机制", "integrity discipline": "廉洁纪律",
    "keep up in the long term": "长期坚持", "kept for later investigation": "暂存待查", "key matter": "重点事",
    "key persons named": "涉及重点人", "kind": "类型", "last year": "截止年份",
    "lax strict governance of the party": "全面从严治党不力", "leading group": "巡察工作领导小组", "level": "层级",
    "liaison officer": "联络员", "linked": "联动巡察", "look-back": "回头看",
    "manages people, money or assets": "管人管钱管物", "managing committee": "管理党委", "measure": "整改措施",
    "mechanism or implementation": "体制机制/工作落实", "member": "成员", "missing party building": "党的建设缺失",
    "mistake or dereliction": "失误/失责", "mobile": "机动巡察", "name": "名称", "notes": "备注",
    "notice days before entry": "进驻前发通知天数", "notice sent on": "通知发出日期", "object": "对象",
    "object id": "对象编号", "object type": "对象类型", "on the ledger": "挂账", "open": "未办结",
    "organisation department": "组织部", "organisational discipline": "组织纪律", "parent committee": "上级党委",
    "parent unit": "上级单位", "party leadership, party building, strict governance": "党的领导、党的建设、全面从严治党",
    "party/government department": "党政机关部门", "persons involved": "涉及人员", "phenomenon": "现象",
    "phenomenon or essence": "现象/本质", "phone": "电话", "political discipline": "政治纪律",
    "political principle": "政治原则", "position": "职务", "preliminary verification": "初步核实",
    "preparation": "准备", "principal leader": "主要负责人（一把手）", "problem": "问题", "problem clue": "问题线索",
    "progress": "整改进展", "province": "省", "public institution": "事业单位", "public security bureau": "公安局",
    "reason for the judgement": "认定理由", "receiving organ": "线索接收单位", "recorded by": "登记人",
    "recorded, not yet fed back": "待反馈", "rectification": "整改",
    "rectification report months after feedback": "反馈后报送整改报告月数",
    "rectification report received on": "整改报告收到日期", "rectification task": "整改任务", "rectified": "已整改",
    "rectified on": "整改完成日期", "rectify immediately": "立行立改", "rectify within a time limit": "限期整改",
    "region": "地区", "regular": "常规巡察", "report": "报告", "report heard by the leading group": "领导小组听取巡察报告",
    "report heard on": "听取汇报日期", "report months after fieldwork": "进驻结束后汇报月数",
    "responsible account": "责任人账号", "responsible department": "责任部门", "responsible leader": "责任领导",
    "responsible person": "责任人", "role": "角色", "role in group": "组内职务", "round": "轮次",
    "round number": "轮次序号", "source reference": "来源", "special": "专项巡察", "special topic": "专项主题",
    "stage": "阶段", "state-owned enterprise": "国有企业", "stationed fieldwork": "进驻", "status": "状态",
    "suggestion": "意见建议", "summary": "线索摘要", "talk or written inquiry": "谈话函询", "term plan": "届内巡察规划",
    "the eight-point rules": "中央八项规定精神", "the four undesirable work styles": "四风",
    "the six disciplines": "六大纪律", "time": "时间", "title": "标题",
    "township/subdistrict party committee": "乡镇（街道）党（工）委", "understanding or principle": "思想认识/政治原则",
    "unit": "单位", "village-level": "村级巡察", "village/community party organisation": "村（社区）党组织",
    "weakened party leadership": "党的领导弱化", "work discipline": "工作纪律",
    "written rectification report received": "收到书面整改报告", "year": "年度",
}


def main(pot_path: str, po_path: str) -> None:
    pot = polib.pofile(pot_path)
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "zh_Hans",
                   "Plural-Forms": "nplurals=1; plural=0;"}
    missing = []
    for entry in pot:
        translation = ZH.get(entry.msgid)
        if translation is None:
            missing.append(entry.msgid)
            continue
        po.append(polib.POEntry(msgid=entry.msgid, msgstr=translation))
    Path(po_path).parent.mkdir(parents=True, exist_ok=True)
    po.save(po_path)
    if missing:
        print("untranslated:", *missing, sep="\n  ")
        sys.exit(1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
