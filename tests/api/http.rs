//! The HTTP side: the JSON API, the pages, assets, and their errors.

use crate::common;

use common::TestServer;
use reqwest::redirect::Policy;

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

mod api {
    use super::*;

    #[tokio::test]
    async fn the_health_check_answers_200() {
        let server = TestServer::start().await;
        let response = client().get(server.url("/healthz")).send().await.unwrap();
        assert_eq!(response.status(), 200);
    }

    #[tokio::test]
    async fn the_board_list_holds_the_rlhf_board_with_its_counts() {
        let server = TestServer::start().await;
        let boards: serde_json::Value = client()
            .get(server.url("/api/boards"))
            .header("x-buzzboard-key", server.state.teacher_key().as_str())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let rlhf = boards
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == "rlhf")
            .expect("the RLHF board is listed");
        assert_eq!(rlhf["categories"], 5);
        assert_eq!(rlhf["clues"], 25);
        assert!(rlhf["title"].as_str().unwrap().starts_with("RLHF"));
    }

    #[tokio::test]
    async fn creating_a_room_without_a_board_plays_rlhf_and_returns_its_links() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        assert_eq!(room.board, "rlhf");
        assert_eq!(room.code.len(), 5);
        assert_eq!(room.join_url, server.url(&format!("/play/{}", room.code)));
        assert_eq!(room.board_url, server.url(&format!("/board/{}", room.code)));
        assert_eq!(
            room.host_url,
            server.url(&format!("/host/{}?key={}", room.code, room.host_key))
        );
        let named = server.create_room(Some("rlhf")).await;
        assert_ne!(named.code, room.code);
        assert_ne!(named.host_key, room.host_key);
    }

    #[tokio::test]
    async fn an_unknown_board_is_a_404_that_names_the_boards() {
        let server = TestServer::start().await;
        let response = client()
            .post(server.url("/api/rooms"))
            .header("x-buzzboard-key", server.state.teacher_key().as_str())
            .json(&serde_json::json!({ "board": "nope" }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
        let body: serde_json::Value = response.json().await.unwrap();
        let error = body["error"].as_str().unwrap();
        assert!(
            error.contains("\"nope\"") && error.contains("rlhf"),
            "{error}"
        );
    }

    /// Issue 10, finding 1: a keyless room gave its creator the host key,
    /// and with it every answer of every board.
    #[tokio::test]
    async fn starting_a_game_without_the_teacher_key_is_refused() {
        let server = TestServer::start().await;
        for key in [None, Some("wrong")] {
            let mut request = client()
                .post(server.url("/api/rooms"))
                .json(&serde_json::json!({ "board": "rlhf" }));
            if let Some(key) = key {
                request = request.header("x-buzzboard-key", key);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 403, "{key:?}");
            let body: serde_json::Value = response.json().await.unwrap();
            assert!(body["error"].as_str().unwrap().contains("teacher key"));
            let form = client()
                .post(server.url("/rooms"))
                .header("x-buzzboard-key", key.unwrap_or(""))
                .form(&[("board", "rlhf")])
                .send()
                .await
                .unwrap();
            assert_eq!(form.status(), 403, "{key:?}");
        }
        assert_eq!(server.state.rooms().len(), 0, "no room was created");
        // The start page without the key offers joining only.
        let (status, body) = crate::http::pages::get(&server, "/").await;
        assert_eq!(status, 200);
        assert!(!body.contains("Start a game"), "{body}");
        assert!(body.contains("Join a game"));
    }

    #[tokio::test]
    async fn a_body_that_is_not_json_is_a_400() {
        let server = TestServer::start().await;
        for body in ["{board: rlhf", r#"{"board": 5}"#, r#"{"bored": "rlhf"}"#] {
            let response = client()
                .post(server.url("/api/rooms"))
                .header("x-buzzboard-key", server.state.teacher_key().as_str())
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 400, "{body}");
            let json: serde_json::Value = response.json().await.unwrap();
            assert!(json["error"].as_str().unwrap().contains("JSON"), "{json}");
        }
    }
}

