"""networks.outbound against a real HTTPS server on 127.0.0.1 (tests/outbound/server.py)."""

import socket
import time

import pytest

from networks import outbound
from tests.outbound.server import Answer, ReceivingServer

pytestmark = pytest.mark.django_db(databases=[])


@pytest.fixture
def server(settings):
    with ReceivingServer() as srv:
        settings.OUTBOUND_ALLOW_PRIVATE = True
        settings.OUTBOUND_CA_BUNDLE = str(srv.ca_path)
        yield srv


@pytest.fixture
def fake_dns(monkeypatch):
    """Host names the tests make up, resolved to the addresses given (no real DNS)."""
    table: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
                    for a in table[host]]  # fmt: skip
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return table


# --- refused by default ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/",
        "https://127.1.2.3:8443/hook",
        "https://10.0.0.5/",
        "https://172.16.0.1/",
        "https://192.168.1.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://224.0.0.1/",
        "https://240.0.0.1/",
        "https://[::1]/",
        "https://[::]/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:10.0.0.1]/",
        "https://[fe80::1]/",
        "https://[fc00::1]/",
        "https://[ff02::1]/",
        "https://[2002:7f00:1::]/",  # 6to4 around 127.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
        "https://localhost/",
    ],
)
def test_private_and_special_addresses_are_refused(url):
    with pytest.raises(outbound.OutboundRefused):
        outbound.check_url(url)
    with pytest.raises(outbound.OutboundRefused):
        outbound.fetch("POST", url, body=b"{}")


def test_a_hostname_resolving_to_a_private_address_is_refused(fake_dns):
    fake_dns["intern.example"] = ["10.1.2.3"]
    fake_dns["mixed.example"] = ["93.184.215.14", "192.168.0.10"]  # one bad answer is enough
    for host in ("intern.example", "mixed.example"):
        with pytest.raises(outbound.OutboundRefused, match="private"):
            outbound.check_url(f"https://{host}/hook")


def test_a_public_address_passes_the_check(fake_dns):
    fake_dns["hooks.example"] = ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"]
    outbound.check_url("https://hooks.example/klimanetz")


@pytest.mark.parametrize(
    ("url", "https_only"),
    [
        ("http://93.184.215.14/", True),
        ("ftp://93.184.215.14/", False),
        ("file:///etc/passwd", False),
        ("https://user:secret@93.184.215.14/", True),
        ("https:///nohost", True),
        ("https://[::1/", True),
        ("https://93.184.215.14:99999/", True),
        ("https://no-such-host.invalid/", True),
    ],
)
def test_malformed_or_unsupported_urls_are_refused(url, https_only):
    with pytest.raises(outbound.OutboundRefused):
        outbound.check_url(url, https_only=https_only)


