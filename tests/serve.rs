//! `migdev serve` over real HTTP: the binary serves a throw-away catalogue on a free
//! loopback port, and these tests check status codes, JSON shapes, filters, escaping,
//! traversal attempts, limits, live edits and shutdown.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{Catalogue, Rec};

mod binding;
mod counts;
mod notes;

/// A running `migdev serve`, stopped when dropped.
pub struct Server {
    child: Child,
    pub address: SocketAddr,
    stderr: Option<ChildStderr>,
}

impl Server {
    /// Starts `migdev serve --port 0` in the catalogue and waits for its address.
    pub fn start(catalogue: &Catalogue) -> Server {
        Server::start_with(catalogue.root(), &[])
    }

    /// Starts the server in `root` with extra environment variables.
    pub fn start_with(root: &std::path::Path, env: &[(&str, &std::ffi::OsStr)]) -> Server {
        Server::launch(root, &[], env)
    }

    /// Starts `migdev serve --port 0` with more arguments (`--bind ...`).
    fn start_args(catalogue: &Catalogue, args: &[&str]) -> Server {
        Server::launch(catalogue.root(), args, &[])
    }

    fn launch(root: &std::path::Path, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Server {
        let mut command = Command::new(env!("CARGO_BIN_EXE_migdev"));
        command
            .args(["serve", "--port", "0"])
            .args(args)
            .current_dir(root)
            .env_remove("MIGDEV_DATA")
            .env_remove("MIGDEV_INDEX");
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start migdev serve");
        let mut first = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first)
            .expect("read the serving line");
        let address = first
            .strip_prefix("serving http://")
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|a| a.parse().ok())
            .unwrap_or_else(|| panic!("no address in {first:?}"));
        assert!(first.ends_with("(Ctrl-C to stop)\n"), "{first:?}");
        Server {
            stderr: child.stderr.take(),
            child,
            address,
        }
    }

    /// A GET of `target` (path and query, sent as written).
    pub fn get(&self, target: &str) -> Reply {
        self.request(&format!(
            "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        ))
    }

    /// Sends raw request text and reads the whole answer.
    pub fn request(&self, raw: &str) -> Reply {
        let mut stream = TcpStream::connect(self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream.write_all(raw.as_bytes()).expect("send");
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).expect("read the answer");
        Reply::parse(&bytes)
    }

    /// The server's stderr so far, after stopping it with SIGTERM.
    fn stop(mut self) -> (std::process::ExitStatus, String) {
        terminate(&self.child);
        let status = wait_for(&mut self.child, Duration::from_secs(10));
        let mut stderr = String::new();
        if let Some(mut pipe) = self.stderr.take() {
            pipe.read_to_string(&mut stderr).ok();
        }
        (status, stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

fn wait_for(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        assert!(
            started.elapsed() < limit,
            "the server did not stop in {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    fn parse(bytes: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(bytes);
        let (head, body) = text.split_once("\r\n\r\n").expect("a header block");
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The parameter a JSON 400 names.
    fn bad_parameter(&self) -> String {
        assert_eq!(self.status, 400, "{}", self.body);
        self.json()["error"]["parameter"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

/// A small catalogue: remittances in Mexico, health workers in Ghana, a law in the
/// Philippines.
pub fn sample() -> Catalogue {
    let cat = Catalogue::new();
    cat.add(
        &Rec::new("mexico-remittances", "Remittance matching in Mexico")
            .sectors(&["financial-services", "economic-growth"])
            .countries(&["MEX", "USA"])
            .years(Some(2002), None)
            .status("ongoing")
            .summary("Matches remittances from migrant clubs with public funds for local works."),
    );
    cat.add(
        &Rec::new("ghana-health-workers", "Health worker retention in Ghana")
            .sectors(&["health"])
            .countries(&["GHA"])
            .years(Some(1998), Some(2010))
            .status("ended")
            .summary("Keeps nurses and doctors in rural Ghana with allowances and housing."),
    );
    cat.add(
        &Rec::new(
            "philippines-recruitment-law",
            "Recruitment law of the Philippines",
        )
        .kind("law")
        .sectors(&["legal-protection", "employment"])
        .countries(&["PHL"])
        .years(Some(1995), None)
        .summary("Regulates recruitment agencies that place workers abroad, remittances included."),
    );
    cat
}

fn ids(results: &Value) -> Vec<String> {
    let mut ids: Vec<String> = results["results"]
        .as_array()
        .expect("results is an array")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn search_answers_total_results_facets_and_notes() {
    let cat = sample();
    let server = Server::start(&cat);
    let reply = server.get("/api/search?q=remittances");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body["total"], 2);
    assert_eq!(
        ids(&body),
        ["mexico-remittances", "philippines-recruitment-law"]
    );
    let first = &body["results"][0];
    for field in [
        "id",
        "title",
        "sectors",
        "countries",
        "summary",
        "sources",
        "score",
    ] {
        assert!(!first[field].is_null(), "result has {field}: {first}");
    }
    assert!(
        first["snippet"]["text"]
            .as_str()
            .unwrap()
            .contains("emittance")
    );
    for facet in ["sector", "region", "country", "kind", "status", "decade"] {
        assert!(body["facets"][facet].is_array(), "facet {facet}: {body}");
    }
    assert_eq!(body["notes"], serde_json::json!([]), "nothing to say");
    let sectors = &body["facets"]["sector"];
    assert!(
        sectors
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["value"] == "financial-services" && c["count"] == 1),
        "{sectors}"
    );
}

#[test]
fn filters_repeat_and_combine_as_in_the_cli() {
    let cat = sample();
    let server = Server::start(&cat);
    let either = server
        .get("/api/search?sector=health&sector=legal-protection")
        .json();
    assert_eq!(
        ids(&either),
        ["ghana-health-workers", "philippines-recruitment-law"]
    );
    let both = server.get("/api/search?sector=health&country=PHL").json();
    assert_eq!(both["total"], 0);
    let africa = server.get("/api/search?region=africa").json();
    assert_eq!(ids(&africa), ["ghana-health-workers"]);
    let laws = server.get("/api/search?kind=law").json();
    assert_eq!(ids(&laws), ["philippines-recruitment-law"]);
    let ended = server.get("/api/search?status=ended").json();
    assert_eq!(ids(&ended), ["ghana-health-workers"]);
    let recent = server.get("/api/search?since=2011").json();
    assert_eq!(
        ids(&recent),
        ["mexico-remittances", "philippines-recruitment-law"]
    );
    // Drill-sideways: the sector counts ignore the sector filter itself.
    let sideways = server.get("/api/search?sector=health&by=sector").json();
    assert_eq!(sideways["facets"]["sector"].as_array().unwrap().len(), 5);
    // Decades are start decades, apart from the years a programme was active.
    let nineties = server.get("/api/search?decade=1990s&by=decade").json();
    assert_eq!(
        ids(&nineties),
        ["ghana-health-workers", "philippines-recruitment-law"]
    );
    assert_eq!(
        nineties["facets"]["decade"].as_array().unwrap().len(),
        2,
        "the decade counts leave the decade filter out: {nineties}"
    );
    assert_eq!(
        server.get("/api/search?decade=199").bad_parameter(),
        "decade"
    );
    let paged = server.get("/api/search?sort=title&limit=1&offset=1").json();
    assert_eq!(paged["total"], 3);
    assert_eq!(paged["results"][0]["id"], "philippines-recruitment-law");
}

#[test]
fn facets_similar_and_records_have_their_own_routes() {
    let cat = sample();
    let server = Server::start(&cat);
    let facets = server
        .get("/api/facets?q=remittances&by=country&by=kind")
        .json();
    assert_eq!(facets["total"], 2);
    let facet_names: Vec<&String> = facets["facets"].as_object().unwrap().keys().collect();
    assert_eq!(facet_names.len(), 2, "{facets}");
    let record = server.get("/api/records/ghana-health-workers").json();
    assert_eq!(record["title"], "Health worker retention in Ghana");
    assert_eq!(record["country_names"][0], "Ghana");
    let similar = server.get("/api/similar/mexico-remittances").json();
    assert_eq!(similar["id"], "mexico-remittances");
    assert!(
        !ids(&similar).contains(&"mexico-remittances".to_string()),
        "a record is not similar to itself"
    );
}

#[test]
fn bad_parameters_are_400_json_naming_the_parameter() {
    let cat = sample();
    let server = Server::start(&cat);
    for (target, param) in [
        ("/api/search?since=soon", "since"),
        ("/api/search?limit=1000", "limit"),
        ("/api/search?sector=astronomy", "sector"),
        ("/api/search?country=Atlantis", "country"),
        ("/api/search?region=middle-earth", "region"),
        ("/api/search?kind=poem", "kind"),
        ("/api/search?sort=best", "sort"),
        ("/api/search?colour=red", "colour"),
        ("/api/facets?by=planet", "by"),
        ("/api/export.csv?status=paused", "status"),
        ("/api/similar/mexico-remittances?limit=0", "limit"),
    ] {
        let reply = server.get(target);
        assert_eq!(reply.header("content-type"), Some("application/json"));
        assert_eq!(reply.bad_parameter(), param, "{target}");
        assert!(reply.json()["error"]["message"].is_string());
    }
    let hint = server.get("/api/search?sector=helth").json();
    assert!(
        hint["error"]["hint"].as_str().unwrap().contains("health"),
        "{hint}"
    );
    let page = server.get("/?since=soon");
    assert_eq!(page.status, 400);
    assert!(page.body.contains("since"), "the page names the parameter");
}

#[test]
fn unknown_ids_and_routes_are_404() {
    let cat = sample();
    let server = Server::start(&cat);
    let api = server.get("/api/records/mexico-remitances");
    assert_eq!(api.status, 404);
    assert_eq!(api.json()["error"]["parameter"], "id");
    assert!(
        api.json()["error"]["hint"]
            .as_str()
            .unwrap()
            .contains("mexico-remittances")
    );
    assert_eq!(server.get("/api/similar/nothing-here").status, 404);
    assert_eq!(server.get("/api/nothing").status, 404);
    let page = server.get("/records/mexico-remitances");
    assert_eq!(page.status, 404);
    assert!(
        page.header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(page.body.contains("href=\"/records/mexico-remittances\""));
    assert_eq!(server.get("/no/such/page").status, 404);
}

#[test]
fn record_text_full_of_markup_is_shown_as_text() {
    let cat = sample();
    cat.add(
        &Rec::new("markup-record", "<script>alert('title')</script> & co")
            .summary("Summary with <img src=x onerror=alert(1)> and \"quotes\".")
            .keywords(&["<b>bold</b>"])
            .organisations(&["<iframe src=//evil.example>"]),
    );
    let server = Server::start(&cat);
    for target in ["/records/markup-record", "/?q=alert", "/?q=summary"] {
        let page = server.get(target);
        assert_eq!(page.status, 200, "{target}");
        for raw in ["<script>alert", "<img src=x", "<iframe", "<b>bold"] {
            assert!(!page.body.contains(raw), "{target} contains raw {raw}");
        }
    }
    let record = server.get("/records/markup-record").body;
    assert!(record.contains("&lt;script&gt;alert('title')&lt;/script&gt; &amp; co"));
    assert!(record.contains("&lt;img src=x onerror=alert(1)&gt;"));
    // The only scripts are the embedded one.
    assert_eq!(record.matches("<script").count(), 1);
    assert!(record.contains("<script src=\"/assets/app.js\" defer>"));
    let json = server.get("/api/records/markup-record").json();
    assert_eq!(json["title"], "<script>alert('title')</script> & co");
}

#[test]
fn every_answer_carries_the_security_headers() {
    let cat = sample();
    let server = Server::start(&cat);
    for target in [
        "/",
        "/records/mexico-remittances",
        "/api/search",
        "/assets/style.css",
        "/nowhere",
        "/api/search?limit=0",
    ] {
        let reply = server.get(target);
        let policy = reply.header("content-security-policy").unwrap_or_default();
        assert!(policy.contains("script-src 'self'"), "{target}: {policy}");
        assert!(!policy.contains("unsafe-inline"), "{target}");
        assert!(policy.contains("default-src 'none'"), "{target}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"));
    }
}

#[test]
fn paths_never_reach_files_outside_the_embedded_assets() {
    let cat = sample();
    let server = Server::start(&cat);
    assert_eq!(server.get("/assets/style.css").status, 200);
    assert_eq!(
        server.get("/assets/app.js").header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    for target in [
        "/assets/../Cargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/%2e%2e%2f%2e%2e%2fdata%2fsectors.toml",
        "/assets/..\\..\\data\\sectors.toml",
        "/assets/style.css%00.toml",
        "/records/..%2f..%2fdata%2fsectors",
        "/records/..%2fprogrammes%2fmexico-remittances",
        "/api/records/%2e%2e%2fmexico-remittances",
        "/../../../../etc/passwd",
        "/data/programmes/mexico-remittances.toml",
        "/index/CURRENT",
    ] {
        let reply = server.get(target);
        // 400 when the address is not even a valid request target, else 404.
        assert!(
            [400, 404].contains(&reply.status),
            "{target}: {}",
            reply.status
        );
        assert!(!reply.body.contains("[[sector]]"), "{target}");
        assert!(!reply.body.contains("summary ="), "{target}");
    }
}

#[test]
fn requests_are_bounded_and_read_only() {
    let cat = sample();
    let server = Server::start(&cat);
    let long_query = format!("/api/search?q={}", "a".repeat(4001));
    assert_eq!(server.get(&long_query).bad_parameter(), "q");
    let long_address = format!("/api/search?q=a&sector={}", "x".repeat(20_000));
    assert_eq!(server.get(&long_address).status, 414);
    let many: String = (0..60).map(|i| format!("country=C{i}&")).collect();
    let many = format!("/api/search?{many}");
    assert_eq!(server.get(&many).bad_parameter(), "country");
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let reply = server.request(&format!(
            "{method} /api/search HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{{}}"
        ));
        assert_eq!(reply.status, 405, "{method}");
    }
    let big_body = server.request(
        "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000000\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(big_body.status, 413);
    assert_eq!(
        server.get("/api/search?offset=100001").bad_parameter(),
        "offset"
    );
}

#[test]
fn downloads_are_the_cli_export_formats() {
    let cat = sample();
    cat.add(
        &Rec::new("formula-record", "=HYPERLINK(\"http://x\") scheme")
            .summary("Remittances and a cell that looks like a formula."),
    );
    let server = Server::start(&cat);
    let csv = server.get("/api/export.csv?q=remittances");
    assert_eq!(csv.status, 200);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains("attachment")
    );
    let cli = cat.run(&["export", "remittances", "--format", "csv"]);
    assert_eq!(csv.body, cli.stdout, "the page's CSV is the CLI's");
    assert!(csv.body.contains("'=HYPERLINK"), "formulas are neutralised");
    let jsonl = server.get("/api/export.jsonl?q=remittances&page=2");
    assert_eq!(jsonl.header("content-type"), Some("application/x-ndjson"));
    let lines: Vec<Value> = jsonl
        .body
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), 3, "every match, whatever the page");
    assert_eq!(lines[0]["id"], "formula-record", "catalogue order");
}

#[test]
fn pages_carry_the_state_in_their_links() {
    let cat = sample();
    let server = Server::start(&cat);
    let page = server.get("/?q=remittances&sector=financial-services");
    assert_eq!(page.status, 200);
    let body = &page.body;
    assert!(body.contains("<label for=\"q\">"), "the box is labelled");
    assert!(body.contains("value=\"remittances\""));
    assert!(body.contains("Remove filter Sector: Financial services"));
    assert!(
        body.contains(
            "href=\"/?q=remittances&amp;sector=financial-services&amp;sector=economic-growth\""
        ),
        "a facet value adds itself to the current search"
    );
    assert!(body.contains("href=\"/api/export.csv?q=remittances&amp;sector=financial-services\""));
    assert!(body.contains("<svg"), "pictures are server-rendered");
    assert!(body.contains("Records per country"));
    assert!(body.contains("class=\"land s5\""), "Mexico is shaded");
    // The pictures count the results themselves, while the sidebar counts sideways.
    let health = server.get("/?sector=health").body;
    assert!(health.contains("Health services: 1 record"));
    assert!(
        !health.contains("Financial services: 1 record"),
        "no bar outside the results"
    );
    assert!(
        health.contains("Financial services</span>"),
        "the sidebar offers it"
    );
    let record = server.get("/records/mexico-remittances").body;
    assert!(record.contains("rel=\"bookmark\""), "a permalink");
    assert!(record.contains("id=\"similar\""));
    assert!(record.contains("Fixture source"));
}

#[test]
fn edits_show_up_without_a_restart_and_a_broken_record_warns() {
    let cat = sample();
    let server = Server::start(&cat);
    let wait_until = |target: &str, ok: &dyn Fn(&Value) -> bool| {
        let started = Instant::now();
        loop {
            let body = server.get(target).json();
            if ok(&body) {
                return started.elapsed();
            }
            // Generous, for a loaded machine running many tests at once.
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{target} never became as expected: {body}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    cat.add(&Rec::new("new-record", "Zanzibar seaweed cooperative"));
    let took = wait_until("/api/search?q=zanzibar", &|b| b["total"] == 1);
    // Within a second or two on an idle machine (a check every 0.7 s, then the update).
    assert!(took < Duration::from_secs(8), "took {took:?}");
    std::fs::remove_file(cat.record_path("new-record")).unwrap();
    wait_until("/api/search?q=zanzibar", &|b| b["total"] == 0);
    cat.write_record("broken-record", "title = \"Broken\"\nkind = \"poem\"\n");
    wait_until("/api/search?q=remittances", &|b| {
        let note = &b["notes"][0];
        note["kind"] == "warning"
            && note["level"] == "warning"
            && note["text"]
                .as_str()
                .is_some_and(|n| n.starts_with("warning") && n.contains("broken-record"))
    });
    let still = server.get("/api/search?q=remittances").json();
    assert_eq!(still["total"], 2, "answers come from the previous index");
    let page = server.get("/").body;
    assert!(
        page.contains("role=\"alert\""),
        "the page shows the warning"
    );
}

#[test]
fn sigterm_stops_the_server_cleanly() {
    let cat = sample();
    let server = Server::start(&cat);
    assert_eq!(server.get("/api/search").status, 200);
    let (status, _) = server.stop();
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_pictures_fragment_is_the_pages_pictures_for_a_search() {
    let cat = sample();
    let server = Server::start(&cat);
    let fragment = server.get("/fragments/pictures?q=remittances");
    assert_eq!(fragment.status, 200);
    assert_eq!(
        fragment.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        fragment.body.starts_with("<section") && fragment.body.contains("id=\"pictures\""),
        "{}",
        fragment.body
    );
    assert!(fragment.body.contains("<svg"));
    // The bars count this search's results: financial services once, health never.
    assert!(fragment.body.contains("sector=financial-services"));
    assert!(!fragment.body.contains("sector=health"));
    assert!(!fragment.body.contains("<html"), "a fragment, not a page");
    assert_eq!(server.get("/fragments/pictures?since=soon").status, 400);
}
