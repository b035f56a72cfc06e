//! Daily Doubles and the Final: the parts of the game played for wagers.
//!
//! A Daily Double is played by whoever picks it (the last player to answer
//! right, or whom the host chooses): they wager between 5 and the larger of
//! their score and the round's top value, there are no buzzers, and the host
//! judges. The Final shows its category, takes a wager from every player
//! with points (0 up to their score), shows the clue, takes one written
//! answer each until the timer runs out (or the host closes answers once
//! every one is in), then the host reveals and judges the answers one by
//! one, shows the room the correct answer, and then the winner.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::{Buzzers, Event, Game, PlayerId, Refusal};

/// The smallest Daily Double wager.
pub const MIN_DAILY_DOUBLE_WAGER: i64 = 5;
/// The longest Final answer, in characters.
pub const MAX_FINAL_ANSWER_CHARS: usize = 200;
/// The longest Final timer a host may set.
pub const MAX_FINAL_SECONDS: u64 = 600;
/// The least time the Final may give to answer, in seconds.
pub const MIN_FINAL_SECONDS: u64 = 5;
/// The most Daily Doubles the host may place at random in each round.
pub const MAX_RANDOM_DAILY_DOUBLES: u8 = 3;

/// Where the Final stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FinalStage {
    /// The category is shown; players wager.
    Wagering,
    /// The clue is shown; answers are taken until `closes_at`.
    Answering {
        /// When answers stop being taken, on the room's clock.
        closes_at: Duration,
    },
    /// Time is up; the host reveals and judges the answers.
    Judging,
    /// Every answer is judged and the correct answer is shown to the room;
    /// the winner is next.
    AnswerShown,
    /// The winner is shown: the game is over.
    Over,
}

/// The Final, once started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalState {
    /// Which step the Final is at.
    pub stage: FinalStage,
    /// Who plays: the players with points when the Final started.
    pub players: BTreeSet<PlayerId>,
    /// The wagers so far, by player.
    pub wagers: BTreeMap<PlayerId, i64>,
    /// The answers written so far, by player.
    pub answers: BTreeMap<PlayerId, String>,
    /// Who typed each answer: in a team game any member may, for the
    /// team's seat.
    pub typed_by: BTreeMap<PlayerId, PlayerId>,
    /// Each seat's side as the Final started: the player, or the team's
    /// members then. Only they play that seat; a late joiner does not.
    pub sides: BTreeMap<PlayerId, BTreeSet<PlayerId>>,
    /// Whether it is shown to everyone.
    pub revealed: BTreeSet<PlayerId>,
    /// The judgements so far, by player.
    pub judged: BTreeMap<PlayerId, bool>,
}

impl Game {
    pub(super) fn set_picker(&mut self, player: PlayerId) -> Result<Vec<Event>, Refusal> {
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        self.picker = Some(player);
        Ok(vec![Event::PickerChanged { player }])
    }

    /// Draws `per_round` tiles in each round from this one on, among the
    /// unplayed tiles the board does not already mark.
    pub(super) fn place_daily_doubles(
        &mut self,
        per_round: u8,
        seed: u64,
    ) -> Result<Vec<Event>, Refusal> {
        if per_round > MAX_RANDOM_DAILY_DOUBLES || self.clue.is_some() {
            return Err(if per_round > MAX_RANDOM_DAILY_DOUBLES {
                Refusal::BadSetting
            } else {
                Refusal::ClueAlreadyOpen
            });
        }
        // The same numbers everywhere, so a replay places them alike.
        let mut numbers = crate::seeded::SplitMix64::new(seed);
        let mut placed = BTreeSet::new();
        for round in self.round..self.board.rounds.len() {
            let mut candidates: Vec<_> = self
                .board
                .tiles(round)
                .filter(|t| !self.played.contains(t))
                .filter(|t| self.board.clue(*t).is_some_and(|c| !c.daily_double))
                .collect();
            for _ in 0..per_round {
                if candidates.is_empty() {
                    break;
                }
                let pick = numbers.below(candidates.len());
                placed.insert(candidates.swap_remove(pick));
            }
        }
        self.random_daily_doubles = placed;
        Ok(vec![Event::DailyDoublesPlaced { per_round }])
    }

    /// The wager bounds for a Daily Double played by `player`.
    pub fn daily_double_bounds(&self, player: PlayerId) -> (i64, i64) {
        let score = self.side_score(player);
        let top = self.board.top_value(self.round);
        (
            MIN_DAILY_DOUBLE_WAGER,
            score.max(top).max(MIN_DAILY_DOUBLE_WAGER),
        )
    }

