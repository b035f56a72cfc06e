//! A real WebKit (Debian's `webkit2gtk-driver`: WebKitGTK's MiniBrowser
//! driven by `WebKitWebDriver`, the W3C WebDriver protocol over HTTP), for
//! the phone's page: most students carry iPhones, whose browsers are all
//! WebKit. It runs in a private X display (`Xvfb`); both are killed on drop.
//!
//! A click here is WebDriver's element click: the browser's own input
//! events at the element, as a tap is.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/// A WebKit browser session.
pub struct WebKit {
    driver: Child,
    display: Child,
    base: String,
    http: reqwest::Client,
}

impl Drop for WebKit {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = self.display.kill();
        let _ = self.display.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn installed(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(program).is_file()))
}

impl WebKit {
    /// Starts WebKit at a phone's size. Without it: fails under CI (`CI`
    /// set), otherwise `None` so the caller says it skipped.
    pub async fn launch(width: u32, height: u32) -> Option<WebKit> {
        if !(installed("WebKitWebDriver")
            && installed("Xvfb")
            && std::path::Path::new(MINIBROWSER).exists())
        {
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI is set but WebKit is missing: install Debian's webkit2gtk-driver and xvfb"
                );
            }
            eprintln!("SKIPPED: WebKit test needs webkit2gtk-driver and xvfb");
            return None;
        }
        // A display number nothing else holds.
        let number = (100..1000)
            .find(|n| !std::path::Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .expect("a free X display number");
        let display = Command::new("Xvfb")
            .arg(format!(":{number}"))
            .args(["-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start Xvfb");
        let port = free_port();
        let driver = Command::new("WebKitWebDriver")
            .arg(format!("--port={port}"))
            .env("DISPLAY", format!(":{number}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("cannot start WebKitWebDriver");
        let http = reqwest::Client::new();
        let root = format!("http://127.0.0.1:{port}");
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": MINIBROWSER, "args": ["--automation"] }
        } } });
        // The driver and the display take a moment to come up.
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        let session = loop {
            let answer = http
                .post(format!("{root}/session"))
                .json(&capabilities)
                .send()
                .await;
            if let Ok(answer) = answer {
                let body: Value = answer.json().await.unwrap_or_default();
                if let Some(id) = body["value"]["sessionId"].as_str() {
                    break id.to_owned();
                }
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "WebKitWebDriver gave no session within 30 s"
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        let webkit = WebKit {
            driver,
            display,
            base: format!("{root}/session/{session}"),
            http,
        };
        webkit
            .post(
                "/window/rect",
                json!({ "width": width, "height": height, "x": 0, "y": 0 }),
            )
            .await;
        Some(webkit)
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let answer = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("WebDriver {path}: {e}"));
        let body: Value = answer.json().await.unwrap();
        if let Some(error) = body["value"].get("error") {
            panic!("WebDriver {path}: {error} {}", body["value"]["message"]);
        }
        body["value"].clone()
    }

    /// Opens `url`.
    pub async fn open(&self, url: &str) {
        self.post("/url", json!({ "url": url })).await;
    }

    /// Runs `script` (a function body; `return` gives its value).
    pub async fn eval(&self, script: &str) -> Value {
        self.post("/execute/sync", json!({ "script": script, "args": [] }))
            .await
    }

    /// Waits until `condition` (a JavaScript expression) is true; fails
    /// after 10 s with what the page showed.
    pub async fn wait_for(&self, condition: &str) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        loop {
            let value = self
                .eval(&format!(
                    "try {{ return Boolean({condition}); }} catch (e) {{ return false; }}"
                ))
                .await;
            if value == json!(true) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let text = self
                    .eval("return document.body ? document.body.innerText : ''")
                    .await;
                panic!("WebKit: never became true: {condition}\npage text:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn element(&self, selector: &str) -> String {
        let found = self
            .post(
                "/element",
                json!({ "using": "css selector", "value": selector }),
            )
            .await;
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("WebKit: no element {selector}"))
            .to_owned()
    }

    /// Clicks (taps) the element `selector` finds, once it is shown.
    pub async fn click(&self, selector: &str) {
        let selector_json = serde_json::to_string(selector).unwrap();
        self.wait_for(&format!(
            "document.querySelector({selector_json}) && document.querySelector({selector_json}).getClientRects().length > 0"
        ))
        .await;
        let id = self.element(selector).await;
        self.post(&format!("/element/{id}/click"), json!({})).await;
    }

    /// Types `text` into the element `selector` finds, key by key.
    pub async fn type_into(&self, selector: &str, text: &str) {
        let id = self.element(selector).await;
        self.post(&format!("/element/{id}/value"), json!({ "text": text }))
            .await;
    }
}
