//! Issue 23: teachers of their own. An admin invites a teacher, who makes
//! an account and sees only their own games; passwords are checked and
//! guessing is bounded; a disabled teacher is out at once; a fresh sign-in
//! link works once; the admin's log records each action.

use crate::common::{SignedIn, TestServer, no_redirects};

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
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned());
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
    let invite_cookie = opened.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
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
    let ana_cookie = made
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("buzzboard_session="))
        .expect("Ana is signed in");
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
    let reused = browser(
        &server,
        again.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned(),
    );
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
    let used = no_redirects().get(&link).send().await.unwrap();
    assert_eq!(used.status(), 303);
    assert_eq!(used.headers()["location"], "/");
    let cookie = used.headers()["set-cookie"].to_str().unwrap();
    let back = browser(&server, cookie.split(';').next().unwrap().to_owned());
    assert_eq!(back.page("/boards/rlhf.toml").await.0, 200);
    let again = no_redirects().get(&link).send().await.unwrap();
    assert_eq!(again.status(), 403, "a sign-in link works once");
    let (_, log) = admin.page("/admin").await;
    for action in ["disable", "enable", "sign_in_link"] {
        assert!(log.contains(&format!("<code>{action}</code>")), "{action}");
    }
}