mod pages {
    use super::*;

    pub(crate) async fn get(server: &TestServer, path: &str) -> (u16, String) {
        let response = client().get(server.url(path)).send().await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    #[tokio::test]
    async fn an_unknown_room_gets_a_friendly_404_page() {
        let server = TestServer::start().await;
        for path in ["/play/ZZZZZ", "/board/ZZZZZ", "/host/ZZZZZ?key=x"] {
            let (status, body) = get(&server, path).await;
            assert_eq!(status, 404, "{path}");
            assert!(
                body.contains("No such game") && body.contains("ZZZZZ"),
                "{path}: {body}"
            );
            assert!(body.contains("<html"), "{path} should be a page");
        }
    }

    #[tokio::test]
    async fn the_host_page_needs_the_right_key() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let (status, _) = get(&server, &format!("/host/{}", room.code)).await;
        assert_eq!(status, 403);
        let (status, body) = get(&server, &format!("/host/{}?key=wrong", room.code)).await;
        assert_eq!(status, 403);
        assert!(body.contains("host link is not valid"));
        let browser = server.sign_in(&room.host_url).await;
        assert_eq!(browser.landed, format!("/host/{}", room.code));
        let (status, body) = browser.page(&browser.landed).await;
        assert_eq!(status, 200);
        assert!(body.contains(&room.code) && body.contains("/static/host.js"));
        assert!(
            !body.contains(&room.host_key),
            "the page holds no key, only its QR code's address"
        );
    }

    #[tokio::test]
    async fn a_host_link_opens_its_own_game_only() {
        let server = TestServer::start().await;
        let (one, two) = (
            server.create_room(None).await,
            server.create_room(None).await,
        );
        let assistant = server.sign_in(&one.host_url).await;
        let (status, _) = assistant.page(&format!("/host/{}", two.code)).await;
        assert_eq!(status, 403, "the other game stays shut");
        let (status, _) = assistant.page("/boards/rlhf.toml").await;
        assert_eq!(status, 403, "a host link is not the teacher's");
        // Opening the second game's link in the same browser adds it to
        // the browser's session.
        let response = assistant
            .get(&format!("/host/{}?key={}", two.code, two.host_key))
            .await;
        assert_eq!(response.status(), 303);
        assert!(
            response.headers().get("set-cookie").is_none(),
            "the browser's session is kept, and given the game"
        );
        for room in [&one, &two] {
            let (status, _) = assistant.page(&format!("/host/{}", room.code)).await;
            assert_eq!(status, 200, "{}", room.code);
        }
    }

    #[tokio::test]
    async fn signing_out_ends_the_session_on_the_server() {
        let server = TestServer::start().await;
        let teacher = server
            .sign_in(&format!("/?key={}", server.state.teacher_key().as_str()))
            .await;
        assert_eq!(teacher.landed, "/");
        let (_, page) = teacher.page("/").await;
        assert!(page.contains("upload-form") || page.contains("running-games"));
        let out = teacher.post_form("/signout", &[]).await;
        assert_eq!(out.status(), 303);
        assert!(
            out.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        // The old cookie, kept by a careless browser, opens nothing.
        let (_, page) = teacher.page("/").await;
        assert!(!page.contains("running-games"), "signed out");
        let (status, _) = teacher.page("/boards/rlhf.toml").await;
        assert_eq!(status, 403);
    }

    #[tokio::test]
    async fn the_board_and_player_pages_carry_no_secrets() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        for path in [
            format!("/board/{}", room.code),
            format!("/play/{}", room.code),
        ] {
            let (status, body) = get(&server, &path).await;
            assert_eq!(status, 200);
            assert!(!body.contains(&room.host_key), "{path} leaks the host key");
        }
    }

