"""Run the test SAML 2.0 identity provider (pysaml2):
``python -m tests.idp.saml.serve --sp-entity-id ID --sp-acs URL [--user EMAIL:PASSWORD:Given Family]``.

A fresh key and self-signed certificate each start; the service provider's metadata is built from the arguments.
Its single sign-on service takes the AuthnRequest by HTTP-Redirect, shows a login form, and answers with a signed
assertion (mail, givenName, sn; a persistent NameID) by HTTP-POST. Binds 127.0.0.1 on a free port and prints
"READY http://127.0.0.1:<port>" once it serves; its metadata is at /metadata, its entity ID that URL."""

import argparse
import datetime
import html
import os
import shutil
import tempfile
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

SP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
  <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"
      AuthnRequestsSigned="false" WantAssertionsSigned="true">
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="1"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>"""

LOGIN_FORM = """<!doctype html>
<html lang="de"><head><meta charset="utf-8"><title>Anmeldung – Stadtverwaltung (SAML, Test)</title></head>
<body><h1>Anmeldung bei der Stadtverwaltung</h1>{error}
<form method="post" action="/login">
<input type="hidden" name="SAMLRequest" value="{request}"><input type="hidden" name="RelayState" value="{relay}">
<p><label for="u">E-Mail-Adresse</label> <input id="u" name="username" autocomplete="username"></p>
<p><label for="p">Kennwort</label> <input id="p" name="password" type="password" autocomplete="current-password"></p>
<button type="submit">Einloggen</button></form></body></html>"""


class Server_(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


def key_and_certificate(workdir: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-IdP Stadtverwaltung")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = os.path.join(workdir, "idp.key"), os.path.join(workdir, "idp.crt")
    with open(key_file, "wb") as out:
        out.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    with open(cert_file, "wb") as out:
        out.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def build(args, base: str, workdir: str) -> Server:
    key_file, cert_file = key_and_certificate(workdir)
    sp_file = os.path.join(workdir, "sp.xml")
    with open(sp_file, "w") as out:
        out.write(SP_METADATA.format(entity_id=html.escape(args.sp_entity_id), acs=html.escape(args.sp_acs)))
    config = IdPConfig()
    config.load(
        {
            "entityid": base + "/metadata",
            "service": {
                "idp": {
                    "endpoints": {"single_sign_on_service": [(base + "/sso/redirect", BINDING_HTTP_REDIRECT)]},
                    "name_id_format": [NAMEID_FORMAT_PERSISTENT],
                    "policy": {"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}},
                    "sign_assertion": True,
                    "sign_response": False,
                    "want_authn_requests_signed": False,
                }
            },
            "key_file": key_file,
            "cert_file": cert_file,
            "metadata": {"local": [sp_file]},
            "xmlsec_binary": shutil.which("xmlsec1"),
        }
    )
    return Server(config=config)


def app_for(server: Server, users: dict, base: str):
    metadata = create_metadata_string(None, config=server.config, valid=24 * 30).decode()

    def app(environ, start_response):
        path = environ["PATH_INFO"]
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [metadata.encode()]
        if path == "/sso/redirect":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            server.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)  # refuses a broken request
            return page(start_response, query["SAMLRequest"], query.get("RelayState", ""), "")
        if path == "/login" and environ["REQUEST_METHOD"] == "POST":
            size = int(environ.get("CONTENT_LENGTH") or 0)
            form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(size).decode()).items()}
            user = users.get(form.get("username", "").lower())
            if user is None or user["password"] != form.get("password"):
                error = "<p role='alert'>Anmeldung fehlgeschlagen.</p>"
                return page(start_response, form["SAMLRequest"], form.get("RelayState", ""), error)
            request = server.parse_authn_request(form["SAMLRequest"], BINDING_HTTP_REDIRECT).message
            resp_args = server.response_args(request, [BINDING_HTTP_POST])
            identity = {"mail": [user["email"]], "givenName": [user["given"]], "sn": [user["family"]]}
            response = server.create_authn_response(
                identity,
                userid=user["uid"],
                name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=user["uid"]),
                authn={
                    "class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport",
                    "authn_auth": base,
                },
                sign_assertion=True,
                sign_response=False,
                sign_alg=SIG_RSA_SHA256,  # the portal refuses SHA-1 (reject_deprecated_algorithm)
                digest_alg=DIGEST_SHA256,
                **resp_args,
            )
            http_args = server.apply_binding(
                BINDING_HTTP_POST, str(response), resp_args["destination"], form.get("RelayState", ""), response=True
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [http_args["data"].encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]

    def page(start_response, saml_request, relay, error):
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
        body = LOGIN_FORM.format(request=html.escape(saml_request), relay=html.escape(relay), error=error)
        return [body.encode()]

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sp-entity-id", required=True)
    parser.add_argument("--sp-acs", required=True)
    parser.add_argument("--user", action="append", default=[], help="email:password:Given Family")
    args = parser.parse_args()
    users = {}
    for spec in args.user:
        email, password, name = (spec.split(":", 2) + [""])[:3]
        given, _, family = name.partition(" ")
        users[email.lower()] = {
            "email": email,
            "password": password,
            "given": given,
            "family": family,
            "uid": "u-" + email.split("@")[0],
        }
    workdir = tempfile.mkdtemp(prefix="idp-saml-")
    httpd = make_server("127.0.0.1", 0, lambda e, s: [], server_class=Server_, handler_class=QuietHandler)
    base = f"http://127.0.0.1:{httpd.server_port}"
    httpd.set_app(app_for(build(args, base, workdir), users, base))
    print(f"READY {base}", flush=True)
    try:
        httpd.serve_forever()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
