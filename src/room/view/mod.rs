//! What each kind of page may see: game state and events turned into
//! protocol messages, one version per audience.
//!
//! This is the one place answers are put into messages. The rule: the host
//! sees a clue's answer from the moment the clue opens; the board view and
//! players see it only once the game says it is revealed.

mod final_round;
mod snapshot;
mod standings;

use std::time::Duration;

use crate::board::{Board, TileId};
use crate::game::{
    BuzzRecord, BuzzSettings, Buzzers, Event, FinalStage, Game, OpenClue, Player, PlayerId,
    Suspicion, TeamId,
};
use crate::protocol::{
    AnswerView, AuditEntry, BoardView, BuzzSettingsView, BuzzersView, CategoryView, ClueView,
    FinalPlayerView, FinalView, FlagView, LimitsView, PlayerRef, PlayerView, Role, ServerMsg,
    Snapshot, TeamView, TileView,
};

use final_round::final_view;
pub use final_round::{FinalViewer, final_player_view};
use snapshot::{audit_entry, board_view, flag_view, settings_view};
pub use snapshot::{limits, snapshot};
pub use standings::{FINAL_LEADERS, LEADERS, places, standings, standings_with_newcomer};

/// The message `audience` gets for `event`, or `None` if it gets nothing.
pub fn render(game: &Game, event: &Event, audience: Role, now: Duration) -> Option<ServerMsg> {
    let name = |id: PlayerId| {
        game.player(id)
            .map(|p| p.name.to_string())
            .unwrap_or_default()
    };
    let everyone_but_players = audience != Role::Player;
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
            standings: (audience == Role::Player).then(|| standings(game, LEADERS)),
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
            if audience != Role::Host {
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
            if audience != Role::Host {
                return None;
            }
            ServerMsg::Approval { on }
        }
        Event::RoomLocked { locked } => {
            if audience == Role::Player {
                return None;
            }
            ServerMsg::RoomLocked { locked }
        }
        Event::TextFilterChanged { on } => {
            if audience != Role::Host {
                return None;
            }
            ServerMsg::TextFilter { on }
        }
        Event::PhoneSoundsChanged { on } => ServerMsg::PhoneSounds { on },
        Event::ScoresHiddenChanged { on } => ServerMsg::ScoresHidden { on },
        Event::LanguageChanged { ref language } => ServerMsg::Language {
            language: language.clone(),
        },
        Event::PlayerCapChanged { max } => {
            if audience != Role::Host {
                return None;
            }
            ServerMsg::PlayerCap { max }
        }
        // An accommodation and a bot flag are the teacher's business only.
        Event::ExtraTimeChanged { player, extra } => {
            if audience != Role::Host {
                return None;
            }
            ServerMsg::ExtraTime {
                player,
                ms: extra.as_millis() as u64,
            }
        }
        Event::AnswerTimeChanged { player, time } => {
            if audience != Role::Host {
                return None;
            }
            ServerMsg::AnswerTime { player, time }
        }
        Event::Suspected { player, suspicion } => {
            if audience != Role::Host {
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
                Role::Host => None,
                _ => game.open_clue().map(|c| clue_view(game, c, audience, now)),
            },
        },
        Event::FinalStarted { .. }
        | Event::FinalClueShown { .. }
        | Event::FinalClosed
        | Event::FinalAnswerShown => ServerMsg::Final(final_view(game, audience, now)?),
        Event::FinalWagered { player } | Event::FinalAnswered { player } => {
            // The phone that sent it has its own reply; the room is told.
            if audience == Role::Player {
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
            if audience != Role::Host {
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
            if audience != Role::Host {
                return None;
            }
            ServerMsg::Timers {
                buzz_seconds: timers.buzz.as_secs(),
                answer_seconds: timers.answer.as_secs(),
            }
        }
        Event::DailyDoublesPlaced { per_round } => {
            if audience != Role::Host {
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
            if audience != Role::Host {
                return None;
            }
            ServerMsg::BuzzSettings(settings_view(settings))
        }
    };
    Some(msg)
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

fn clue_view(game: &Game, open: &OpenClue, audience: Role, now: Duration) -> ClueView {
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
    let may_see_answer = audience == Role::Host || open.revealed;
    // A Daily Double shows its category and value only, until the wager.
    let hidden = open.daily_double && open.wager.is_none() && audience != Role::Host;
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
            Role::Player => Vec::new(),
            Role::Host | Role::Board => open
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
