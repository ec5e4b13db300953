"""The HTTP API (/api/v1/), one module per resource. Views are thin: every query goes through
`for_user`, every write through a registry/screening action, every result is the engine's own
facts-format dict or a documented serializer."""

from .assess import AssessView
from .common import not_found
from .enterprises import EnterpriseAssessmentsView, EnterpriseDetailView, EnterpriseListView
from .figures import FiguresDetailView, FiguresListView
from .pools import PoolDetailView, PoolListView, PoolMemberRemoveView, PoolMembersView
from .screenings import ScreeningResultListView, ScreeningRunListView
from .titles import TitleDetailView, TitleListView
from .token import TokenView

__all__ = [
    "AssessView",
    "EnterpriseAssessmentsView",
    "EnterpriseDetailView",
    "EnterpriseListView",
    "FiguresDetailView",
    "FiguresListView",
    "PoolDetailView",
    "PoolListView",
    "PoolMemberRemoveView",
    "PoolMembersView",
    "ScreeningResultListView",
    "ScreeningRunListView",
    "TitleDetailView",
    "TitleListView",
    "TokenView",
    "not_found",
]
