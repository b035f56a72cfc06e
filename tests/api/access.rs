//! Issue 23: who may use what. Every route the server lists
//! (`web::ROUTES`) and the host's WebSocket role are tried by every visitor
//! who may not use them (nobody, a forged, an expired and a signed-out
//! session, the host link of another game, another teacher for what is
//! not theirs) and each is refused; the visitor who may is let in, so each
//! refusal is about the visitor.

use std::time::Duration;

use buzzboard::web::{Access, ROUTES};

use crate::common::{self, Room, SignedIn, TestServer, no_redirects};

/// A visitor: a name for messages and the cookie its browser sends.
struct Visitor {
    name: &'static str,
    cookie: String,
}

/// A cookie for a session made straight in the database.
async fn session_cookie(server: &TestServer, teacher: Option<i64>, lifetime: Duration) -> String {
    let id = buzzboard::secret::Token::generate();
    server
        .state
        .sessions()
        .create_session(&buzzboard::secret::digest(id.as_str()), teacher, lifetime)
        .await
        .unwrap();
    format!("buzzboard_session={}", id.as_str())
}

/// The route's path for `room` (and teacher `teacher` where it names
/// one), with its other parts filled in.
fn concrete_for(path: &str, room: &Room, teacher: i64) -> String {
    concrete(
        &path.replace("/teachers/{id}/", &format!("/teachers/{teacher}/")),
        room,
    )
}

/// The route's path for `room`, with its other parts filled in.
fn concrete(path: &str, room: &Room) -> String {
    let file = if path.starts_with("/host/") {
        "results.csv"
    } else {
        "rlhf.toml"
    };
    path.replace("{code}", &room.code)
        .replace("{file}", file)
        .replace("{id}", "rlhf")
        .replace("{board}", "rlhf")
        .replace("{*path}", "media/rlhf-pipeline.svg")
        .replace("{*file}", "common.js")
}

