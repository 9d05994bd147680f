"""Outcomes of one attempted edit and the report of one job run, as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Saved:
    """Saved as revision ``revid``.

    ``base_revid`` is the revision the bot read and built its text on (0 for a new page) and
    ``applied_on`` the one the wiki applied the edit on (the API's ``oldrevid``; 0 for a page
    creation). They differ when someone edited between the bot's read and its save: the save
    then built its change again on top of that person's text (``revid`` is the final
    revision) and ``note`` says what happened, for the run's notes.
    """

    title: str
    revid: int
    summary: str
    simulated: bool = False
    base_revid: int = 0
    applied_on: int = 0
    note: str = ""

    @property
    def landed_on_other_edit(self) -> bool:
        """Whether the edit went on top of a revision the bot had not read."""
        return self.applied_on != self.base_revid


@dataclass(frozen=True)
class Unchanged:
    title: str


@dataclass(frozen=True)
class Skipped:
    """Not saved, for a reason that does not fail the job (protected, excluded, ...)."""

    title: str
    reason: str


@dataclass(frozen=True)
class Failed:
    """Not saved because of an error that fails the job."""

    title: str
    reason: str


EditOutcome = Saved | Unchanged | Skipped | Failed


@dataclass(frozen=True)
class EditConflict:
    """Not saved: the page changed between the read and the save (MediaWiki's edit conflict,
    or a page created meanwhile). Not an outcome of a job: the caller reads the page again
    (``save_page`` does so itself and rebuilds the text; a digest post looks for its marker)."""

    title: str


@dataclass
class JobReport:
    """What one job run did; printed at the end and written to the run log."""

    job: str
    pages_read: int = 0
    edits: list[Saved] = field(default_factory=list)
    unchanged: list[Unchanged] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failures: list[Failed] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def record(self, outcome: EditOutcome) -> None:
        if isinstance(outcome, Saved):
            self.edits.append(outcome)
            if outcome.note:
                self.notes.append(outcome.note)
        elif isinstance(outcome, Unchanged):
            self.unchanged.append(outcome)
        elif isinstance(outcome, Skipped):
            self.skipped.append(outcome)
        else:
            self.failures.append(outcome)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary_line(self) -> str:
        return (
            f"{self.job}: {self.pages_read} pages read, {len(self.edits)} edited, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped, "
            f"{len(self.failures)} failed"
        )
