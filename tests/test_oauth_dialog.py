"""OAuth2 senders in the sender dialog (the OAuthPanel embedded in its oauthArea)."""

from __future__ import annotations

from fake_oauth import FakeOAuthProvider, browser
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from bimail_desktop.gui.oauth_panel import OAuthPanel
from bimail_desktop.gui.sender_dialog import SenderDialog
from bimail_desktop.services import Mailbox


def open_dialog(qtbot, mailbox: Mailbox, sender=None) -> SenderDialog:  # type: ignore[no-untyped-def]
    dialog = SenderDialog(mailbox, sender)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def panel_of(dialog: SenderDialog) -> OAuthPanel:
    panel = dialog.findChild(OAuthPanel, "oauthPanel")
    assert panel is not None
    return panel


def ok_button(dialog: SenderDialog):  # type: ignore[no-untyped-def]
    return dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)


def test_microsoft_365_preset_proposes_oauth2_and_hides_the_password(
        qtbot, mailbox: Mailbox) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, mailbox)
    panel = panel_of(dialog)
    qtbot.keyClicks(dialog.ui.addressEdit, "bi@contoso.test")
    dialog.ui.serverCombo.setEditText("smtp.office365.com")
    assert panel.method() == "oauth2_microsoft"
    assert not dialog.ui.passwordEdit.isVisible()
    assert not ok_button(dialog).isEnabled()  # no client ID yet
    qtbot.keyClicks(panel.clientIdEdit, "11111111-2222-3333-4444-555555555555")
    assert ok_button(dialog).isEnabled()
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    sender = mailbox.get_sender("bi@contoso.test")
    assert sender.auth_method == "oauth2_microsoft"
    assert mailbox.sender_oauth_settings(sender.address).client_id.startswith("1111")
    assert mailbox.oauth_status(sender.address) == "needs_sign_in"


def test_new_sender_signed_in_before_saving_keeps_the_sign_in(
        qtbot, mailbox: Mailbox, idp: FakeOAuthProvider) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, mailbox)
    panel = panel_of(dialog)
    panel.open_browser = browser
    dialog.ui.serverCombo.setEditText("127.0.0.1")
    qtbot.keyClicks(dialog.ui.addressEdit, "bi@bimail.test")
    panel.set_method("oauth2_custom")
    panel.clientIdEdit.setText(idp.client_id)
    panel.scopesEdit.setText("smtp offline_access")
    panel.authUrlEdit.setText(idp.auth_url)
    panel.tokenUrlEdit.setText(idp.token_url)
    with qtbot.waitSignal(panel.signedIn, timeout=10_000):
        qtbot.mouseClick(panel.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.signing_in, timeout=5_000)
    assert "Signed in as bi@bimail.test" in panel.status_text
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    assert mailbox.oauth_status("bi@bimail.test") == "signed_in"

    # editing shows the saved method, settings and status
    edit = open_dialog(qtbot, mailbox, mailbox.get_sender("bi@bimail.test"))
    edit_panel = panel_of(edit)
    assert edit_panel.method() == "oauth2_custom"
    assert edit_panel.tokenUrlEdit.text() == idp.token_url
    assert "Signed in as bi@bimail.test" in edit_panel.status_text
    assert not edit.ui.passwordEdit.isVisible()


def test_password_senders_keep_the_password_field(qtbot, mailbox: Mailbox) -> None:  # type: ignore[no-untyped-def]
    dialog = open_dialog(qtbot, mailbox)
    panel = panel_of(dialog)
    dialog.ui.serverCombo.setEditText("mail.internal.test")
    qtbot.keyClicks(dialog.ui.addressEdit, "bi@internal.test")
    assert panel.method() == "password"
    assert dialog.ui.passwordEdit.isVisible()
    qtbot.keyClicks(dialog.ui.passwordEdit, "pw")
    qtbot.mouseClick(ok_button(dialog), Qt.MouseButton.LeftButton)
    sender = mailbox.get_sender("bi@internal.test")
    assert sender.auth_method == "password" and sender.has_password
