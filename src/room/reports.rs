//! What the host downloads after (or during) a game, as tables: the
//! players' results, the log of every score change, and the buzz audit.
//! [`crate::table`] writes them as CSV or as one Excel workbook.
//!
//! Places follow the one rule of [`super::view::places`] (equal scores
//! share a place). In a team game each row names the team the points went
//! to, and the Final is credited to whoever typed the answer.

use crate::board::{Board, TileId};
use crate::game::{Game, PlayerId, ScoreChange, TeamId, Verdict};
use crate::table::{Cell, Table};

use super::view::places;

/// Which download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Each player's place, score, and right and wrong answers.
    Results,
    /// Every score change: which clue, who, right or wrong, the points.
    Clues,
    /// Every buzz and early press, with its timing.
    Audit,
    /// All three, as sheets of one workbook.
    Workbook,
}

impl Report {
    /// The tables this report holds.
    pub fn tables(self, game: &Game) -> Vec<Table> {
        match self {
            Report::Results => vec![results(game)],
            Report::Clues => vec![clues(game)],
            Report::Audit => vec![audit(game)],
            Report::Workbook => vec![results(game), clues(game), audit(game)],
        }
    }
}

fn team_name(game: &Game, team: Option<TeamId>) -> Option<String> {
    let team = team?;
    game.teams()
        .iter()
        .find(|t| t.id == team)
        .map(|t| t.name.clone())
}

fn player_name(game: &Game, player: PlayerId) -> String {
    game.player(player)
        .map(|p| p.name.to_string())
        .unwrap_or_default()
}

/// Right and wrong judgements that still stand, per player.
fn tally(game: &Game) -> std::collections::HashMap<PlayerId, (i64, i64)> {
    let mut counts = std::collections::HashMap::new();
    for change in game.score_changes().iter().filter(|c| !c.undone) {
        let entry = counts.entry(change.player).or_insert((0, 0));
        match change.correct {
            Some(true) => entry.0 += 1,
            Some(false) => entry.1 += 1,
            None => {}
        }
    }
    counts
}

/// Each player still in the game, best first: place, name, score, right
/// and wrong answers; in a team game, the team with its place and score.
pub fn results(game: &Game) -> Table {
    let mut players: Vec<_> = game.players().iter().filter(|p| !p.removed).collect();
    players.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    let player_places = places(&players.iter().map(|p| p.score).collect::<Vec<_>>());
    let teams: Vec<(TeamId, i64)> = game
        .teams()
        .iter()
        .map(|t| (t.id, game.team_score(t.id)))
        .collect();
    let team_places = places(&teams.iter().map(|t| t.1).collect::<Vec<_>>());
    let team_place = |team: TeamId| {
        teams
            .iter()
            .position(|t| t.0 == team)
            .map(|i| (team_places[i], teams[i].1))
    };
    let tally = tally(game);
    let mut header = vec!["place", "player", "score", "right", "wrong"];
    if game.by_teams() {
        header.extend(["team", "team place", "team score"]);
    }
    let rows = players
        .iter()
        .zip(player_places)
        .map(|(p, place)| {
            let (right, wrong) = tally.get(&p.id).copied().unwrap_or((0, 0));
            let mut row = vec![
                Cell::from(place),
                Cell::from(p.name.to_string()),
                Cell::from(p.score),
                Cell::from(right),
                Cell::from(wrong),
            ];
            if game.by_teams() {
                let team = p.team.and_then(team_place);
                row.extend([
                    Cell::from(team_name(game, p.team)),
                    Cell::from(team.map(|t| t.0)),
                    Cell::from(team.map(|t| t.1)),
                ]);
            }
            row
        })
        .collect();
    Table {
        name: "Results",
        header,
        rows,
    }
}

