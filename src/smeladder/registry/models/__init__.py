from .enterprises import Enterprise, RDInstitution
from .figures import AnnualFigures, Award, EquityFinancing, MakerChinaResult, PlatformScore
from .imports import ImportRun
from .pools import Pool, PoolMembership
from .titles import Title, TitleCode, TitleLevel

__all__ = [
    "AnnualFigures",
    "Award",
    "Enterprise",
    "EquityFinancing",
    "ImportRun",
    "MakerChinaResult",
    "PlatformScore",
    "Pool",
    "PoolMembership",
    "RDInstitution",
    "Title",
    "TitleCode",
    "TitleLevel",
]
