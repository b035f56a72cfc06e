//! What each kind of page may see: game state and events turned into
//! protocol messages, one version per audience.
//!
//! This is the one place answers are put into messages. The rule: the host
//! sees a clue's answer from the moment the clue opens; the board view and
//! players see it only once the game says it is revealed.

use std::time::Duration;

use crate::board::{Board, TileId};
use crate::game::{
    BuzzRecord, BuzzSettings, Buzzers, Event, FinalStage, Game, OpenClue, Player, PlayerId,
    Suspicion, TeamId,
};
use crate::protocol::{
    AnswerView, AuditEntry, BoardView, BuzzSettingsView, BuzzersView, CategoryView, ClueView,
    FinalPlayerView, FinalView, FlagView, LimitsView, Placed, PlayerRef, PlayerView, Role,
    ServerMsg, Snapshot, Standings, TeamView, TileView,
};

/// Who receives a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The host's controls.
    Host,
    /// The projector.
    Board,
    /// Every student's phone (joined or not).
    Players,
}

impl Audience {
    /// The audience a page with this role belongs to.
    pub fn of(role: Role) -> Audience {
        match role {
            Role::Host => Audience::Host,
            Role::Board => Audience::Board,
            Role::Player => Audience::Players,
        }
    }

    /// All audiences, in the order [`crate::room::Update`] stores them.
    pub const ALL: [Audience; 3] = [Audience::Host, Audience::Board, Audience::Players];
}

/// The snapshot a page of `role` gets; `you` is the joined player, if any.
pub fn snapshot(
    game: &Game,
    role: Role,
    code: &str,
    join_url: &str,
    you: Option<PlayerId>,
    online: &dyn Fn(PlayerId) -> bool,
    now: Duration,
) -> Snapshot {
    let audience = Audience::of(role);
    let players = match audience {
        Audience::Players => Vec::new(),
        Audience::Host | Audience::Board => game
            .players()
            .iter()
            .filter(|p| !p.removed)
            .map(|p| match audience {
                Audience::Host => PlayerView {
                    online: Some(online(p.id)),
                    extra_ms: p.extra_time.as_millis() as u64,
                    answer_time: p.answer_time,
                    ..player_view(p)
                },
                _ => player_view(p),
            })
            .collect(),
    };
    let audit = match (audience, game.open_clue()) {
        (Audience::Host, Some(clue)) => clue.audit.iter().map(|r| audit_entry(game, r)).collect(),
        _ => Vec::new(),
    };
    Snapshot {
        role,
        code: code.to_owned(),
        join_url: join_url.to_owned(),
        board: board_view(game, audience),
        players,
        player_count: game.active_players(),
        player_cap: game.player_cap(),
        locked: game.locked(),
        approval: game.approval(),
        join_requests: Vec::new(),
        clue: game.open_clue().map(|c| clue_view(game, c, audience, now)),
        you: you
            .and_then(|id| game.player(id))
            .filter(|p| !p.removed)
            .map(player_view),
        cleared: game.is_cleared(),
        picker: game.picker().map(|p| player_ref(game, p)),
        final_round: final_view(game, audience, now),
        wrong_costs_points: game.wrong_costs_points(),
        text_filter: game.text_filter(),
        phone_sounds: game.phone_sounds(),
        // Phones' standings come from the room's copy, made once per change
        // of the game, not once per phone ([`standings`]).
        standings: None,
        final_standings: game.is_cleared().then(|| standings(game, FINAL_LEADERS)),
        limits: None,
        language: game.language().to_owned(),
        teams: game
            .teams()
            .iter()
            .map(|t| TeamView {
                id: t.id,
                name: t.name.clone(),
                score: game.team_score(t.id),
                no_phone: game.team_without_phones(t.id),
            })
            .collect(),
        teams_locked: game.teams_locked(),
        buzz_seconds: game.timers().buzz.as_secs(),
        answer_seconds: game.timers().answer.as_secs(),
        buzz_settings: settings_view(game.buzz_settings()),
        audit,
        flags: match audience {
            Audience::Host => {
                let mut flags: Vec<FlagView> = game
                    .suspicions()
                    .map(|(p, s)| flag_view(game, p, s))
                    .collect();
                flags.sort_by_key(|f| f.player);
                flags
            }
            _ => Vec::new(),
        },
    }
}

