"""What the application's database role may do with the audit log: add rows and read them.

The application connects as a role that owns nothing (README, Deploying). On the audit table it
keeps SELECT and INSERT (and USAGE on the id sequence) and nothing else, so neither an UPDATE,
a DELETE or a TRUNCATE nor a trigger or a change of the table gets past PostgreSQL's privilege
check, whatever code or injected SQL runs in the application. Old rows leave only through
`audit_prune_events(days)`, a SECURITY DEFINER function of the owner that the role may execute
(migration 0003). Applied by that migration and again after every migration of the public
schema (`portal.database_roles`), so that no wider grant made later can reopen the table.
"""

from psycopg import sql

TABLE = "audit_auditevent"
PRUNE_FUNCTION = "audit_prune_events(integer)"


def protect(cursor, role: str) -> None:
    """Leaves `role` only SELECT and INSERT on the audit table, and EXECUTE on the pruning function."""
    role_name = sql.Identifier(role)
    cursor.execute("SELECT pg_get_serial_sequence('public.audit_auditevent', 'id')")
    sequence = sql.SQL(cursor.fetchone()[0])  # already quoted and qualified by PostgreSQL
    for statement in (
        "REVOKE ALL ON TABLE public.{table} FROM PUBLIC, {role}",
        "GRANT SELECT, INSERT ON TABLE public.{table} TO {role}",
        "REVOKE ALL ON SEQUENCE {sequence} FROM PUBLIC, {role}",
        "GRANT USAGE, SELECT ON SEQUENCE {sequence} TO {role}",
        "REVOKE ALL ON FUNCTION public.{function} FROM PUBLIC, {role}",
        "GRANT EXECUTE ON FUNCTION public.{function} TO {role}",
    ):
        cursor.execute(sql.SQL(statement).format(
            table=sql.Identifier(TABLE), sequence=sequence,
            function=sql.SQL(PRUNE_FUNCTION), role=role_name,
        ))
