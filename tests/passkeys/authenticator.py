"""A software passkey for client-level tests: what a platform authenticator and the browser hand the portal.

Built from fido2's own data classes and an ES256 key (``cryptography``): ``create`` answers allauth's creation
options as navigator.credentials.create() does (attestation "none", user present and verified, credProps), ``get``
answers its request options as navigator.credentials.get() does (a signed assertion with the user handle). The
origin is http://localhost, a secure context whose host is a valid RP ID, as in the browser journey."""

from __future__ import annotations

import hashlib
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData, CollectedClientData

HOST = "localhost"
ORIGIN = f"http://{HOST}"
FLAGS = AuthenticatorData.FLAG


def public_key_options(options: dict) -> dict:
    """allauth's options as the page's JSON carries them ({"publicKey": {...}}, values base64url strings)."""
    return options.get("publicKey", options)


class SoftPasskey:
    def __init__(self, *, origin: str = ORIGIN, verified: bool = True) -> None:
        self.origin = origin
        self.verified = verified
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.rp_id = HOST
        self.user_handle = b""
        self.counter = 0

    def flags(self) -> int:
        return FLAGS.UP | (FLAGS.UV if self.verified else 0)

    def create(self, options: dict, *, resident: bool = True) -> dict:
        options = public_key_options(options)
        self.rp_id = options["rp"]["id"]
        self.user_handle = websafe_decode(options["user"]["id"])
        client_data = CollectedClientData.create("webauthn.create", options["challenge"], self.origin)
        credential = AttestedCredentialData.create(
            b"\0" * 16, self.credential_id, ES256.from_cryptography_key(self.key.public_key())
        )
        auth_data = AuthenticatorData.create(self.rp_id_hash(), self.flags() | FLAGS.AT, 0, credential)
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "attestationObject": websafe_encode(AttestationObject.create("none", auth_data, {})),
            },
            "clientExtensionResults": {"credProps": {"rk": resident}},
        }

    def get(self, options: dict) -> dict:
        options = public_key_options(options)
        client_data = CollectedClientData.create("webauthn.get", options["challenge"], self.origin)
        self.counter += 1
        auth_data = AuthenticatorData.create(self.rp_id_hash(), self.flags(), self.counter)
        signature = self.key.sign(auth_data + client_data.hash, ec.ECDSA(hashes.SHA256()))
        return {
            "id": websafe_encode(self.credential_id),
            "rawId": websafe_encode(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": websafe_encode(client_data),
                "authenticatorData": websafe_encode(auth_data),
                "signature": websafe_encode(signature),
                "userHandle": websafe_encode(self.user_handle),
            },
            "clientExtensionResults": {},
        }

    def rp_id_hash(self) -> bytes:
        return hashlib.sha256(self.rp_id.encode()).digest()


def register(user, name: str = "Laptop", *, resident: bool = True) -> tuple[SoftPasskey, object]:
    """A passkey already added to ``user``'s account (as allauth stores it), and its software authenticator."""
    from allauth.account.utils import user_pk_to_url_str
    from allauth.mfa.webauthn.internal.auth import WebAuthn

    passkey = SoftPasskey()
    options = {
        "rp": {"id": HOST},
        "user": {"id": websafe_encode(user_pk_to_url_str(user).encode())},
        "challenge": websafe_encode(os.urandom(32)),
    }
    credential = passkey.create(options, resident=resident)
    return passkey, WebAuthn.add(user, name, credential).instance
