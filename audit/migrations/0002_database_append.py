"""PostgreSQL appends audit events itself: ``audit_append()`` and the guards around it.

* ``audit_append(...)`` (SECURITY DEFINER, owned by the role that runs migrations, its
  search_path fixed) takes the chain's advisory lock, reads the head, computes the sequence,
  the previous hash and the event's hash (format 2, ``audit.chain.canonical_v2``) and inserts
  the row. ``audit.services.record()`` calls it; the runtime role may execute it and nothing
  else on the audit tables (``manage.py db_roles``).
* A direct INSERT into the event table is refused unless audit_append() is the one inserting
  (it sets ``audit.appending`` for its own statement); a TRUNCATE of either audit table is
  refused (``audit.truncate`` lets the test suite's flush through). Both stop any role that
  holds the privileges, the owner included, short of disabling triggers (superuser) or
  dropping them (owner): docs/security.md says what each attempt leaves behind.

SQLite keeps appending in Python (format 1). Events written before this migration keep
``hash_version`` 1 and verify as before.
"""

from django.db import migrations, models

# audit.services.CHAIN_LOCK_KEY: the same lock the purge and the anchor take.
CHAIN_LOCK_KEY = 0x41554449

SIGNATURE = (
    "timestamptz, bigint, text, bigint, text, text, text, text, integer, text, inet, jsonb"
)

CREATE = r"""
CREATE OR REPLACE FUNCTION audit_append(
    p_created_at timestamptz, p_actor_id bigint, p_actor_username text, p_department_id bigint,
    p_action text, p_object_type text, p_object_id text, p_object_repr text, p_level integer,
    p_result text, p_client_address inet, p_details jsonb
) RETURNS audit_auditevent
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
    head_sequence bigint;
    head_hash text;
    event audit_auditevent;
BEGIN
    PERFORM pg_advisory_xact_lock(__LOCK__);
    SELECT e.sequence, e.hash INTO head_sequence, head_hash
        FROM audit_auditevent e ORDER BY e.sequence DESC LIMIT 1;
    IF NOT FOUND THEN
        SELECT c.sequence, c.hash INTO head_sequence, head_hash
            FROM audit_auditcheckpoint c ORDER BY c.sequence DESC LIMIT 1;
        IF NOT FOUND THEN
            head_sequence := 0;
            head_hash := '';
        END IF;
    END IF;
    event.sequence := head_sequence + 1;
    event.created_at := coalesce(p_created_at, clock_timestamp());
    event.actor_id := p_actor_id;
    event.actor_username := coalesce(p_actor_username, '');
    event.department_id := p_department_id;
    event.action := p_action;
    event.object_type := coalesce(p_object_type, '');
    event.object_id := coalesce(p_object_id, '');
    event.object_repr := coalesce(p_object_repr, '');
    event.level := coalesce(p_level, 1);
    event.result := coalesce(p_result, 'success');
    event.client_address := p_client_address;
    event.details := coalesce(p_details, '{}'::jsonb);
    event.prev_hash := head_hash;
    event.hash_version := 2;
    event.hash := encode(sha256(convert_to(jsonb_build_array(
        2, event.sequence,
        to_char(event.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || '+00:00',
        event.actor_id, event.actor_username, event.department_id, event.action,
        event.object_type, event.object_id, event.object_repr, event.level, event.result,
        host(event.client_address), event.details, event.prev_hash
    )::text, 'UTF8')), 'hex');
    PERFORM set_config('audit.appending', 'on', true);
    INSERT INTO audit_auditevent (
        sequence, created_at, actor_id, actor_username, department_id, action, object_type,
        object_id, object_repr, level, result, client_address, details, prev_hash, hash,
        hash_version
    ) VALUES (
        event.sequence, event.created_at, event.actor_id, event.actor_username,
        event.department_id, event.action, event.object_type, event.object_id,
        event.object_repr, event.level, event.result, event.client_address, event.details,
        event.prev_hash, event.hash, event.hash_version
    ) RETURNING * INTO event;
    PERFORM set_config('audit.appending', 'off', true);
    RETURN event;
END;
$$;

DO $$
BEGIN
    EXECUTE format(
        'ALTER FUNCTION audit_append(__SIGNATURE__) SET search_path = %I, pg_temp',
        current_schema()
    );
END;
$$;
REVOKE ALL ON FUNCTION audit_append(__SIGNATURE__) FROM PUBLIC;

CREATE OR REPLACE FUNCTION audit_event_insert_guard() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('audit.appending', true), '') = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit events are appended only by audit_append(): INSERT on % refused',
        TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_truncate_guard() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('audit.truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail is append-only: TRUNCATE of % refused', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_event_insert_only_by_append ON audit_auditevent;
CREATE TRIGGER audit_event_insert_only_by_append BEFORE INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_insert_guard();
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_truncate_guard();
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_auditcheckpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_truncate_guard();
""".replace("__LOCK__", str(CHAIN_LOCK_KEY)).replace("__SIGNATURE__", SIGNATURE)

DROP = """
DROP TRIGGER IF EXISTS audit_event_insert_only_by_append ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_checkpoint_no_truncate ON audit_auditcheckpoint;
DROP FUNCTION IF EXISTS audit_event_insert_guard();
DROP FUNCTION IF EXISTS audit_truncate_guard();
DROP FUNCTION IF EXISTS audit_append(__SIGNATURE__);
""".replace("__SIGNATURE__", SIGNATURE)


def _run(schema_editor, sql):
    # A plain cursor: the schema editor would read the PL/pgSQL '%' as a query parameter.
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def create_append(apps, schema_editor):
    _run(schema_editor, CREATE)


def drop_append(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="hash_version",
            field=models.PositiveSmallIntegerField(
                db_default=1, default=1, editable=False, verbose_name="hash format"
            ),
        ),
        migrations.RunPython(create_append, drop_append),
    ]
