//! The Final as each page may see it: wagers and answers stay secret until
//! the host reveals them, except to the host and to the entry's own side.

use super::*;

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
    pub fn of(audience: Role) -> FinalViewer {
        match audience {
            Role::Host => FinalViewer::Host,
            Role::Board | Role::Player => FinalViewer::Others,
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
pub(super) fn final_view(game: &Game, audience: Role, now: Duration) -> Option<FinalView> {
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
        answer: (audience == Role::Host
            || matches!(finale.stage, FinalStage::AnswerShown | FinalStage::Over))
        .then(|| AnswerView {
            text: last.answer.clone(),
            also_accept: last.also_accept.clone(),
            image: None,
        }),
    })
}