    #[tokio::test]
    async fn a_typed_code_in_any_case_leads_to_the_room() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let typed = format!(" {} ", room.code.to_lowercase());
        let response = client()
            .get(server.url("/join"))
            .query(&[("code", typed)])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        assert_eq!(
            response.headers()["location"],
            format!("/play/{}", room.code).as_str()
        );
        let (status, body) = get(&server, "/join?code=QQQQQ").await;
        assert_eq!(status, 404);
        assert!(body.contains("no game with the code"));
    }

    #[tokio::test]
    async fn the_start_form_creates_a_room_and_sends_the_teacher_to_its_controls() {
        let server = TestServer::start().await;
        let key = server.state.teacher_key().as_str().to_owned();
        let teacher = server.sign_in(&format!("/?key={key}")).await;
        let (status, body) = teacher.page("/").await;
        assert_eq!(status, 200);
        assert!(body.contains("value=\"rlhf\""));
        assert!(!body.contains(&key), "the page does not repeat the key");
        let response = teacher.post_form("/rooms", &[("board", "rlhf")]).await;
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with("/host/") && !location.contains("key="),
            "{location}"
        );
        let (status, _) = teacher.page(&location).await;
        assert_eq!(status, 200);
        let (status, _) = get(&server, &location).await;
        assert_eq!(status, 403, "without the session it stays shut");
    }

    #[tokio::test]
    async fn every_response_forbids_inline_scripts_and_sends_no_path_as_referrer() {
        let server = TestServer::start().await;
        let response = client().get(server.url("/")).send().await.unwrap();
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(response.headers()["referrer-policy"], "strict-origin");
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    }

    #[tokio::test]
    async fn a_broken_board_is_listed_on_the_start_page_with_its_problem() {
        let dir = common::temp_dir("http-broken-board");
        std::fs::write(
            dir.join("broken.toml"),
            "title = \"Oops\"\n[[category]]\nname = \"A\"\n",
        )
        .unwrap();
        let server = TestServer::start_with(buzzboard::board::BoardLibrary::load(&dir)).await;
        std::fs::remove_dir_all(&dir).unwrap();
        let key = server.state.teacher_key().as_str().to_owned();
        let (status, body) = server
            .sign_in(&format!("/?key={key}"))
            .await
            .page("/")
            .await;
        assert_eq!(status, 200);
        assert!(body.contains("broken.toml"), "{body}");
        assert!(body.contains("has no clues"), "{body}");
        assert!(
            body.contains("value=\"rlhf\""),
            "the good board is still offered"
        );
    }
}

mod assets {
    use super::*;

