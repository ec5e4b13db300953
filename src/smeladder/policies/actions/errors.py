"""Why a policy action was refused, in Chinese (pages and the API show the message as is)."""

from __future__ import annotations

from dataclasses import dataclass


class PolicyError(ValueError):
    """An action on the policy library was refused; ``str(error)`` is the Chinese reason."""


class OutOfScope(PolicyError):
    """The document is not one the user maintains (or does not exist): pages show 404."""


class NotAllowed(PolicyError):
    """The user may see the document but not do this (e.g. approve their own draft): 403."""


@dataclass(frozen=True)
class FieldProblem:
    """One thing wrong with submitted policy data: a path in the policy JSON format
    (``items[2].benefit.cap``) and the reason in Chinese."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


class PolicyInvalid(PolicyError):
    """The submitted data has problems; nothing was written."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        self.problems = list(problems)
        head = "；".join(f"{p.path or '文件'}：{p.message}" for p in self.problems[:3])
        more = f"（另有 {len(self.problems) - 3} 处）" if len(self.problems) > 3 else ""
        super().__init__(f"政策数据有 {len(self.problems)} 处问题：{head}{more}")
