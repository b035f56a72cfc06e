//! Page objects: the teacher page, the host controls, the projector and a
//! phone, with methods named for what a teacher or a student does. Tests
//! read as a class plays; the selectors live here only, so a redesign of
//! the markup changes this file, not the tests.
#![allow(dead_code)] // Each test uses a different part.

use serde_json::Value;

use crate::driver::{Browser, Page};

/// A JavaScript string literal for `text`.
pub fn js(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Waits until the element `id` of `page` reads `text`.
async fn wait_for_text(browser: &mut Browser, page: &Page, id: &str, text: &str) {
    browser
        .wait_for(
            page,
            &format!(
                "document.getElementById({}).textContent === {}",
                js(id),
                js(text)
            ),
        )
        .await;
}

/// Clicks a field, empties it and types into it, as a person does.
async fn fill(browser: &mut Browser, page: &Page, field: &str, text: &str) {
    browser.click(page, field).await;
    browser
        .eval(
            page,
            &format!("document.querySelector({}).select()", js(field)),
        )
        .await;
    browser.type_text(page, text).await;
}

/// The teacher's start page (`/?key=...`).
pub struct TeacherPage {
    pub page: Page,
}

impl TeacherPage {
    /// Clicks "Admin" and waits for the admin page.
    pub async fn open_admin(&self, browser: &mut Browser) {
        browser.click(&self.page, "#admin-link").await;
        browser
            .wait_for(
                &self.page,
                "location.pathname === '/admin' && document.getElementById('make-invite')",
            )
            .await;
    }

    /// On the admin page: invites `email` and reads the link shown once.
    pub async fn invite(&self, browser: &mut Browser, email: &str) -> String {
        fill(browser, &self.page, "#make-invite-email", email).await;
        browser.click(&self.page, "#make-invite").await;
        browser
            .wait_for(&self.page, "document.getElementById('made-url')")
            .await;
        let link = browser
            .eval(&self.page, "document.getElementById('made-url').value")
            .await;
        link.as_str().unwrap().to_owned()
    }

    /// Whether the page offers the admin page.
    pub async fn offers_admin(&self, browser: &mut Browser) -> bool {
        browser
            .eval(&self.page, "!!document.getElementById('admin-link')")
            .await
            == Value::Bool(true)
    }

    /// Opens an invitation link in a browser of one's own and makes the
    /// account; lands on the new teacher's page.
    pub async fn accept_invitation(
        browser: &mut Browser,
        link: &str,
        name: &str,
        password: &str,
    ) -> TeacherPage {
        let page = browser.open("invited", link, 1280, 900, false).await;
        browser
            .wait_for(
                &page,
                "location.pathname === '/invite' && document.getElementById('make-account')",
            )
            .await;
        browser.assert_accessible(&page, "invitation form").await;
        fill(browser, &page, "input[name=name]", name).await;
        fill(browser, &page, "input[name=password]", password).await;
        fill(browser, &page, "input[name=again]", password).await;
        browser.click(&page, "#make-account").await;
        let teacher = TeacherPage { page };
        teacher.wait_signed_in(browser, name).await;
        teacher
    }

    /// Waits for the teacher page of the signed-in `name`.
    pub async fn wait_signed_in(&self, browser: &mut Browser, name: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "location.pathname === '/' && document.getElementById('sign-out') && document.body.innerText.includes({})",
                    js(name)
                ),
            )
            .await;
    }

    /// Clicks "Sign out", then "Teacher sign-in", and waits for the form.
    pub async fn sign_out_to_the_sign_in_form(&self, browser: &mut Browser) {
        browser.click(&self.page, "#sign-out").await;
        browser
            .wait_for(&self.page, "document.getElementById('sign-in-link')")
            .await;
        browser.click(&self.page, "#sign-in-link").await;
        browser
            .wait_for(
                &self.page,
                "location.pathname === '/signin' && document.getElementById('sign-in')",
            )
            .await;
    }

    /// Types an address and password into the sign-in form and clicks
    /// "Sign in"; whether the teacher page came (else the form says why).
    pub async fn sign_in(&self, browser: &mut Browser, email: &str, password: &str) -> bool {
        fill(browser, &self.page, "input[name=email]", email).await;
        fill(browser, &self.page, "input[name=password]", password).await;
        // The answer is a new page: wait for it, not for this one.
        browser
            .eval(&self.page, "document.body.dataset.left = 'yes'")
            .await;
        browser.click(&self.page, "#sign-in").await;
        browser
            .wait_for(
                &self.page,
                "!document.body.dataset.left && (document.getElementById('signin-problem') || (location.pathname === '/' && document.getElementById('sign-out')))",
            )
            .await;
        browser.eval(&self.page, "location.pathname === '/'").await == Value::Bool(true)
    }
    /// Opens the teacher page at a laptop's size.
    pub async fn open(browser: &mut Browser, url: &str) -> TeacherPage {
        let page = browser.open("teacher", url, 1366, 768, false).await;
        browser
            .wait_for(&page, "document.readyState === 'complete'")
            .await;
        TeacherPage { page }
    }

    /// Picks a board and clicks "Start a game", as a teacher does; the
    /// browser moves on to the host controls of the new game.
    pub async fn start_game(self, browser: &mut Browser, board: &str) -> HostPage {
        browser
            .click(
                &self.page,
                &format!("input[name=board][value={}]", js(board)),
            )
            .await;
        browser.click(&self.page, "#start-game").await;
        let host = HostPage { page: self.page };
        host.wait_ready(browser).await;
        host
    }

    /// The running games listed, as their text lines.
    pub async fn running_games(&self, browser: &mut Browser) -> Vec<String> {
        let lines = browser
            .eval(
                &self.page,
                "[...document.querySelectorAll('#running-games li')].map(li => li.textContent.replace(/\\s+/g, ' ').trim())",
            )
            .await;
        strings(&lines)
    }
}

