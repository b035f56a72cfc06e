//! Issue 20, "The first minute and the big screen": a teacher's first
//! clicks and the show's ending, in a real browser, as the class would
//! play them. Every step is a real click or tap.
//!
//! Needs Debian's `chromium` (skips without it, fails under CI).

use crate::common::{self, TestServer};
use crate::driver::Browser;
use crate::pages::{TeacherPage, js};

/// Starting a game from the teacher page: the form a browser posts
/// (`Sec-Fetch-Site: same-origin`, and under the old referrer policy
/// `Origin: null`) is this site's own, and the teacher lands on the host
/// controls. The same form posted by a page of another site (a `data:`
/// page, whose origin is opaque) is refused and starts nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_starts_a_game_by_clicking_start_on_the_teacher_page() {
    let _turn = common::heavy().await;
    let Some(mut browser) = Browser::launch().await else {
        return;
    };
    let server = TestServer::start().await;
    let key = server.state.teacher_key().as_str().to_owned();
    let teacher = TeacherPage::open(&mut browser, &server.url(&format!("/?key={key}"))).await;
    let host = teacher.start_game(&mut browser, "rlhf").await;
    assert_eq!(server.state.rooms().len(), 1, "one game was started");
    let code = host.code(&mut browser).await;
    assert!(server.state.rooms().get(&code).is_some());

    // Another site's page posting the same form from this browser.
    let form = format!(
        "data:text/html,<form method=post action='{}'><input name=board value=rlhf><button id=go>go</button></form>",
        server.url(&format!("/rooms?key={key}"))
    );
    let evil = browser.open("evil", &form, 800, 600, false).await;
    browser.click(&evil, "#go").await;
    browser
        .wait_for(
            &evil,
            "document.body && document.body.innerText.includes('Pages of other sites cannot act on this server')",
        )
        .await;
    assert_eq!(server.state.rooms().len(), 1, "no game was started");
    let _ = js;
}
