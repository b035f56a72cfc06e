//! Finding the address phones in the room can reach this machine at.

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
