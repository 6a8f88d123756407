"""The resource catalog (政务信息资源目录) in the 2017 national compilation guide's metadata."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Department, Level
from accounts.validators import validate_region_code
from kernel.models import ChoiceLabels

# 类 1 digit, 项 2, 目 3, 细目 3 (optional): 1, 101, 101001, 101001001.
CATEGORY_CODE_RE = r"^[1-3]([0-9]{2}([0-9]{3}([0-9]{3})?)?)?$"
# 分类码 (at least 项) + "/" + 顺序码 of six digits, e.g. 101001/000123.
RESOURCE_CODE_RE = r"^[1-3][0-9]{2}([0-9]{3}([0-9]{3})?)?/[0-9]{6}$"

validate_category_code = RegexValidator(
    CATEGORY_CODE_RE,
    _("A category code is 1, 3, 6 or 9 digits (类/项/目/细目)."),
    "invalid_category_code",
)
validate_resource_code = RegexValidator(
    RESOURCE_CODE_RE,
    _(
        "A resource code is a category code of 3, 6 or 9 digits, “/”, and a six-digit sequence number."
    ),
    "invalid_resource_code",
)

LEVEL_CHECK = Q(level__gte=Level.L1) & Q(level__lte=Level.L4)


class Category(ChoiceLabels):
    """A node of the catalog's category tree: 类 (1) → 项 (2) → 目 (3) → 细目 (4)."""

    class Depth(models.IntegerChoices):
        CLASS = 1, _("Class (类)")
        ITEM = 2, _("Item (项)")
        SUBITEM = 3, _("Sub-item (目)")
        DETAIL = 4, _("Detail (细目)")

    code = models.CharField(
        _("code"), max_length=9, unique=True, validators=[validate_category_code]
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    depth = models.PositiveSmallIntegerField(_("depth"), choices=Depth.choices)
    # The last sequence number handed out to a resource in this category (顺序码).
    last_sequence = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=CATEGORY_CODE_RE), name="category_code_format"
            ),
            models.CheckConstraint(
                condition=(Q(depth=1, parent__isnull=True) | Q(depth__gt=1, parent__isnull=False)),
                name="category_root_iff_class",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


SYSTEM_CODE_RE = r"^[0-9]{17}[0-9X]$"


class InformationSystem(ChoiceLabels):
    """An information system filed (备案) by its department and approved by the coordinator.

    Flow: draft → filed → approved (the coordinator assigns ``code``) or returned (with a reason,
    back to the department, which corrects and files again) → retired. ``code`` is the 18-character
    system code (``catalog.codes``): assigned once, at approval, and never changed afterwards (a
    database trigger refuses the change). ``legacy_code`` is the registration code a system had
    before filing existed; systems approved since have only ``code``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("filing status", "Draft")
        FILED = "filed", _("Filed, awaiting approval")
        RETURNED = "returned", _("Returned for correction")
        APPROVED = "approved", _("Approved, in service")
        RETIRED = "retired", _("Retired")

    class FundingStage(models.TextChoices):
        """The stage of the project that funds the system (资金阶段)."""

        INITIATION = "initiation", _("Project approval (立项)")
        CONSTRUCTION = "construction", _("Construction (建设)")
        OPERATION = "operation", _("Operation and maintenance (运维)")

    code = models.CharField(
        _("system code"), max_length=18, unique=True, null=True, blank=True, editable=False
    )
    legacy_code = models.CharField(_("legacy registration code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="systems",
        verbose_name=_("owner department"),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    project_name = models.CharField(_("project name"), max_length=100, blank=True)
    funding_stage = models.CharField(
        _("funding stage"),
        max_length=12,
        choices=FundingStage.choices,
        default=FundingStage.INITIATION,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    filed_at = models.DateTimeField(
        pgettext_lazy("system filing", "filed"), null=True, blank=True, editable=False
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=pgettext_lazy("system filing", "filed by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["department", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_code"],
                condition=~Q(legacy_code=""),
                name="system_legacy_code_unique",
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__regex=SYSTEM_CODE_RE),
                name="system_code_format",
            ),
            # A code only after approval; an approved or retired system has a code or a legacy one.
            models.CheckConstraint(
                condition=(
                    Q(status__in=["draft", "filed", "returned"], code__isnull=True)
                    | (
                        Q(status__in=["approved", "retired"])
                        & (Q(code__isnull=False) | ~Q(legacy_code=""))
                    )
                ),
                name="system_code_iff_approved",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def registration_code(self) -> str:
        """Return the code shown for the system: its assigned code, else its legacy code."""
        return self.code or self.legacy_code

    @property
    def in_service(self) -> bool:
        return self.status == self.Status.APPROVED


class SystemCodeCounter(models.Model):
    """The last sequence number of system codes assigned in a region and year (locked per use)."""

    region_code = models.CharField(max_length=6)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="system_counter_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}: {self.last}"


class ShareType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("Unconditional sharing")
    CONDITIONAL = "conditional", _("Conditional sharing")
    NONE = "none", _("Not shared")


class CatalogScope(models.TextChoices):
    """Who may see that a resource exists (目录共享范围); separate from who may read its data."""

    DEPARTMENTS = "departments", _("Every department")
    CLEARED = "cleared", _("Users cleared for its level")
    PROVIDER = "provider", _("The provider department only")


class ShareMethod(models.TextChoices):
    API = "api", _("Platform: interface")
    FILE = "file", _("Platform: file")
    DATABASE = "database", _("Platform: database")
    EMAIL = "email", _("Offline: e-mail")
    MEDIA = "media", _("Offline: storage medium")


class OpenType(models.TextChoices):
    UNCONDITIONAL = "unconditional", _("Open unconditionally")
    CONDITIONAL = "conditional", _("Open conditionally")
    NOT_OPEN = "not_open", _("Not open")


class UpdateCycle(models.TextChoices):
    REALTIME = "realtime", _("Real time")
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    DEKAD = "dekad", _("Every ten days")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMIANNUAL = "semiannual", _("Every half year")
    YEARLY = "yearly", _("Yearly")
    IRREGULAR = "irregular", _("Irregular")


class FormatClass(models.TextChoices):
    FILE = "file", _("Electronic file")
    SHEET = "sheet", _("Spreadsheet")
    DATABASE = "database", _("Database")
    IMAGE = "image", _("Graphics / image")
    MEDIA = "media", _("Streaming media")
    SELFDESC = "selfdesc", _("Self-describing format")
    SERVICE = "service", _("Service interface")
    OTHER = "other", _("Other")


def expired_q(prefix: str = "") -> Q:
    """Return the filter of resources past their validity date (有效期) today, retired ones aside.

    ``Resource.is_expired`` says the same of one resource; ``prefix`` reaches resources through a
    relation (``"resource__"``).
    """
    return Q(**{f"{prefix}valid_until__lt": timezone.localdate()}) & ~Q(
        **{f"{prefix}status": "retired"}
    )


class Resource(ChoiceLabels):
    """An information resource with the 13 core metadata elements of the national guide."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for review")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    # 1 信息资源分类
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="resources", verbose_name=_("category")
    )
    # 2 信息资源名称
    name = models.CharField(_("name"), max_length=50)
    # 3 信息资源代码: assigned on first publication, immutable afterwards.
    code = models.CharField(
        _("resource code"),
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_resource_code],
    )
    # 4 提供方 (5 提供方代码 is the provider's USCC, read through the relation).
    provider = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="resources", verbose_name=_("provider")
    )
    # 6 摘要
    summary = models.CharField(_("summary"), max_length=256)
    # 7 格式
    format_class = models.CharField(_("format class"), max_length=10, choices=FormatClass.choices)
    format_type = models.CharField(_("format type"), max_length=30, blank=True)
    # 9 共享属性
    share_type = models.CharField(_("share type"), max_length=15, choices=ShareType.choices)
    share_condition = models.TextField(
        _("share condition"),
        blank=True,
        help_text=_(
            "Unconditional: “无条件”; conditional: the conditions; not shared: the legal basis."
        ),
    )
    share_method = models.CharField(_("share method"), max_length=10, choices=ShareMethod.choices)
    # 10 开放属性
    open_type = models.CharField(
        _("open to the public"), max_length=15, choices=OpenType.choices, default=OpenType.NOT_OPEN
    )
    open_condition = models.TextField(_("open condition"), blank=True)
    # 11 更新周期
    update_cycle = models.CharField(_("update cycle"), max_length=12, choices=UpdateCycle.choices)
    # 12 发布日期
    published_at = models.DateTimeField(_("publish date"), null=True, blank=True)
    # 13 关联资源代码
    related = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="related_from",
        verbose_name=_("related resources"),
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    # 目录共享范围: who sees the entry (its metadata). The classification level protects the data;
    # hiding the entry itself is the exception, and it needs a reason.
    catalog_scope = models.CharField(
        _("catalog scope"),
        max_length=12,
        choices=CatalogScope.choices,
        default=CatalogScope.DEPARTMENTS,
        help_text=_(
            "Every department sees the entry by default; limit it only when its very existence "
            "is sensitive."
        ),
    )
    catalog_scope_reason = models.CharField(
        _("reason for the catalog scope"), max_length=200, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    source_system = models.ForeignKey(
        InformationSystem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
        verbose_name=_("source system"),
    )
    region_code = models.CharField(
        _("region code"), max_length=6, validators=[validate_region_code]
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    review_comment = models.TextField(_("review comment"), blank=True)
    retired_reason = models.TextField(_("reason for retirement"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    data_updated_at = models.DateTimeField(_("data last updated"), null=True, blank=True)
    # 有效期: the last day the entry is valid; past it the resource is flagged until an editor
    # renews (edits) the date or retires the resource. Computed against today, never stored.
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day the entry is valid; empty means no end."),
    )
    # Full-text search, written by the services (catalog/search.py explains both): the tokens,
    # and on PostgreSQL their GIN-indexed tsvector (NULL on SQLite, which matches the tokens).
    search_document = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)
    # The name's pinyin (lower-case letters and digits), the key of the "name" order: Chinese
    # names then sort as a Chinese reader expects on both databases (docs/decisions.md).
    name_pinyin = models.CharField(max_length=300, editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("information resource")
        verbose_name_plural = _("information resources")
        ordering = ["-published_at", "-id"]
        permissions = [
            ("read_resource_data", _("Can read the resource's data")),
            ("decide_resource", _("Can decide share requests for the resource")),
        ]
        constraints = [
            models.CheckConstraint(condition=LEVEL_CHECK, name="resource_level_range"),
            models.CheckConstraint(
                condition=~Q(share_type="none") | ~Q(share_condition=""),
                name="resource_not_shared_needs_legal_basis",
                violation_error_message=_(
                    "A resource that is not shared must state its legal basis."
                ),
            ),
            models.CheckConstraint(
                condition=Q(catalog_scope="departments") | ~Q(catalog_scope_reason=""),
                name="resource_limited_scope_needs_reason",
                violation_error_message=_(
                    "Say why the entry is hidden from the other departments."
                ),
            ),
            models.CheckConstraint(
                condition=Q(catalog_scope__in=["departments", "cleared", "provider"]),
                name="resource_catalog_scope_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted"]) | Q(code__isnull=False),
                name="resource_published_has_code",
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__regex=RESOURCE_CODE_RE),
                name="resource_code_format",
            ),
        ]
        # Migration 0006 also adds, on PostgreSQL only, resource_published_order on
        # (published_at DESC NULLS LAST, id DESC): the catalog's default order, so a page walks
        # the index and stops after its rows instead of sorting every visible resource. SQLite
        # cannot declare NULLS LAST in an index, so it is not a Meta index.
        indexes = [
            models.Index(fields=["status", "level"], name="resource_status_level"),
            models.Index(fields=["provider", "status"], name="resource_provider_status"),
            models.Index(fields=["-updated_at", "-id"], name="resource_updated_order"),
            # The visibility filter's columns, with the facets' columns carried along (PostgreSQL
            # only): counts and facet counts of a page read this index alone, not the table.
            # The catalog scope joined the filter later (migration 0018 carries it too): without
            # it the unfiltered facets read the whole table, 2 GB at province scale.
            models.Index(
                fields=["level", "status", "provider"],
                include=[
                    "category",
                    "share_type",
                    "format_class",
                    "update_cycle",
                    "open_type",
                    "catalog_scope",
                ],
                name="resource_visibility",
            ),
            # An editor's "my resources" (catalog.selectors.resources_of_my_department): one
            # department's resources in the list's order, so a page reads its own rows.
            models.Index(
                fields=["provider", "-updated_at", "-id"], name="resource_provider_updated"
            ),
            models.Index(fields=["name_pinyin", "id"], name="resource_name_pinyin"),
            # The drafts returned from review with a comment: every page's navigation counts the
            # editor's (catalog.navigation), and the list shows them newest first. Without it the
            # count read every draft of the city (32 ms at city scale, on each page an editor
            # opens); returned drafts are few, so it reads a handful of entries.
            models.Index(
                fields=["-updated_at", "-id"],
                condition=Q(status="draft") & ~Q(review_comment=""),
                name="resource_returned",
            ),
            # The negative list's count (不予共享: about a tenth of the catalog): the visibility
            # filter's columns of the not-shared entries only, so the count reads this small
            # index alone (105 ms -> 1.5 ms at city scale). Its page walks the departments by
            # name and each one's entries (resource_provider_status) and needs no index here.
            models.Index(
                fields=["status", "level", "provider"],
                include=["catalog_scope"],
                condition=Q(share_type="none"),
                name="resource_not_shared",
            ),
            # The editors' "past its validity date" queue, in its order: few resources carry a
            # validity date, so the queue reads them, not every resource its editor maintains.
            models.Index(
                fields=["valid_until", "id"],
                condition=Q(valid_until__isnull=False),
                name="resource_validity_order",
            ),
            # A system's page (catalog.selectors.system_resources): its resources in the page's
            # order, with the visibility filter's columns carried along (PostgreSQL only), so the
            # count and a page read this index alone (the largest system provides 11,000 at
            # province scale: count 27 -> 3 ms, page 145 -> 0.3 ms). Partial, so that only a
            # query naming a system can use it: over every resource it was the cheapest full
            # read of the visibility columns, and the planner took it to find "the resources a
            # user may not see" once for a whole list (the coordinator's negotiations: 55 ->
            # 268 ms at province scale).
            models.Index(
                fields=["source_system", "code", "name", "id"],
                include=["status", "provider", "level", "catalog_scope"],
                condition=Q(source_system__isnull=False),
                name="resource_system_order",
            ),
            # The zombie report (accountability.selectors.zombies): per system, its published
            # resources by data update, so "updated since the cutoff within clearance" is one
            # probe of a system's newest entries, and its count and latest update read this
            # index alone.
            models.Index(
                fields=["source_system", "data_updated_at"],
                include=["level"],
                condition=Q(status="published", source_system__isnull=False),
                name="resource_system_freshness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code or _('(no code yet)')} {self.name}"

    @property
    def is_expired(self) -> bool:
        """Return whether the entry is past its validity date (有效期), as of today."""
        return (
            self.valid_until is not None
            and self.status != self.Status.RETIRED
            and self.valid_until < timezone.localdate()
        )

    @property
    def provider_code(self) -> str:
        """Return the provider's USCC (core metadata element 5)."""
        return self.provider.uscc


class CodeList(models.Model):
    """A code list (代码集) of a national or local standard: the values a data item may take.

    Kept by the platform coordinator in the admin site; seeded with the common national lists
    (migration 0011). ``active`` says whether editors may choose the list for an item; an item
    that has an inactive list keeps it, and its values are still checked against it.
    """

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("The standard's number, e.g. “GB/T 2261.1-2003”."),
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(
        _("source"), max_length=200, blank=True, help_text=_("The standard or body it comes from.")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Editors may choose the list for data items.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("code list")
        verbose_name_plural = _("code lists")
        ordering = ["code"]
        constraints = [
            # Codes travel in URLs (/api/v1/code-lists/{code}/) and in spreadsheet cells.
            models.CheckConstraint(
                condition=Q(code__regex=r"^[^/\s].*[^/\s]$|^[^/\s]$"),
                name="code_list_code_trimmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CodeListEntry(models.Model):
    """One code of a code list: its value (as stored in the data) and its label."""

    code_list = models.ForeignKey(
        CodeList, on_delete=models.CASCADE, related_name="entries", verbose_name=_("code list")
    )
    value = models.CharField(_("value"), max_length=40)
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive codes are no longer accepted in data.")
    )

    class Meta:
        verbose_name = _("code list entry")
        verbose_name_plural = _("code list entries")
        ordering = ["code_list_id", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_list", "value"], name="code_list_entry_value_unique"
            ),
            models.CheckConstraint(condition=~Q(value=""), name="code_list_entry_value_present"),
        ]

    def __str__(self) -> str:
        return f"{self.value} {self.label}"


# The data types whose values can be codes (string and number); the others cannot have a list.
CODE_LIST_TYPES = ("C", "N", "I")


class DataItem(ChoiceLabels):
    """A data item (信息项) of a resource."""

    # What a catalog editor sets on an item, in the order forms, the API and exports show it;
    # the resource and the position belong to the resource's entry.
    EDITABLE_FIELDS = (
        "name",
        "data_type",
        "length",
        "level",
        "kind",
        "is_key",
        "description",
        "code_list",
    )

    class DataType(models.TextChoices):
        C = "C", _("C string")
        N = "N", _("N number")
        Y = "Y", _("Y currency")
        D = "D", _("D date")
        T = "T", _("T date and time")
        L = "L", _("L logical")
        M = "M", _("M memo")
        G = "G", _("G general")
        B = "B", _("B double")
        I = "I", _("I integer")  # noqa: E741 - the national type code
        F = "F", _("F float")

    class Kind(models.TextChoices):
        NONE = "none", _("Not personal data")
        ID_NUMBER = "id_number", _("Citizen ID number")
        MOBILE = "mobile", _("Mobile number")
        NAME = "name", _("Person's name")
        USCC = "uscc", _("Unified social credit code")
        BANK_CARD = "bank_card", _("Bank card number")
        ADDRESS = "address", _("Home address")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("name"), max_length=50)
    data_type = models.CharField(_("data type"), max_length=1, choices=DataType.choices)
    length = models.PositiveIntegerField(_("length"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.L1)
    kind = models.CharField(
        _("personal data kind"), max_length=10, choices=Kind.choices, default=Kind.NONE
    )
    is_key = models.BooleanField(_("key item"), default=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    code_list = models.ForeignKey(
        CodeList,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("code list"),
    )

    class Meta:
        verbose_name = _("data item")
        verbose_name_plural = _("data items")
        # By the key column: naming the relation would join its table on every query to
        # sort by that model's own ordering.
        ordering = ["resource_id", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=LEVEL_CHECK, name="data_item_level_range"),
            models.CheckConstraint(condition=Q(length__gt=0), name="data_item_length_positive"),
            models.UniqueConstraint(fields=["resource", "name"], name="data_item_name_unique"),
            models.CheckConstraint(
                condition=Q(code_list__isnull=True) | Q(data_type__in=CODE_LIST_TYPES),
                name="data_item_code_list_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PersonalDataConfirmation(models.Model):
    """An editor's word that an item detected as personal data is not, with the reason.

    ``catalog.detection`` flags an item tagged "not personal" whose name says otherwise; the
    resource cannot be submitted or published until each such item is either tagged with its
    kind or confirmed here. Removed with the item (a renamed item is a new item).
    """

    item = models.OneToOneField(
        DataItem,
        on_delete=models.CASCADE,
        related_name="personal_confirmation",
        verbose_name=_("data item"),
    )
    detected_kind = models.CharField(_("detected kind"), max_length=10)
    reason = models.CharField(_("reason"), max_length=200)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("not-personal confirmation")
        verbose_name_plural = _("not-personal confirmations")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.reason}"


class ResourceVersion(models.Model):
    """One published state of a resource: its metadata and data items as they were.

    Written by the services on first publication and on every edit of a published resource,
    in the same transaction, so the history cannot miss a change.
    """

    resource = models.ForeignKey(
        Resource, on_delete=models.CASCADE, related_name="versions", verbose_name=_("resource")
    )
    number = models.PositiveIntegerField(_("version"))
    # The snapshot's level, kept as a column so clearance filters it in SQL: a resource whose
    # level was lowered must not reveal its older, more sensitive versions.
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    snapshot = models.JSONField(_("snapshot"))
    change_note = models.CharField(_("change note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("changed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        # By the key column: naming the relation would join its table on every query to
        # sort by that model's own ordering.
        ordering = ["resource_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="resource_version_number_unique"
            ),
            models.CheckConstraint(condition=LEVEL_CHECK, name="resource_version_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} v{self.number}"


# django-guardian direct foreign-key permission tables: real FKs, so permission joins are
# indexed and rows vanish with their resource.
class ResourceUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Resource, on_delete=models.CASCADE)


class ResourceGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Resource, on_delete=models.CASCADE)


class SynonymGroup(models.Model):
    """A group of words that name the same thing (社保 / 社会保险), kept by the coordinator.

    A search for any term of a group also finds the others (catalog/search.py). A term belongs
    to one group at most (``SynonymTerm.term`` is unique): groups never overlap or loop.
    """

    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonym groups")

    def __str__(self) -> str:
        return self.terms_text

    @property
    def terms_text(self) -> str:
        """Return the terms in order, joined by " / " (prefetch ``terms`` for lists)."""
        return " / ".join(t.term for t in self.terms.all())


class SynonymTerm(models.Model):
    """One term of a synonym group, normalised as a query is (NFKC, lower case)."""

    group = models.ForeignKey(
        SynonymGroup, on_delete=models.CASCADE, related_name="terms", verbose_name=_("group")
    )
    term = models.CharField(_("term"), max_length=30, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["group_id", "position", "id"]

    def __str__(self) -> str:
        return self.term


class CatalogImportJob(models.Model):
    """An uploaded workbook checked (the preview), then imported, by the task worker.

    The web request only stores the file: the worker parses it in a child process under the
    parse limits (kernel/sandbox.py). ``confirmed`` is False while the job is the preview and
    True once the uploader asked for the import itself; ``result`` holds what the page shows
    (the problems by sheet, row and column, the preview's rows, the count imported).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", pgettext_lazy("import job status", "Done")
        FAILED = "failed", _("Failed")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    file = models.FileField(_("file"), upload_to="catalog-imports/", max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255)
    publish = models.BooleanField(_("publish at once"), default=False)
    confirmed = models.BooleanField(_("confirmed"), default=False)
    result = models.JSONField(_("result"), default=dict, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Renewed by the worker while it runs the job (kernel/leases.py); the sweep fails a running
    # job whose lease ran out.
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)

    class Meta:
        verbose_name = _("catalog import job")
        verbose_name_plural = _("catalog import jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


__all__ = [
    "CODE_LIST_TYPES",
    "CatalogImportJob",
    "Category",
    "CodeList",
    "CodeListEntry",
    "DataItem",
    "FormatClass",
    "InformationSystem",
    "OpenType",
    "Resource",
    "ResourceGroupObjectPermission",
    "ResourceUserObjectPermission",
    "ResourceVersion",
    "ShareMethod",
    "ShareType",
    "SynonymGroup",
    "SynonymTerm",
    "SystemCodeCounter",
    "UpdateCycle",
]
