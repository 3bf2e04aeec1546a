"""Chinese names of audit events, for the 审计日志 page and its exports.

An event without a name here (say, a plugin's own) is shown by its code, never dropped.
"""

EVENT_LABELS = {
    # Logins and accounts (portal.accounts)
    "login": "登录",
    "login_failed": "登录失败",
    "logout": "退出登录",
    "lockout": "登录锁定",
    "totp_verify": "动态口令验证",
    "totp_enrol": "绑定动态口令",
    "totp_reset": "重置动态口令",
    "password_change": "修改密码",
    "password_reset": "重置密码",
    "user_create": "创建账号",
    "user_lock": "锁定账号",
    "user_unlock": "解锁账号",
    "force_logout": "强制下线",
    "role_grant": "授予角色",
    "role_revoke": "撤销角色",
    "dual_control_request": "提交双人审批申请",
    "dual_control_approve": "批准双人审批申请",
    "dual_control_reject": "驳回双人审批申请",
    "dual_control_withdraw": "撤回双人审批申请",
    "login_captcha_required": "登录须填写验证码",
    "lockout_lift": "解除登录限制",
    # Publishing (portal.signals, portal.governance)
    "publish": "发布",
    "unpublish": "撤销发布",
    "delete": "删除",
    "recycle": "删除到回收站",
    "recycle_restore": "从回收站恢复",
    "recycle_delete": "从回收站彻底删除",
    "recycle_purge": "回收站到期清除",
    "submit": "提交审核",
    "approve": "审核通过",
    "reject": "审核退回",
    "publish_without_review": "未经审核发布",
    "confidentiality_decision": "保密审查决定",
    "confidentiality_block": "保密检查拦截",
    "scan_term_change": "修改检查词库",
    "homepage_application": "申请首页推荐",
    "homepage_application_decision": "首页推荐审核",
    # The unified theme (themes)
    "theme_draft_save": "保存主题草稿",
    "theme_draft_discard": "放弃主题草稿",
    "theme_publish": "发布统一主题",
    "theme_mode_schedule": "安排全站模式",
    "theme_mode_end": "结束全站模式",
    # Site-wide search (search)
    "search_popular_hide": "隐藏热门搜索词",
    "search_popular_show": "恢复热门搜索词",
    # The watch (portal.operations)
    "incident_record": "登记事件",
    "incident_acknowledge": "确认事件",
    "incident_resolve": "事件处置完成",
    "duty_roster_change": "修改值班表",
    # The yearly statement (portal.statement)
    "statement_generate": "生成年度工作报表",
    "statement_edit": "填写年度工作报表",
    "statement_publish": "发布年度工作报表",
    # The audit log itself
    "audit_export": "导出审计日志",
    "audit_prune": "清理过期审计日志",
}


def event_label(event: str) -> str:
    """The Chinese name of an event: the core's, or the one a plugin gives in `plugin_info`."""
    if event in EVENT_LABELS:
        return EVENT_LABELS[event]
    from portal.plugins import get_manager

    for info in get_manager().hook.plugin_info():
        if info and event in info.get("audit_events", {}):
            return info["audit_events"][event]
    return event
