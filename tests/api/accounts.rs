//! Issue 23: teachers of their own. An admin invites a teacher, who makes
//! an account and sees only their own games; passwords are checked and
//! guessing is bounded; a disabled teacher is out at once; a fresh sign-in
//! link works once; the admin's log records each action.

use crate::common::{SignedIn, TestServer, cookie_set, no_redirects};

/// The link the admin page shows once (`id="made-url" ... value="..."`).
fn made_link(page: &str) -> String {
    let at = page.find("id=\"made-url\"").expect("the page shows a link");
    let rest = &page[at..];
    let start = rest.find("value=\"").unwrap() + "value=\"".len();
    let end = rest[start..].find('"').unwrap();
    rest[start..start + end]
        .replace("&#x3d;", "=")
        .replace("&amp;", "&")
}

/// The owner, signed in with the printed teacher link.
async fn owner(server: &TestServer) -> SignedIn {
    server
        .sign_in(&format!("/?key={}", server.state.teacher_key().as_str()))
        .await
}

/// Posts the sign-in form from this machine; returns the status and the
/// session cookie it set, if any.
async fn sign_in(server: &TestServer, email: &str, password: &str) -> (u16, Option<String>) {
    let response = no_redirects()
        .post(server.url("/signin"))
        .header("sec-fetch-site", "same-origin")
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .unwrap();
    let cookie = cookie_set(&response, "buzzboard_session");
    (response.status().as_u16(), cookie)
}

/// A browser with this cookie, on this server.
fn browser(server: &TestServer, cookie: String) -> SignedIn {
    SignedIn::with_cookie(server, cookie)
}

