"""What a sender logs in with: its password from the keychain, or a fresh OAuth2 access
token. Sending and the diagnosis both ask here, so that they log in the same way."""

from __future__ import annotations

from ..domain.errors import BimailError, ErrorCode
from ..domain.models import AuthMethod, Sender
from ..domain.texts import Msg
from ..mail import oauth as oa
from ..secrets import SecretStore
from .oauth import OAuth

# (user name for AUTH — "" for none, password, OAuth2 bearer token)
Login = tuple[str, str | None, str | None]


class Credentials:
    """The login of a stored sender (password or OAuth2 token)."""

    def __init__(self, secrets: SecretStore, oauth: OAuth) -> None:
        self.secrets = secrets
        self.oauth = oauth

    def password(self, sender: Sender) -> str | None:
        """The stored password of ``sender`` (None when there is none)."""
        return self.secrets.get_password(sender.id)

    def oauth_token(self, sender: Sender) -> str:
        """A valid OAuth2 access token (refreshed when needed); a revoked or missing
        sign-in raises ``oauth_reauth_required``."""
        return self.oauth.oauth_access_token(sender)

    def login_for(self, sender: Sender) -> Login:
        """(user name, password, OAuth2 token) to log in as ``sender``; user name "" means
        no login (an internal relay without a stored password)."""
        if oa.is_oauth(sender.auth_method):
            return sender.login, None, self.oauth_token(sender)
        if sender.auth_method is AuthMethod.PASSWORD:
            password = self.password(sender)
            if not password and sender.password_stored:
                # entered on another machine sharing the store: its keychain has it, this
                # one's does not — say so, rather than try without a login
                raise BimailError(
                    ErrorCode.SECRET_UNAVAILABLE,
                    Msg("credentials.password_elsewhere", address=sender.address),
                    field="password",
                )
            if not password:
                return "", None, None
            return sender.login, password, None
        raise BimailError(
            ErrorCode.AUTH_UNSUPPORTED,
            Msg("credentials.method_unavailable", auth_method=sender.auth_method,
                address=sender.address),
        )