    #[tokio::test]
    async fn scripts_and_styles_are_served_from_the_binary() {
        let server = TestServer::start().await;
        for (file, kind) in [
            ("style.css", "text/css"),
            ("common.js", "text/javascript"),
            ("host.js", "text/javascript"),
            ("board.js", "text/javascript"),
            ("play.js", "text/javascript"),
        ] {
            let response = client()
                .get(server.url(&format!("/static/{file}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{file}");
            let content_type = response.headers()["content-type"].to_str().unwrap();
            assert!(content_type.starts_with(kind), "{file}: {content_type}");
        }
        // Every file in static/ is served (none forgotten in the binary).
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                for inner in std::fs::read_dir(&path).unwrap() {
                    let inner = inner.unwrap().path();
                    names.push(
                        inner
                            .strip_prefix(&folder)
                            .unwrap()
                            .to_str()
                            .unwrap()
                            .to_owned(),
                    );
                }
            } else {
                names.push(path.file_name().unwrap().to_str().unwrap().to_owned());
            }
        }
        for name in names {
            let response = client()
                .get(server.url(&format!("/static/{name}")))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "static/{name} is not served");
        }
        let missing = client()
            .get(server.url("/static/nope.js"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }

    #[tokio::test]
    async fn the_join_qr_code_is_an_svg() {
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let response = client()
            .get(server.url(&format!("/rooms/{}/qr.svg", room.code)))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        assert!(response.text().await.unwrap().contains("<svg"));
    }

    #[tokio::test]
    async fn the_rlhf_diagram_is_served_sandboxed_under_its_content_address_only() {
        let server = TestServer::start().await;
        let address = server.state.boards().get("rlhf").unwrap().media["media/rlhf-pipeline.svg"]
            .address
            .clone();
        assert!(!address.contains("rlhf"), "{address}");
        // Issue 10, finding 11: a picture's file name could be guessed (or
        // read) from its address. By name it is not served, but to the
        // teacher (the editor's previews).
        let by_name = client()
            .get(server.url("/media/rlhf/media/rlhf-pipeline.svg"))
            .send()
            .await
            .unwrap();
        assert_eq!(by_name.status(), 404);
        let key = server.state.teacher_key().as_str().to_owned();
        let teacher = server
            .get_with_key("/media/rlhf/media/rlhf-pipeline.svg", &key)
            .await;
        assert_eq!(teacher.status(), 200);
        let response = client()
            .get(server.url(&format!("/media/rlhf/{address}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "image/svg+xml");
        assert!(
            response.headers()["content-security-policy"]
                .to_str()
                .unwrap()
                .starts_with("sandbox")
        );
        let missing = client()
            .get(server.url("/media/rlhf/../Cargo.toml"))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 404);
    }
}

/// Issue 10, finding 9: another site could drive the server from a
/// visitor's browser.
mod origins {
    use super::*;

    #[tokio::test]
    async fn a_request_naming_a_foreign_host_is_refused() {
        let server = TestServer::start().await;
        let rebound = client()
            .get(server.url("/healthz"))
            .header("host", "evil.example:3000")
            .send()
            .await
            .unwrap();
        assert_eq!(rebound.status(), 421);
        let ours = client()
            .get(server.url("/healthz"))
            .header("host", "localhost")
            .send()
            .await
            .unwrap();
        assert_eq!(ours.status(), 200);
    }

    #[tokio::test]
    async fn a_page_of_another_site_can_neither_open_a_socket_nor_start_a_game() {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let url = format!("ws://{}/ws/{}?role=player", server.addr, room.code);
        let mut foreign = url.clone().into_client_request().unwrap();
        foreign
            .headers_mut()
            .insert("origin", "http://evil.example".parse().unwrap());
        let refused = tokio_tungstenite::connect_async(foreign).await;
        assert!(refused.is_err(), "the upgrade was refused");
        let mut own = url.into_client_request().unwrap();
        own.headers_mut()
            .insert("origin", format!("http://{}", server.addr).parse().unwrap());
        assert!(tokio_tungstenite::connect_async(own).await.is_ok());

        let key = server.state.teacher_key().as_str().to_owned();
        let teacher = server.sign_in(&format!("/?key={key}")).await;
        let forged = client()
            .post(server.url("/rooms"))
            .header("cookie", &teacher.cookie)
            .header("origin", "http://evil.example")
            .form(&[("board", "rlhf")])
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 403);
        assert_eq!(server.state.rooms().len(), 1, "no room was made");
    }
}

mod reach {
    //! Issue 24: the host is told who can open the join link.
    use super::*;

    #[tokio::test]
    async fn the_host_page_says_when_only_this_computer_can_open_the_join_link() {
        // The test server's address is 127.0.0.1: this computer only.
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let host = server.sign_in(&room.host_url).await;
        let (_, page) = host.page(&host.landed).await;
        assert!(
            page.contains(r#"id="reach-note" data-i18n="host.reach_computer""#),
            "{page}"
        );
        assert!(page.contains("--bind 0.0.0.0"), "{page}");
        // The teacher page says it too; the students' start page does not.
        let (_, teacher) = server
            .sign_in(&format!("/?key={}", server.state.teacher_key().as_str()))
            .await
            .page("/")
            .await;
        assert!(
            teacher.contains(r#"id="reach-note" data-i18n="teacher.reach_computer""#),
            "{teacher}"
        );
        let start = client()
            .get(server.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!start.contains("reach-note"), "{start}");
    }
}
