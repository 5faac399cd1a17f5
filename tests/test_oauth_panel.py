"""The OAuth2 part of the sender form (OAuthPanel) with pytest-qt against a fake provider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_oauth import FakeOAuthProvider, browser
from PySide6.QtCore import Qt

from bimail_desktop.gui.oauth_panel import OAuthPanel
from bimail_desktop.services import Mailbox

ADDRESS = "bi@bimail.test"


@pytest.fixture
def idp() -> Iterator[FakeOAuthProvider]:
    with FakeOAuthProvider(account="admin@bimail.test") as provider:
        yield provider


@pytest.fixture
def panel(qtbot, mailbox: Mailbox) -> Iterator[OAuthPanel]:  # type: ignore[no-untyped-def]
    widget = OAuthPanel(mailbox, open_browser=browser)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.shutdown()


def fill(panel: OAuthPanel, idp: FakeOAuthProvider) -> None:
    panel.set_method("oauth2_custom")
    panel.clientIdEdit.setText(idp.client_id)
    panel.scopesEdit.setText("smtp offline_access")
    panel.authUrlEdit.setText(idp.auth_url)
    panel.tokenUrlEdit.setText(idp.token_url)


def test_fields_follow_the_method(panel: OAuthPanel) -> None:
    assert panel.method() == "password"
    assert not panel.clientIdEdit.isVisible()
    assert not panel.signInButton.isVisible()

    panel.propose_method("oauth2_microsoft")  # what a Microsoft 365 preset proposes
    assert panel.method() == "oauth2_microsoft"
    assert panel.clientIdEdit.isVisible() and panel.tenantEdit.isVisible()
    assert not panel.authUrlEdit.isVisible() and not panel.clientSecretEdit.isVisible()
    assert "SMTP.Send" in panel.scopesEdit.placeholderText()
    # no client ID yet: said in the panel, and Sign in is off
    assert "client" in panel.status_text.lower()
    assert not panel.signInButton.isEnabled()
    panel.clientIdEdit.setText("11111111-2222-3333-4444-555555555555")
    assert panel.signInButton.isEnabled()
    assert "Needs sign-in" in panel.status_text

    panel.set_method("oauth2_google")
    assert panel.clientSecretEdit.isVisible()
    assert "client secret" in panel.validation_error().lower()
    panel.set_method("oauth2_custom")
    assert panel.authUrlEdit.isVisible() and panel.tokenUrlEdit.isVisible()


def test_a_preset_does_not_override_the_admins_choice(panel: OAuthPanel, qtbot) -> None:  # type: ignore[no-untyped-def]
    panel.methodCombo.setFocus()
    panel.methodCombo.setCurrentIndex(panel.methodCombo.findData("password"))
    panel.methodCombo.activated.emit(panel.methodCombo.currentIndex())
    panel.propose_method("oauth2_google")
    assert panel.method() == "password"


def test_sign_in_for_a_new_sender_is_saved_with_the_sender(
        panel: OAuthPanel, mailbox: Mailbox, idp: FakeOAuthProvider, qtbot) -> None:  # type: ignore[no-untyped-def]
    fill(panel, idp)
    panel.set_login_hint(ADDRESS)
    with qtbot.waitSignal(panel.signedIn, timeout=10_000) as signal:
        qtbot.mouseClick(panel.signInButton, Qt.MouseButton.LeftButton)
    assert signal.args == ["admin@bimail.test"]
    qtbot.waitUntil(lambda: not panel.signing_in, timeout=5_000)
    assert "Signed in as admin@bimail.test" in panel.status_text

    mailbox.add_sender({"server": "127.0.0.1", "address": ADDRESS})
    panel.save(ADDRESS)
    assert mailbox.oauth_status(ADDRESS) == "signed_in"
    assert mailbox.get_sender(ADDRESS).auth_method == "oauth2_custom"
    assert "Signed in as admin@bimail.test" in panel.status_text


def test_saved_sender_shows_its_status_and_sign_in_can_be_cancelled(
        qtbot, mailbox: Mailbox, idp: FakeOAuthProvider) -> None:  # type: ignore[no-untyped-def]
    mailbox.add_sender({"server": "127.0.0.1", "address": ADDRESS})
    mailbox.set_sender_oauth(ADDRESS, "oauth2_custom", idp.settings())
    panel = OAuthPanel(mailbox, open_browser=lambda url: None)  # the browser never returns
    qtbot.addWidget(panel)
    panel.show()
    try:
        panel.set_sender(mailbox.get_sender(ADDRESS))
        assert panel.method() == "oauth2_custom"
        assert panel.clientIdEdit.text() == idp.client_id
        assert "Needs sign-in" in panel.status_text

        qtbot.mouseClick(panel.signInButton, Qt.MouseButton.LeftButton)
        assert panel.signing_in and panel.cancelButton.isVisible()
        assert "browser" in panel.status_text
        qtbot.mouseClick(panel.cancelButton, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not panel.signing_in, timeout=5_000)
        assert "cancel" in panel.status_text.lower()
        assert not panel.cancelButton.isVisible()
        assert mailbox.oauth_status(ADDRESS) == "needs_sign_in"

        # an unchanged saved sender is signed in at once (tokens saved by the sign-in)
        panel.open_browser = browser
        with qtbot.waitSignal(panel.signedIn, timeout=10_000):
            qtbot.mouseClick(panel.signInButton, Qt.MouseButton.LeftButton)
        assert mailbox.oauth_status(ADDRESS) == "signed_in"
        qtbot.waitUntil(lambda: not panel.signing_in, timeout=5_000)
        panel.set_sender(mailbox.get_sender(ADDRESS))
        assert "Signed in as admin@bimail.test" in panel.status_text
    finally:
        panel.shutdown()
