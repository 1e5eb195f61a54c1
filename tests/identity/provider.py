"""A real OpenID Connect provider on loopback: the certified `oidc-provider` package run by
Node (tests/identity/oidc_provider, installed by `make install-dev` with `npm ci`)."""

import contextlib
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from procurement.settings import content_security_policy
from tests.security.live_app import free_port

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "due-diligence"
CLIENT_SECRET = "a-client-secret-for-tests"  # noqa: S105 - the provider runs only in tests


class Provider:
    def __init__(self, issuer, accounts_file):
        self.issuer = issuer
        self.accounts_file = accounts_file

    def set_accounts(self, accounts):
        """Accounts by login name, with their claims; read by the provider at each sign-in."""
        self.accounts_file.write_text(json.dumps(accounts))


@contextlib.contextmanager
def openid_provider(*, app_url, callback_path, login_path, accounts, tmp_path):
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError("The test provider is not installed: run `make install-dev`.")
    node = shutil.which("node")
    port = free_port()
    provider = Provider(f"http://127.0.0.1:{port}", tmp_path / "accounts.json")
    provider.set_accounts(accounts)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PORT": str(port),
        "ACCOUNTS_FILE": str(provider.accounts_file),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": f"{app_url}{callback_path}",
        "POST_LOGOUT_REDIRECT_URI": f"{app_url}{login_path}",
    }
    log_path = tmp_path / "provider.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(  # noqa: S603 - node and our own script
            [node, "server.mjs"], cwd=PROVIDER_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        _wait_until_serving(process, provider.issuer, log_path)
        yield provider
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _wait_until_serving(process, issuer, log_path, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The provider exited:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(  # noqa: S310 - loopback
                f"{issuer}/.well-known/openid-configuration", timeout=2
            ) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    raise RuntimeError(f"The provider did not answer in {timeout} s:\n{log_path.read_text()}")


def use_provider(settings, provider, role_map):
    """Point the app's single sign-on settings at `provider`."""
    settings.OIDC_ISSUER = provider.issuer
    settings.CONTENT_SECURITY_POLICY = content_security_policy(sign_in_provider=provider.issuer)
    settings.OIDC_PROVIDER_NAME = "Example ID"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_RP_SCOPES = "openid email profile groups"
    settings.OIDC_ROLE_MAP = role_map
    settings.AUTHENTICATION_BACKENDS = [
        "identity.backends.LocalPasswordBackend",
        "identity.oidc.RoleMappingBackend",
    ]
