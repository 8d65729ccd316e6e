"""Network identifiers: IP_ADDRESS (IPv4 and IPv6, also IPv4-mapped).

Address-shaped tokens are validated by the standard library's `ipaddress`. A dotted quad
right after a version word ("version 1.2.3.4", "v1.2.3.4", "upgrade to 10.1.2.3") is a
version number, not an address. A quad of small numbers ("2.4.1.3", "16.6.6.4") is more
often a section, room or version number than an address: it needs a network word before it
(server, ping, ssh, IP, ...) or a port or prefix length after it ("10.0.0.1:8080", "/24").
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator

from hw4.detection.base import IP_ADDRESS, Candidate, near_before, phrase_regex, words_regex

_IPV4_RE = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)")
_IPV6_RE = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?::?[0-9A-Fa-f]{1,4}|:){1,7}"
    r"(?:(?<=:)(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)")
# "version 1.2.3.4", "v1.2.3.4", "the patch notes for 1.2.3.4": a dotted quad in a version
# sentence is a version number. Version nouns may stand a few words before the number; verbs
# like "update" only right before it ("update the DNS for 10.1.2.3" is an address).
_VERSION_NOUNS = phrase_regex("version", "versions", "ver", "release", "build", "firmware",
                              "patch", "versión", "versione", "versão", "versie", "changelog",
                              "v")
_VERSION_CONTEXT = re.compile(
    rf"\b(?:(?:{_VERSION_NOUNS})(?:\s+\w+){{0,3}}|"
    + phrase_regex("update", "upgrade", "updated", "upgraded", "bump", "install", "installed")
    + r")\W{0,3}$", re.IGNORECASE)


# words that come before an address in chat about networks, in the languages of keywords.py
_NETWORK_CONTEXT = re.compile(words_regex(
    "ip", "ipv4", "ip address", "ip-adresse", "adresse ip", "dirección ip", "indirizzo ip",
    "endereço ip", "ip-adres", "server", "serveur", "servidor", "host", "hostname", "ping",
    "ssh", "dns", "gateway", "subnet", "router", "vpn", "proxy", "firewall", "whitelist",
    "allowlist", "blocklist", "block", "ban", "nginx", "curl", "http", "https", "connect",
    "connected", "logged in from", "node", "machine", "vm", "instance",
    "resolves", "resolve", "nameserver", "address", "adresse", "dirección", "indirizzo",
    "endereço", "adres", "сервер", "адрес", "διακομιστής", "διεύθυνση", "خادم", "عنوان",
    "שרת", "כתובת", "सर्वर", "पता", "服务器", "地址", "サーバー", "アドレス", "서버", "주소",
), re.IGNORECASE)
_PORT_OR_PREFIX = re.compile(r"[:/]\d")
_SMALL_OCTET = 100


def _needs_network_word(quad: str) -> bool:
    return max(int(part) for part in quad.split(".")) < _SMALL_OCTET


def find_ip(text: str) -> Iterator[Candidate]:
    if "." in text:
        for m in _IPV4_RE.finditer(text):
            if near_before(_VERSION_CONTEXT, text, m.start()):
                continue
            if (_needs_network_word(m.group())
                    and not near_before(_NETWORK_CONTEXT, text, m.start(), window=30)
                    and not _PORT_OR_PREFIX.match(text, m.end())):
                continue
            try:
                ipaddress.IPv4Address(m.group())
            except ValueError:
                continue
            yield IP_ADDRESS, m.start(), m.end(), 0.9, m.group()
    if text.count(":") >= 2:
        for m in _IPV6_RE.finditer(text):
            raw = m.group()
            if raw.count(":") < 2 or not re.search(r"[0-9A-Fa-f]", raw):
                continue
            try:
                ipaddress.IPv6Address(raw)
            except ValueError:
                continue
            yield IP_ADDRESS, m.start(), m.end(), 0.9, raw
