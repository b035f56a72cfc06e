//! A headless Chromium driven over the DevTools protocol, with no extra
//! crates: the same tokio-tungstenite client the other tests use.
//!
//! Chromium is started with a fresh profile and the flags this workplace
//! needs (no sandbox as root, no GPU, no background network traffic). Each
//! page is a target attached in "flat" mode, so one WebSocket drives them all.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

/// How long a condition may take to become true in the page.
const CONDITION_WAIT_MS: u64 = 10_000;

/// A running Chromium; killed and its profile removed on drop.
pub struct Browser {
    child: Child,
    profile: PathBuf,
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    /// Where the mouse button is held down, if it is.
    held: Option<(f64, f64)>,
}

/// One tab.
pub struct Page {
    session: String,
    pub name: &'static str,
    /// The size the page was opened at, restored after [`Browser::shoot`].
    size: (u32, u32, bool),
}

/// The screen sizes every view is photographed at: a projector (full HD,
/// and 720p), a laptop, a phone.
pub const SCREEN_SIZES: [(u32, u32, bool); 4] = [
    (1920, 1080, false),
    (1280, 720, false),
    (1366, 768, false),
    (390, 844, true),
];

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Finds the browser: `$BUZZBOARD_CHROMIUM`, or `chromium` on the PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BUZZBOARD_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

