//! Issue 20, "The first minute and the big screen": a teacher's first
//! clicks and the show's ending, in a real browser, as the class would
//! play them. Every step is a real click or tap.
//!
//! Needs Debian's `chromium` (skips without it, fails under CI).

use crate::common::{self, TestServer};
use crate::driver::Browser;
use crate::pages::{HostPage, PhonePage, ProjectorPage, TeacherPage};
use crate::webkit::WebKit;

/// What most tests here start with: their turn among the heavy tests, a
/// browser, a server with a game of the RLHF board, and its host controls
/// on a laptop.
struct Class {
    _turn: tokio::sync::MutexGuard<'static, ()>,
    browser: Browser,
    server: TestServer,
    room: crate::common::Room,
    host: HostPage,
}

impl Class {
    /// `None` (the test says it skipped) without a browser.
    async fn start() -> Option<Class> {
        let turn = common::heavy().await;
        let mut browser = Browser::launch().await?;
        let server = TestServer::start().await;
        let room = server.create_room(None).await;
        let host = HostPage::open(&mut browser, &room.host_url, 1366, 768).await;
        Some(Class {
            _turn: turn,
            browser,
            server,
            room,
            host,
        })
    }
}

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
    // Issue 23: after the first click, no address holds a secret: the
    // browser's history has the teacher page and the host page without
    // the teacher key or the game's host key.
    let history = browser.history(&host.page).await;
    let host_key = server.state.rooms().get(&code).unwrap().host_key();
    assert!(history.len() >= 2, "{history:?}");
    for address in &history {
        assert!(
            !address.contains(&key)
                && !address.contains(host_key.as_str())
                && !address.contains("key="),
            "a secret in the history: {address}"
        );
    }

    // Another site's page posting the same form from this browser.
    let form = format!(
        "data:text/html,<form method=post action='{}'><input name=board value=rlhf><button id=go>go</button></form>",
        server.url("/rooms")
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
}

/// Issue 20, item 2: Ana joins, then Ben: Ben's phone counts him at once
/// ("#1 of 2", his name in the scores), and Ana's phone learns of him.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_who_joins_second_sees_their_own_place_and_name_at_once() {
    let Some(Class {
        _turn,
        mut browser,
        server: _server,
        room,
        host,
    }) = Class::start().await
    else {
        return;
    };
    let mut ana = PhonePage::open(&mut browser, "ana", &room.join_url).await;
    let mut ben = PhonePage::open(&mut browser, "ben", &room.join_url).await;
    ana.join(&mut browser, "Ana").await;
    ana.wait_for_rank(&mut browser, "You are #1 of 1 player")
        .await;
    ben.join(&mut browser, "Ben").await;
    ben.wait_for_rank(&mut browser, "You are #1 of 2 players")
        .await;
    assert_eq!(ben.score_names(&mut browser).await, ["Ana", "Ben"]);
    ana.wait_for_rank(&mut browser, "You are #1 of 2 players")
        .await;
    host.wait_for_players(&mut browser, 2).await;
}

