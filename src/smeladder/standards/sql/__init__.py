"""Compile a rulebook to one set-based SQL query: the second speed of "one definition, two speeds".

The same check expressions that ``checks.evaluate`` walks for one firm are walked here once and
turned into SQL over the registry tables (one row per enterprise; the fiscal years a rule reads
are LEFT JOINed by year). SQL's NULL is the engine's UNKNOWN and SQL's AND / OR / NOT are already
Kleene's three-valued logic, so the vocabulary maps one to one:

- numbers are ``CAST(… AS DOUBLE PRECISION)`` (binary floating point, as the Python path computes),
  a ratio divides by ``NULLIF(b, 0)`` (a zero denominator is unknown, not 0);
- points are a pair of SQL expressions (lowest, highest still possible), so an unknown band value
  spans its table exactly like ``Interval`` does;
- ``exists`` over a list is three-valued (``EXISTS … WHERE cond`` or, failing that, ``… WHERE cond
  IS NULL`` → unknown); the registry's lists (titles, awards, 创客中国) are complete records, so a
  firm with no rows has none;
- ``whole_years`` / ``days`` from a date column to a fixed date become a comparison of the column
  with a date computed here, so no dialect's date functions are needed.

The query is written once in PostgreSQL syntax and transpiled by SQLGlot to SQLite, MySQL/MariaDB,
DuckDB or Spark SQL. Facts the registry does not hold (e.g. ``expert_scores.*``) are NULL here.
Pure Python: no Django import (table names are parameters; ``Tables`` has the registry's).
"""

from .columns import Tables
from .query import (
    DIALECTS,
    FENCES,
    Compiled,
    compile_rulebook,
    expression_rulebook,
    region_filter,
    select_expression_sql,
    select_many_sql,
    select_sql,
    transpile,
)
from .values import SqlUnsupported, literal, q

__all__ = [
    "DIALECTS",
    "FENCES",
    "Compiled",
    "SqlUnsupported",
    "Tables",
    "compile_rulebook",
    "expression_rulebook",
    "literal",
    "q",
    "region_filter",
    "select_expression_sql",
    "select_many_sql",
    "select_sql",
    "transpile",
]
