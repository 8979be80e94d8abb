"""Partners found as Prosody finds them: a hosts file's names from it."""

from __future__ import annotations

from refdesk.doctor.resolve import Endpoint, Resolver, parse_hosts


def test_a_hosts_file_maps_every_name_on_a_line_to_its_address() -> None:
    hosts = parse_hosts("# lab\n127.0.0.2 alpha.test queue.alpha.test\n\n"
                        "::1 Beta.Test. # comment\nnot-an-address gamma.test\n"
                        "127.0.0.9 alpha.test\n")
    assert hosts == {"alpha.test": ["127.0.0.2", "127.0.0.9"],
                     "queue.alpha.test": ["127.0.0.2"], "beta.test": ["::1"]}


async def test_a_name_in_the_hosts_file_is_reached_on_the_s2s_port() -> None:
    resolver = Resolver(parse_hosts("127.0.0.2 alpha.test\n::1 beta.test\n"), timeout=1)
    assert await resolver.s2s_endpoints("alpha.test") == [
        Endpoint("127.0.0.2", 5269, "alpha.test")]
    [beta] = await resolver.s2s_endpoints("beta.test")
    assert str(beta) == "[::1]:5269"
    assert await resolver.addresses("alpha.test") == ["127.0.0.2"]
