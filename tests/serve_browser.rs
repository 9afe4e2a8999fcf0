//! The search page in a real browser: headless Chromium driven over chromedriver
//! (WebDriver). Live search, a facet click, a record, the back button, the `/` key, and the
//! same page with JavaScript switched off. CI installs chromium and chromium-driver; on a
//! machine without chromedriver these tests say so and pass without running.

use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::serve::{Server, sample};
use crate::util::Rec;

/// A chromedriver on a free loopback port, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profiles: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

/// Starts chromedriver, or `None` when it is not installed here (never on CI).
fn driver() -> Option<Driver> {
    let found = Command::new("chromedriver")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "chromedriver is missing on CI: .ci/run installs chromium-driver"
        );
        eprintln!(
            "skipped: chromedriver is not installed (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver {
        child,
        port,
        _profiles: tempfile::tempdir().expect("a profile folder"),
    })
}

/// A fresh headless Chromium session, with or without JavaScript.
async fn browser(driver: &Driver, javascript: bool, profile: &str) -> Client {
    let mut args = vec![
        "--headless".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--window-size=1280,1600".into(),
        format!(
            "--user-data-dir={}",
            driver._profiles.path().join(profile).display()
        ),
    ];
    if !javascript {
        args.push("--blink-settings=scriptEnabled=false".into());
    }
    let mut options = json!({ "args": args });
    if std::path::Path::new("/usr/bin/chromium").exists() {
        options["binary"] = json!("/usr/bin/chromium");
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session")
}

/// Waits (up to 10 s) until `check` holds, polling the page.
async fn until<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let started = Instant::now();
    while !check().await {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn url(client: &Client) -> String {
    client.current_url().await.expect("the address").to_string()
}

async fn text(client: &Client, css: &str) -> String {
    match client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

/// Addresses the page fetched with `fetch()` so far (the browser's resource timing).
async fn fetched(client: &Client) -> Vec<String> {
    let names = client
        .execute(
            "return performance.getEntriesByType('resource')\
               .filter(function (e) { return e.initiatorType === 'fetch'; })\
               .map(function (e) { return e.name; });",
            vec![],
        )
        .await
        .expect("resource timing");
    serde_json::from_value(names).expect("a list of addresses")
}

/// Marks the loaded document, so that a later check can tell a live update (the mark is
/// still there) from a new page load (it is gone).
async fn mark_document(client: &Client) {
    client
        .execute(
            "window.migdevMark = 'still this page'; return null;",
            vec![],
        )
        .await
        .expect("set the mark");
}

async fn same_document(client: &Client) -> bool {
    client
        .execute("return window.migdevMark || null;", vec![])
        .await
        .expect("read the mark")
        == json!("still this page")
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut texts = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap_or_default() {
        texts.push(element.text().await.unwrap_or_default());
    }
    texts
}

/// Clicks the first element `css` selects.
async fn click(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn live_search_facet_record_and_back() {
    let Some(driver) = driver() else { return };
    let cat = sample();
    let server = Server::start(&cat);
    let base = format!("http://{}", server.address);
    let client = browser(&driver, true, "live").await;
    client.goto(&format!("{base}/")).await.unwrap();
    assert_eq!(
        text(&client, "#results-heading").await,
        "Showing 1–3 of 3 matching records"
    );
    mark_document(&client).await;

    client
        .find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("remittances")
        .await
        .unwrap();
    // Results change as one types, with no form submission.
    until("live results", || async {
        text(&client, "#results-heading").await == "Showing 1–2 of 2 matching records"
    })
    .await;
    assert!(url(&client).await.ends_with("/?q=remittances"));
    // Drawn in this same document from the JSON API, not from a new page or its HTML.
    assert!(same_document(&client).await, "no page load");
    let asked = fetched(&client).await;
    assert!(
        asked
            .iter()
            .any(|a| a.contains("/api/search?q=remittances")),
        "{asked:?}"
    );
    assert!(
        !asked.iter().any(|a| a.contains("/?q=")),
        "the page's HTML is never fetched: {asked:?}"
    );
    let mut titles = texts(&client, "ol.hits h3 a").await;
    titles.sort();
    assert_eq!(
        titles,
        [
            "Recruitment law of the Philippines",
            "Remittance matching in Mexico"
        ]
    );
    assert!(
        !texts(&client, "ol.hits p.snippet mark").await.is_empty(),
        "snippets highlight the matched words"
    );

    click(&client, "nav.facets a[href*='sector=financial-services']").await;
    until("the facet to apply", || async {
        url(&client).await.contains("sector=financial-services")
            && text(&client, "#results-heading").await == "Showing 1–1 of 1 matching record"
    })
    .await;
    assert!(same_document(&client).await, "the facet applied live");
    assert!(
        text(&client, ".chips")
            .await
            .contains("Sector: Financial services")
    );

    click(&client, "ol.hits h3 a").await;
    until("the record page", || async {
        url(&client).await.ends_with("/records/mexico-remittances")
    })
    .await;
    assert_eq!(text(&client, "h1").await, "Remittance matching in Mexico");

    client.back().await.unwrap();
    until("the filtered search again", || async {
        url(&client).await.contains("sector=financial-services")
            && text(&client, "#results-heading").await == "Showing 1–1 of 1 matching record"
    })
    .await;
    let box_value = client
        .find(Locator::Css("#q"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(box_value.as_deref(), Some("remittances"));

    client.back().await.unwrap();
    until("the search before the facet", || async {
        !url(&client).await.contains("sector=")
            && text(&client, "#results-heading").await == "Showing 1–2 of 2 matching records"
    })
    .await;
    client.close().await.unwrap();
}

#[tokio::test]
async fn live_results_notes_counts_and_pictures_come_from_the_api() {
    let Some(driver) = driver() else { return };
    let cat = sample();
    cat.add(
        &Rec::new(
            "markup-record",
            "<b>Bold</b> remittance <script>claims</script>",
        )
        .summary("A summary with <img src=x> in it."),
    );
    let server = Server::start(&cat);
    let base = format!("http://{}", server.address);
    let client = browser(&driver, true, "api").await;
    client.goto(&format!("{base}/?q=health")).await.unwrap();
    mark_document(&client).await;
    let search_box = client.find(Locator::Css("#q")).await.unwrap();
    search_box.clear().await.unwrap();
    search_box.send_keys("remitances").await.unwrap();
    until("the corrected search", || async {
        text(&client, "#results-heading").await == "Showing 1–3 of 3 matching records"
    })
    .await;
    assert!(same_document(&client).await, "no page load");
    assert!(url(&client).await.ends_with("/?q=remitances"));
    assert_eq!(
        client.title().await.unwrap(),
        "remitances – search · migdev"
    );
    // The notes line, from the API's typed notes.
    let notes = text(&client, "ul.notes").await;
    assert!(
        notes.contains("showing results for \"remittances\""),
        "{notes}"
    );
    // Record text is text: the title's markup shows as written, and makes no elements.
    assert!(
        texts(&client, "ol.hits h3 a")
            .await
            .contains(&"<b>Bold</b> remittance <script>claims</script>".to_string())
    );
    assert!(client.find(Locator::Css("ol.hits b")).await.is_err());
    assert!(client.find(Locator::Css("ol.hits script")).await.is_err());
    // Facet counts drawn from the answer: one of the three is in financial services.
    assert_eq!(
        text(
            &client,
            "nav.facets a[href*='sector=financial-services'] .count"
        )
        .await,
        "1"
    );
    // The pictures are the server's SVG for the new results.
    until("the pictures of the new search", || async {
        fetched(&client)
            .await
            .iter()
            .any(|a| a.contains("/fragments/pictures?q=remitances"))
    })
    .await;
    until("the sector bars", || async {
        client.find(Locator::Css("#pictures svg")).await.is_ok()
    })
    .await;
    client.back().await.unwrap();
    until("the first search again", || async {
        url(&client).await.ends_with("/?q=health")
            && text(&client, "#results-heading").await == "Showing 1–1 of 1 matching record"
    })
    .await;
    assert!(same_document(&client).await, "back is live too");
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_slash_key_focuses_the_search_box() {
    let Some(driver) = driver() else { return };
    let cat = sample();
    let server = Server::start(&cat);
    let client = browser(&driver, true, "slash").await;
    client
        .goto(&format!("http://{}/?q=health", server.address))
        .await
        .unwrap();
    let active = client.active_element().await.unwrap();
    assert_ne!(active.attr("id").await.unwrap().as_deref(), Some("q"));
    client
        .find(Locator::Css("body"))
        .await
        .unwrap()
        .send_keys("/")
        .await
        .unwrap();
    let active = client.active_element().await.unwrap();
    assert_eq!(active.attr("id").await.unwrap().as_deref(), Some("q"));
    client.close().await.unwrap();
}

#[tokio::test]
async fn without_javascript_forms_and_links_still_search() {
    let Some(driver) = driver() else { return };
    let cat = sample();
    let server = Server::start(&cat);
    let base = format!("http://{}", server.address);
    let client = browser(&driver, false, "nojs").await;
    client.goto(&format!("{base}/")).await.unwrap();
    client
        .find(Locator::Css("#q"))
        .await
        .unwrap()
        .send_keys("health")
        .await
        .unwrap();
    // Typing alone changes nothing: the script that would make it live is off.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(url(&client).await, format!("{base}/"));
    click(&client, "form#search button[type=submit]").await;
    until("the submitted search", || async {
        url(&client).await.contains("q=health")
    })
    .await;
    assert_eq!(
        text(&client, "#results-heading").await,
        "Showing 1–1 of 1 matching record"
    );
    // Everything is in the server's page: hits, facet counts, pictures.
    assert_eq!(
        texts(&client, "ol.hits h3 a").await,
        ["Health worker retention in Ghana"]
    );
    assert!(client.find(Locator::Css("#pictures svg")).await.is_ok());
    click(&client, "nav.facets a[href*='status=ended']").await;
    until("the facet link", || async {
        url(&client).await.contains("status=ended")
    })
    .await;
    assert!(text(&client, ".chips").await.contains("Status: ended"));
    client.close().await.unwrap();
}

/// Refreshes the README's screenshots from the bundled catalogue:
/// `cargo test --test tests serve_browser::screenshots -- --ignored`.
#[tokio::test]
#[ignore = "writes docs/*.png; run by hand to refresh the README's pictures"]
async fn screenshots() {
    let driver = driver().expect("chromedriver");
    let root = env!("CARGO_MANIFEST_DIR");
    let index = tempfile::tempdir().unwrap();
    let server = Server::start_with(
        std::path::Path::new(root),
        &[("MIGDEV_INDEX", index.path().as_os_str())],
    );
    let client = browser(&driver, true, "shots").await;
    let base = format!("http://{}", server.address);
    for (target, file, height) in [
        (
            "/?q=remittances&region=africa",
            "docs/search-page.png",
            1900,
        ),
        ("/?q=diaspora#pictures", "docs/search-pictures.png", 1500),
        ("/records/send-money-pacific", "docs/record-page.png", 1500),
    ] {
        client.set_window_size(1280, height).await.unwrap();
        client.goto(&format!("{base}{target}")).await.unwrap();
        let png = client.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        std::fs::write(std::path::Path::new(root).join(file), png).unwrap();
    }
    client.close().await.unwrap();
}