impl Browser {
    /// Starts Chromium. Without one: fails under CI (`CI` set), otherwise
    /// returns `None` so the caller can say it skipped.
    pub async fn launch() -> Option<Browser> {
        let Some(binary) = find_chromium() else {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but no Chromium was found: install Debian's `chromium` package");
            }
            eprintln!(
                "SKIPPED: browser test needs Chromium (apt-get install -y chromium); none found"
            );
            return None;
        };
        let profile = std::env::temp_dir().join(format!(
            "buzzboard-chromium-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&profile).unwrap();
        let mut child = Command::new(&binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--disable-quic",
                "--disable-background-timer-throttling",
                "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows",
                "--remote-debugging-port=0",
                "--remote-debugging-address=127.0.0.1",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));

        // Chromium prints its DevTools address on stderr once it is ready.
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("DevTools listening on ") {
                    let _ = tx.send(url.trim().to_owned());
                }
            }
        });
        let url = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("Chromium did not report its DevTools address within 30 s");
        let (ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        Some(Browser {
            child,
            profile,
            ws,
            next_id: 0,
            held: None,
        })
    }

    /// Sends one DevTools command and waits for its result.
    pub async fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.try_call(session, method, params)
            .await
            .unwrap_or_else(|error| panic!("{method} failed: {error}"))
    }

    /// Every address in the page's history (its back/forward list), as
    /// the browser keeps it.
    pub async fn history(&mut self, page: &Page) -> Vec<String> {
        let session = page.session.clone();
        let answer = self
            .call(Some(&session), "Page.getNavigationHistory", json!({}))
            .await;
        answer["entries"]
            .as_array()
            .map(|entries| {
                entries
                    .iter()
                    .filter_map(|e| e["url"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sends one DevTools command; `Err` holds the protocol's error.
    pub async fn try_call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
    ) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut command = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            command["sessionId"] = json!(session);
        }
        self.ws
            .send(Message::text(command.to_string()))
            .await
            .unwrap();
        loop {
            let frame = tokio::time::timeout(Duration::from_secs(30), self.ws.next())
                .await
                .unwrap_or_else(|_| panic!("no answer to {method} within 30 s"))
                .expect("DevTools connection closed")
                .unwrap();
            let Message::Text(text) = frame else { continue };
            let reply: Value = serde_json::from_str(&text).unwrap();
            if reply["id"] == id {
                if let Some(error) = reply.get("error") {
                    return Err(error.clone());
                }
                return Ok(reply["result"].clone());
            }
        }
    }

    /// Opens `url` in a new tab of the given size (`mobile` emulates a
    /// phone). Each tab gets its own browser context, so its storage is its
    /// own, as on separate devices.
    pub async fn open(
        &mut self,
        name: &'static str,
        url: &str,
        width: u32,
        height: u32,
        mobile: bool,
    ) -> Page {
        let context = self
            .call(None, "Target.createBrowserContext", json!({}))
            .await;
        let target = self
            .call(
                None,
                "Target.createTarget",
                json!({ "url": "about:blank", "browserContextId": context["browserContextId"] }),
            )
            .await;
        let target_id = target["targetId"].as_str().unwrap().to_owned();
        let attached = self
            .call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target_id, "flatten": true }),
            )
            .await;
        let page = Page {
            session: attached["sessionId"].as_str().unwrap().to_owned(),
            name,
            size: (width, height, mobile),
        };
        self.call(
            Some(&page.session),
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        )
        .await;
        if mobile {
            self.call(
                Some(&page.session),
                "Emulation.setTouchEmulationEnabled",
                json!({ "enabled": true }),
            )
            .await;
        }
        self.call(Some(&page.session), "Page.navigate", json!({ "url": url }))
            .await;
        page
    }

    /// Evaluates a JavaScript expression in the page (awaiting a promise)
    /// and returns its value.
    pub async fn eval(&mut self, page: &Page, expression: &str) -> Value {
        let result = self
            .call(
                Some(&page.session),
                "Runtime.evaluate",
                json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            )
            .await;
        if let Some(details) = result.get("exceptionDetails") {
            panic!("{}: script failed: {expression}\n{details}", page.name);
        }
        result["result"]["value"].clone()
    }

    /// The page's accessibility violations (WCAG 2.0-2.2 A and AA) by
    /// axe-core, installed from npm by `.ci/run` into `.ci/axe/` (or
    /// wherever `AXE_CORE` points). Without it the check is skipped, except
    /// under CI, where it fails.
    pub async fn axe(&mut self, page: &Page) -> Vec<String> {
        let path = std::env::var("AXE_CORE").unwrap_or_else(|_| {
            format!(
                "{}/.ci/axe/node_modules/axe-core/axe.min.js",
                env!("CARGO_MANIFEST_DIR")
            )
        });
        let Ok(source) = std::fs::read_to_string(&path) else {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but axe-core is not at {path}: .ci/run installs it with npm");
            }
            eprintln!("SKIPPED: accessibility check needs axe-core ({path}); run .ci/run once");
            return Vec::new();
        };
        self.eval(page, &format!("{source};true")).await;
        let found = self
            .eval(
                page,
                "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } })
                   .then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`))",
            )
            .await;
        found
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Fails the test if axe-core finds any accessibility violation on the
    /// page in this `state`.
    pub async fn assert_accessible(&mut self, page: &Page, state: &str) {
        let violations = self.axe(page).await;
        assert!(
            violations.is_empty(),
            "{} ({state}): {violations:#?}",
            page.name
        );
    }

    /// Waits until `condition` (a JavaScript expression) is truthy in the
    /// page, checking every 50 ms inside the page; fails after 10 s with what
    /// the page showed.
    pub async fn wait_for(&mut self, page: &Page, condition: &str) {
        self.wait_for_within(page, condition, CONDITION_WAIT_MS)
            .await;
    }

    /// [`Browser::wait_for`] with its own limit, for conditions that take
    /// long by design (a reconnect after a network outage).
    pub async fn wait_for_within(&mut self, page: &Page, condition: &str, limit_ms: u64) {
        let script = format!(
            r#"new Promise((resolve) => {{
                const start = Date.now();
                const check = () => {{
                    let ok = false;
                    try {{ ok = Boolean({condition}); }} catch (e) {{}}
                    if (ok) return resolve(true);
                    if (Date.now() - start > {limit_ms}) return resolve(false);
                    setTimeout(check, 50);
                }};
                check();
            }})"#
        );
        // A navigation while waiting (a page that moves on to the next page)
        // ends the evaluation; evaluate again on the new page.
        let deadline = tokio::time::Instant::now() + Duration::from_millis(limit_ms);
        let became_true = loop {
            let result = self
                .try_call(
                    Some(&page.session),
                    "Runtime.evaluate",
                    json!({ "expression": script, "awaitPromise": true, "returnByValue": true }),
                )
                .await;
            match result {
                Ok(value) => break value["result"]["value"] == json!(true),
                Err(error) if tokio::time::Instant::now() < deadline => {
                    let navigating = error.to_string().contains("navigated")
                        || error.to_string().contains("context");
                    assert!(navigating, "{}: {error}", page.name);
                }
                Err(error) => panic!("{}: {error}", page.name),
            }
        };
        if !became_true {
            let text = self
                .eval(
                    page,
                    "document.body ? document.body.innerText : '(no body)'",
                )
                .await;
            panic!(
                "{}: never became true: {condition}\npage text:\n{}",
                page.name,
                text.as_str().unwrap_or("")
            );
        }
    }

    /// Clicks (on a phone-sized page: taps) the element `selector` finds,
    /// as a user would: the browser's own input events at the middle of the
    /// element, once it is enabled, on screen and not covered by anything
    /// else (a toast, an overlay). A real click posts forms with the
    /// headers a browser sends, which a script's `element.click()` inside
    /// the page does not always.
    pub async fn click(&mut self, page: &Page, selector: &str) {
        let selector_json = serde_json::to_string(selector).unwrap();
        // Scrolled into view, then hit-tested at its middle until nothing
        // covers it and it stays put for two frames (a page that is still
        // laying itself out would move it under the pointer).
        let locate = format!(
            r#"new Promise((resolve) => {{
                const node = document.querySelector({selector_json});
                if (!node || node.disabled || node.getClientRects().length === 0) return resolve(null);
                node.scrollIntoView({{ block: 'center', inline: 'center' }});
                const place = () => {{ const b = node.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; }};
                const first = place();
                requestAnimationFrame(() => requestAnimationFrame(() => {{
                    const [x, y] = place();
                    const hit = document.elementFromPoint(x, y);
                    const still = Math.abs(x - first[0]) < 1 && Math.abs(y - first[1]) < 1;
                    resolve(still && node.isConnected && !node.disabled && (hit === node || node.contains(hit)) ? [x, y] : null);
                }}));
            }})"#
        );
        let deadline = tokio::time::Instant::now() + Duration::from_millis(CONDITION_WAIT_MS);
        let at = loop {
            let at = self.eval(page, &locate).await;
            if !at.is_null() {
                break at;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{}: {selector} never became clickable",
                page.name
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        if page.size.2 {
            for kind in ["touchStart", "touchEnd"] {
                let points = if kind == "touchEnd" {
                    json!([])
                } else {
                    json!([{ "x": x, "y": y }])
                };
                self.call(
                    Some(&page.session),
                    "Input.dispatchTouchEvent",
                    json!({ "type": kind, "touchPoints": points }),
                )
                .await;
            }
        } else {
            self.call(
                Some(&page.session),
                "Input.dispatchMouseEvent",
                json!({ "type": "mouseMoved", "x": x, "y": y }),
            )
            .await;
            for kind in ["mousePressed", "mouseReleased"] {
                self.call(
                    Some(&page.session),
                    "Input.dispatchMouseEvent",
                    json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
                )
                .await;
            }
        }
    }

    /// Chooses `path` in the file input `selector` finds, as a person
    /// picking a file in the browser's dialog.
    pub async fn choose_file(&mut self, page: &Page, selector: &str, path: &std::path::Path) {
        let document = self
            .call(Some(&page.session), "DOM.getDocument", json!({}))
            .await;
        let node = self
            .call(
                Some(&page.session),
                "DOM.querySelector",
                json!({ "nodeId": document["root"]["nodeId"], "selector": selector }),
            )
            .await;
        self.call(
            Some(&page.session),
            "DOM.setFileInputFiles",
            json!({ "nodeId": node["nodeId"], "files": [path.display().to_string()] }),
        )
        .await;
    }

    /// Presses the mouse button on the element `selector` finds and keeps
    /// it down (a "hold" control), until [`Browser::release`].
    pub async fn press_and_hold(&mut self, page: &Page, selector: &str) {
        let selector_json = serde_json::to_string(selector).unwrap();
        let box_of = format!(
            "(() => {{ const n = document.querySelector({selector_json}); n.scrollIntoView({{ block: 'center' }}); const b = n.getBoundingClientRect(); return [b.left + b.width / 2, b.top + b.height / 2]; }})()"
        );
        self.wait_for(page, &format!("document.querySelector({selector_json}) && document.querySelector({selector_json}).getClientRects().length > 0"))
            .await;
        let at = self.eval(page, &box_of).await;
        let (x, y) = (at[0].as_f64().unwrap(), at[1].as_f64().unwrap());
        for kind in ["mouseMoved", "mousePressed"] {
            self.call(
                Some(&page.session),
                "Input.dispatchMouseEvent",
                json!({ "type": kind, "x": x, "y": y, "button": "left", "clickCount": 1 }),
            )
            .await;
        }
        self.held = Some((x, y));
    }

    /// Lets go of the mouse button [`Browser::press_and_hold`] pressed.
    pub async fn release(&mut self, page: &Page) {
        let (x, y) = self.held.take().expect("a button is held");
        self.call(
            Some(&page.session),
            "Input.dispatchMouseEvent",
            json!({ "type": "mouseReleased", "x": x, "y": y, "button": "left", "clickCount": 1 }),
        )
        .await;
    }

    /// Makes the page's browser ask for these languages (as a phone set to
    /// them would: `navigator.languages` and `Accept-Language`); takes
    /// effect from the next load.
    pub async fn set_languages(&mut self, page: &Page, languages: &str) {
        let agent = self.eval(page, "navigator.userAgent").await;
        self.call(
            Some(&page.session),
            "Emulation.setUserAgentOverride",
            json!({ "userAgent": agent, "acceptLanguage": languages }),
        )
        .await;
    }

    /// The page's accessibility tree as a screen reader gets it: the role
    /// and accessible name of every node that has a name.
    pub async fn accessible_names(&mut self, page: &Page) -> Vec<(String, String)> {
        let tree = self
            .call(
                Some(&page.session),
                "Accessibility.getFullAXTree",
                json!({}),
            )
            .await;
        tree["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|node| node["ignored"] != true)
            .filter_map(|node| {
                let role = node["role"]["value"].as_str()?.to_owned();
                let name = node["name"]["value"].as_str()?.to_owned();
                (!name.is_empty()).then_some((role, name))
            })
            .collect()
    }

    /// Reloads the page, as a student pulling to refresh would.
    pub async fn reload(&mut self, page: &Page) {
        self.call(Some(&page.session), "Page.reload", json!({}))
            .await;
    }

    /// Presses and releases a key in the page (`" "` / `"Space"` for the space bar).
    pub async fn press_key(&mut self, page: &Page, key: &str, code: &str, key_code: u32) {
        for kind in ["keyDown", "keyUp"] {
            self.call(
                Some(&page.session),
                "Input.dispatchKeyEvent",
                json!({ "type": kind, "key": key, "code": code, "windowsVirtualKeyCode": key_code }),
            )
            .await;
        }
    }

    /// Types `text` into the focused field key by key, as a keyboard would
    /// (each key goes through the page's key handlers).
    pub async fn type_text(&mut self, page: &Page, text: &str) {
        for ch in text.chars() {
            let key = ch.to_string();
            if !ch.is_ascii() {
                // What a phone's keyboard (or an input method) sends for a
                // letter no key on a US keyboard makes.
                self.call(
                    Some(&page.session),
                    "Input.insertText",
                    json!({ "text": key }),
                )
                .await;
                continue;
            }
            let code = if ch == ' ' {
                "Space".to_owned()
            } else if ch.is_ascii_alphabetic() {
                format!("Key{}", ch.to_ascii_uppercase())
            } else {
                String::new()
            };
            self.call(
                Some(&page.session),
                "Input.dispatchKeyEvent",
                json!({ "type": "keyDown", "key": key, "code": code, "text": key }),
            )
            .await;
            self.call(
                Some(&page.session),
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": key, "code": code }),
            )
            .await;
        }
    }

    /// Photographs each page at each of [`SCREEN_SIZES`] into
    /// `target/screenshots/<stage>-<page>-<width>x<height>.png`, then gives
    /// it back its own size; also checks no size scrolls sideways.
    pub async fn shoot(&mut self, pages: &[&Page], stage: &str) {
        for page in pages {
            for (width, height, mobile) in SCREEN_SIZES {
                self.resize(page, width, height, mobile).await;
                // Laid out at the new size, and the show's animations (the
                // podium rising) played out, before the picture is taken.
                self.eval(
                    page,
                    "Promise.all(document.getAnimations().filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity).map(a => a.finished.catch(() => null))).then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true)))))",
                )
                .await;
                let overflow = self
                    .eval(
                        page,
                        "document.documentElement.scrollWidth - document.documentElement.clientWidth",
                    )
                    .await;
                assert!(
                    overflow.as_i64().unwrap_or(0) <= 1,
                    "{} at {width}x{height} ({stage}) scrolls sideways by {overflow} px",
                    page.name
                );
                self.screenshot(page, &format!("{stage}-{}-{width}x{height}.png", page.name))
                    .await;
            }
            let (width, height, mobile) = page.size;
            self.resize(page, width, height, mobile).await;
        }
    }

    /// Gives the page another screen size (as a projector or phone would).
    pub async fn resize(&mut self, page: &Page, width: u32, height: u32, mobile: bool) {
        self.call(
            Some(&page.session),
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile }),
        )
        .await;
    }

    /// Saves a PNG of the page under `target/screenshots/`, for people to look at.
    pub async fn screenshot(&mut self, page: &Page, file: &str) {
        let shot = self
            .call(
                Some(&page.session),
                "Page.captureScreenshot",
                json!({ "format": "png" }),
            )
            .await;
        let bytes = decode_base64(shot["data"].as_str().unwrap());
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(file), bytes).unwrap();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}
