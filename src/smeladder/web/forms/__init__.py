"""Forms of the platform's pages. They parse what people type (money in 万元, 是/否/未知) into
facts; the checks themselves are the importer's, run by the registry's edit actions, whose
problems come back onto the fields here."""

from .enterprise import EnterpriseFactsForm
from .figures import AnnualFiguresForm

__all__ = ["AnnualFiguresForm", "EnterpriseFactsForm"]
