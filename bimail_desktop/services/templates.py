"""Mail templates: the built-in "Test Mail" (S8) and the admin's own templates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from ..domain.models import TEST_MAIL_SUBJECT, TEST_MAIL_TEMPLATE, TEST_MAIL_TEXT, Template
from ..store.schema import TemplateRow

if TYPE_CHECKING:
    from ..store import Store

TEST_MAIL_HTML = (
    "<html><body>"
    f"<p style=\"font-family: Arial, SimSun, sans-serif;\">{TEST_MAIL_TEXT}</p>"
    "</body></html>"
)


class TemplatesMixin:
    store: Store

    def ensure_builtin_templates(self) -> None:
        """The "Test Mail" template always exists and always says S8's sentence."""
        with self.store.write() as session:
            row = session.scalar(select(TemplateRow).where(TemplateRow.name == TEST_MAIL_TEMPLATE))
            now = datetime.now(UTC).replace(tzinfo=None)
            if row is None:
                session.add(
                    TemplateRow(
                        name=TEST_MAIL_TEMPLATE,
                        subject=TEST_MAIL_SUBJECT,
                        html=TEST_MAIL_HTML,
                        builtin=True,
                        created_at=now,
                        updated_at=now,
                    )
                )
            elif row.html != TEST_MAIL_HTML or not row.builtin:
                row.html, row.subject, row.builtin, row.updated_at = (
                    TEST_MAIL_HTML, TEST_MAIL_SUBJECT, True, now)

    def get_template(self, name: str) -> Template | None:
        with self.store.read() as session:
            row = session.scalar(select(TemplateRow).where(TemplateRow.name == name))
            if row is None:
                return None
            return Template(row.name, row.subject, row.html, row.builtin)

    def list_templates(self) -> list[Template]:
        with self.store.read() as session:
            rows = session.scalars(select(TemplateRow).order_by(TemplateRow.name)).all()
            return [Template(r.name, r.subject, r.html, r.builtin) for r in rows]