#[tokio::test]
async fn an_invited_teacher_makes_an_account_and_sees_only_their_own_games() {
    let server = TestServer::start().await;
    let admin = owner(&server).await;
    let owners_room = server.create_room(None).await;

    // The admin invites Ana by address; the link is shown once.
    let response = admin
        .post_form("/admin/invite", &[("email", "Ana.Lopez@School.example")])
        .await;
    assert_eq!(response.status(), 200);
    let link = made_link(&response.text().await.unwrap());
    assert!(link.contains("/invite?token="), "{link}");

    // Ana opens it: the secret moves into a cookie and out of the address.
    let opened = no_redirects().get(&link).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    assert_eq!(opened.headers()["location"], "/invite");
    let invite_cookie = cookie_set(&opened, "buzzboard_invite").unwrap();
    let ana = browser(&server, invite_cookie);
    let (status, form) = ana.page("/invite").await;
    assert_eq!(status, 200);
    assert!(form.contains("ana.lopez@school.example") && form.contains("readonly"));
    // A short password is refused with the reason, and nothing is used up.
    let short = ana
        .post_form(
            "/invite",
            &[
                ("name", "Ana López"),
                ("email", "ana.lopez@school.example"),
                ("password", "short"),
                ("again", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), 400);
    assert!(
        short
            .text()
            .await
            .unwrap()
            .contains("at least 10 characters")
    );
    let made = ana
        .post_form(
            "/invite",
            &[
                ("name", "Ana López"),
                ("email", "someone.else@school.example"),
                ("password", "a long enough secret"),
                ("again", "a long enough secret"),
            ],
        )
        .await;
    assert_eq!(made.status(), 303, "the account is made");
    let ana_cookie = cookie_set(&made, "buzzboard_session").expect("Ana is signed in");
    let ana = browser(&server, ana_cookie);
    // The invitation was for her address only, and works once.
    let account = server
        .state
        .sessions()
        .teacher_by_email("ana.lopez@school.example")
        .await
        .unwrap()
        .expect("the account has the invited address");
    assert_eq!(account.name, "Ana López");
    assert!(!account.admin);
    let again = no_redirects().get(&link).send().await.unwrap();
    let reused = browser(&server, cookie_set(&again, "buzzboard_invite").unwrap());
    assert_eq!(reused.page("/invite").await.0, 403, "used up");

    // Ana starts a game; each teacher's page lists their own games only.
    let started = ana.post_form("/rooms", &[("board", "rlhf")]).await;
    assert_eq!(started.status(), 303);
    let anas_game = started.headers()["location"].to_str().unwrap().to_owned();
    let anas_code = anas_game.trim_start_matches("/host/").to_owned();
    let (_, anas_page) = ana.page("/").await;
    assert!(anas_page.contains(&anas_code) && anas_page.contains("Ana López"));
    assert!(
        !anas_page.contains(&owners_room.code),
        "not the owner's game"
    );
    assert!(!anas_page.contains("id=\"admin-link\""), "not an admin");
    let (_, owners_page) = admin.page("/").await;
    assert!(owners_page.contains(&owners_room.code));
    assert!(!owners_page.contains(&anas_code), "not Ana's game");
    // Nor can either open the other's controls, downloads or admin page.
    assert_eq!(admin.page(&anas_game).await.0, 403);
    assert_eq!(admin.page(&format!("{anas_game}/results.csv")).await.0, 403);
    assert_eq!(
        ana.page(&format!("/host/{}", owners_room.code)).await.0,
        403
    );
    assert_eq!(ana.page("/admin").await.0, 403);
    assert_eq!(ana.page(&anas_game).await.0, 200);
    // The admin sees Ana and her running game, and the log says who did what.
    let (_, admin_page) = admin.page("/admin").await;
    assert!(admin_page.contains("ana.lopez@school.example"));
    assert!(
        admin_page.contains(&format!("<strong>{anas_code}</strong>")),
        "the admin sees which games Ana runs (not their controls)"
    );
    assert!(
        admin_page.contains("<code>invite</code>") && admin_page.contains("<code>joined</code>")
    );
}

#[tokio::test]
async fn password_guessing_is_bounded_per_account_whatever_the_guess() {
    let server = TestServer::start().await;
    let store = server.state.sessions();
    let hash = buzzboard::password::hash("the right password");
    store
        .add_teacher("ben@school.example", "Ben", Some(&hash))
        .await
        .unwrap();
    let (status, cookie) = sign_in(&server, "Ben@School.example", "the right password").await;
    assert_eq!(status, 303);
    assert!(cookie.unwrap().starts_with("buzzboard_session="));
    // Five wrong guesses are answered "wrong"; a wrong address the same.
    let (status, _) = sign_in(&server, "nobody@school.example", "the right password").await;
    assert_eq!(status, 401);
    for _ in 0..5 {
        assert_eq!(
            sign_in(&server, "ben@school.example", "a guess").await.0,
            401
        );
    }
    // Then the account waits (a minute per guess), even for the right one.
    assert_eq!(
        sign_in(&server, "ben@school.example", "a guess").await.0,
        429
    );
    let (status, cookie) = sign_in(&server, "ben@school.example", "the right password").await;
    assert_eq!(status, 429);
    assert_eq!(cookie, None);
}

#[tokio::test]
async fn password_guessing_is_bounded_per_address_across_accounts() {
    let server = TestServer::start().await;
    // Twenty wrong guesses from one address, at as many accounts, then it
    // waits: six a minute. (Each guess is hashed, so on a busy machine the
    // guesses take a while, and the budget refills meanwhile: the bound is
    // 20 plus what refilled in the time taken.)
    let started = std::time::Instant::now();
    let mut answered = 0;
    let refused = loop {
        let email = format!("teacher{answered}@school.example");
        match sign_in(&server, &email, "a guess").await.0 {
            401 => answered += 1,
            other => break other,
        }
        assert!(answered < 200, "never refused");
    };
    assert_eq!(refused, 429);
    let refilled = (started.elapsed().as_secs_f64() * 0.1).ceil() as usize;
    assert!(
        (20..=20 + refilled).contains(&answered),
        "{answered} guesses answered in {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_disabled_teacher_is_out_at_once_and_a_fresh_sign_in_link_works_once() {
    let server = TestServer::start().await;
    let admin = owner(&server).await;
    let store = server.state.sessions();
    let hash = buzzboard::password::hash("cleo's password");
    let cleo = store
        .add_teacher("cleo@school.example", "Cleo", Some(&hash))
        .await
        .unwrap()
        .unwrap();
    let (_, cookie) = sign_in(&server, "cleo@school.example", "cleo's password").await;
    let signed_in = browser(&server, cookie.unwrap());
    assert_eq!(signed_in.page("/boards/rlhf.toml").await.0, 200);

    let disabled = admin
        .post_form(&format!("/admin/teachers/{cleo}/disable"), &[])
        .await;
    assert_eq!(disabled.status(), 303);
    assert_eq!(
        signed_in.page("/boards/rlhf.toml").await.0,
        403,
        "out at once"
    );
    assert_eq!(
        sign_in(&server, "cleo@school.example", "cleo's password")
            .await
            .0,
        401,
        "cannot sign in"
    );
    // The owner cannot be disabled.
    let refused = admin.post_form("/admin/teachers/1/disable", &[]).await;
    assert!(refused.text().await.unwrap().contains("cannot be disabled"));

    admin
        .post_form(&format!("/admin/teachers/{cleo}/enable"), &[])
        .await;
    let response = admin
        .post_form(&format!("/admin/teachers/{cleo}/link"), &[])
        .await;
    let link = made_link(&response.text().await.unwrap());
    assert!(link.contains("/signin/link?token="), "{link}");
    // A mail scanner fetching the link twice uses nothing up: the secret
    // moves into a cookie, and the page shows whom it signs in.
    let mut waiting = None;
    for _ in 0..2 {
        let opened = no_redirects().get(&link).send().await.unwrap();
        assert_eq!(opened.status(), 303);
        assert_eq!(opened.headers()["location"], "/signin/link");
        let page = browser(&server, cookie_set(&opened, "buzzboard_link").unwrap());
        let (status, text) = page.page("/signin/link").await;
        assert_eq!(status, 200);
        assert!(text.contains("Cleo"));
        waiting = Some(page);
    }
    let cleo_browser = waiting.unwrap();
    // Its button signs Cleo in, once.
    let used = cleo_browser.post_form("/signin/link", &[]).await;
    assert_eq!(used.status(), 303);
    assert_eq!(used.headers()["location"], "/");
    let session = cookie_set(&used, "buzzboard_session").expect("signed in");
    let back = browser(&server, session);
    assert_eq!(back.page("/boards/rlhf.toml").await.0, 200);
    let again = cleo_browser.post_form("/signin/link", &[]).await;
    assert_eq!(again.status(), 403, "a sign-in link works once");
    // She sets a new password, and signs in with it.
    let short = back
        .post_form(
            "/account/password",
            &[("password", "short"), ("again", "short")],
        )
        .await;
    assert_eq!(short.status(), 400);
    let changed = back
        .post_form(
            "/account/password",
            &[
                ("password", "cleo's new password"),
                ("again", "cleo's new password"),
            ],
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert!(changed.text().await.unwrap().contains("account-notice"));
    assert_eq!(
        sign_in(&server, "cleo@school.example", "cleo's new password")
            .await
            .0,
        303
    );
    let (_, log) = admin.page("/admin").await;
    for action in ["disable", "enable", "sign_in_link"] {
        assert!(log.contains(&format!("<code>{action}</code>")), "{action}");
    }
}

/// Posts a board file as `teacher`'s page does; returns the saved id.
async fn upload_as(server: &TestServer, teacher: &SignedIn, title: &str) -> String {
    let response = no_redirects()
        .post(server.url("/api/boards"))
        .header("cookie", &teacher.cookie)
        .header("sec-fetch-site", "same-origin")
        .query(&[("filename", "quiz.csv"), ("title", title)])
        .body(buzzboard::board::csv::TEMPLATE)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: serde_json::Value = response.json().await.unwrap();
    body["id"].as_str().unwrap().to_owned()
}

/// Saves a board in the editor as `teacher`; returns the status and body.
async fn save_as(
    server: &TestServer,
    teacher: &SignedIn,
    board: &serde_json::Value,
) -> (u16, serde_json::Value) {
    let response = no_redirects()
        .post(server.url("/api/editor"))
        .header("cookie", &teacher.cookie)
        .header("sec-fetch-site", "same-origin")
        .json(board)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.json().await.unwrap_or_default(),
    )
}

#[tokio::test]
async fn a_teachers_boards_are_theirs_until_shared_and_a_shared_board_is_never_changed_by_others() {
    let dir = crate::common::temp_dir("accounts-boards");
    let server = TestServer::start_with_uploads(&dir).await;
    let ana = server.teacher("Ana", "ana@school.example").await;
    let ben = server.teacher("Ben", "ben@school.example").await;
    let id = upload_as(&server, &ana, "Ana's secret quiz").await;

    // Ben sees nothing of it, by any route.
    let (_, bens_page) = ben.page("/").await;
    assert!(!bens_page.contains("Ana&#x27;s secret quiz") && !bens_page.contains(&id));
    assert_eq!(ben.page(&format!("/boards/{id}.toml")).await.0, 404);
    assert_eq!(ben.page(&format!("/api/editor/{id}")).await.0, 404);
    let (_, list) = ben.page("/api/boards").await;
    assert!(!list.contains(&id), "{list}");
    let start = ben.post_form("/rooms", &[("board", id.as_str())]).await;
    let nothing = ben.post_form("/rooms", &[("board", "no-such-board")]).await;
    assert_ne!(start.status(), 303, "cannot start a game of it");
    assert_eq!(
        start.status(),
        nothing.status(),
        "answered as if it did not exist"
    );
    assert_eq!(
        ben.post_form(&format!("/boards/{id}/share"), &[("shared", "1")])
            .await
            .status(),
        404
    );
    // Ana sees, plays and changes it.
    let (_, anas_page) = ana.page("/").await;
    assert!(anas_page.contains(&format!("value=\"{id}\"")));
    assert_eq!(ana.page(&format!("/boards/{id}.toml")).await.0, 200);

    // Ana shares it: Ben may play and duplicate it, not change it.
    let shared = ana
        .post_form(&format!("/boards/{id}/share"), &[("shared", "1")])
        .await;
    assert_eq!(shared.status(), 303);
    let (_, bens_page) = ben.page("/").await;
    assert!(bens_page.contains(&format!("value=\"{id}\"")));
    assert!(bens_page.contains("teacher.origin.shared"));
    let started = ben.post_form("/rooms", &[("board", id.as_str())]).await;
    assert_eq!(started.status(), 303, "Ben plays it");
    let (status, body) = ben.page(&format!("/api/editor/{id}")).await;
    assert_eq!(status, 200);
    let mut edited: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(edited["editable"], false, "not Ben's to change");
    // Saving it anyway makes Ben's own copy; Ana's board is unchanged.
    edited["editable"] = serde_json::Value::Bool(true);
    edited["title"] = serde_json::Value::String("Ben's copy".into());
    let (status, saved) = save_as(&server, &ben, &edited).await;
    assert_eq!(status, 201, "{saved}");
    assert_ne!(saved["id"], id.as_str());
    let original = server.state.boards().get(&id).unwrap();
    assert_eq!(original.title, "Ana's secret quiz");
    let copy = saved["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ana.page(&format!("/boards/{copy}.toml")).await.0,
        404,
        "Ben's copy is his"
    );

    // Ana takes it back: Ben no longer sees it.
    ana.post_form(&format!("/boards/{id}/share"), &[("shared", "0")])
        .await;
    assert_eq!(ben.page(&format!("/boards/{id}.toml")).await.0, 404);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_teacher_deletes_a_game_with_its_results_and_only_they_may() {
    use buzzboard::protocol::ServerMsg;
    let dir = crate::common::temp_dir("accounts-delete");
    let store = std::sync::Arc::new(buzzboard::store::Store::open(&dir.join("games.db")).unwrap());
    let server = TestServer::start_saved(store.clone()).await;
    let teacher = owner(&server).await;
    let room = server.create_room(None).await;
    let mut ana = server.player(&room, "Ana").await;
    let path = format!("/host/{}/delete", room.code);

    // Neither a co-host nor another teacher may delete it.
    let assistant = server.sign_in(&room.host_url).await;
    assert_eq!(
        assistant
            .post_form(&path, &[("confirm", "yes")])
            .await
            .status(),
        403
    );
    let colleague = server.teacher("Ben", "ben@school.example").await;
    assert_eq!(
        colleague
            .post_form(&path, &[("confirm", "yes")])
            .await
            .status(),
        403
    );
    // Its teacher must say the results go too.
    assert_eq!(teacher.post_form(&path, &[]).await.status(), 400);
    assert!(store.load_room(&room.code).await.unwrap().is_some());

    let deleted = teacher.post_form(&path, &[("confirm", "yes")]).await;
    assert_eq!(deleted.status(), 303);
    // The phone is told, and the game is gone from memory and the database.
    ana.client
        .expect("room_closed", |m| {
            matches!(m, ServerMsg::RoomClosed { .. }).then_some(())
        })
        .await;
    assert!(store.load_room(&room.code).await.unwrap().is_none());
    assert!(server.state.rooms().get(&room.code).is_none());
    assert_eq!(
        teacher
            .page(&format!("/host/{}/results.csv", room.code))
            .await
            .0,
        404
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_admin_sets_how_long_games_are_kept() {
    let server = TestServer::start().await;
    let admin = owner(&server).await;
    assert_eq!(
        server.state.retention().await,
        std::time::Duration::from_secs(24 * 3600),
        "as before until the admin chooses"
    );
    let refused = admin.post_form("/admin/retention", &[("hours", "0")]).await;
    assert_eq!(refused.status(), 400);
    let saved = admin
        .post_form("/admin/retention", &[("hours", "720")])
        .await;
    assert_eq!(saved.status(), 303);
    assert_eq!(
        server.state.retention().await,
        std::time::Duration::from_secs(720 * 3600)
    );
    let (_, page) = admin.page("/admin").await;
    assert!(page.contains("value=\"720\"") && page.contains("<code>retention</code>"));
    let colleague = server.teacher("Ben", "ben@school.example").await;
    assert_eq!(
        colleague
            .post_form("/admin/retention", &[("hours", "1")])
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn a_teacher_hands_a_running_game_to_a_colleague() {
    let dir = crate::common::temp_dir("accounts-hand-over");
    let store = std::sync::Arc::new(buzzboard::store::Store::open(&dir.join("games.db")).unwrap());
    let server = TestServer::start_saved(store.clone()).await;
    let teacher = owner(&server).await;
    let ben = server.teacher("Ben", "ben@school.example").await;
    let started = teacher.post_form("/rooms", &[("board", "rlhf")]).await;
    let game = started.headers()["location"].to_str().unwrap().to_owned();
    let code = game.trim_start_matches("/host/").to_owned();
    let path = format!("{game}/owner");

    // Not Ben's to hand over, and an unknown address is refused by name.
    assert_eq!(
        ben.post_form(&path, &[("email", "ben@school.example")])
            .await
            .status(),
        403
    );
    let unknown = teacher
        .post_form(&path, &[("email", "nobody@school.example")])
        .await;
    assert_eq!(unknown.status(), 400);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("nobody@school.example")
    );

    let handed = teacher
        .post_form(&path, &[("email", "Ben@School.example")])
        .await;
    assert_eq!(handed.status(), 303);
    assert!(ben.page("/").await.1.contains(&code), "on Ben's page");
    assert!(
        !teacher.page("/").await.1.contains(&code),
        "off the first teacher's"
    );
    assert_eq!(ben.page(&game).await.0, 200);
    assert_eq!(teacher.page(&game).await.0, 403);
    let ben_id = server
        .state
        .sessions()
        .teacher_by_email("ben@school.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    let saved = store.load_room(&code).await.unwrap().unwrap();
    assert_eq!(
        saved.record.owner,
        Some(ben_id),
        "saved, so it survives a restart"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// In Chromium, as people click: the admin invites Ana from the admin page,
/// Ana opens the link in her own browser, makes her account and lands on
/// her teacher page; she signs out and back in with her password (a wrong
/// one first). No address either visited holds a secret, and each page
/// passes axe.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_is_made_accepted_and_used_to_sign_in_in_a_real_browser() {
    use crate::pages::TeacherPage;
    let _turn = crate::common::heavy().await;
    let Some(mut browser) = crate::driver::Browser::launch().await else {
        return;
    };
    let server = TestServer::start().await;
    let key = server.state.teacher_key().as_str().to_owned();
    let admin = TeacherPage::open(&mut browser, &server.url(&format!("/?key={key}"))).await;
    assert!(admin.offers_admin(&mut browser).await);
    admin.open_admin(&mut browser).await;
    browser.assert_accessible(&admin.page, "admin page").await;
    let link = admin.invite(&mut browser, "ana@school.example").await;
    assert!(link.contains("/invite?token="), "{link}");

    let ana =
        TeacherPage::accept_invitation(&mut browser, &link, "Ana López", "a long enough secret")
            .await;
    assert!(!ana.offers_admin(&mut browser).await, "not an admin");
    ana.sign_out_to_the_sign_in_form(&mut browser).await;
    browser.assert_accessible(&ana.page, "sign-in form").await;
    assert!(
        !ana.sign_in(&mut browser, "ana@school.example", "a wrong guess")
            .await
    );
    browser
        .assert_accessible(&ana.page, "sign-in refused")
        .await;
    assert!(
        ana.sign_in(&mut browser, "ana@school.example", "a long enough secret")
            .await
    );
    ana.wait_signed_in(&mut browser, "Ana López").await;
    browser.shoot(&[&admin.page, &ana.page], "accounts").await;

    // Ana starts her own game, and finds on its controls how to hand it on
    // or delete it with its results.
    let host = ana.start_game(&mut browser, "rlhf").await;
    let code = host.code(&mut browser).await;
    assert_eq!(server.state.rooms().get(&code).unwrap().owner(), 2);
    browser
        .eval(
            &host.page,
            "document.getElementById('hand-over').scrollIntoView()",
        )
        .await;
    browser
        .screenshot(&host.page, "accounts-host-hand-over-1366x768.png")
        .await;
    browser
        .eval(
            &host.page,
            "document.getElementById('team-form').scrollIntoView()",
        )
        .await;
    browser
        .screenshot(&host.page, "accounts-host-teams-1366x768.png")
        .await;
    browser
        .assert_accessible(&host.page, "host page of an invited teacher")
        .await;

    for page in [&admin.page, &host.page] {
        for address in browser.history(page).await {
            assert!(
                !address.contains("key=") && !address.contains("token="),
                "{}: a secret in the history: {address}",
                page.name
            );
        }
    }
}

/// Whether the archive holds a file called `name` (stored ZIP entries keep
/// their names as written).
fn archive_has(archive: &[u8], name: &str) -> bool {
    archive.windows(name.len()).any(|w| w == name.as_bytes())
}

#[tokio::test]
async fn a_teacher_exports_their_own_boards_and_results_and_nobody_elses() {
    let dir = crate::common::temp_dir("accounts-export");
    let server = TestServer::start_with_uploads(&dir).await;
    let teacher = owner(&server).await;
    let ana = server.teacher("Ana", "ana@school.example").await;
    let board = upload_as(&server, &ana, "Ana's capitals").await;
    let started = ana.post_form("/rooms", &[("board", board.as_str())]).await;
    let code = started.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/host/")
        .to_owned();
    let owners_game = server.create_room(None).await;

    let response = ana.get("/export.zip").await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let archive = response.bytes().await.unwrap();
    assert!(archive.starts_with(b"PK\x03\x04"));
    assert!(archive_has(
        &archive,
        &format!("boards/{board}/{board}.toml")
    ));
    assert!(archive_has(&archive, &format!("games/{code}-results.xlsx")));
    assert!(
        !archive_has(&archive, &owners_game.code),
        "not the owner's game"
    );
    assert!(
        !archive_has(&archive, "rlhf.toml"),
        "not the shipped boards"
    );

    let theirs = teacher.get("/export.zip").await.bytes().await.unwrap();
    assert!(archive_has(
        &theirs,
        &format!("games/{}-results.xlsx", owners_game.code)
    ));
    assert!(!archive_has(&theirs, &board), "not Ana's board");
    assert!(!archive_has(&theirs, &code), "not Ana's game");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_address_too_long_to_exist_is_refused_and_still_counts_as_a_guess() {
    let server = TestServer::start().await;
    let long = format!("{}@school.example", "a".repeat(100_000));
    assert_eq!(sign_in(&server, &long, "a guess").await.0, 401);
    // It spent the address's budget like any wrong guess.
    for _ in 0..40 {
        if sign_in(&server, &long, "a guess").await.0 == 429 {
            return;
        }
    }
    panic!("never refused");
}
