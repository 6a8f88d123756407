"""Serializers of the catalog: categories, information systems, resources and data items.

Field names are part of the v1 contract (snake_case, English): renaming one breaks integrators.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.validators import region_code_pattern
from catalog import panels, selectors
from catalog.models import (
    CatalogScope,
    Category,
    CodeList,
    CodeListEntry,
    DataItem,
    InformationSystem,
    Resource,
)
from catalog.services import ITEM_FIELDS, RESOURCE_FIELDS, personal_warnings
from kernel.api.serializers import StrictFieldsMixin

# Named for the schema's enum overrides: the data item kinds keep the name `KindEnum` although
# other components (notifications) have a field called "kind" too.
ITEM_KINDS = DataItem.Kind


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "code", "name", "name_en", "parent", "depth"]
        read_only_fields = fields


class SystemSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    registration_code = serializers.CharField(
        read_only=True,
        help_text="The system code if assigned, else its legacy registration code.",
    )
    code = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The 18-character system code assigned at approval; never changes.",
    )

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "registration_code",
            "code",
            "legacy_code",
            "name",
            "department",
            "department_name",
            "purpose",
            "project_name",
            "funding_stage",
            "status",
            "filed_at",
            "decided_at",
            "confirmed_at",
        ]
        read_only_fields = fields


class CodeListSerializer(serializers.ModelSerializer):
    """A code list (代码集): a standard's codes, public to every authenticated caller."""

    entry_count = serializers.IntegerField(
        read_only=True, help_text="How many codes the list holds, inactive ones included."
    )

    class Meta:
        model = CodeList
        fields = ["code", "name", "description", "source", "active", "entry_count", "updated_at"]
        read_only_fields = fields


class CodeListEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = CodeListEntry
        fields = ["value", "label", "position", "active"]
        read_only_fields = fields


class CodeListEntryPageSerializer(serializers.Serializer):
    """A page of a code list's entries (the cursor pages of every list)."""

    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CodeListEntrySerializer(many=True)


class CodeListRefSerializer(serializers.ModelSerializer):
    """The code list a data item's values come from."""

    class Meta:
        model = CodeList
        fields = ["code", "name"]
        read_only_fields = fields


class DataItemSerializer(serializers.ModelSerializer):
    code_list = CodeListRefSerializer(
        read_only=True,
        allow_null=True,
        help_text="The code list (代码集) the item's values come from; null for none. Its codes: "
        "GET /api/v1/code-lists/{code}/.",
    )

    class Meta:
        model = DataItem
        fields = ["id", *ITEM_FIELDS]
        read_only_fields = fields


def _detected_kind(name: str, kind: str) -> str | None:
    flagged = personal_warnings([{"name": name, "kind": kind}])
    return flagged[0].kind if flagged else None


class ResourceDataItemListSerializer(serializers.ListSerializer):
    """A resource's data items: model instances the DRF way, rows of
    ``selectors.data_item_rows_visible_to`` by ``ResourceDataItemSerializer.row_representation``.

    The rows are the resource list's (``?expand=items``: about 500 items a page, whose fields
    DRF would look up and convert one by one); both ways give the same JSON.
    """

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        child = self.child
        assert isinstance(child, ResourceDataItemSerializer)
        items = data.all() if hasattr(data, "all") else data
        return [
            child.row_representation(item)
            if isinstance(item, dict)
            else child.to_representation(item)
            for item in items
        ]


class ResourceDataItemSerializer(DataItemSerializer):
    """A data item in its resource's entry, with what personal-data detection says of it."""

    detected_kind = serializers.SerializerMethodField(
        help_text="The personal-data kind the item's name suggests while it is tagged `none`; "
        "null otherwise. Such an item holds up submission until it is tagged or confirmed "
        "(confirm-not-personal)."
    )
    not_personal_reason = serializers.SerializerMethodField(
        help_text="The editor's reason why an item flagged by detected_kind is not personal "
        "data; empty while unconfirmed."
    )

    class Meta(DataItemSerializer.Meta):
        fields = [*DataItemSerializer.Meta.fields, "detected_kind", "not_personal_reason"]
        read_only_fields = fields
        list_serializer_class = ResourceDataItemListSerializer

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_detected_kind(self, item: DataItem) -> str | None:
        return _detected_kind(item.name, item.kind)

    def get_not_personal_reason(self, item: DataItem) -> str:
        # Joined by the view's items query (select_related), never one query per item.
        try:
            return item.personal_confirmation.reason
        except DataItem.personal_confirmation.RelatedObjectDoesNotExist:
            return ""

    @staticmethod
    def row_representation(row: dict[str, Any]) -> dict[str, Any]:
        """Return what ``to_representation`` gives for the item, from its row
        (``selectors.ITEM_ROW_FIELDS``): the same keys in the same order, the same values.

        The columns are already what the fields would give: the level's and data type's
        choices are their own values, the length an integer, the flag a boolean.
        """
        code_list = None
        if row["code_list_id"] is not None:
            code_list = {"code": row["code_list__code"], "name": row["code_list__name"]}
        return {
            "id": row["id"],
            "name": row["name"],
            "data_type": row["data_type"],
            "length": row["length"],
            "level": row["level"],
            "kind": row["kind"],
            "is_key": row["is_key"],
            "description": row["description"],
            "code_list": code_list,
            "detected_kind": _detected_kind(row["name"], row["kind"]),
            "not_personal_reason": row["personal_confirmation__reason"] or "",
        }


