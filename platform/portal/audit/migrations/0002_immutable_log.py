"""The audit log becomes append-only in PostgreSQL itself.

A trigger refuses every UPDATE and every DELETE of `audit_auditevent`, except a DELETE of rows
older than 180 days made by `audit_prune_events(days)`, the retention function behind
`manage.py prune_audit_log`. The rows' users and departments are PROTECTed, so deleting one
cannot turn into an UPDATE that the trigger would refuse halfway.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

RETENTION_DAYS = 180

CREATE = f"""
CREATE OR REPLACE FUNCTION audit_auditevent_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('portal.audit_prune', true) = 'on'
       AND OLD.time < now() - make_interval(days => {RETENTION_DAYS}) THEN
        RETURN OLD;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '审计日志不可删除：只能由保留期清理（prune_audit_log）删除 {RETENTION_DAYS} 天以前的记录'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION '审计日志不可修改' USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_guard();

CREATE OR REPLACE FUNCTION audit_prune_events(days integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    removed bigint;
BEGIN
    IF days IS NULL OR days < {RETENTION_DAYS} THEN
        RAISE EXCEPTION '审计日志至少保留 {RETENTION_DAYS} 天（网络安全法第二十一条），不能只保留 % 天', days
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('portal.audit_prune', 'on', true);
    DELETE FROM audit_auditevent WHERE time < now() - make_interval(days => days);
    GET DIAGNOSTICS removed = ROW_COUNT;
    PERFORM set_config('portal.audit_prune', 'off', true);
    RETURN removed;
END;
$$;
"""

DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_guard();
DROP FUNCTION IF EXISTS audit_prune_events(integer);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
        ('tenants', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='department',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='tenants.department', verbose_name='单位'),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='用户'),
        ),
        migrations.RunSQL(CREATE, DROP),
    ]
