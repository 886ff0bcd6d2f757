"""What a bag validation found: errors and warnings with stable codes."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Finding:
    """One problem or warning about a bag, or one file of it."""

    code: str
    message: str
    path: str = ""

    def __str__(self):
        where = f"{self.path}: " if self.path else ""
        return f"[{self.code}] {where}{self.message}"


@dataclass
class BagReport:
    """Every error and warning found in one bag; valid when no error."""

    path: str
    version: str = ""
    errors: list[Finding] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    payload: list[str] = field(default_factory=list)

    @property
    def valid(self):
        return not self.errors

    def error(self, code, message, path=""):
        self.errors.append(Finding(code, message, path))

    def warn(self, code, message, path=""):
        self.warnings.append(Finding(code, message, path))
