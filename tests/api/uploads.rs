//! Teachers bring their own boards: uploads over HTTP, checked, saved in the
//! data folder, listed, playable and downloadable; bad files are refused with
//! what to fix, and nothing escapes the folder.

use crate::common;
use buzzboard::game::HostCommand;

use buzzboard::board::BoardId;
use buzzboard::protocol::{ClientMsg, ServerMsg};
use common::TestServer;

fn folder(name: &str) -> std::path::PathBuf {
    common::temp_dir(&format!("uploads-{name}"))
}

async fn upload(
    server: &TestServer,
    file: &str,
    title: Option<&str>,
    body: impl Into<reqwest::Body>,
) -> (u16, serde_json::Value) {
    let key = server.state.teacher_key().as_str().to_owned();
    let mut query = vec![("filename", file)];
    if let Some(title) = title {
        query.push(("title", title));
    }
    let response = reqwest::Client::new()
        .post(server.url("/api/boards"))
        .header("x-buzzboard-key", key)
        .query(&query)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (
        status,
        response.json().await.unwrap_or(serde_json::Value::Null),
    )
}

#[tokio::test]
async fn an_uploaded_spreadsheet_is_saved_listed_played_and_downloadable() {
    let dir = folder("csv");
    let server = TestServer::start_with_uploads(&dir).await;
    let (status, body) = upload(
        &server,
        "geo.csv",
        Some("Geography 7B"),
        buzzboard::board::csv::TEMPLATE,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_owned();
    assert_eq!(id, "geography-7b");
    assert_eq!(body["clues"], 4);
    assert!(dir.join("geography-7b.toml").exists());

    let boards: serde_json::Value = server
        .get_with_key("/api/boards", server.state.teacher_key().as_str())
        .await
        .json()
        .await
        .unwrap();
    assert!(
        boards
            .as_array()
            .unwrap()
            .iter()
            .any(|b| b["id"] == id.as_str())
    );

    // Play a clue of it.
    let room = server.create_room(Some(&id)).await;
    let (mut host, snapshot) = server.host(&room).await;
    assert_eq!(snapshot.board.title, "Geography 7B");
    let mut ana = server.player(&room, "Ana").await;
    host.open_clue_and_buzzers(1, 0).await;
    ana.buzz_in(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    let answer = ana
        .client
        .expect("answer_revealed", |m| match m {
            ServerMsg::AnswerRevealed { answer, .. } => Some(answer.text.clone()),
            _ => None,
        })
        .await;
    assert_eq!(answer, "The Thames");

    // Downloaded, it reads back as the same board.
    let key = server.state.teacher_key().as_str();
    let text = server
        .get_with_key(&format!("/boards/{id}.toml"), key)
        .await
        .text()
        .await
        .unwrap();
    let again = buzzboard::board::import_any(
        BoardId::parse(&id).unwrap(),
        "again.toml",
        None,
        &text,
        &buzzboard::board::csv::NoMedia,
    )
    .unwrap();
    let saved = buzzboard::board::library::load_file(&dir.join("geography-7b.toml")).unwrap();
    assert_eq!(again, saved);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_seed_jeopardylabs_export_uploads_as_the_rlhf_board() {
    let dir = folder("jl");
    let server = TestServer::start_with_uploads(&dir).await;
    let export = include_str!("../data/rlhf-jeopardylabs.txt");
    let (status, body) = upload(&server, "rlhf.txt", Some("RLHF again"), export).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["id"], "rlhf-again");
    assert_eq!(
        (body["categories"].as_u64(), body["clues"].as_u64()),
        (Some(5), Some(25))
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_broken_file_is_refused_with_its_line_and_nothing_is_saved() {
    let dir = folder("broken");
    let server = TestServer::start_with_uploads(&dir).await;
    let (status, body) = upload(
        &server,
        "quiz.csv",
        None,
        "category,value,clue,answer\nA,100,q,\n",
    )
    .await;
    assert_eq!(status, 400);
    let error = body["error"].as_str().unwrap();
    assert!(error.starts_with("quiz.csv:2:"), "{error}");
    assert!(error.contains("empty `answer`"), "{error}");
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        0,
        "nothing was saved"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_oversize_or_non_text_upload_is_refused() {
    let dir = folder("big");
    let server = TestServer::start_with_uploads(&dir).await;
    let (status, body) = upload(&server, "big.csv", None, vec![b'a'; 1024 * 1024 + 1]).await;
    assert_eq!(status, 413);
    assert!(
        body["error"].as_str().unwrap().contains("at most 1024 KiB"),
        "{body}"
    );
    let (status, body) = upload(&server, "bin.csv", None, vec![0xff, 0xfe, 0x00, 0x80]).await;
    assert_eq!(status, 400);
    assert!(
        body["error"].as_str().unwrap().contains("not UTF-8"),
        "{body}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_upload_cannot_escape_the_folder_or_replace_a_shipped_board() {
    let dir = folder("escape");
    let server = TestServer::start_with_uploads(&dir).await;
    let (status, body) = upload(
        &server,
        "../../../tmp/evil.csv",
        None,
        buzzboard::board::csv::TEMPLATE,
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["id"], "evil");
    assert!(dir.join("evil.toml").exists());
    let small = "title = \"Mine\"\n[[category]]\nname = \"A\"\n[[category.clue]]\nvalue = 1\nclue = \"q\"\nanswer = \"a\"\n";
    let (status, body) = upload(&server, "rlhf.toml", None, small).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["id"], "rlhf-2", "the shipped board keeps its name");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_uploaded_title_is_shown_as_text_on_the_start_page() {
    let dir = folder("title");
    let server = TestServer::start_with_uploads(&dir).await;
    let (status, _) = upload(
        &server,
        "x.csv",
        Some("<script>alert(1)</script>"),
        buzzboard::board::csv::TEMPLATE,
    )
    .await;
    assert_eq!(status, 201);
    let key = server.state.teacher_key().as_str();
    let (_, page) = server
        .sign_in(&format!("/?key={key}"))
        .await
        .page("/")
        .await;
    assert!(page.contains("alert(1)"), "the title is listed");
    assert!(!page.contains("<script>alert(1)"), "and escaped");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_server_without_an_upload_folder_refuses_uploads() {
    let server = TestServer::start().await;
    let (status, _) = upload(&server, "x.csv", None, buzzboard::board::csv::TEMPLATE).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn board_files_hold_answers_so_only_the_teacher_key_opens_them() {
    let dir = folder("key");
    let server = TestServer::start_with_uploads(&dir).await;
    // A student without the key can neither download nor upload.
    let download = reqwest::get(server.url("/boards/rlhf.toml")).await.unwrap();
    assert_eq!(download.status(), 403);
    let wrong = server
        .get_with_key("/boards/rlhf.toml", "00000000000000000000000000000000")
        .await;
    assert_eq!(wrong.status(), 403);
    // The right key in the address is not read (addresses land in logs).
    let in_address = reqwest::get(server.url(&format!(
        "/boards/rlhf.toml?key={}",
        server.state.teacher_key().as_str()
    )))
    .await
    .unwrap();
    assert_eq!(in_address.status(), 403);
    let refused = reqwest::Client::new()
        .post(server.url("/api/boards?filename=x.csv"))
        .body(buzzboard::board::csv::TEMPLATE)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    // The start page shows board management only with the key.
    let public = reqwest::get(server.url("/"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!public.contains("upload-form") && !public.contains("/boards/rlhf.toml"));
    let key = server.state.teacher_key().as_str();
    let signed_in = server.sign_in(&format!("/?key={key}")).await;
    let (_, teacher) = signed_in.page("/").await;
    assert!(teacher.contains("upload-form") && teacher.contains("/boards/rlhf.toml"));
    assert!(!teacher.contains(key), "no link repeats the key");
    let (status, _) = signed_in.page("/boards/rlhf.toml").await;
    assert_eq!(status, 200, "the teacher's session opens board files");
    let _ = std::fs::remove_dir_all(&dir);
}

mod editor {
    use super::*;

    /// A 1x1 PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f,
        0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8,
        0xcf, 0xc0, 0xf0, 0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
    ];

    async fn post_media(
        server: &TestServer,
        name: &str,
        body: Vec<u8>,
    ) -> (u16, serde_json::Value) {
        let key = server.state.teacher_key().as_str().to_owned();
        let response = reqwest::Client::new()
            .post(server.url("/api/media"))
            .header("x-buzzboard-key", key)
            .query(&[("filename", name)])
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    async fn save(server: &TestServer, board: serde_json::Value) -> (u16, serde_json::Value) {
        let key = server.state.teacher_key().as_str().to_owned();
        let response = reqwest::Client::new()
            .post(server.url("/api/editor"))
            .header("x-buzzboard-key", key)
            .json(&board)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }

    #[tokio::test]
    async fn a_board_made_in_the_editor_with_a_picture_is_played_with_the_picture() {
        let dir = folder("editor");
        let server = TestServer::start_with_uploads(&dir).await;
        let (status, media) = post_media(&server, "../Map of Europe.PNG", PNG.to_vec()).await;
        assert_eq!(status, 201, "{media}");
        let image = media["path"].as_str().unwrap().to_owned();
        assert_eq!(media["kind"], "image");
        assert!(
            image.starts_with("media/") && image.ends_with("-mapofeurope.png"),
            "{image}"
        );
        assert!(dir.join(&image).exists(), "stored inside the folder");

        let (status, saved) = save(
            &server,
            serde_json::json!({
                "title": "Maps",
                "categories": [{"name": "Europe", "clues": [
                    {"value": 100, "clue": "Which country is this?", "answer": "Italy", "image": image},
                    {"value": 200, "clue": "Capital of Spain", "answer": "Madrid", "also_accept": ["  "]}
                ]}]
            }),
        )
        .await;
        assert_eq!(status, 201, "{saved}");
        let id = saved["id"].as_str().unwrap().to_owned();
        assert_eq!(id, "maps");

        let room = server.create_room(Some(&id)).await;
        let (mut host, _) = server.host(&room).await;
        let mut projector = server.board(&room).await;
        host.send(&ClientMsg::OpenClue {
            category: 0,
            row: 0,
        })
        .await;
        let url = projector
            .expect("clue_opened", |m| match m {
                ServerMsg::ClueOpened { clue } => clue.image.clone(),
                _ => None,
            })
            .await;
        let picture = reqwest::get(server.url(&url)).await.unwrap();
        assert_eq!(picture.headers()["content-type"], "image/png");
        assert_eq!(picture.bytes().await.unwrap().as_ref(), PNG);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn a_picture_is_checked_by_its_content_and_size() {
        let dir = folder("media");
        let server = TestServer::start_with_uploads(&dir).await;
        let (status, body) =
            post_media(&server, "photo.png", b"<html>not a picture</html>".to_vec()).await;
        assert_eq!(status, 400);
        assert!(
            body["error"].as_str().unwrap().contains("not a PNG"),
            "{body}"
        );
        let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
        huge.resize(5 * 1024 * 1024 + 1, 0);
        let (status, body) = post_media(&server, "huge.png", huge).await;
        assert_eq!(status, 413, "{body}");
        let (status, _) = post_media(&server, "gif-named.png", b"GIF89a......".to_vec()).await;
        assert_eq!(status, 400);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn saving_a_shipped_board_makes_a_copy_with_its_diagram() {
        let dir = folder("copy");
        let server = TestServer::start_with_uploads(&dir).await;
        let key = server.state.teacher_key().as_str().to_owned();
        let mut rlhf: serde_json::Value = server
            .get_with_key("/api/editor/rlhf", &key)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(rlhf["editable"], false);
        rlhf["title"] = "RLHF, my version".into();
        let (status, saved) = save(&server, rlhf).await;
        assert_eq!(status, 201, "{saved}");
        assert_eq!(saved["id"], "rlhf-my-version");
        assert!(
            dir.join("media/rlhf-pipeline.svg").exists(),
            "the diagram was copied"
        );
        // The shipped board itself is unchanged.
        let boards: serde_json::Value = server
            .get_with_key("/api/boards", server.state.teacher_key().as_str())
            .await
            .json()
            .await
            .unwrap();
        let shipped = boards
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["id"] == "rlhf")
            .unwrap();
        assert!(shipped["title"].as_str().unwrap().starts_with("RLHF: "));
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn an_invalid_edit_is_refused_with_the_clue_named_and_the_saved_board_kept() {
        let dir = folder("invalid");
        let server = TestServer::start_with_uploads(&dir).await;
        let good = serde_json::json!({
            "title": "Quiz",
            "categories": [{"name": "A", "clues": [{"value": 100, "clue": "Two plus two", "answer": "Four"}]}]
        });
        let (status, _) = save(&server, good).await;
        assert_eq!(status, 201);
        let before = std::fs::read_to_string(dir.join("quiz.toml")).unwrap();
        let bad = serde_json::json!({
            "id": "quiz", "editable": true, "title": "Quiz",
            "categories": [{"name": "A", "clues": [{"value": 100, "clue": "Two plus two", "answer": ""}]}]
        });
        let (status, body) = save(&server, bad).await;
        assert_eq!(status, 400);
        assert!(
            body["error"]
                .as_str()
                .unwrap()
                .contains("\"Two plus two\" has an empty `answer`"),
            "{body}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join("quiz.toml")).unwrap(),
            before
        );
        let (status, _) = save(&server, serde_json::json!({"title": "x", "categories": []})).await;
        assert_eq!(status, 400);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn the_editor_needs_the_teacher_key() {
        let dir = folder("editor-key");
        let server = TestServer::start_with_uploads(&dir).await;
        assert_eq!(
            reqwest::get(server.url("/editor")).await.unwrap().status(),
            403
        );
        assert_eq!(
            reqwest::get(server.url("/api/editor/rlhf"))
                .await
                .unwrap()
                .status(),
            403
        );
        let response = reqwest::Client::new()
            .post(server.url("/api/media?filename=a.png"))
            .body(PNG.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// Issue 10, finding 6: keyless uploads were read whole (48 MiB each)
/// before they were refused.
#[tokio::test]
async fn an_upload_without_the_key_is_refused_before_its_body_is_read() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let dir = folder("early-refusal");
    let server = TestServer::start_with_uploads(&dir).await;
    for path in ["/api/media?filename=a.png", "/api/boards?filename=a.csv"] {
        let mut socket = tokio::net::TcpStream::connect(server.addr).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: 50000000\r\n\r\n",
            server.addr
        );
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(&[0u8; 1024]).await.unwrap();
        // The answer comes although 49.9 MB of the body were never sent.
        let mut answer = vec![0u8; 512];
        let n = tokio::time::timeout(std::time::Duration::from_secs(5), socket.read(&mut answer))
            .await
            .expect("the server answered without waiting for the body")
            .unwrap();
        let answer = String::from_utf8_lossy(&answer[..n]);
        assert!(answer.starts_with("HTTP/1.1 403"), "{path}: {answer}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