    pub(super) fn wager(&mut self, player: PlayerId, amount: i64) -> Result<Vec<Event>, Refusal> {
        let (min, max) = self.daily_double_bounds(player);
        // Any member of the picker's team may wager for it; the first counts.
        let picker = match self.clue.as_ref().map(|c| c.buzzers) {
            Some(Buzzers::Wagering(picker)) if self.side_of(picker).contains(&player) => picker,
            _ => return Err(Refusal::NotYourWager),
        };
        let clue = self.clue.as_mut().ok_or(Refusal::NotYourWager)?;
        let player = picker;
        if !(min..=max).contains(&amount) {
            return Err(Refusal::WagerOutOfBounds { min, max });
        }
        clue.wager = Some(amount);
        clue.buzzers = Buzzers::Answering(player);
        Ok(vec![
            Event::Wagered { player, amount },
            Event::Answering { player },
        ])
    }

    pub(super) fn start_final(&mut self) -> Result<Vec<Event>, Refusal> {
        if self.is_cleared() {
            return Err(Refusal::GameIsOver);
        }
        if self.board.final_clue.is_none() {
            return Err(Refusal::NoFinal);
        }
        if self.finale.is_some() {
            return Err(Refusal::WrongFinalStage);
        }
        if self.clue.is_some() {
            return Err(Refusal::ClueAlreadyOpen);
        }
        // One seat per side with points: a player, or a team's first member.
        let players: BTreeSet<PlayerId> = self
            .players
            .iter()
            .filter(|p| !p.removed)
            .map(|p| self.representative(p.id))
            .filter(|&seat| self.side_score(seat) > 0)
            .collect();
        let sides = players
            .iter()
            .map(|&seat| (seat, self.side_of(seat).into_iter().collect()))
            .collect();
        self.finale = Some(FinalState {
            sides,
            stage: if players.is_empty() {
                FinalStage::Over
            } else {
                FinalStage::Wagering
            },
            players: players.clone(),
            wagers: BTreeMap::new(),
            answers: BTreeMap::new(),
            typed_by: BTreeMap::new(),
            revealed: BTreeSet::new(),
            judged: BTreeMap::new(),
        });
        let mut events = vec![Event::FinalStarted {
            players: players.into_iter().collect(),
        }];
        if self.is_cleared() {
            events.push(Event::GameOver);
        }
        Ok(events)
    }

    /// The Final and the seat `player` plays it from (their team's, if
    /// any): a seat whose side they were on when the Final started, or
    /// (for the host's commands, which name the seat) the seat itself.
    fn finale_for(&mut self, player: PlayerId) -> Result<(&mut FinalState, PlayerId), Refusal> {
        let finale = self.finale.as_mut().ok_or(Refusal::NoFinal)?;
        let seat = if finale.players.contains(&player) {
            Some(player)
        } else {
            finale
                .sides
                .iter()
                .find(|(_, side)| side.contains(&player))
                .map(|(seat, _)| *seat)
        };
        match seat {
            Some(seat) => Ok((finale, seat)),
            None => Err(Refusal::NotInFinal),
        }
    }

    pub(super) fn final_wager(
        &mut self,
        player: PlayerId,
        amount: i64,
    ) -> Result<Vec<Event>, Refusal> {
        let (_, seat) = self.finale_for(player)?;
        let score = self.side_score(seat);
        let (finale, player) = self.finale_for(player)?;
        if finale.stage != FinalStage::Wagering {
            return Err(Refusal::TooLate);
        }
        if finale.wagers.contains_key(&player) {
            return Err(Refusal::AlreadyDone);
        }
        if !(0..=score).contains(&amount) {
            return Err(Refusal::WagerOutOfBounds { min: 0, max: score });
        }
        finale.wagers.insert(player, amount);
        Ok(vec![Event::FinalWagered { player }])
    }

    pub(super) fn show_final_clue(
        &mut self,
        seconds: u64,
        now: Duration,
    ) -> Result<Vec<Event>, Refusal> {
        let finale = self.finale.as_mut().ok_or(Refusal::NoFinal)?;
        if finale.stage != FinalStage::Wagering {
            return Err(Refusal::WrongFinalStage);
        }
        if !(MIN_FINAL_SECONDS..=MAX_FINAL_SECONDS).contains(&seconds) {
            return Err(Refusal::BadSetting);
        }
        // A player who never wagered plays for nothing.
        for player in &finale.players {
            finale.wagers.entry(*player).or_insert(0);
        }
        let closes_at = now + Duration::from_secs(seconds);
        finale.stage = FinalStage::Answering { closes_at };
        Ok(vec![Event::FinalClueShown { closes_at }])
    }