def test_the_default_setting_refuses_the_test_server_itself(server, settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    with pytest.raises(outbound.OutboundRefused, match="(?i)loopback"):
        outbound.fetch("GET", server.url())
    assert server.received == []


# --- talking to the server ------------------------------------------------------------------------------------


def test_post_reaches_the_server_with_host_header_and_body(server):
    server.handler = lambda r: Answer(201, b'{"ok": true}', {"X-Answer": "yes"})
    response = outbound.fetch("POST", server.url("/hook?x=1"), body=b'{"a": 1}', headers={"X-Test": "1"})
    assert (response.status, response.body, response.headers["x-answer"]) == (201, b'{"ok": true}', "yes")
    (received,) = server.received
    assert (received.method, received.path, received.body) == ("POST", "/hook?x=1", b'{"a": 1}')
    assert received.headers["host"] == f"localhost:{server.port}"
    assert received.headers["x-test"] == "1"


def test_connects_to_the_checked_address_not_a_second_lookup(server, monkeypatch):
    """DNS rebinding: the name is resolved once; the answers after the first point into the network and would
    be refused, but the connection goes to the address that was checked."""
    lookups = []
    real = socket.getaddrinfo

    def rebinding(host, port, *args, **kwargs):
        if host == "localhost":
            lookups.append(host)
            address = "127.0.0.1" if len(lookups) == 1 else "10.9.9.9"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    assert outbound.fetch("GET", server.url()).status == 200
    assert lookups == ["localhost"]


def test_certificate_for_another_name_is_refused(server, fake_dns):
    fake_dns["other.example"] = ["127.0.0.1"]
    with pytest.raises(outbound.OutboundError, match="TLS"):
        outbound.fetch("GET", server.url(host="other.example"))


def test_untrusted_certificate_is_refused(server, settings):
    settings.OUTBOUND_CA_BUNDLE = None  # the system's CAs do not know the test CA
    with pytest.raises(outbound.OutboundError, match="TLS"):
        outbound.fetch("GET", server.url())


def test_plain_http_only_when_allowed(settings):
    with ReceivingServer(tls=False) as srv:
        settings.OUTBOUND_ALLOW_PRIVATE = True
        with pytest.raises(outbound.OutboundRefused):
            outbound.fetch("GET", srv.url())
        assert outbound.fetch("GET", srv.url(), https_only=False).body == b"ok"


def test_slow_answer_times_out(server):
    server.handler = lambda r: Answer(delay=2)
    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout):
        outbound.fetch("POST", server.url(), timeout=0.5)
    assert time.monotonic() - started < 1.5


def test_a_dripping_body_stops_at_the_total_deadline(server):
    server.handler = lambda r: Answer(body=b"x" * 100, drip=0.1)
    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout):
        outbound.fetch("GET", server.url(), timeout=0.8)
    assert time.monotonic() - started < 1.5


def test_a_stalled_body_stops_at_the_total_deadline(server):
    """Headers at once, then one byte, then nothing for longer than the whole timeout."""
    server.handler = lambda r: Answer(body=b"xx", drip=3)
    started = time.monotonic()
    with pytest.raises(outbound.OutboundTimeout):
        outbound.fetch("GET", server.url(), timeout=0.8)
    assert time.monotonic() - started < 1.5


def test_too_large_declared_or_streamed(server):
    server.handler = lambda r: Answer(body=b"x" * 2000)
    with pytest.raises(outbound.OutboundTooLarge):
        outbound.fetch("GET", server.url(), max_bytes=1000)
    server.handler = lambda r: Answer(body=b"y" * 300_000, declared_length=-1)  # no Content-Length: streamed
    assert len(outbound.fetch("GET", server.url(), max_bytes=300_000).body) == 300_000
    with pytest.raises(outbound.OutboundTooLarge):
        outbound.fetch("GET", server.url(), max_bytes=299_999)


def test_redirects_are_followed_for_get_after_a_check(server):
    server.handler = lambda r: (
        Answer(302, b"", {"Location": "/there"}) if r.path == "/here" else Answer(200, r.path.encode())
    )
    assert outbound.fetch("GET", server.url("/here")).body == b"/there"
    assert outbound.fetch("POST", server.url("/here")).status == 302  # not followed for POST


def test_a_redirect_to_a_private_address_is_refused(server, settings, monkeypatch):
    """The first hop is the test server (allowed for 127.0.0.1 alone), the redirect points into the network."""
    settings.OUTBOUND_ALLOW_PRIVATE = False
    real = outbound.address_refusal
    monkeypatch.setattr(outbound, "address_refusal", lambda a: None if a == "127.0.0.1" else real(a))
    for location in ("http://169.254.169.254/latest/", "https://10.0.0.1/", "https://[::1]/", "https://127.0.0.2/"):
        server.handler = lambda r, loc=location: Answer(301, b"", {"Location": loc})
        with pytest.raises(outbound.OutboundRefused):
            outbound.fetch("GET", server.url("/start", host="127.0.0.1"), https_only=False)


def test_unreachable_port_is_an_error_not_a_crash(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(outbound.OutboundError):
        outbound.fetch("GET", f"https://127.0.0.1:{port}/", timeout=2)
