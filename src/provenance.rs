//! Where a source's text lives. Analysts cite the publisher, so a record's `url` should be
//! the publisher's own address and a copy on a document-sharing site belongs in `via`;
//! `validate` warns about a `url` on one of these hosts.

/// Hosts that republish other people's documents (and one Wikipedia mirror). A host
/// matches itself and its subdomains.
const SHARING_HOSTS: &[&str] = &[
    "docslib.org",
    "scribd.com",
    "studylib.net",
    "yumpu.com",
    "fdocuments.in",
    "fdocuments.net",
    "vdocuments.mx",
    "vdocuments.net",
    "vdocument.in",
    "paperzz.com",
    "readkong.com",
    "wikiwand.com",
    "dokumen.pub",
    "pdfcoffee.com",
    "documents.pub",
    "issuu.com",
    "slideplayer.com",
    "silo.tips",
    "doczz.net",
    "kipdf.com",
    "coursehero.com",
    "pdfslide.net",
    "fliphtml5.com",
    "zbook.org",
    "dochub.com",
    "web.archive.org",
];

/// The document-sharing host an address is on, if any.
pub fn sharing_host(address: &str) -> Option<&'static str> {
    let host = url::Url::parse(address)
        .ok()?
        .host_str()?
        .to_ascii_lowercase();
    SHARING_HOSTS.iter().copied().find(|known| {
        host == *known
            || host
                .strip_suffix(known)
                .is_some_and(|rest| rest.ends_with('.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sharing_hosts_match_themselves_and_their_subdomains_only() {
        assert_eq!(
            sharing_host("https://docslib.org/doc/1"),
            Some("docslib.org")
        );
        assert_eq!(
            sharing_host("https://www.scribd.com/d/2"),
            Some("scribd.com")
        );
        assert_eq!(
            sharing_host("https://web.archive.org/web/2010/https://iom.int/"),
            Some("web.archive.org")
        );
        assert_eq!(sharing_host("https://notdocslib.org/x"), None);
        assert_eq!(sharing_host("https://www.iom.int/docslib.org"), None);
        assert_eq!(sharing_host("not an address"), None);
    }
}
