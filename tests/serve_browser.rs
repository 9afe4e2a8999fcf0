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

    client
        .find(Locator::Css(
            "nav.facets a[href*='sector=financial-services']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("the facet to apply", || async {
        url(&client).await.contains("sector=financial-services")
            && text(&client, "#results-heading").await == "Showing 1–1 of 1 matching record"
    })
    .await;
    assert!(
        text(&client, ".chips")
            .await
            .contains("Sector: Financial services")
    );

    client
        .find(Locator::Css("ol.hits h3 a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
    client
        .find(Locator::Css("form#search button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    until("the submitted search", || async {
        url(&client).await.contains("q=health")
    })
    .await;
    assert_eq!(
        text(&client, "#results-heading").await,
        "Showing 1–1 of 1 matching record"
    );
    client
        .find(Locator::Css("nav.facets a[href*='status=ended']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
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