/// Issue 20, item 3: one rule for ties everywhere. Scores 300, 200, 200,
/// 100, 0 are places 1, 2, 2, 4, 5 on the podium (the list below it goes
/// on from 4, not 1), on each phone, and in the results download.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn equal_scores_share_a_place_on_the_podium_the_phones_and_the_results() {
    let Some(Class {
        _turn,
        mut browser,
        server,
        room,
        host,
    }) = Class::start().await
    else {
        return;
    };
    let projector = ProjectorPage::open(&mut browser, &room.board_url, 1920, 1080).await;
    let names = ["Ana", "Ben", "Cy", "Dev", "Eve"];
    let labels = ["ana", "ben", "cy", "dev", "eve"];
    let mut phones = Vec::new();
    for (name, label) in names.iter().zip(labels) {
        let mut phone = PhonePage::open(&mut browser, label, &room.join_url).await;
        phone.join(&mut browser, name).await;
        phones.push(phone);
    }
    host.wait_for_players(&mut browser, 5).await;
    for (name, points) in [("Ana", 300), ("Ben", 200), ("Cy", 200), ("Dev", 100)] {
        host.give_points(&mut browser, name, points).await;
    }
    host.wait_until(
        &mut browser,
        "[...document.querySelectorAll('#roster .player-score')].map(s => s.textContent).join() === '300,200,200,100,0'",
    )
    .await;
    host.press(&mut browser, "end-game").await;
    assert_eq!(
        projector.podium(&mut browser).await,
        [
            "#1 Ana 300",
            "#2 Ben 200",
            "#2 Cy 200",
            "4. Dev 100",
            "5. Eve 0"
        ]
    );
    for (phone, rank) in phones.iter().zip([1, 2, 2, 4, 5]) {
        phone
            .wait_until(
                &mut browser,
                &format!(
                    "document.getElementById('final-note').textContent.startsWith('You finished #{rank} of 5')"
                ),
            )
            .await;
    }
    let csv = server
        .get_with_key(&format!("/host/{}/results.csv", room.code), &room.host_key)
        .await
        .text()
        .await
        .unwrap();
    let places: Vec<&str> = csv
        .lines()
        .skip(1)
        .take(5)
        .map(|line| line.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(places, ["1", "2", "2", "4", "5"], "{csv}");
    browser
        .shoot(&[&projector.page, &phones[1].page], "podium-tied")
        .await;
    // Issue 20, item 6: after the end nothing on the host's board can be
    // clicked, and the teacher page says the game is finished.
    host.wait_until(
        &mut browser,
        "[...document.querySelectorAll('#grid button.tile')].every(b => b.disabled)",
    )
    .await;
    let key = server.state.teacher_key().as_str().to_owned();
    let teacher = TeacherPage::open(&mut browser, &server.url(&format!("/?key={key}"))).await;
    let games = teacher.running_games(&mut browser).await;
    assert!(
        games.len() == 1 && games[0].contains(&room.code) && games[0].contains("finished"),
        "{games:?}"
    );
}

/// Issue 20, item 7: in Debian's DejaVu font (wider than Helvetica) the
/// text ran out of "Policy writes answer" and "Reward model scores". Every
/// line of the shipped diagram fits inside the box it sits in, as this
/// browser's fonts draw it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_line_of_the_rlhf_diagram_fits_its_box_in_the_browsers_font() {
    let _turn = common::heavy().await;
    let Some(mut browser) = Browser::launch().await else {
        return;
    };
    let server = TestServer::start().await;
    let address = server.state.boards().get("rlhf").unwrap().media["media/rlhf-pipeline.svg"]
        .address
        .clone();
    let page = browser
        .open(
            "diagram",
            &server.url(&format!("/media/rlhf/{address}")),
            1280,
            720,
            false,
        )
        .await;
    browser
        .wait_for(&page, "document.querySelectorAll('text').length > 20")
        .await;
    let overflowing = browser
        .eval(
            &page,
            r#"(() => {
                const boxes = [...document.querySelectorAll('rect')].map(r => r.getBBox()).filter(b => b.width < 900);
                return [...document.querySelectorAll('text')].filter(t => {
                    const b = t.getBBox();
                    const cx = b.x + b.width / 2, cy = b.y + b.height / 2;
                    const around = boxes.filter(r => cx >= r.x && cx <= r.x + r.width && cy >= r.y && cy <= r.y + r.height)
                        .sort((p, q) => p.width * p.height - q.width * q.height)[0];
                    return !around || b.x < around.x + 2 || b.x + b.width > around.x + around.width - 2;
                }).map(t => t.textContent);
            })()"#,
        )
        .await;
    assert_eq!(overflowing, serde_json::json!([]), "text outside its box");
}

