"""Which addresses are the user's own, so a remote feed cannot send the reader there.

An article link (or a redirect on its way) in a feed on the internet can name
`http://10.0.0.5/admin` or a name that resolves to 127.0.0.1; fetching it would read a
page on the user's own machine or network and store it in the reader (issue 17). So an
article page of a *remote* feed never connects to a private address. The rule is here,
once; `transport.py` applies it to the addresses it connects to (after resolving, so a
DNS name is caught too, and it connects to the address it checked), and `fetch.py` says
which requests it applies to.

"Private" (`PrivateNetworks()`): loopback, RFC 1918 and unique-local (fc00::/7),
link-local (169.254/16, fe80::/10), unspecified (0.0.0.0 reaches the local host on
Linux), reserved, carrier-grade NAT (`SHARED_ADDRESS_SPACE`, 100.64/10), and the
IPv4-mapped and 6to4 forms of each. `PrivateNetworks(networks)` names the networks
instead: tests serve everything on 127.0.0.1, so they call 127.0.0.2/32 the private one.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

__all__ = [
    "PRIVATE",
    "SHARED_ADDRESS_SPACE",
    "PrivateNetworks",
    "Resolved",
    "literal_address",
    "resolve",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SHARED_ADDRESS_SPACE: Final = ipaddress.IPv4Network("100.64.0.0/10")
"""Carrier-grade NAT (RFC 6598): a provider's own network, which `is_private` leaves out."""


def literal_address(host: str) -> IPAddress | None:
    """`host` as an IP address when it is one (brackets and a zone allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _unwrapped(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or 6to4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = address.ipv4_mapped or address.sixtofour
        if inner is not None:
            return inner
    return address


@dataclass(frozen=True, slots=True)
class PrivateNetworks:
    """Addresses a remote feed's pages may not reach: the rule above, or `networks`."""

    networks: tuple[IPNetwork, ...] | None = None

    @classmethod
    def of(cls, *networks: str) -> PrivateNetworks:
        """Exactly these networks (`"127.0.0.2/32"`), for tests."""
        return cls(tuple(ipaddress.ip_network(n) for n in networks))

    def contains(self, address: str | IPAddress) -> bool:
        """Whether `address` (an address, not a host name) is private; garbage is."""
        if isinstance(address, str):
            parsed = literal_address(address.split("%", 1)[0])
            if parsed is None:
                return True  # not an address we can judge: never connect to it
            address = parsed
        address = _unwrapped(address)
        if self.networks is not None:
            return any(address in network for network in self.networks)
        return (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
            or address.is_unspecified
            or address in SHARED_ADDRESS_SPACE
        )

    def first(self, addresses: Iterable[str]) -> str | None:
        """The first private one of `addresses`, or None."""
        return next((a for a in addresses if self.contains(a)), None)


PRIVATE = PrivateNetworks()
"""The rule a `Fetcher` applies unless it is given other networks."""


@dataclass(frozen=True, slots=True)
class Resolved:
    """One address a host name resolved to, as `getaddrinfo` gave it."""

    family: int
    address: str
    sockaddr: tuple[str, int] | tuple[str, int, int, int]


async def resolve(host: str, port: int) -> list[Resolved]:
    """The TCP addresses of `host`, in the resolver's order (raises `OSError`)."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[Resolved] = []
    for family, _, _, _, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6) and isinstance(sockaddr[0], str):
            found.append(Resolved(int(family), sockaddr[0], sockaddr))
    return found
