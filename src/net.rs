//! Finding the address phones in the room can reach this machine at, and
//! who can reach an address at all.

use std::net::{IpAddr, Ipv4Addr, UdpSocket};

/// The machine's address on the local network, as other devices see it.
///
/// Connecting a UDP socket sends no packet: it only asks the operating
/// system which local address it would route from, which is the LAN address
/// on a laptop on the school Wi-Fi. Returns `None` without a network.
pub fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    // A documentation-range address (RFC 5737): never contacted, only routed.
    socket.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified() && !ip.is_loopback()).then_some(ip)
}

/// Who can open a link to this server, judged from its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Only this computer (a loopback address, `localhost`).
    ThisComputer,
    /// Only devices on this computer's network: a private or link-local
    /// address (a laptop on the school Wi-Fi), or a name only a local
    /// network knows (`laptop.local`, `quiz.lan`). Students at home or on
    /// mobile data cannot.
    ThisNetwork,
    /// Anyone on the internet, as far as the address says (a public
    /// address or a domain name).
    Anywhere,
}

/// Who can open `url` (`http://192.168.1.20:3000`, `https://quiz.example.org`).
pub fn reach(url: &str) -> Reach {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if let Ok(ip) = host.parse::<IpAddr>() {
        return reach_of_address(ip);
    }
    if host == "localhost" || host.ends_with(".localhost") {
        Reach::ThisComputer
    } else if !host.contains('.')
        || [
            ".local",
            ".lan",
            ".home.arpa",
            ".internal",
            ".intranet",
            ".corp",
            ".home",
        ]
        .iter()
        .any(|suffix| host.ends_with(suffix))
    {
        Reach::ThisNetwork
    } else {
        Reach::Anywhere
    }
}

fn reach_of_address(ip: IpAddr) -> Reach {
    match ip {
        _ if ip.is_loopback() || ip.is_unspecified() => Reach::ThisComputer,
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            // Private, link-local, and carrier-grade NAT (100.64/10: a
            // phone hotspot's or a provider's own network).
            let local =
                v4.is_private() || v4.is_link_local() || (a == 100 && (64..128).contains(&b));
            if local {
                Reach::ThisNetwork
            } else {
                Reach::Anywhere
            }
        }
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => reach_of_address(IpAddr::V4(v4)),
            None => {
                let first = v6.segments()[0];
                // Unique local (fc00::/7) and link-local (fe80::/10).
                let local = (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80;
                if local {
                    Reach::ThisNetwork
                } else {
                    Reach::Anywhere
                }
            }
        },
    }
}

/// Connections the kernel queues for `accept` on the listening socket. The
/// standard library asks for 128, so a crowd of phones connecting at the
/// same moment overflowed it and waited a second for SYN retries; the kernel
/// caps this at `net.core.somaxconn` (4096 on current Linux).
pub const LISTEN_BACKLOG: i32 = 4096;

/// A listening socket on `address` with a backlog for crowds.
pub fn listen(address: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    use socket2::{Domain, Protocol, Socket, Type};
    let socket = Socket::new(
        Domain::for_address(address),
        Type::STREAM,
        Some(Protocol::TCP),
    )?;
    // A restarted server can bind again at once while old connections of
    // the previous run are in TIME_WAIT.
    socket.set_reuse_address(true)?;
    socket.bind(&address.into())?;
    socket.listen(LISTEN_BACKLOG)?;
    socket.set_nonblocking(true)?;
    tokio::net::TcpListener::from_std(socket.into())
}

/// The key every per-address limit counts a client under: an IPv4 address
/// as it is; an IPv6 address by its /64 network, since every home and
/// phone network hands out a whole /64 and a client can change address
/// within it at will (an IPv4 address written as IPv6 counts as itself).
pub fn client_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let mut segments = v6.segments();
                for segment in &mut segments[4..] {
                    *segment = 0;
                }
                IpAddr::V6(std::net::Ipv6Addr::from(segments))
            }
        },
    }
}

#[cfg(test)]
mod key_tests {
    //! Issue 21, hole 5: 50 addresses of one /64 made 3,000 code look-ups
    //! in 0.6 s, none refused.
    use super::*;

    #[test]
    fn addresses_of_one_ipv6_network_share_one_key_and_ipv4_keeps_its_own() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1:2:3".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(other));
        let v4: IpAddr = "10.0.0.7".parse().unwrap();
        assert_eq!(client_key(v4), v4);
        let mapped: IpAddr = "::ffff:10.0.0.7".parse().unwrap();
        assert_eq!(client_key(mapped), v4);
    }
}

#[cfg(test)]
mod reach_tests {
    //! Who can open a link: what the teacher is told at start.
    use super::*;

    #[test]
    fn a_laptop_on_the_school_wifi_is_reached_from_its_network_only() {
        for url in [
            "http://192.168.1.20:3000",
            "http://10.0.0.5:3000/play/ABCDE",
            "http://172.20.1.1",
            "http://100.72.3.4:3000",
            "http://169.254.10.1:3000",
            "http://[fd12:3456::1]:3000",
            "http://[fe80::1]:3000",
            "http://laptop.local:3000",
            "http://quiz:3000",
        ] {
            assert_eq!(reach(url), Reach::ThisNetwork, "{url}");
        }
    }

    #[test]
    fn a_public_address_or_domain_is_reached_from_anywhere() {
        for url in [
            "https://quiz.example.org",
            "http://203.0.113.7:3000",
            "http://[2001:db8::1]:3000",
            "https://user@quiz.school.edu/join",
        ] {
            assert_eq!(reach(url), Reach::Anywhere, "{url}");
        }
    }

    #[test]
    fn loopback_is_this_computer_only() {
        for url in [
            "http://127.0.0.1:3000",
            "http://localhost:3000",
            "http://[::1]:3000",
        ] {
            assert_eq!(reach(url), Reach::ThisComputer, "{url}");
        }
    }
}