/// The projector at each screen a classroom has (16:9 and 4:3, 1280x720
/// up to 4K), in each of our languages: the board's grid fills at least
/// 80% of the screen's height, nothing in the header overlaps anything
/// else or is cut off, and an open clue's picture is drawn large (not at
/// its natural 960x460 or a photo's 400x300).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_projector_fills_the_screen_and_nothing_in_its_header_overlaps() {
    let Some(Class {
        _turn,
        mut browser,
        server: _server,
        room,
        host,
    }) = Class::start().await
    else {
        return;
    };
    let mut ana = PhonePage::open(&mut browser, "ana", &room.join_url).await;
    ana.join(&mut browser, "Ana").await;
    // Past the lobby: one clue played, so the board shows.
    host.play_clue(&mut browser, (0, 0), &ana, true).await;
    let screens = [
        (1920, 1080),
        (1280, 720),
        (1366, 768),
        (1024, 768),
        (3840, 2160),
    ];
    for language in ["en", "es", "fr", "de", "pt"] {
        let url = format!("{}?lang={language}", room.board_url);
        let projector = ProjectorPage::open(&mut browser, &url, 1920, 1080).await;
        if ["en", "es"].contains(&language) {
            browser
                .shoot(
                    &[&projector.page],
                    &format!("board-between-clues-{language}"),
                )
                .await;
        }
        for (width, height) in screens {
            browser.resize(&projector.page, width, height, false).await;
            projector
                .wait_until(&mut browser, &format!("innerWidth === {width}"))
                .await;
            let measured = projector
                .eval(
                    &mut browser,
                    r#"(() => {
                        const items = [...document.querySelectorAll('.projector-bar > *')].filter(n => n.getClientRects().length);
                        const boxes = items.map(n => [n.id || n.className, n.getBoundingClientRect()]);
                        const overlaps = [];
                        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                            const [a, p] = boxes[i], [b, q] = boxes[j];
                            if (p.left < q.right - 1 && q.left < p.right - 1 && p.top < q.bottom - 1 && q.top < p.bottom - 1) overlaps.push(`${a} / ${b}`);
                        }
                        const hint = document.querySelector('.join-hint');
                        const cut = hint.scrollWidth > hint.clientWidth + 1 || hint.getBoundingClientRect().right > innerWidth + 1;
                        const grid = document.getElementById('grid').getBoundingClientRect();
                        return { overlaps, cut, fill: grid.height / innerHeight, bottom: grid.bottom <= innerHeight + 1 };
                    })()"#,
                )
                .await;
            let fill = measured["fill"].as_f64().unwrap();
            eprintln!(
                "board fill {language} {width}x{height}: {:.1}%",
                fill * 100.0
            );
            assert_eq!(
                measured["overlaps"],
                serde_json::json!([]),
                "{language} {width}x{height}: header items overlap"
            );
            assert_eq!(
                measured["cut"], false,
                "{language} {width}x{height}: the join address is cut off"
            );
            assert!(
                measured["bottom"] == true,
                "{language} {width}x{height}: the board runs off the screen"
            );
            assert!(
                fill >= 0.8,
                "{language} {width}x{height}: the board fills {:.0}% of the height",
                fill * 100.0
            );
        }
    }
    // A picture clue: the diagram is drawn at half the screen's height.
    host.open_tile(&mut browser, 2, 0).await;
    let projector = ProjectorPage::open(&mut browser, &room.board_url, 1920, 1080).await;
    projector
        .wait_until(
            &mut browser,
            "document.getElementById('clue-image').complete && document.getElementById('clue-image').getBoundingClientRect().height >= 0.45 * innerHeight",
        )
        .await;
}

/// Issue 20, "a mirrored laptop shows the answers": on the host's screen
/// the answer stays hidden until the teacher holds "peek" (a first-run hint
/// says why), or always shows once they say the screen is private; the
/// host's own link, for their phone, is a QR code shown only when asked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_answer_shows_on_the_hosts_screen_only_while_the_teacher_holds_peek() {
    let Some(Class {
        _turn,
        mut browser,
        server,
        room,
        host,
    }) = Class::start().await
    else {
        return;
    };
    host.open_tile(&mut browser, 0, 0).await;
    let visible =
        "getComputedStyle(document.getElementById('clue-answer')).visibility === 'visible'";
    host.wait_until(
        &mut browser,
        &format!("!({visible}) && !document.getElementById('peek-hint').hidden && document.getElementById('clue-answer').textContent.length > 0"),
    )
    .await;
    browser.shoot(&[&host.page], "host-answer-hidden").await;
    browser.press_and_hold(&host.page, "#peek").await;
    host.wait_until(&mut browser, visible).await;
    browser.release(&host.page).await;
    host.wait_until(&mut browser, &format!("!({visible})"))
        .await;
    // A private screen: always shown, and remembered on this device.
    browser.click(&host.page, "#always-show").await;
    host.wait_until(&mut browser, visible).await;
    browser.reload(&host.page).await;
    host.wait_until(
        &mut browser,
        &format!("document.getElementById('connection').dataset.state === 'online' && document.getElementById('always-show').checked && {visible}"),
    )
    .await;
    // The teacher's phone: the QR code holds the private host link.
    browser.click(&host.page, "#phone-controls").await;
    host.wait_until(
        &mut browser,
        "document.getElementById('phone-dialog').open && document.getElementById('phone-qr').complete && document.getElementById('phone-qr').naturalWidth > 0",
    )
    .await;
    browser
        .assert_accessible(&host.page, "phone controls QR")
        .await;
    let qr = reqwest::get(server.url(&format!("/host/{}/qr.svg", room.code)))
        .await
        .unwrap();
    assert_eq!(qr.status(), 403, "the host QR code needs the host key");
    browser.click(&host.page, "#phone-dialog-close").await;
    // The host controls work from a phone-sized screen.
    let phone_host = HostPage::open(&mut browser, &room.host_url, 390, 844).await;
    phone_host
        .wait_until(
            &mut browser,
            "!document.getElementById('clue-panel').hidden",
        )
        .await;
    phone_host.reveal(&mut browser).await;
    phone_host.back_to_board(&mut browser).await;
}