fn flag_view(game: &Game, player: PlayerId, suspicion: Suspicion) -> FlagView {
    FlagView {
        player,
        name: game
            .player(player)
            .map(|p| p.name.to_string())
            .unwrap_or_default(),
        reason: suspicion.reason,
        buzzes: suspicion.buzzes,
        median_ms: suspicion.median_ms,
        spread_ms: suspicion.spread_ms,
    }
}

/// The current round's grid; the host's also marks the Daily Doubles.
pub fn board_view(game: &Game, audience: Audience) -> BoardView {
    let board = game.board();
    let round = game.round();
    let categories = board
        .rounds
        .get(round)
        .map(|r| r.categories.as_slice())
        .unwrap_or(&[]);
    BoardView {
        id: board.id.to_string(),
        title: board.title.clone(),
        round,
        round_name: board
            .rounds
            .get(round)
            .map(|r| r.name.clone())
            .unwrap_or_default(),
        rounds: board.rounds.len(),
        has_final: board.final_clue.is_some(),
        categories: categories
            .iter()
            .enumerate()
            .map(|(category, c)| CategoryView {
                name: c.name.clone(),
                tiles: c
                    .clues
                    .iter()
                    .enumerate()
                    .map(|(row, clue)| {
                        let tile = TileId {
                            round,
                            category,
                            row,
                        };
                        TileView {
                            value: clue.value,
                            played: game.played().contains(&tile),
                            daily_double: audience == Audience::Host && game.is_daily_double(tile),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn settings_view(settings: BuzzSettings) -> BuzzSettingsView {
    BuzzSettingsView {
        mode: settings.mode,
        early_lockout_ms: settings.early_lockout.as_millis() as u64,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn audit_entry(game: &Game, record: &BuzzRecord) -> AuditEntry {
    AuditEntry {
        player: record.player,
        name: game
            .player(record.player)
            .map(|p| p.name.to_string())
            .unwrap_or_default(),
        verdict: record.verdict,
        position: record.position,
        elapsed_ms: record.elapsed.map(millis),
        claimed_ms: record.claimed_ms.filter(|ms| ms.is_finite()),
        rtt_ms: record.recent_rtt.map(millis),
        compensation_ms: millis(record.compensation),
        extra_ms: millis(record.extra),
    }
}

/// The message `audience` gets for `event`, or `None` if it gets nothing.
pub fn render(game: &Game, event: &Event, audience: Audience, now: Duration) -> Option<ServerMsg> {
    let name = |id: PlayerId| {
        game.player(id)
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    };
    let everyone_but_players = audience != Audience::Players;
    let msg = match *event {
        Event::PlayerJoined { player } => {
            if !everyone_but_players {
                return None;
            }
            let p = game.player(player)?;
            ServerMsg::PlayerJoined {
                player,
                name: p.name.to_string(),
                score: p.score,
                no_phone: !p.device,
            }
        }
        Event::ClueOpened { .. } => ServerMsg::ClueOpened {
            clue: clue_view(game, game.open_clue()?, audience, now),
        },
        Event::BuzzersOpened => ServerMsg::BuzzersOpened,
        Event::Buzzed { player, position } => {
            if !everyone_but_players {
                return None;
            }
            ServerMsg::Buzzed {
                player,
                name: name(player),
                position,
            }
        }
        Event::Answering { player } => ServerMsg::Answering {
            player,
            name: name(player),
        },
        Event::Judged {
            player,
            correct,
            delta,
            score,
        } => ServerMsg::Judged {
            player,
            correct,
            delta,
            score,
            team: game.player(player).and_then(|p| p.team),
        },
        Event::BuzzersClosed => ServerMsg::BuzzersClosed,
        Event::AnswerRevealed { tile } => ServerMsg::AnswerRevealed {
            category: tile.category,
            row: tile.row,
            answer: answer_view(game.board(), tile)?,
        },
        Event::ClueClosed { tile } => ServerMsg::ClueClosed {
            category: tile.category,
            row: tile.row,
            standings: (audience == Audience::Players).then(|| standings(game, LEADERS)),
        },
        Event::BoardCleared => ServerMsg::BoardCleared,
        Event::ScoreAdjusted {
            player,
            delta,
            score,
        } => ServerMsg::ScoreAdjusted {
            player,
            delta,
            score,
            undone: false,
        },
        // The pressing phone hears about its own early press or held buzz
        // in the reply to its message; nobody else needs a line per press.
        Event::EarlyBuzz { .. } | Event::BuzzHeld { .. } => return None,
        Event::Audited { record } => {
            if audience != Audience::Host {
                return None;
            }
            let clue = game.open_clue()?;
            ServerMsg::BuzzAudit {
                category: clue.tile.category,
                row: clue.tile.row,
                entry: audit_entry(game, &record),
            }
        }
        Event::PlayerRemoved { player } => ServerMsg::PlayerRemoved { player },
        Event::ApprovalChanged { on } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::Approval { on }
        }
        Event::RoomLocked { locked } => {
            if audience == Audience::Players {
                return None;
            }
            ServerMsg::RoomLocked { locked }
        }
        Event::TextFilterChanged { on } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::TextFilter { on }
        }
        Event::PhoneSoundsChanged { on } => ServerMsg::PhoneSounds { on },
        Event::LanguageChanged { ref language } => ServerMsg::Language {
            language: language.clone(),
        },
        Event::PlayerCapChanged { max } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::PlayerCap { max }
        }
        // An accommodation and a bot flag are the teacher's business only.
        Event::ExtraTimeChanged { player, extra } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::ExtraTime {
                player,
                ms: extra.as_millis() as u64,
            }
        }
        Event::AnswerTimeChanged { player, time } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::AnswerTime { player, time }
        }
        Event::Suspected { player, suspicion } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::Flagged(flag_view(game, player, suspicion))
        }
        Event::RoundStarted { .. } => ServerMsg::RoundStarted {
            board: board_view(game, audience),
        },
        Event::PickerChanged { player } => ServerMsg::PickerChanged {
            player,
            name: name(player),
        },
        Event::DailyDouble { player } => {
            let (min, max) = game.daily_double_bounds(player);
            ServerMsg::DailyDouble {
                player,
                name: name(player),
                min,
                max,
            }
        }
        Event::Wagered { player, amount } => ServerMsg::Wagered {
            player,
            amount,
            clue: match audience {
                Audience::Host => None,
                _ => game.open_clue().map(|c| clue_view(game, c, audience, now)),
            },
        },
        Event::FinalStarted { .. }
        | Event::FinalClueShown { .. }
        | Event::FinalClosed
        | Event::FinalAnswerShown => ServerMsg::Final(final_view(game, audience, now)?),
        Event::FinalWagered { player } | Event::FinalAnswered { player } => {
            // The phone that sent it has its own reply; the room is told.
            if audience == Audience::Players {
                return None;
            }
            ServerMsg::FinalPlayer(final_player_view(game, player, FinalViewer::of(audience))?)
        }
        Event::FinalRevealed { player } => {
            ServerMsg::FinalPlayer(final_player_view(game, player, FinalViewer::of(audience))?)
        }
        Event::FinalJudged {
            seat,
            player,
            correct,
            delta,
            score,
        } => ServerMsg::FinalJudged {
            seat,
            player,
            correct,
            delta,
            score,
        },
        Event::WrongCostsPointsChanged { costs } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::WrongCostsPoints {
                wrong_costs_points: costs,
            }
        }
        Event::TimerStarted { kind, ends } => ServerMsg::Timer {
            kind,
            ms_left: ends.saturating_sub(now).as_millis() as u64,
        },
        Event::TimeUp { kind } => ServerMsg::TimeUp { kind },
        Event::TeamCreated { team } => ServerMsg::TeamCreated {
            team,
            no_phone: game.team_without_phones(team),
            name: game
                .teams()
                .iter()
                .find(|t| t.id == team)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
        },
        Event::TeamChanged { player, team } => ServerMsg::TeamChanged { player, team },
        Event::TeamsLocked { locked } => ServerMsg::TeamsLocked { locked },
        Event::TeamScore { team, score } => ServerMsg::TeamScore { team, score },
        Event::TimersChanged { timers } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::Timers {
                buzz_seconds: timers.buzz.as_secs(),
                answer_seconds: timers.answer.as_secs(),
            }
        }
        Event::DailyDoublesPlaced { per_round } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::DailyDoublesPlaced {
                per_round,
                board: Some(board_view(game, audience)),
            }
        }
        // Taking points back shows as a score change everywhere.
        Event::Undone {
            player,
            delta,
            score,
        } => ServerMsg::ScoreAdjusted {
            player,
            delta,
            score,
            undone: true,
        },
        Event::GameOver => ServerMsg::GameOver(standings(game, FINAL_LEADERS)),
        Event::BuzzSettingsChanged { settings } => {
            if audience != Audience::Host {
                return None;
            }
            ServerMsg::BuzzSettings(settings_view(settings))
        }
    };
    Some(msg)
}

