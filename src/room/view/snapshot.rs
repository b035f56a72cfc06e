//! The snapshot: everything a page needs to draw itself, sent first on
//! every connection.

use super::*;

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
    let audience = role;
    let players = match audience {
        Role::Player => Vec::new(),
        Role::Host | Role::Board => game
            .players()
            .iter()
            .filter(|p| !p.removed)
            .map(|p| match audience {
                Role::Host => PlayerView {
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
        (Role::Host, Some(clue)) => clue.audit.iter().map(|r| audit_entry(game, r)).collect(),
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
        scores_hidden: game.scores_hidden(),
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
            Role::Host => {
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

pub(super) fn flag_view(game: &Game, player: PlayerId, suspicion: Suspicion) -> FlagView {
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
pub(super) fn board_view(game: &Game, audience: Role) -> BoardView {
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
                            daily_double: audience == Role::Host && game.is_daily_double(tile),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

pub(super) fn settings_view(settings: BuzzSettings) -> BuzzSettingsView {
    BuzzSettingsView {
        mode: settings.mode,
        early_lockout_ms: settings.early_lockout.as_millis() as u64,
    }
}

fn millis(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub(super) fn audit_entry(game: &Game, record: &BuzzRecord) -> AuditEntry {
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