    pub(super) fn final_answer(
        &mut self,
        player: PlayerId,
        text: &str,
        now: Duration,
    ) -> Result<Vec<Event>, Refusal> {
        let typist = player;
        let (finale, player) = self.finale_for(player)?;
        let FinalStage::Answering { closes_at } = finale.stage else {
            return Err(match finale.stage {
                FinalStage::Wagering => Refusal::WrongFinalStage,
                _ => Refusal::TooLate,
            });
        };
        if now >= closes_at {
            return Err(Refusal::TooLate);
        }
        if finale.answers.contains_key(&player) {
            return Err(Refusal::AlreadyDone);
        }
        let text =
            super::text::clean(&super::text::one_line(text)).map_err(|_| Refusal::TooManyMarks)?;
        if text.chars().count() > MAX_FINAL_ANSWER_CHARS {
            return Err(Refusal::AnswerTooLong);
        }
        finale.answers.insert(player, text);
        finale.typed_by.insert(player, typist);
        Ok(vec![Event::FinalAnswered { player }])
    }

    /// Closes Final answers once their time is up.
    pub(super) fn settle_final(&mut self, now: Duration) -> Vec<Event> {
        match &mut self.finale {
            Some(finale) if matches!(finale.stage, FinalStage::Answering { closes_at } if now >= closes_at) =>
            {
                finale.stage = FinalStage::Judging;
                vec![Event::FinalClosed]
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn reveal_final(&mut self, player: PlayerId) -> Result<Vec<Event>, Refusal> {
        let (finale, player) = self.finale_for(player)?;
        if finale.stage != FinalStage::Judging {
            return Err(Refusal::WrongFinalStage);
        }
        if !finale.revealed.insert(player) {
            return Err(Refusal::AlreadyDone);
        }
        Ok(vec![Event::FinalRevealed { player }])
    }

    pub(super) fn judge_final(
        &mut self,
        player: PlayerId,
        correct: bool,
    ) -> Result<Vec<Event>, Refusal> {
        let (finale, player) = self.finale_for(player)?;
        if finale.stage != FinalStage::Judging {
            return Err(Refusal::WrongFinalStage);
        }
        if !finale.revealed.contains(&player) {
            return Err(Refusal::NotRevealed);
        }
        if finale.judged.contains_key(&player) {
            return Err(Refusal::AlreadyDone);
        }
        finale.judged.insert(player, correct);
        let wager = finale.wagers.get(&player).copied().unwrap_or(0);
        let delta = if correct { wager } else { -wager };
        // The points go to whoever typed the answer (in a team game, any
        // member) and to the seat's team.
        let seat = player;
        let player = finale.typed_by.get(&seat).copied().unwrap_or(seat);
        let (score, team) = self.credit(player, delta);
        self.changes.push(super::ScoreChange {
            tile: None,
            player,
            team,
            correct: Some(correct),
            delta,
            in_final: true,
            undone: false,
        });
        Ok(vec![Event::FinalJudged {
            seat,
            player,
            correct,
            delta,
            score,
        }])
    }

    /// The host ends the answering early, once every answer is in.
    pub(super) fn close_final_answers(&mut self) -> Result<Vec<Event>, Refusal> {
        let finale = self.finale.as_mut().ok_or(Refusal::NoFinal)?;
        if !matches!(finale.stage, FinalStage::Answering { .. }) {
            return Err(Refusal::WrongFinalStage);
        }
        if finale.answers.len() < finale.players.len() {
            return Err(Refusal::StillAnswering);
        }
        finale.stage = FinalStage::Judging;
        Ok(vec![Event::FinalClosed])
    }

    /// The room sees the correct answer, once every answer is judged.
    pub(super) fn show_final_answer(&mut self) -> Result<Vec<Event>, Refusal> {
        let finale = self.finale.as_mut().ok_or(Refusal::NoFinal)?;
        if finale.stage != FinalStage::Judging {
            return Err(Refusal::WrongFinalStage);
        }
        if finale.judged.len() < finale.players.len() {
            return Err(Refusal::JudgeEveryAnswerFirst);
        }
        finale.stage = FinalStage::AnswerShown;
        Ok(vec![Event::FinalAnswerShown])
    }

    /// The room sees the winner, and the game is over.
    pub(super) fn show_winner(&mut self) -> Result<Vec<Event>, Refusal> {
        let finale = self.finale.as_mut().ok_or(Refusal::NoFinal)?;
        if finale.stage != FinalStage::AnswerShown {
            return Err(Refusal::WrongFinalStage);
        }
        finale.stage = FinalStage::Over;
        Ok(vec![Event::GameOver])
    }
}