/// The bounds of the host's settings: the game's own constants, and the
/// server's most players per game.
pub fn limits(max_players: usize) -> LimitsView {
    LimitsView {
        max_timer_seconds: crate::game::MAX_TIMER_SECONDS,
        max_early_lockout_ms: crate::game::MAX_EARLY_LOCKOUT.as_millis() as u64,
        max_random_daily_doubles: crate::game::MAX_RANDOM_DAILY_DOUBLES,
        min_final_seconds: crate::game::MIN_FINAL_SECONDS,
        max_final_seconds: crate::game::MAX_FINAL_SECONDS,
        max_players,
        max_extra_ms: crate::game::MAX_EXTRA_TIME.as_millis() as u64,
    }
}

/// Leaders phones see between clues.
pub const LEADERS: usize = 5;
/// Leaders every page sees at the end (the podium and the list below it).
pub const FINAL_LEADERS: usize = 10;

/// The places of `scores` (any order): one more than the number of higher
/// scores, so equal scores share a place ("1, 2, 2, 4"). O(n log n).
pub fn places(scores: &[i64]) -> Vec<usize> {
    let mut sorted = scores.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    scores
        .iter()
        .map(|s| 1 + sorted.partition_point(|higher| higher > s))
        .collect()
}

/// The top `leaders` players with their places, every team with theirs,
/// and the count of players at each score: O(players), once per change of
/// the game, the same message for every phone (and kept by the room for
/// the snapshots of phones connecting until the game changes).
pub fn standings(game: &Game, leaders: usize) -> Standings {
    let active = || game.players().iter().filter(|p| !p.removed);
    let mut counts = std::collections::BTreeMap::<i64, u32>::new();
    for player in active() {
        *counts.entry(player.score).or_default() += 1;
    }
    let mut top: Vec<&Player> = active().collect();
    let by_rank = |a: &&Player, b: &&Player| b.score.cmp(&a.score).then(a.id.cmp(&b.id));
    if top.len() > leaders && leaders > 0 {
        top.select_nth_unstable_by(leaders - 1, by_rank);
    }
    top.truncate(leaders);
    top.sort_by(by_rank);
    let counts: Vec<(i64, u32)> = counts.into_iter().rev().collect();
    let mut standings = Standings {
        leaders: top
            .into_iter()
            .map(|p| Placed {
                id: p.id.0,
                name: p.name.to_string(),
                score: p.score,
                rank: 0,
                team: p.team,
            })
            .collect(),
        counts,
        teams: Vec::new(),
    };
    rank_leaders(&mut standings);
    let mut teams: Vec<Placed> = game
        .teams()
        .iter()
        .map(|t| Placed {
            id: t.id.0,
            name: t.name.clone(),
            score: game.team_score(t.id),
            rank: 0,
            team: None,
        })
        .collect();
    teams.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    let team_places = places(&teams.iter().map(|t| t.score).collect::<Vec<_>>());
    for (team, rank) in teams.iter_mut().zip(team_places) {
        team.rank = rank;
    }
    standings.teams = teams;
    standings
}

