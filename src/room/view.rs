//! What each kind of page may see: game state and events turned into
//! protocol messages, one version per audience.
//!
//! This is the one place answers are put into messages. The rule: the host
//! sees a clue's answer from the moment the clue opens; the board view and
//! players see it only once the game says it is revealed.

use crate::board::{Board, TileId};
use crate::game::{Buzzers, Event, Game, OpenClue, Player, PlayerId};
use crate::protocol::{
    AnswerView, BoardView, BuzzersView, CategoryView, ClueView, PlayerRef, PlayerView, Role,
    ServerMsg, Snapshot, TileView,
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
) -> Snapshot {
    let audience = Audience::of(role);
    let board = game.board();
    let players = match audience {
        Audience::Players => Vec::new(),
        Audience::Host | Audience::Board => game.players().iter().map(player_view).collect(),
    };
    Snapshot {
        role,
        code: code.to_owned(),
        join_url: join_url.to_owned(),
        board: BoardView {
            id: board.id.to_string(),
            title: board.title.clone(),
            categories: board
                .categories
                .iter()
                .enumerate()
                .map(|(category, c)| CategoryView {
                    name: c.name.clone(),
                    tiles: c
                        .clues
                        .iter()
                        .enumerate()
                        .map(|(row, clue)| TileView {
                            value: clue.value,
                            played: game.played().contains(&TileId { category, row }),
                        })
                        .collect(),
                })
                .collect(),
        },
        players,
        player_count: game.players().len(),
        clue: game.open_clue().map(|c| clue_view(game, c, audience)),
        you: you.and_then(|id| game.player(id)).map(player_view),
        cleared: game.is_cleared(),
    }
}

/// The message `audience` gets for `event`, or `None` if it gets nothing.
pub fn render(game: &Game, event: &Event, audience: Audience) -> Option<ServerMsg> {
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
            }
        }
        Event::ClueOpened { .. } => ServerMsg::ClueOpened {
            clue: clue_view(game, game.open_clue()?, audience),
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
        },
    };
    Some(msg)
}

fn player_view(player: &Player) -> PlayerView {
    PlayerView {
        id: player.id,
        name: player.name.to_string(),
        score: player.score,
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
    })
}

/// The URL a page loads a board's media file from.
pub fn media_url(board: &Board, name: &str) -> String {
    format!("/media/{}/{}", board.id, name)
}

fn clue_view(game: &Game, open: &OpenClue, audience: Audience) -> ClueView {
    let board = game.board();
    let tile = open.tile;
    // The board only lets an OpenClue exist for a tile it has.
    let clue = board.clue(tile);
    let (buzzers, answering) = match open.buzzers {
        Buzzers::Waiting => (BuzzersView::Waiting, None),
        Buzzers::Open => (BuzzersView::Open, None),
        Buzzers::Answering(p) => (BuzzersView::Answering, Some(player_ref(game, p))),
        Buzzers::Closed => (BuzzersView::Closed, None),
    };
    let may_see_answer = audience == Audience::Host || open.revealed;
    ClueView {
        category: tile.category,
        row: tile.row,
        category_name: board
            .categories
            .get(tile.category)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        value: open.value,
        clue: clue.map(|c| c.clue.clone()).unwrap_or_default(),
        image: clue
            .and_then(|c| c.image.as_deref())
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
        answer: if may_see_answer {
            answer_view(board, tile)
        } else {
            None
        },
        revealed: open.revealed,
    }
}
