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