/// The host's controls.
pub struct HostPage {
    pub page: Page,
}

impl HostPage {
    /// Opens the host controls.
    pub async fn open(browser: &mut Browser, url: &str, width: u32, height: u32) -> HostPage {
        let page = browser.open("host", url, width, height, false).await;
        let host = HostPage { page };
        host.wait_ready(browser).await;
        host
    }

    /// Waits until the page is connected and shows the board.
    pub async fn wait_ready(&self, browser: &mut Browser) {
        browser
            .wait_for(
                &self.page,
                "location.pathname.startsWith('/host/') && document.querySelectorAll('#grid button.tile').length > 0 && document.getElementById('connection').dataset.state === 'online'",
            )
            .await;
        // The test answers the page's "are you sure?" questions with yes.
        browser
            .eval(&self.page, "window.confirm = () => true; true")
            .await;
    }

    /// The room code shown on the page.
    pub async fn code(&self, browser: &mut Browser) -> String {
        browser
            .eval(
                &self.page,
                "document.getElementById('room-code').textContent",
            )
            .await
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Waits until `count` players are on the roster.
    pub async fn wait_for_players(&self, browser: &mut Browser, count: usize) {
        browser
            .wait_for(
                &self.page,
                &format!("document.querySelectorAll('#roster tr').length === {count}"),
            )
            .await;
    }

    /// Opens the tile at `category`, `row` of the current round.
    pub async fn open_tile(&self, browser: &mut Browser, category: usize, row: usize) {
        browser
            .click(
                &self.page,
                &format!("#grid button.tile[data-category='{category}'][data-row='{row}']"),
            )
            .await;
        browser
            .wait_for(&self.page, "!document.getElementById('clue-panel').hidden")
            .await;
    }

    /// Opens the buzzers.
    pub async fn open_buzzers(&self, browser: &mut Browser) {
        browser.click(&self.page, "#open-buzzers").await;
    }

    /// Waits until `name` holds the buzz.
    pub async fn wait_for_answerer(&self, browser: &mut Browser, name: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "!document.getElementById('judge-right').disabled && document.getElementById('buzz-status').textContent.includes({})",
                    js(name)
                ),
            )
            .await;
    }

    /// Judges the answering player.
    pub async fn judge(&self, browser: &mut Browser, correct: bool) {
        let button = if correct {
            "#judge-right"
        } else {
            "#judge-wrong"
        };
        browser.click(&self.page, button).await;
    }

    /// Shows the answer to everyone.
    pub async fn reveal(&self, browser: &mut Browser) {
        browser.click(&self.page, "#reveal").await;
    }

    /// Puts the clue away.
    pub async fn back_to_board(&self, browser: &mut Browser) {
        browser.click(&self.page, "#close-clue").await;
        browser
            .wait_for(&self.page, "document.getElementById('clue-panel').hidden")
            .await;
    }

    /// The roster's number for the player called `name`.
    pub async fn player_id(&self, browser: &mut Browser, name: &str) -> u64 {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "[...document.querySelectorAll('#roster tr')].some(r => r.querySelector('.player-name span[translate=no]').textContent === {})",
                    js(name)
                ),
            )
            .await;
        browser
            .eval(
                &self.page,
                &format!(
                    "Number([...document.querySelectorAll('#roster tr')].find(r => r.querySelector('.player-name span[translate=no]').textContent === {}).dataset.player)",
                    js(name)
                ),
            )
            .await
            .as_u64()
            .unwrap()
    }

    /// Gives `name` points by hand from the roster (a negative number takes
    /// them away): types the amount, clicks + (or −).
    pub async fn give_points(&self, browser: &mut Browser, name: &str, points: i64) {
        let id = self.player_id(browser, name).await;
        let row = format!("#roster tr[data-player='{id}']");
        browser
            .click(&self.page, &format!("{row} .adjust-amount"))
            .await;
        browser
            .eval(&self.page, "document.activeElement.select(); true")
            .await;
        browser
            .type_text(&self.page, &points.abs().to_string())
            .await;
        let button = if points > 0 { "good" } else { "bad" };
        browser
            .click(&self.page, &format!("{row} button.{button}"))
            .await;
    }

    /// Hides the scores from the room (or shows them again) with the
    /// Scoring card's checkbox; waits until the server has answered.
    pub async fn hide_scores(&self, browser: &mut Browser, hidden: bool) {
        browser.click(&self.page, "#scores-hidden").await;
        browser
            .wait_for(
                &self.page,
                &format!("document.getElementById('scores-hidden').checked === {hidden}"),
            )
            .await;
    }

    /// The score the roster shows for `name`.
    pub async fn score_of(&self, browser: &mut Browser, name: &str) -> String {
        let id = self.player_id(browser, name).await;
        let score = browser
            .eval(
                &self.page,
                &format!(
                    "document.querySelector(\"#roster tr[data-player='{id}'] .player-score\").textContent"
                ),
            )
            .await;
        score.as_str().unwrap_or_default().to_owned()
    }

    /// Answers yes to every "are you sure?" the page asks from now on.
    pub async fn confirm_everything(&self, browser: &mut Browser) {
        browser
            .eval(&self.page, "window.confirm = () => true; true")
            .await;
    }

    /// Makes the first player on the roster the one who picks next.
    pub async fn make_picker(&self, browser: &mut Browser) {
        browser.click(&self.page, "#roster button.picks").await;
    }

    /// Moves on to the next round.
    pub async fn next_round(&self, browser: &mut Browser) {
        browser.click(&self.page, "#next-round").await;
    }

    /// Adds a team called `name`.
    pub async fn add_team(&self, browser: &mut Browser, name: &str) {
        browser
            .eval(
                &self.page,
                &format!(
                    "document.getElementById('team-name').value = {}; document.getElementById('team-form').requestSubmit(); true",
                    js(name)
                ),
            )
            .await;
    }

    /// Waits until the buzz line reads `text`.
    pub async fn wait_for_status(&self, browser: &mut Browser, text: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "document.getElementById('buzz-status').textContent === {}",
                    js(text)
                ),
            )
            .await;
    }

    /// Starts the Final: the players wager.
    pub async fn start_final(&self, browser: &mut Browser) {
        browser.click(&self.page, "#start-final").await;
    }

    /// Shows the Final's clue with `seconds` to answer.
    pub async fn show_final_clue(&self, browser: &mut Browser, seconds: u32) {
        browser
            .eval(
                &self.page,
                &format!("document.getElementById('final-seconds').value = '{seconds}'; true"),
            )
            .await;
        browser.click(&self.page, "#final-show").await;
    }

    /// Waits until the first Final entry's wager reads `amount`.
    pub async fn wait_for_final_wager(&self, browser: &mut Browser, amount: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "document.querySelector('#final-players tr td:nth-child(2)')?.textContent === {}",
                    js(amount)
                ),
            )
            .await;
    }

    /// Reveals the first Final answer to the room, then judges it.
    pub async fn reveal_and_judge_final_answer(&self, browser: &mut Browser, correct: bool) {
        browser
            .wait_for(
                &self.page,
                "document.querySelector('#final-players button') !== null",
            )
            .await;
        browser.click(&self.page, "#final-players button").await;
        let button = if correct { "good" } else { "bad" };
        browser
            .wait_for(
                &self.page,
                &format!("document.querySelector('#final-players button.{button}') !== null"),
            )
            .await;
        browser
            .click(&self.page, &format!("#final-players button.{button}"))
            .await;
    }

    /// Shows the Final's correct answer, then the winner.
    pub async fn show_answer_then_winner(&self, browser: &mut Browser) {
        browser.click(&self.page, "#final-show-answer").await;
        browser.click(&self.page, "#final-show-winner").await;
    }

    /// Sets the room's language (for phones whose own the pages lack).
    pub async fn set_room_language(&self, browser: &mut Browser, language: &str) {
        browser
            .eval(
                &self.page,
                &format!(
                    "const s = document.getElementById('room-language'); s.value = {}; s.dispatchEvent(new Event('change')); true",
                    js(language)
                ),
            )
            .await;
    }

    /// Clicks a button found by its id.
    pub async fn press(&self, browser: &mut Browser, id: &str) {
        browser.click(&self.page, &format!("#{id}")).await;
    }

    /// Plays one whole clue: open it, open the buzzers, `phone` buzzes in,
    /// judged, back to the board.
    pub async fn play_clue(
        &self,
        browser: &mut Browser,
        (category, row): (usize, usize),
        phone: &PhonePage,
        correct: bool,
    ) {
        self.open_tile(browser, category, row).await;
        self.open_buzzers(browser).await;
        phone.buzz_after_reacting(browser).await;
        self.wait_for_answerer(browser, &phone.name).await;
        self.judge(browser, correct).await;
        if !correct {
            self.reveal(browser).await;
        }
        self.back_to_board(browser).await;
    }

    /// Evaluates an expression in the page (for what has no method yet).
    pub async fn eval(&self, browser: &mut Browser, expression: &str) -> Value {
        browser.eval(&self.page, expression).await
    }

    /// Waits until an expression is true in the page.
    pub async fn wait_until(&self, browser: &mut Browser, condition: &str) {
        browser.wait_for(&self.page, condition).await;
    }
}