/// Issue 20, "teams without devices": a team with phones and a team the
/// host scores by hand play one game; the phones cannot join the host's
/// team; the projector shows both teams.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_without_phones_plays_beside_a_phone_team() {
    let Some(Class {
        _turn,
        mut browser,
        server: _server,
        room,
        host,
    }) = Class::start().await
    else {
        return;
    };
    let projector = ProjectorPage::open(&mut browser, &room.board_url, 1920, 1080).await;
    browser.click(&host.page, "#team-name").await;
    browser.type_text(&host.page, "Owls").await;
    browser
        .click(&host.page, "#team-form button[type=submit]")
        .await;
    host.wait_until(
        &mut browser,
        "document.querySelectorAll('#team-list li').length === 1",
    )
    .await;
    browser.click(&host.page, "#team-name").await;
    browser.type_text(&host.page, "Table 1").await;
    browser.click(&host.page, "#add-team-no-phones").await;
    host.wait_until(
        &mut browser,
        "document.querySelectorAll('#team-list li').length === 2 && [...document.querySelectorAll('#roster .presence')].some(p => p.classList.contains('no-phone'))",
    )
    .await;
    let mut ana = PhonePage::open(&mut browser, "ana", &room.join_url).await;
    ana.join(&mut browser, "Ana").await;
    // The phone offers the Owls only.
    ana.wait_until(
        &mut browser,
        "!document.getElementById('team-choice').hidden && [...document.querySelectorAll('#team-select option')].map(o => o.textContent).join() === 'Owls'",
    )
    .await;
    browser.click(&ana.page, "#team-choice button").await;
    ana.wait_until(
        &mut browser,
        "document.getElementById('my-team').textContent.startsWith('Team Owls')",
    )
    .await;
    // The lobby lists each team with its members.
    projector
        .wait_until(
            &mut browser,
            "[...document.querySelectorAll('#lobby-names .lobby-team')].map(l => l.textContent).join('|') === 'Owls: Ana|Table 1: Table 1'",
        )
        .await;
    browser.shoot(&[&projector.page], "teams-lobby").await;
    // Table 1 raises a hand: the host gives it the floor, and scores it.
    host.open_tile(&mut browser, 0, 0).await;
    browser
        .click(&host.page, "#floor-row button.give-floor")
        .await;
    host.wait_for_answerer(&mut browser, "Table 1").await;
    projector
        .wait_until(
            &mut browser,
            "document.getElementById('buzz-status').textContent === 'Table 1 is answering'",
        )
        .await;
    ana.wait_until(
        &mut browser,
        "document.getElementById('buzz-label').textContent === 'Table 1 is answering'",
    )
    .await;
    host.judge(&mut browser, true).await;
    host.back_to_board(&mut browser).await;
    projector
        .wait_until(
            &mut browser,
            "[...document.querySelectorAll('#scoreboard li')].map(l => l.dataset.team + ':' + l.querySelector('.player-score').textContent).join() === '2:100,1:0'",
        )
        .await;
    browser
        .shoot(&[&projector.page, &host.page], "teams-scores")
        .await;
    // Then the phone team plays the next clue as usual.
    host.play_clue(&mut browser, (1, 0), &ana, true).await;
    projector
        .wait_until(&mut browser, "[...document.querySelectorAll('#scoreboard li')].map(l => l.querySelector('.player-score').textContent).join() === '100,100'")
        .await;
}

