"""Who may do what in the catalog: each rule as a predicate and, where lists need it, a filter.

The three questions of the access model (ARCHITECTURE.md):

1. see that the resource exists (its catalog entry, metadata and data item definitions): the
   entry's catalog scope admits the user (``departments``: every user of a department, the
   default; ``cleared``: users whose clearance covers its level; ``provider``: the coordinator
   within clearance), or the user's department provides it; and the resource is published, or
   belongs to the user's department, or is under review or retired and the user is the
   platform coordinator;
2. read its data: (1), the resource is published, and it is shared unconditionally, or it is the
   user's department's own, or the department holds the guardian permission *and* a grant in force
   (that rule needs the grants, so it lives above sharing, in ``sharing.policies.reading``); only
   the items within the user's clearance are ever delivered;
3. change it or decide on it: the user's clearance covers its level, and a role in the provider
   department (catalog editor / approver), or an explicit per-object delegation held in guardian.

Classification is compiled into SQL (``level <= clearance``) in every filter that needs it; it
is never a per-object grant and never a Python post-filter. The predicates are written separately on purpose:
the property test in tests/accounts checks that both forms, and ``user.has_perm``, always agree.

The rules live in two modules: ``resources`` (visibility, change and decide, and who keeps the
catalog) and ``systems`` (the information system registry). This package is their one public face: callers
use ``from catalog import policies`` and ``policies.<name>``.
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any

from django.db.models import Q

from . import resources as _resources
from . import systems as _systems
from .resources import (
    CHANGE,
    DECIDE,
    NOTHING,
    READ_DATA,
    AnyUser,
    activity_within_q,
    can_change_resource,
    can_decide_resource,
    can_delegate_stewardship,
    can_import_published,
    can_import_resources,
    can_import_resources_for,
    can_list_maintained_resources,
    can_manage_categories,
    can_manage_code_lists,
    can_manage_synonyms,
    can_override_catalog_scope,
    can_publish_resource,
    can_read_code_lists,
    can_retire_resource,
    can_return_resource,
    can_review_resources,
    can_see_activity_actors,
    can_see_import_job,
    can_set_catalog_scope,
    can_steward_resource,
    can_view_resource,
    clearance_covers,
    forget_delegations,
    has_delegations,
    is_catalog_editor,
    is_catalog_editor_of,
    items_visible_q,
    items_within_q,
    resource_in_scope,
    resources_delegated,
    resources_in_scope_q,
    resources_reviewable_q,
    resources_shared_key,
    resources_shared_q,
    resources_stewarded_q,
    resources_visible_key,
    resources_visible_q,
    resources_visible_through_q,
)
from .systems import (
    can_decide_system,
    can_decide_systems,
    can_file_systems_of,
    can_manage_all_systems,
    can_manage_systems_of,
    can_register_systems,
    files_systems,
    systems_visible_q,
)

# Object permissions answered by the policy backend, keyed by "app_label.codename".
RESOURCE_PREDICATES = {
    "catalog.view_resource": can_view_resource,
    f"catalog.{CHANGE}": can_change_resource,
    f"catalog.{DECIDE}": can_decide_resource,
}

_MODULES = (_resources, _systems)

# Every name of the modules, their private helpers too, is also a name of the package, as it was
# of the single module the package replaces.
for _module in _MODULES:
    for _name, _value in vars(_module).items():
        if not _name.startswith("__"):
            globals().setdefault(_name, _value)
del _module, _name, _value


class _Policies(ModuleType):
    """The package as one namespace, as the single ``catalog/policies.py`` module was.

    Replacing a name on the package (tests break a rule on purpose to prove that the property
    tests notice, and put it back) replaces it in every module that holds it, so the package's
    own rules see the replacement as well as its callers.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        for module in _MODULES:
            if name in vars(module):
                setattr(module, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Policies

__all__ = [
    "CHANGE",
    "DECIDE",
    "NOTHING",
    "READ_DATA",
    "RESOURCE_PREDICATES",
    "AnyUser",
    "Q",
    "activity_within_q",
    "can_change_resource",
    "can_decide_resource",
    "can_decide_system",
    "can_decide_systems",
    "can_delegate_stewardship",
    "can_file_systems_of",
    "can_import_published",
    "can_import_resources",
    "can_import_resources_for",
    "can_list_maintained_resources",
    "can_manage_all_systems",
    "can_manage_categories",
    "can_manage_code_lists",
    "can_manage_synonyms",
    "can_manage_systems_of",
    "can_override_catalog_scope",
    "can_publish_resource",
    "can_read_code_lists",
    "can_register_systems",
    "can_retire_resource",
    "can_return_resource",
    "can_review_resources",
    "can_see_activity_actors",
    "can_see_import_job",
    "can_set_catalog_scope",
    "can_steward_resource",
    "can_view_resource",
    "clearance_covers",
    "files_systems",
    "forget_delegations",
    "has_delegations",
    "is_catalog_editor",
    "is_catalog_editor_of",
    "items_visible_q",
    "items_within_q",
    "resource_in_scope",
    "resources_delegated",
    "resources_in_scope_q",
    "resources_reviewable_q",
    "resources_shared_key",
    "resources_shared_q",
    "resources_stewarded_q",
    "resources_visible_key",
    "resources_visible_q",
    "resources_visible_through_q",
    "systems_visible_q",
]
