//! Capillary's regional clusters: the `region` variable of the server
//! `https://{region}.api.capillarytech.com` names each cluster's host, for
//! every region the spec lists (no request is sent).
//!
//! The default server (region `eu`), the China server and everything else
//! every client shares are checked by the generated `tests/scenarios.rs`.

use capillary_client::servers::{Region, Server};
use capillary_client::{Client, ClientInfo};

#[test]
fn every_region_names_its_cluster() {
    let regions = [
        (Region::Eu, "eu", "https://eu.api.capillarytech.com"),
        (Region::Apac, "apac", "https://apac.api.capillarytech.com"),
        (
            Region::Apac2,
            "apac2",
            "https://apac2.api.capillarytech.com",
        ),
        (Region::Us, "us", "https://us.api.capillarytech.com"),
    ];
    for (region, name, url) in regions {
        assert_eq!(region.as_str(), name);
        assert_eq!(Server::Region { region }.url(), url);
        let client = Client::builder()
            .server(Server::Region { region })
            .build()
            .expect("every region gives a valid base URL");
        assert_eq!(client.baseurl(), url);
    }
}