/// The projector.
pub struct ProjectorPage {
    pub page: Page,
}

impl ProjectorPage {
    /// Opens the projector view at a projector's size.
    pub async fn open(browser: &mut Browser, url: &str, width: u32, height: u32) -> ProjectorPage {
        let page = browser.open("projector", url, width, height, false).await;
        browser
            .wait_for(
                &page,
                "document.querySelectorAll('#grid .tile').length > 0 && document.getElementById('connection').dataset.state === 'online'",
            )
            .await;
        ProjectorPage { page }
    }

    /// The names on the podium's places and the list below it, in order,
    /// each with the place it is given ("#1 Ana 300", "4. Eve 0"), once the
    /// winner has been shown and the podium is up.
    pub async fn podium(&self, browser: &mut Browser) -> Vec<String> {
        browser
            .wait_for(
                &self.page,
                "!document.getElementById('final-overlay').hidden && !document.getElementById('podium-stage').hidden && document.querySelectorAll('#podium-blocks .podium-place').length > 0",
            )
            .await;
        let lines = browser
            .eval(
                &self.page,
                r#"[...document.querySelectorAll('#podium-blocks .podium-place')]
                    .sort((a, b) => Number(a.dataset.order) - Number(b.dataset.order))
                    .map(p => `${p.querySelector('.podium-rank').textContent} ${p.querySelector('.podium-name').textContent} ${p.querySelector('.podium-score').textContent}`)
                    .concat([...document.querySelectorAll('#podium li')].map(li => `${li.querySelector('.place').textContent} ${li.querySelector('.player-name').textContent} ${li.querySelector('.player-score').textContent}`))"#,
            )
            .await;
        strings(&lines)
    }