/// Issue 20, "most students carry iPhones": a phone that sleeps or
/// switches apps between clues is current the moment it is looked at
/// again: it reconnects at once (a fresh snapshot), without waiting for
/// its silence watchdog, and shows the clue opened meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_woken_from_sleep_is_current_at_once() {
    let Some(Class {
        _turn,
        mut browser,
        server: _server,
        room,
        host,
    }) = Class::start().await
    else {
        return;
    };
    let mut ana = PhonePage::open(&mut browser, "ana", &room.join_url).await;
    ana.join(&mut browser, "Ana").await;
    // Count the page's connections, and let it be hidden as a locked
    // phone's page is.
    ana.eval(
        &mut browser,
        r#"(() => {
            window.sockets = 0;
            const Real = window.WebSocket;
            window.WebSocket = function (...args) { window.sockets += 1; return new Real(...args); };
            Object.assign(window.WebSocket, Real);
            window.WebSocket.prototype = Real.prototype;
            window.testVisibility = 'hidden';
            Object.defineProperty(document, 'visibilityState', { get: () => window.testVisibility, configurable: true });
            document.dispatchEvent(new Event('visibilitychange'));
            return true;
        })()"#,
    )
    .await;
    host.open_tile(&mut browser, 0, 0).await;
    ana.wait_until(
        &mut browser,
        "document.getElementById('clue-text').textContent.length > 0",
    )
    .await;
    ana.eval(
        &mut browser,
        "new Promise(r => setTimeout(() => { window.testVisibility = 'visible'; window.wokeAt = performance.now(); document.dispatchEvent(new Event('visibilitychange')); r(true); }, 1200))",
    )
    .await;
    // A fresh connection within half a second of waking, back online.
    browser
        .wait_for_within(
            &ana.page,
            "window.sockets === 1 && document.getElementById('connection').dataset.state === 'online' && document.getElementById('clue-text').textContent.length > 0",
            3000,
        )
        .await;
    let took = ana
        .eval(&mut browser, "performance.now() - window.wokeAt")
        .await;
    assert!(took.as_f64().unwrap() < 3000.0);
    // Still the same player.
    ana.wait_until(
        &mut browser,
        "document.getElementById('my-name').textContent === 'Ana'",
    )
    .await;
}

/// Issue 20, "most students carry iPhones": the phone's page in a real
/// WebKit (every iPhone browser is one): a student types a name with an
/// accent, joins, taps the buzzer after the buzzers open, wins the buzz,
/// and sees the points.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_student_plays_a_clue_on_a_phone_in_webkit() {
    let _turn = common::heavy().await;
    let Some(phone) = WebKit::launch(390, 844).await else {
        return;
    };
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    phone.open(&room.join_url).await;
    phone
        .wait_for("!document.getElementById('join-form').hidden")
        .await;
    phone.click("#name").await;
    phone.type_into("#name", "Analía").await;
    phone.click("#join-button").await;
    phone
        .wait_for("document.getElementById('my-name').textContent === 'Analía'")
        .await;
    phone
        .wait_for("document.getElementById('my-rank').textContent === 'You are #1 of 1 player'")
        .await;
    host.open_clue_and_buzzers(0, 0).await;
    phone
        .wait_for("document.getElementById('buzz').dataset.state === 'open'")
        .await;
    // A human reaction time after the button turned red.
    phone
        .eval("window.shownAt = performance.now(); return true;")
        .await;
    phone
        .wait_for("performance.now() - window.shownAt > 250")
        .await;
    phone.click("#buzz").await;
    phone
        .wait_for("document.getElementById('buzz').dataset.state === 'first'")
        .await;
    host.send(&buzzboard::protocol::ClientMsg::Host(
        buzzboard::game::HostCommand::Judge { correct: true },
    ))
    .await;
    phone
        .wait_for("document.getElementById('my-score').textContent === '100' && document.getElementById('phone-judgement').textContent === 'Right! +100 (now 100)'")
        .await;
}