/// Gives each leader the place the counts say.
fn rank_leaders(standings: &mut Standings) {
    for leader in &mut standings.leaders {
        leader.rank = 1 + standings
            .counts
            .iter()
            .take_while(|(score, _)| *score > leader.score)
            .map(|(_, n)| *n as usize)
            .sum::<usize>();
    }
}

/// Counts a player who just joined (score 0, the highest number, no team)
/// into standings made before: O(leaders), not a pass over every player,
/// so a crowd joining costs each join almost nothing.
pub fn standings_with_newcomer(standings: &mut Standings, game: &Game, player: PlayerId) {
    let Some(joined) = game.player(player) else {
        return;
    };
    match standings
        .counts
        .binary_search_by(|(score, _)| joined.score.cmp(score))
    {
        Ok(at) => standings.counts[at].1 += 1,
        Err(at) => standings.counts.insert(at, (joined.score, 1)),
    }
    // Ties go by joining order, so the newcomer comes after every leader
    // with as many points or more.
    let at = standings
        .leaders
        .partition_point(|leader| leader.score >= joined.score);
    if at < LEADERS {
        standings.leaders.insert(
            at,
            Placed {
                id: joined.id.0,
                name: joined.name.to_string(),
                score: joined.score,
                rank: 0,
                team: joined.team,
            },
        );
        standings.leaders.truncate(LEADERS);
    }
    rank_leaders(standings);
}