/// The round, category and value of a score change's clue ("Final" for
/// the Final, empty for a change by hand).
fn clue_of(board: &Board, change: &ScoreChange) -> (String, String, Option<i64>) {
    match change.tile {
        Some(tile) => (
            round_name(board, tile),
            category_name(board, tile),
            board.clue(tile).map(|c| c.value),
        ),
        None if change.in_final => (
            "Final".to_owned(),
            board
                .final_clue
                .as_ref()
                .map(|f| f.category.clone())
                .unwrap_or_default(),
            None,
        ),
        None => (String::new(), String::new(), None),
    }
}

fn round_name(board: &Board, tile: TileId) -> String {
    board
        .rounds
        .get(tile.round)
        .map(|r| r.name.clone())
        .unwrap_or_default()
}

fn category_name(board: &Board, tile: TileId) -> String {
    board
        .rounds
        .get(tile.round)
        .and_then(|r| r.categories.get(tile.category))
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

/// Every score change in order: the clue (round, category, value, and
/// whether it was a Daily Double), who, their team, right, wrong or by
/// hand, the points, and whether the host took it back.
pub fn clues(game: &Game) -> Table {
    let board = game.board();
    let mut header = vec![
        "round",
        "category",
        "value",
        "daily double",
        "player",
        "result",
        "points",
        "undone",
    ];
    if game.by_teams() {
        header.insert(5, "team");
    }
    let rows = game
        .score_changes()
        .iter()
        .map(|change| {
            let (round, category, value) = clue_of(board, change);
            let daily_double = change.tile.is_some_and(|t| game.is_daily_double(t));
            let result = match change.correct {
                Some(true) => "right",
                Some(false) => "wrong",
                None => "by hand",
            };
            let mut row = vec![
                Cell::from(round),
                Cell::from(category),
                Cell::from(value),
                Cell::from(if daily_double { "yes" } else { "" }),
                Cell::from(player_name(game, change.player)),
                Cell::from(result),
                Cell::from(change.delta),
                Cell::from(if change.undone { "yes" } else { "" }),
            ];
            if game.by_teams() {
                row.insert(5, Cell::from(team_name(game, change.team)));
            }
            row
        })
        .collect();
    Table {
        name: "Clues",
        header,
        rows,
    }
}

/// What the audit says happened to a buzz, in a teacher's words.
pub fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Accepted => "counted, with the reaction time the phone measured",
        Verdict::Adjusted => "counted, forgiving only the network delay the server measured",
        Verdict::Rejected => "counted as it arrived (the phone gave no usable reaction time)",
        Verdict::Anticipated => "too fast to be a reaction: counted as pressed early",
        Verdict::Early => "pressed before the buzzers opened",
        Verdict::Impossible => {
            "reaction time longer than the server measured: counted as pressed early"
        }
        Verdict::ArrivalOrder => "counted in the order buzzes reached the server",
    }
}

/// Every buzz and early press of the game, clue by clue.
pub fn audit(game: &Game) -> Table {
    let board = game.board();
    let ms = |d: Option<std::time::Duration>| {
        d.map_or(Cell::Empty, |d| Cell::Number(d.as_millis() as i64))
    };
    let mut rows = Vec::new();
    for (tile, records) in game.audits() {
        for record in records {
            rows.push(vec![
                Cell::from(category_name(board, tile)),
                Cell::from(board.clue(tile).map(|c| c.value)),
                Cell::from(record.position),
                Cell::from(player_name(game, record.player)),
                Cell::from(verdict_words(record.verdict)),
                ms(record.elapsed),
                Cell::from(
                    record
                        .claimed_ms
                        .filter(|v| v.is_finite() && v.abs() < 1e12)
                        .map(|v| v.round() as i64),
                ),
                ms(record.recent_rtt),
                ms(Some(record.compensation)),
                ms(Some(record.extra)),
            ]);
        }
    }
    Table {
        name: "Buzz audit",
        header: vec![
            "category",
            "value",
            "position",
            "player",
            "what happened",
            "arrived after the buzzers opened (ms)",
            "reaction the phone measured (ms)",
            "round trip (ms)",
            "network delay forgiven (ms)",
            "extra time given (ms)",
        ],
        rows,
    }
}