/// The screenshot set in Spanish: each stage of a clue and the end, on the
/// projector, the host's laptop and a phone, at every screen size (the
/// English set comes from `browser.rs`). The pictures are for people to
/// look at; the test checks each stage is shown in Spanish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_stage_is_photographed_in_spanish_at_every_size() {
    let _turn = common::heavy().await;
    let Some(mut browser) = Browser::launch().await else {
        return;
    };
    let server = TestServer::start().await;
    let room = server.create_room(None).await;
    let spanish = |url: &str| format!("{url}{}lang=es", if url.contains('?') { '&' } else { '?' });
    let host = HostPage::open(&mut browser, &spanish(&room.host_url), 1366, 768).await;
    let projector = ProjectorPage::open(&mut browser, &spanish(&room.board_url), 1920, 1080).await;
    let mut ana = PhonePage::open(&mut browser, "ana", &spanish(&room.join_url)).await;
    ana.join(&mut browser, "Analía").await;
    let mut ben = PhonePage::open(&mut browser, "ben", &spanish(&room.join_url)).await;
    ben.join(&mut browser, "Benjamín").await;
    projector
        .wait_until(
            &mut browser,
            "document.getElementById('lobby-title').textContent === 'Únete a la partida'",
        )
        .await;
    let pages = |stage: &'static str| stage;
    browser
        .shoot(
            &[&projector.page, &host.page, &ana.page],
            pages("es-1-lobby"),
        )
        .await;
    host.open_tile(&mut browser, 2, 0).await;
    projector
        .wait_until(
            &mut browser,
            "!document.getElementById('clue-overlay').hidden",
        )
        .await;
    browser
        .shoot(&[&projector.page, &host.page, &ana.page], "es-2-clue")
        .await;
    host.open_buzzers(&mut browser).await;
    ana.buzz_after_reacting(&mut browser).await;
    host.wait_for_answerer(&mut browser, "Analía").await;
    browser
        .shoot(
            &[&projector.page, &host.page, &ana.page, &ben.page],
            "es-3-buzz",
        )
        .await;
    host.judge(&mut browser, true).await;
    projector
        .wait_until(
            &mut browser,
            "document.getElementById('judgement').textContent.includes('Analía')",
        )
        .await;
    browser
        .shoot(
            &[&projector.page, &host.page, &ana.page, &ben.page],
            "es-4-right",
        )
        .await;
    host.back_to_board(&mut browser).await;
    browser
        .shoot(
            &[&projector.page, &host.page, &ben.page],
            "es-5-between-clues",
        )
        .await;
    host.press(&mut browser, "end-game").await;
    projector.podium(&mut browser).await;
    ana.wait_until(&mut browser, "document.getElementById('final-note').textContent.startsWith('Has quedado en el puesto 1')")
        .await;
    browser
        .shoot(
            &[&projector.page, &host.page, &ana.page, &ben.page],
            "es-6-podium",
        )
        .await;
}

/// Issue 20, item 1, "every other form and fetch": a teacher uploads a
/// board from the teacher page (the browser's own file dialog, a real
/// click on Upload), and the new board is offered to start a game.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_uploads_a_board_from_the_teacher_page_and_starts_it() {
    let _turn = common::heavy().await;
    let Some(mut browser) = Browser::launch().await else {
        return;
    };
    let dir = common::temp_dir("upload-click");
    let server = TestServer::start_with_uploads(&dir).await;
    let key = server.state.teacher_key().as_str().to_owned();
    let file = dir.join("capitals.csv");
    std::fs::write(
        &file,
        "category,value,clue,answer\nCapitals,100,Capital of France,Paris\nCapitals,200,Capital of Peru,Lima\n",
    )
    .unwrap();
    let teacher = TeacherPage::open(&mut browser, &server.url(&format!("/?key={key}"))).await;
    browser
        .choose_file(&teacher.page, "#upload-file", &file)
        .await;
    browser.click(&teacher.page, "#upload-title").await;
    browser.type_text(&teacher.page, "Capitals").await;
    browser
        .click(&teacher.page, "#upload-form button[type=submit]")
        .await;
    browser
        .wait_for(
            &teacher.page,
            "!document.getElementById('upload-result').hidden && document.getElementById('upload-error').hidden",
        )
        .await;
    // The page offers it after a reload; starting it works too.
    browser.reload(&teacher.page).await;
    browser
        .wait_for(
            &teacher.page,
            "[...document.querySelectorAll('.board-title')].some(t => t.textContent === 'Capitals')",
        )
        .await;
    // Issue 23: the teacher's own board offers sharing with the school.
    browser
        .wait_for(
            &teacher.page,
            "document.querySelector('.board-share button')",
        )
        .await;
    browser.shoot(&[&teacher.page], "uploaded").await;
    let id = browser
        .eval(
            &teacher.page,
            "[...document.querySelectorAll('.board-choice')].find(c => c.querySelector('.board-title').textContent === 'Capitals').querySelector('input').value",
        )
        .await;
    let host = teacher.start_game(&mut browser, id.as_str().unwrap()).await;
    host.wait_until(
        &mut browser,
        "document.querySelector('.topbar h1').textContent === 'Capitals'",
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
