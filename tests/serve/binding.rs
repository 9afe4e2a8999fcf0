//! Where the server listens: loopback by default, and a warning for any other address.

use std::net::SocketAddr;

use super::{Server, sample};

const EXPOSED: &str = "anyone who can reach this address can read the catalogue (read-only)";

#[test]
fn a_non_loopback_bind_warns_that_the_catalogue_is_exposed() {
    let cat = sample();
    let mut server = Server::start_args(&cat, &["--bind", "0.0.0.0"]);
    assert!(server.address.ip().is_unspecified(), "{}", server.address);
    // Every interface includes loopback: the server answers there.
    server.address = SocketAddr::from(([127, 0, 0, 1], server.address.port()));
    assert_eq!(server.get("/api/search?q=remittances").json()["total"], 2);
    let (status, stderr) = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(
        stderr.contains("warning: listening on 0.0.0.0") && stderr.contains(EXPOSED),
        "{stderr}"
    );
}

#[test]
fn the_default_bind_is_loopback_without_a_warning() {
    let cat = sample();
    let server = Server::start(&cat);
    assert_eq!(
        server.address.ip(),
        std::net::IpAddr::from([127, 0, 0, 1]),
        "{}",
        server.address
    );
    assert_eq!(server.get("/api/search?q=remittances").status, 200);
    let (status, stderr) = server.stop();
    assert!(status.success(), "{status:?}");
    assert!(!stderr.contains(EXPOSED), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}