    /// Waits until the element `id` reads `text` (the picker line, the
    /// round's name, the Final's clue, the winner's names...).
    pub async fn wait_for_text(&self, browser: &mut Browser, id: &str, text: &str) {
        wait_for_text(browser, &self.page, id, text).await;
    }

    /// Waits until the winner is named: `names`.
    pub async fn wait_for_winner(&self, browser: &mut Browser, names: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "!document.getElementById('winner').hidden && document.getElementById('winner-names').textContent === {}",
                    js(names)
                ),
            )
            .await;
    }

    /// Waits until the scoreboard is on screen (`true`) or off it.
    pub async fn wait_for_scores_shown(&self, browser: &mut Browser, shown: bool) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "(document.querySelector('aside.scores').getClientRects().length > 0) === {shown}"
                ),
            )
            .await;
    }

    /// Waits until an expression is true in the page.
    pub async fn wait_until(&self, browser: &mut Browser, condition: &str) {
        browser.wait_for(&self.page, condition).await;
    }

    /// Evaluates an expression in the page.
    pub async fn eval(&self, browser: &mut Browser, expression: &str) -> Value {
        browser.eval(&self.page, expression).await
    }
}

/// A student's phone.
pub struct PhonePage {
    pub page: Page,
    pub name: String,
}