fn player_view(player: &Player) -> PlayerView {
    PlayerView {
        id: player.id,
        name: player.name.to_string(),
        score: player.score,
        team: player.team,
        online: None,
        extra_ms: 0,
        answer_time: Default::default(),
        no_phone: !player.device,
    }
}

fn player_ref(game: &Game, id: PlayerId) -> PlayerRef {
    PlayerRef {
        id,
        name: game
            .player(id)
            .map(|p| p.name.to_string())
            .unwrap_or_default(),
    }
}

fn answer_view(board: &Board, tile: TileId) -> Option<AnswerView> {
    let clue = board.clue(tile)?;
    Some(AnswerView {
        text: clue.answer.clone(),
        also_accept: clue.also_accept.clone(),
        // Only ever inside an answer, so a phone never loads it before the reveal.
        image: clue
            .answer_image
            .as_deref()
            .map(|name| media_url(board, name)),
    })
}

/// The URL a page loads a board's media file from.
pub fn media_url(board: &Board, name: &str) -> String {
    // Served under its content-derived address; a name the board does not
    // hold (impossible for a valid board) falls back to the name.
    let address = board
        .media
        .get(name)
        .map_or(name, |media| media.address.as_str());
    format!("/media/{}/{address}", board.id)
}

fn clue_view(game: &Game, open: &OpenClue, audience: Audience, now: Duration) -> ClueView {
    let board = game.board();
    let tile = open.tile;
    // The board only lets an OpenClue exist for a tile it has.
    let clue = board.clue(tile);
    let (buzzers, answering) = match open.buzzers {
        Buzzers::Waiting => (BuzzersView::Waiting, None),
        Buzzers::Open => (BuzzersView::Open, None),
        Buzzers::Answering(p) => (BuzzersView::Answering, Some(player_ref(game, p))),
        Buzzers::Closed => (BuzzersView::Closed, None),
        Buzzers::Wagering(p) => (BuzzersView::Wagering, Some(player_ref(game, p))),
    };
    let may_see_answer = audience == Audience::Host || open.revealed;
    // A Daily Double shows its category and value only, until the wager.
    let hidden = open.daily_double && open.wager.is_none() && audience != Audience::Host;
    let clue = clue.filter(|_| !hidden);
    let mut tried_teams: Vec<TeamId> = open
        .tried
        .iter()
        .filter_map(|&p| game.player(p).and_then(|p| p.team))
        .collect();
    tried_teams.dedup();
    ClueView {
        category: tile.category,
        row: tile.row,
        category_name: board
            .rounds
            .get(tile.round)
            .and_then(|r| r.categories.get(tile.category))
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        value: open.value,
        clue: clue.map(|c| c.clue.clone()).unwrap_or_default(),
        image: clue
            .and_then(|c| c.image.as_deref())
            .map(|name| media_url(board, name)),
        audio: clue
            .and_then(|c| c.audio.as_deref())
            .map(|name| media_url(board, name)),
        video: clue
            .and_then(|c| c.video.as_deref())
            .map(|name| media_url(board, name)),
        buzzers,
        answering,
        buzz_order: match audience {
            Audience::Players => Vec::new(),
            Audience::Host | Audience::Board => open
                .buzz_order
                .iter()
                .map(|&p| player_ref(game, p))
                .collect(),
        },
        tried: open.tried.iter().copied().collect(),
        tried_teams,
        answer: if may_see_answer {
            answer_view(board, tile)
        } else {
            None
        },
        revealed: open.revealed,
        daily_double: open.daily_double,
        wager: open.wager,
        timer: open
            .timer
            .map(|t| (t.kind, t.ends.saturating_sub(now).as_millis() as u64)),
    }
}