class ResourceSummarySerializer(serializers.ModelSerializer):
    """A resource as the list gives it: its catalog entry and how many data items it has.

    ``item_count`` counts the items the resource's detail lists; the items themselves are on
    the detail, and in the list only when it is asked for them (``?expand=items``): a page of
    50 resources with about ten items each is mostly items, which integrators listing the
    catalog rarely need.
    """

    provider_name = serializers.CharField(source="provider.name", read_only=True)
    provider_code = serializers.CharField(
        source="provider.uscc", read_only=True, help_text="The provider's USCC."
    )
    category_code = serializers.CharField(source="category.code", read_only=True)
    expired = serializers.BooleanField(
        source="is_expired",
        read_only=True,
        help_text="True when valid_until is before today and the resource is not retired.",
    )
    item_count = serializers.SerializerMethodField(
        help_text="How many data items the entry has: the items its detail lists (above the "
        "caller's clearance too, as definitions)."
    )
    # Not required: present only with ?expand=items (the view says so in the context). Never
    # written: the list is read-only, and writes take ResourceWriteSerializer.
    items = ResourceDataItemSerializer(
        source="visible_items",
        many=True,
        required=False,
        help_text="The entry's data items, exactly as its detail lists them; present only "
        "with `?expand=items`.",
    )

    class Meta:
        model = Resource
        fields = [
            "id",
            "code",
            "name",
            "summary",
            "provider",
            "provider_name",
            "provider_code",
            "category",
            "category_code",
            "share_type",
            "share_condition",
            "share_method",
            "format_class",
            "format_type",
            "open_type",
            "update_cycle",
            "level",
            "catalog_scope",
            "catalog_scope_reason",
            "status",
            "version",
            "region_code",
            "source_system",
            "published_at",
            "updated_at",
            "review_comment",
            "retired_reason",
            "valid_until",
            "expired",
            "item_count",
            "items",
        ]
        read_only_fields = fields

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # The list without ?expand=items; everywhere else (and in the schema) the field stays.
        if self.context.get("expand_items", True) is False:
            del fields["items"]
        return fields

    def get_item_count(self, resource: Resource) -> int:
        # The items prefetched for the answer, else the list's count
        # (selectors.data_item_count_visible_to); neither means a bug, never "none".
        items = getattr(resource, "visible_items", None)
        if items is not None:
            return len(items)
        return resource.item_count  # type: ignore[attr-defined]


class ResourceSerializer(ResourceSummarySerializer):
    """A resource as integrators read it: its catalog entry, with every data item's definition.

    ``items`` lists the items' names, types and levels, above the caller's clearance too (they
    are the entry's metadata); their values are read only within clearance.
    """

    # Filled by the view's Prefetch(to_attr="visible_items"); absent means a bug, never "all".
    items = ResourceDataItemSerializer(source="visible_items", many=True, read_only=True)


