//! Places and standings: one rule for who is where ("1, 2, 2, 4"), for the
//! podium, the phones and the results.

use crate::game::{Game, Player, PlayerId};
use crate::protocol::{Placed, Standings};

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