/// Who looks at a Final entry. Its wager and answer are secret until the
/// host reveals them, except to the host and to the entry's own side (the
/// player, and in team games their teammates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalViewer {
    /// The host's page.
    Host,
    /// The player whose entry it is, or a teammate.
    OwnSide,
    /// The projector and every other phone.
    Others,
}

impl FinalViewer {
    /// How an audience's pages look at entries that are not their own.
    pub fn of(audience: Audience) -> FinalViewer {
        match audience {
            Audience::Host => FinalViewer::Host,
            Audience::Board | Audience::Players => FinalViewer::Others,
        }
    }
}

/// One player's part in the Final, as `audience` may see it.
pub fn final_player_view(
    game: &Game,
    player: PlayerId,
    viewer: FinalViewer,
) -> Option<FinalPlayerView> {
    let finale = game.finale()?;
    let revealed = finale.revealed.contains(&player);
    let open = viewer != FinalViewer::Others || revealed;
    let seat = game.player(player);
    Some(FinalPlayerView {
        id: player,
        team: seat.and_then(|p| p.team),
        // A team's seat goes by the team's name.
        name: match seat.and_then(|p| p.team) {
            Some(team) => game
                .teams()
                .iter()
                .find(|t| t.id == team)
                .map(|t| t.name.clone())
                .unwrap_or_default(),
            None => seat.map(|p| p.name.to_string()).unwrap_or_default(),
        },
        wagered: finale.wagers.contains_key(&player),
        answered: finale.answers.contains_key(&player),
        wager: finale.wagers.get(&player).copied().filter(|_| open),
        answer: finale.answers.get(&player).cloned().filter(|_| open),
        revealed,
        correct: finale.judged.get(&player).copied(),
    })
}

/// The Final as `audience` may see it, once started.
fn final_view(game: &Game, audience: Audience, now: Duration) -> Option<FinalView> {
    let finale = game.finale()?;
    let last = game.board().final_clue.as_ref()?;
    let (stage, ms_left) = match finale.stage {
        FinalStage::Wagering => ("wagering", None),
        FinalStage::Answering { closes_at } => (
            "answering",
            Some(closes_at.saturating_sub(now).as_millis() as u64),
        ),
        FinalStage::Judging => ("judging", None),
        FinalStage::AnswerShown => ("answer_shown", None),
        FinalStage::Over => ("over", None),
    };
    let clue_shown = !matches!(finale.stage, FinalStage::Wagering);
    Some(FinalView {
        category: last.category.clone(),
        stage: stage.to_owned(),
        clue: clue_shown.then(|| last.clue.clone()),
        ms_left,
        players: finale
            .players
            .iter()
            .filter_map(|&p| final_player_view(game, p, FinalViewer::of(audience)))
            .collect(),
        answer: (audience == Audience::Host
            || matches!(finale.stage, FinalStage::AnswerShown | FinalStage::Over))
        .then(|| AnswerView {
            text: last.answer.clone(),
            also_accept: last.also_accept.clone(),
            image: None,
        }),
    })
}