class ResourceInterfaceSerializer(serializers.Serializer):
    """A published live interface of the resource (a share method), called through the broker."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    method = serializers.CharField()
    call_url = serializers.CharField(
        help_text="The stable path of the call: POST the input parameters there."
    )


class ResourceDetailSerializer(ResourceSerializer):
    """A resource with its published live interfaces (only on the detail)."""

    interfaces = serializers.SerializerMethodField(
        help_text="The resource's published interfaces the caller sees (share method 接口)."
    )

    class Meta(ResourceSerializer.Meta):
        fields = [*ResourceSerializer.Meta.fields, "interfaces"]
        read_only_fields = fields

    @extend_schema_field(ResourceInterfaceSerializer(many=True))
    def get_interfaces(self, resource: Resource) -> list[dict[str, Any]]:
        return panels.resource_interfaces(self.context["request"].user, resource)


# The largest data item length the API takes: within the column's range on every database
# (PostgreSQL's integer), and not that range's own bound, which the schema leaves out.
MAX_ITEM_LENGTH = 10**9


class DataItemWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    code_list = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=40,
        help_text="The code of the item's code list (e.g. `GB/T 2261.1-2003`), for C, N and I "
        "items; empty or null for none. Left out on an update, an item keeps its list.",
    )

    class Meta:
        model = DataItem
        fields = list(ITEM_FIELDS)
        # The table's check constraint (length > 0) and its column's range, said here (and so in
        # the schema) so that what the schema allows is stored and the rest is a 400.
        extra_kwargs = {"length": {"min_value": 1, "max_value": MAX_ITEM_LENGTH}}


class ResourceWriteSerializer(StrictFieldsMixin, serializers.ModelSerializer):
    """What a catalog editor sends to register or change a resource; the services validate it."""

    items = DataItemWriteSerializer(
        many=True, allow_empty=False, help_text="The resource's data items, in order."
    )
    state_secret = serializers.BooleanField(
        default=False,
        write_only=True,
        help_text="True if the resource holds state secrets (涉密); such a resource is refused.",
    )

    class Meta:
        model = Resource
        fields = [*RESOURCE_FIELDS, "items", "state_secret"]
        extra_kwargs = {"region_code": {"required": False, "allow_blank": True}}

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict]:
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_name == "region_code":
            # The schema names exactly the GB/T 2260 codes the model's validator takes, not just
            # six digits (blank, for the provider department's code, is the schema's other case).
            field_class = extend_schema_field({"type": "string", "pattern": region_code_pattern()})(
                type("RegionCodeField", (field_class,), {})
            )
        return field_class, kwargs

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Choices come from the selectors, like every other read.
            for name, queryset in (
                ("category", selectors.categories_visible_to(user=user)),
                ("source_system", selectors.systems_visible_to(user=user)),
            ):
                field = fields[name]
                assert isinstance(field, serializers.PrimaryKeyRelatedField)
                field.queryset = queryset
        return fields

    def service_arguments(self) -> dict[str, Any]:
        """Return the validated data as keyword arguments of the catalog services."""
        data = dict(self.validated_data)
        if "items" in data:
            data["items"] = [dict(item) for item in data["items"]]
            # An item sent without code_list keeps the one it has (integrators written before
            # code lists existed send none); a new item has none.
            current: dict[str, str] = {}
            if isinstance(self.instance, Resource):
                current = {
                    name: code
                    for name, code in self.instance.items.filter(
                        code_list__isnull=False
                    ).values_list("name", "code_list__code")
                }
            for item in data["items"]:
                if "code_list" not in item:
                    item["code_list"] = current.get(str(item.get("name", "")).strip(), "")
                elif item["code_list"] is None:
                    item["code_list"] = ""
        return data


class ReturnSerializer(StrictFieldsMixin, serializers.Serializer):
    comment = serializers.CharField(
        max_length=2000, help_text="What must change before the resource can be published."
    )


class ScopeSerializer(StrictFieldsMixin, serializers.Serializer):
    catalog_scope = serializers.ChoiceField(
        choices=CatalogScope.choices,
        help_text="Who sees the entry: every department (the default), users cleared for its "
        "level, or the provider department (and the coordinator) only.",
    )
    catalog_scope_reason = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why the entry's very existence is sensitive; required for a limited scope.",
    )


class ConfirmNotPersonalSerializer(StrictFieldsMixin, serializers.Serializer):
    item = serializers.IntegerField(help_text="The id of the resource's data item.")
    reason = serializers.CharField(
        max_length=200, help_text="Why the item is not personal data although its name says so."
    )


class RetireSerializer(StrictFieldsMixin, serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the resource is withdrawn.")


class VersionDiffMixin:
    """What changed since the previous visible version, read from an entry's ``diff`` (a
    ``catalog.versions.VersionDiff`` or None): the values of the ``changed_fields``,
    ``items_added``, ``items_removed`` and ``items_changed`` method fields, which each
    serializer declares where its fields are listed (declared fields keep their order)."""

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_changed_fields(self, entry: Any) -> list[str]:
        return [change.label for change in entry.diff.fields] if entry.diff else []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_items_added(self, entry: Any) -> list[str]:
        return list(entry.diff.items_added) if entry.diff else []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_items_removed(self, entry: Any) -> list[str]:
        return list(entry.diff.items_removed) if entry.diff else []

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_items_changed(self, entry: Any) -> list[str]:
        return [name for name, _changes in entry.diff.items_changed] if entry.diff else []


class VersionSerializer(VersionDiffMixin, serializers.Serializer):
    """A published version the caller may see, with what changed since the previous visible one."""

    number = serializers.IntegerField(source="version.number")
    level = serializers.IntegerField(source="version.level")
    change_note = serializers.CharField(source="version.change_note")
    created_at = serializers.DateTimeField(source="version.created_at")
    changed_fields = serializers.SerializerMethodField()
    items_added = serializers.SerializerMethodField()
    items_removed = serializers.SerializerMethodField()
    items_changed = serializers.SerializerMethodField()


class ActivitySerializer(VersionDiffMixin, serializers.Serializer):
    """One change of a resource the caller may see (``catalog.selectors.activity``).

    ``actor`` (the account) is given to the provider department and the coordinator only;
    everyone else receives null and the acting department.
    """

    id = serializers.IntegerField(help_text="The change's position in the audit trail.")
    at = serializers.DateTimeField()
    action = serializers.CharField(help_text="The audit action, e.g. `resource.publish`.")
    summary = serializers.CharField()
    lines = serializers.ListField(child=serializers.CharField())
    department = serializers.CharField()
    actor = serializers.CharField(allow_null=True)
    version = serializers.IntegerField(allow_null=True)
    changed_fields = serializers.SerializerMethodField()
    items_added = serializers.SerializerMethodField()
    items_removed = serializers.SerializerMethodField()
    items_changed = serializers.SerializerMethodField()
