"""Run the test OpenID provider:
``python -m tests.idp.oidc.serve --redirect-uri URI [--user EMAIL:PASSWORD:First Last]``.

A fresh RSA key and an in-process SQLite database each start; one confidential client "klimanetz" (secret
"klimanetz-secret", PKCE, the given redirect URIs, no consent screen); the users given. Binds 127.0.0.1 on a free
port and prints "READY http://127.0.0.1:<port>/o" (the issuer) once it serves."""

import argparse
import os
import tempfile
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

CLIENT_ID = "klimanetz"
CLIENT_SECRET = "klimanetz-secret"  # noqa: S105  # nosec: the test provider's only client


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redirect-uri", action="append", required=True)
    parser.add_argument("--user", action="append", default=[], help="email:password:Given Family")
    args = parser.parse_args()

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    os.environ["IDP_RSA_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    workdir = tempfile.mkdtemp(prefix="idp-oidc-")
    os.environ["IDP_DB"] = os.path.join(workdir, "db.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.idp.oidc.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", run_syncdb=True, verbosity=0, interactive=False)
    for spec in args.user:
        email, password, name = (spec.split(":", 2) + [""])[:3]
        first, _, last = name.partition(" ")
        User.objects.create_user(
            username=email.split("@")[0], email=email, password=password, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Klimanetz",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(args.redirect_uri),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    httpd = make_server("127.0.0.1", 0, get_wsgi_application(), server_class=Server, handler_class=QuietHandler)
    print(f"READY http://127.0.0.1:{httpd.server_port}/o", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