impl PhonePage {
    /// Opens the join link at a phone's size.
    pub async fn open(browser: &mut Browser, label: &'static str, url: &str) -> PhonePage {
        let page = browser.open(label, url, 390, 844, true).await;
        PhonePage {
            page,
            name: String::new(),
        }
    }

    /// Opens the join link at a phone's size, asking for the pages in
    /// `language` (`es`, or `ar-XB`, the right-to-left pseudo-language).
    pub async fn open_in(
        browser: &mut Browser,
        label: &'static str,
        url: &str,
        language: &str,
    ) -> PhonePage {
        let sep = if url.contains('?') { '&' } else { '?' };
        PhonePage::open(browser, label, &format!("{url}{sep}lang={language}")).await
    }

    /// Types a name and taps "Join the game" (without waiting for a seat:
    /// the name may be refused).
    pub async fn ask_to_join(&self, browser: &mut Browser, name: &str) {
        browser
            .wait_for(&self.page, "!document.getElementById('join-form').hidden")
            .await;
        browser.click(&self.page, "#name").await;
        browser
            .eval(&self.page, "document.getElementById('name').select(); true")
            .await;
        browser.type_text(&self.page, name).await;
        browser.click(&self.page, "#join-button").await;
    }

    /// Types a name and taps "Join the game"; waits for the buzzer.
    pub async fn join(&mut self, browser: &mut Browser, name: &str) {
        self.ask_to_join(browser, name).await;
        browser
            .wait_for(
                &self.page,
                &format!(
                    "!document.getElementById('buzzer-screen').hidden && document.getElementById('my-name').textContent === {}",
                    js(name)
                ),
            )
            .await;
        self.name = name.to_owned();
    }

    /// Waits for the buzzers to open, lets a human reaction time pass and
    /// taps the buzzer; waits until the phone says the buzz went.
    pub async fn buzz_after_reacting(&self, browser: &mut Browser) {
        browser
            .wait_for(
                &self.page,
                "document.getElementById('buzz').dataset.state === 'open' && document.getElementById('connection').dataset.state === 'online'",
            )
            .await;
        browser
            .eval(&self.page, "window.testShownAt = performance.now(); true")
            .await;
        browser
            .wait_for(&self.page, "performance.now() - window.testShownAt > 250")
            .await;
        browser.click(&self.page, "#buzz").await;
        browser
            .wait_for(
                &self.page,
                "['sent', 'first', 'other'].includes(document.getElementById('buzz').dataset.state)",
            )
            .await;
    }

    /// The buzzer's state (`wait`, `open`, `first`, ...).
    pub async fn buzzer_state(&self, browser: &mut Browser) -> String {
        browser
            .eval(&self.page, "document.getElementById('buzz').dataset.state")
            .await
            .as_str()
            .unwrap_or("")
            .to_owned()
    }