/// The status of `method path` sent with `cookie`, as a page of the site
/// sends it (so the origin guard lets it through to the access check).
async fn status(server: &TestServer, method: &str, path: &str, cookie: &str) -> u16 {
    let request = match method {
        "GET" => no_redirects().get(server.url(path)),
        "POST" => no_redirects().post(server.url(path)),
        "PUT" => no_redirects().put(server.url(path)),
        "DELETE" => no_redirects().delete(server.url(path)),
        other => panic!("no method {other}"),
    };
    let request = if cookie.is_empty() {
        request
    } else {
        request.header("cookie", cookie)
    };
    request
        .header("sec-fetch-site", "same-origin")
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

/// Whether a host socket to `room` opens with `cookie`.
async fn host_socket_opens(server: &TestServer, room: &Room, cookie: &str) -> bool {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
    let mut request = format!("ws://{}/ws/{}?role=host", server.addr, room.code)
        .into_client_request()
        .unwrap();
    if !cookie.is_empty() {
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
    }
    tokio_tungstenite::connect_async(request).await.is_ok()
}

#[tokio::test]
async fn every_teacher_and_host_route_refuses_every_visitor_who_may_not_use_it() {
    let dir = common::temp_dir("access-routes");
    let server = TestServer::start_with_uploads(&dir).await;
    let (room, other, spare) = (
        server.create_room(None).await,
        server.create_room(None).await,
        server.create_room(None).await,
    );
    let key = server.state.teacher_key().as_str().to_owned();
    let teacher = server.sign_in(&format!("/?key={key}")).await;
    let host = server.sign_in(&room.host_url).await;
    let signed_out: SignedIn = server.sign_in(&format!("/?key={key}")).await;
    assert_eq!(signed_out.post_form("/signout", &[]).await.status(), 303);
    // Two more teachers: one tries what is not theirs, the other is what
    // the admin's actions act on.
    let accounts = server.state.sessions();
    let colleague = accounts
        .add_teacher("ben@school.example", "Ben", None)
        .await
        .unwrap()
        .unwrap();
    let acted_on = accounts
        .add_teacher("cleo@school.example", "Cleo", None)
        .await
        .unwrap()
        .unwrap();
    let colleague = Visitor {
        name: "another teacher",
        cookie: session_cookie(&server, Some(colleague), Duration::from_secs(600)).await,
    };
    let visitors = [
        Visitor {
            name: "nobody",
            cookie: String::new(),
        },
        Visitor {
            name: "a made-up session",
            cookie: "buzzboard_session=0123456789abcdef0123456789abcdef".into(),
        },
        Visitor {
            name: "an expired teacher's session",
            cookie: session_cookie(&server, Some(1), Duration::ZERO).await,
        },
        Visitor {
            name: "a signed-out teacher's session",
            cookie: signed_out.cookie.clone(),
        },
        Visitor {
            name: "another game's host link",
            cookie: server.sign_in(&other.host_url).await.cookie,
        },
    ];
    let mut tried = 0;
    for (method, path, access) in ROUTES {
        let address = concrete_for(path, &room, acted_on);
        // A teacher is let in on a spare game (a new host key would shut
        // the host link out of this one), its host on this one.
        let (allowed, allowed_address) = match access {
            Access::Anyone => continue,
            Access::Teacher | Access::Admin => (&teacher, concrete_for(path, &spare, acted_on)),
            Access::Host => (&host, address.clone()),
        };
        // Another teacher may use teachers' routes, but not on a game that
        // is not theirs, nor the admin's.
        let not_theirs = *access != Access::Teacher || path.contains("{code}");
        let refused = visitors.iter().chain(not_theirs.then_some(&colleague));
        for visitor in refused {
            let got = status(&server, method, &address, &visitor.cookie).await;
            assert_eq!(got, 403, "{method} {address} for {}", visitor.name);
            tried += 1;
        }
        let got = status(&server, method, &allowed_address, &allowed.cookie).await;
        assert!(
            got != 403 && got < 500,
            "{method} {allowed_address} for who may use it: {got}"
        );
    }
    assert!(tried >= 60, "{tried} refusals tried");
    // The host's socket, likewise.
    for visitor in visitors.iter().chain([&colleague]) {
        assert!(
            !host_socket_opens(&server, &room, &visitor.cookie).await,
            "the host socket for {}",
            visitor.name
        );
    }
    assert!(host_socket_opens(&server, &room, &host.cookie).await);
    assert!(host_socket_opens(&server, &room, &teacher.cookie).await);
    // Teacher-only routes stay shut to a host link, too.
    for (method, path, access) in ROUTES {
        if *access == Access::Teacher {
            let address = concrete(path, &room);
            let got = status(&server, method, &address, &host.cookie).await;
            assert_eq!(got, 403, "{method} {address} for a host link");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_server_answers_exactly_the_routes_it_lists() {
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    for (_, path, _) in ROUTES {
        let address = concrete(path, &room);
        for method in ["GET", "POST", "PUT", "DELETE"] {
            // Signed in afresh each time: one of the routes signs out.
            let teacher = server
                .sign_in(&format!("/?key={}", server.state.teacher_key().as_str()))
                .await;
            let listed = ROUTES.iter().any(|(m, p, _)| *m == method && p == path);
            let got = status(&server, method, &address, &teacher.cookie).await;
            if listed {
                assert!(
                    got != 404 && got != 405,
                    "{method} {address} is listed: {got}"
                );
            } else {
                assert_eq!(got, 405, "{method} {address} is not listed");
            }
        }
    }
}

/// A host socket opened as the browser with `cookie` opens it.
async fn host_socket(server: &TestServer, room: &Room, cookie: &str) -> common::Client {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest as _;
    let mut request = format!("ws://{}/ws/{}?role=host", server.addr, room.code)
        .into_client_request()
        .unwrap();
    request
        .headers_mut()
        .insert("cookie", cookie.parse().unwrap());
    let (stream, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    let mut client = common::Client::from_stream(stream);
    client.snapshot().await;
    client
}

#[tokio::test]
async fn a_new_host_key_shuts_out_every_co_host_but_not_the_teacher() {
    use buzzboard::game::HostCommand;
    use buzzboard::protocol::{ClientMsg, ServerMsg};
    let dir = common::temp_dir("access-new-key");
    let store = std::sync::Arc::new(buzzboard::store::Store::open(&dir.join("games.db")).unwrap());
    let server = TestServer::start_saved(store.clone()).await;
    let room = server.create_room(None).await;
    let teacher = server
        .sign_in(&format!("/?key={}", server.state.teacher_key().as_str()))
        .await;
    let assistant = server.sign_in(&room.host_url).await;
    let mut teacher_page = host_socket(&server, &room, &teacher.cookie).await;
    let mut assistant_page = host_socket(&server, &room, &assistant.cookie).await;

    // A co-host cannot shut the others out.
    let path = format!("/host/{}/key", room.code);
    assert_eq!(assistant.post_form(&path, &[]).await.status(), 403);
    let replaced = teacher.post_form(&path, &[]).await;
    assert_eq!(replaced.status(), 303);
    assert_eq!(
        replaced.headers()["location"],
        format!("/host/{}", room.code).as_str()
    );

    // The assistant's open page is closed and says why.
    assert_eq!(assistant_page.close_code().await, Some(4003));
    // Their browser, and the old link, open nothing now.
    let (status, _) = assistant.page(&format!("/host/{}", room.code)).await;
    assert_eq!(status, 403);
    let response = no_redirects().get(&room.host_url).send().await.unwrap();
    assert_eq!(response.status(), 403, "the old host link");
    // The teacher's page carries on.
    teacher_page
        .send(&ClientMsg::Host(HostCommand::SetPlayerCap { max: 30 }))
        .await;
    teacher_page
        .expect("player_cap", |m| {
            matches!(m, ServerMsg::PlayerCap { .. }).then_some(())
        })
        .await;
    // The new key is saved with the game, and its link opens it.
    let new_key = server.state.rooms().get(&room.code).unwrap().host_key();
    assert_ne!(new_key.as_str(), room.host_key);
    let saved = store.load_room(&room.code).await.unwrap().unwrap();
    assert_eq!(saved.record.host_key, new_key.as_str());
    let again = server
        .sign_in(&format!("/host/{}?key={}", room.code, new_key.as_str()))
        .await;
    assert_eq!(again.page(&again.landed).await.0, 200);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 23 (secrets in logs) and 24 (a server an admin can watch): the
/// real binary logs one line per request and per WebSocket session, as
/// text or JSON, and never a secret, even for the links that carry one.
#[tokio::test]
async fn the_access_log_has_a_line_per_request_and_socket_and_never_a_secret() {
    use crate::fault::{Binary, free_port};
    for format in ["text", "json"] {
        let data = common::temp_dir(&format!("access-log-{format}"));
        let server = Binary::start_logging(&data, free_port(), &["--log-format", format], "info")
            .expect("the server starts");
        let key = std::fs::read_to_string(data.join("teacher.key"))
            .unwrap()
            .trim()
            .to_owned();
        let host_link = server
            .stdout
            .iter()
            .find_map(|line| line.split_whitespace().find(|w| w.contains("/host/")))
            .expect("the host link is printed")
            .to_owned();
        let (code, host_key) = host_link
            .rsplit_once("/host/")
            .unwrap()
            .1
            .split_once("?key=")
            .map(|(c, k)| (c.to_owned(), k.to_owned()))
            .unwrap();
        let base = format!("http://{}", server.addr);
        for address in [
            format!("{base}/?key={key}"),
            host_link.clone(),
            format!("{base}/play/{code}"),
        ] {
            no_redirects().get(&address).send().await.unwrap();
        }
        let phone = common::open_socket(server.addr, &code, "role=player")
            .await
            .unwrap();
        drop(phone);
        // Wait for the socket's line, which comes when the server notices.
        let deadline = tokio::time::Instant::now() + common::WAIT;
        let log = loop {
            let log = server.stderr.lock().unwrap().join("\n");
            if log.contains("socket closed") {
                break log;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "no socket line: {log}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        assert!(
            !log.contains(&key),
            "{format}: the teacher key is in the log"
        );
        assert!(
            !log.contains(&host_key),
            "{format}: a host key is in the log"
        );
        let request_lines: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("buzzboard::access") && l.contains("request"))
            .collect();
        assert!(request_lines.len() >= 3, "{format}: {log}");
        if format == "json" {
            let signed_in = request_lines
                .iter()
                .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("a JSON line"))
                .find(|v| v["fields"]["path"] == "/?key=…")
                .expect("the teacher link's request, its key blanked");
            assert_eq!(signed_in["fields"]["status"], 303);
            assert_eq!(signed_in["fields"]["method"], "GET");
        } else {
            assert!(
                request_lines.iter().any(|l| l.contains("path=/host/")
                    && l.contains("key=…")
                    && l.contains("status=303")),
                "{log}"
            );
        }
        let _ = std::fs::remove_dir_all(&data);
    }
}
