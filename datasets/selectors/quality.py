"""Reads of the data quality profiles: a resource's panel and its API summary.

What a user sees is ``policies.quality_view``: the provider's users the per-item details, other
readers of the data the summary, nobody else anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from accounts.models import User
from catalog.models import Resource

from ..models import DatasetVersion, VersionQuality
from ..policies import DataRead, quality_view
from .history import Freshness, dataset_freshness


@dataclass
class QualityView:
    """What one user sees of a resource's data quality."""

    view: str  # "details" or "summary"
    version: int
    score: int
    completeness: float
    freshness: Freshness
    quality: VersionQuality
    # Details only: the per-item figures, without values above the viewer's clearance.
    items: list[dict[str, Any]] = field(default_factory=list)

    @property
    def fresh(self) -> bool | None:
        """Whether the data is on its update cycle now (None: irregular, or no data)."""
        if self.freshness.due_at is None:
            return None
        return not self.freshness.late


def _active_quality(resource: Resource) -> VersionQuality | None:
    return (
        VersionQuality.objects.select_related("version")
        .filter(version__resource_id=resource.pk, version__status=DatasetVersion.Status.ACTIVE)
        .first()
    )


def resource_quality_for(
    *, user: User, resource: Resource, decision: DataRead | None = None
) -> QualityView | None:
    """Return the quality of the resource's active data as the user may see it, or None.

    None when the user may see nothing of it, or when the active version is not profiled yet.
    ``decision``: the caller's ``data_read`` of the resource, if taken (``policies.quality_view``).
    """
    view = quality_view(user, resource, decision)
    if not view:
        return None
    quality = _active_quality(resource)
    if quality is None:
        return None
    items: list[dict[str, Any]] = []
    if view == "details":
        # The details go only to viewers cleared for the resource's level, which is at least
        # every item's: no item's values need hiding from them.
        for entry in quality.items:
            shown = dict(entry)
            shown["completeness_pct"] = round(100 * entry["completeness"], 1)
            shown["validity_pct"] = (
                None if entry["validity"] is None else round(100 * entry["validity"], 1)
            )
            items.append(shown)
    return QualityView(
        view=view,
        version=quality.version.number,
        score=quality.score,
        completeness=round(100 * quality.completeness, 1),
        freshness=dataset_freshness(user=user, resource=resource),
        quality=quality,
        items=items,
    )