    /// Waits until the phone's rank line reads `text`.
    pub async fn wait_for_rank(&self, browser: &mut Browser, text: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "document.getElementById('my-rank').textContent === {}",
                    js(text)
                ),
            )
            .await;
    }

    /// Waits until the buzzer is in `state` (`wait`, `open`, `first`,
    /// `other`, `locked`, `over`...).
    pub async fn wait_for_buzzer(&self, browser: &mut Browser, state: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "document.getElementById('buzz').dataset.state === {}",
                    js(state)
                ),
            )
            .await;
    }

    /// Waits until the element `id` reads `text` (the score, the team
    /// line, the note under the buzzer, the judgement...).
    pub async fn wait_for_text(&self, browser: &mut Browser, id: &str, text: &str) {
        wait_for_text(browser, &self.page, id, text).await;
    }

    /// Waits for the wager form asking `prompt`.
    pub async fn wait_for_wager_prompt(&self, browser: &mut Browser, prompt: &str) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "!document.getElementById('wager-form').hidden && document.getElementById('wager-prompt').textContent === {}",
                    js(prompt)
                ),
            )
            .await;
    }

    /// Wagers `amount` (a Daily Double's or the Final's).
    pub async fn wager(&self, browser: &mut Browser, amount: i64) {
        browser
            .eval(
                &self.page,
                &format!("document.getElementById('wager-amount').value = '{amount}'; document.getElementById('wager-form').requestSubmit(); true"),
            )
            .await;
    }

    /// Sends `text` as the Final answer (pasted into the field).
    pub async fn answer_final(&self, browser: &mut Browser, text: &str) {
        browser
            .wait_for(
                &self.page,
                "!document.getElementById('final-answer-form').hidden",
            )
            .await;
        browser
            .eval(
                &self.page,
                &format!(
                    "document.getElementById('final-answer-text').value = {}; document.getElementById('final-answer-form').requestSubmit(); true",
                    js(text)
                ),
            )
            .await;
    }

    /// Types `text` as the Final answer on the keyboard and taps Send.
    pub async fn type_final_answer(&self, browser: &mut Browser, text: &str) {
        browser
            .wait_for(
                &self.page,
                "!document.getElementById('final-answer-form').hidden",
            )
            .await;
        browser
            .eval(
                &self.page,
                "document.getElementById('final-answer-text').focus(); true",
            )
            .await;
        browser.type_text(&self.page, text).await;
        browser
            .wait_for(
                &self.page,
                &format!(
                    "document.getElementById('final-answer-text').value === {}",
                    js(text)
                ),
            )
            .await;
        browser.click(&self.page, "#final-answer-button").await;
    }

    /// Chooses the one team on offer.
    pub async fn choose_the_team(&self, browser: &mut Browser) {
        browser
            .wait_for(&self.page, "!document.getElementById('team-choice').hidden && document.getElementById('team-select').options.length === 1")
            .await;
        browser
            .eval(
                &self.page,
                "document.getElementById('team-choice').requestSubmit(); true",
            )
            .await;
    }

    /// Waits until the phone's own score is on screen (`true`) or off it.
    pub async fn wait_for_score_shown(&self, browser: &mut Browser, shown: bool) {
        browser
            .wait_for(
                &self.page,
                &format!(
                    "(document.getElementById('my-score').getClientRects().length > 0) === {shown}"
                ),
            )
            .await;
    }

    /// What the phone says about the last judgement.
    pub async fn judgement(&self, browser: &mut Browser) -> String {
        browser
            .wait_for(
                &self.page,
                "!document.getElementById('phone-judgement').hidden",
            )
            .await;
        let text = browser
            .eval(
                &self.page,
                "document.getElementById('phone-judgement').textContent",
            )
            .await;
        text.as_str().unwrap_or_default().to_owned()
    }

    /// The names in the phone's scores box, in order.
    pub async fn score_names(&self, browser: &mut Browser) -> Vec<String> {
        let names = browser
            .eval(
                &self.page,
                "[...document.querySelectorAll('#phone-scoreboard .player-name')].map(n => n.textContent)",
            )
            .await;
        strings(&names)
    }

    /// Waits until an expression is true in the page.
    pub async fn wait_until(&self, browser: &mut Browser, condition: &str) {
        browser.wait_for(&self.page, condition).await;
    }

    /// Evaluates an expression in the page.
    pub async fn eval(&self, browser: &mut Browser, expression: &str) -> Value {
        browser.eval(&self.page, expression).await
    }
}

/// A JSON array of strings as a `Vec`.
fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}
