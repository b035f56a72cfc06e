//! Teams: several phones play as one.
//!
//! A room plays by teams once the host creates one. Each player belongs to at
//! most one team (they pick it on their phone, or the host assigns it). A
//! team's score is the sum of its members' points, so every judgement still
//! credits the member who answered and the team total follows. Any member
//! may buzz for the team, but a team buzzes once per opening, and a wrong
//! answer locks the whole team out of that clue. A team's Daily Double and
//! Final wager, and its Final answer, are entered by whichever member sends
//! first; the team is represented in the Final by its first member.

use super::{Event, Game, PlayerId, Refusal};

/// A team's number within one room, from 1.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct TeamId(pub u32);

/// Most teams a room may have.
pub const MAX_TEAMS: usize = 12;
/// Longest team name, in characters.
pub const MAX_TEAM_NAME_CHARS: usize = 32;

/// A team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Team {
    /// Its number in this room.
    pub id: TeamId,
    /// The name, as shown.
    pub name: String,
}

impl Game {
    /// The teams, in the order they were created.
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// Whether the room plays by teams.
    pub fn by_teams(&self) -> bool {
        !self.teams.is_empty()
    }

    /// A team's score: its members' points added up.
    pub fn team_score(&self, team: TeamId) -> i64 {
        self.players
            .iter()
            .filter(|p| !p.removed && p.team == Some(team))
            .map(|p| p.score)
            .sum()
    }

    /// Everyone who plays alongside `player`: their team's members, or just
    /// themselves when they have no team.
    pub fn side_of(&self, player: PlayerId) -> Vec<PlayerId> {
        match self.player(player).and_then(|p| p.team) {
            Some(team) => self
                .players
                .iter()
                .filter(|p| !p.removed && p.team == Some(team))
                .map(|p| p.id)
                .collect(),
            None => vec![player],
        }
    }

    /// The points that count for `player`'s side: the team total, or their own.
    pub fn side_score(&self, player: PlayerId) -> i64 {
        match self.player(player).and_then(|p| p.team) {
            Some(team) => self.team_score(team),
            None => self.player(player).map_or(0, |p| p.score),
        }
    }

    /// Who speaks for `player`'s side in the Final: the team's first member.
    pub fn representative(&self, player: PlayerId) -> PlayerId {
        self.side_of(player).into_iter().min().unwrap_or(player)
    }

    /// The new totals of the teams whose members' scores `events` changed.
    pub(super) fn team_score_events(&self, events: &[Event]) -> Vec<Event> {
        let mut teams: Vec<TeamId> = Vec::new();
        for event in events {
            let player = match event {
                Event::Judged { player, .. }
                | Event::ScoreAdjusted { player, .. }
                | Event::FinalJudged { player, .. }
                | Event::Undone { player, .. } => *player,
                Event::TeamChanged { player, .. } => {
                    // Both the team left and the team joined change totals.
                    teams.extend(self.teams.iter().map(|t| t.id));
                    *player
                }
                _ => continue,
            };
            if let Some(team) = self.player(player).and_then(|p| p.team) {
                teams.push(team);
            }
        }
        teams.sort();
        teams.dedup();
        teams
            .into_iter()
            .map(|team| Event::TeamScore {
                team,
                score: self.team_score(team),
            })
            .collect()
    }

    pub(super) fn create_team(&mut self, name: &str) -> Result<Vec<Event>, Refusal> {
        let name = super::text::clean(name).map_err(|_| Refusal::BadTeamName)?;
        let name = name.as_str();
        if name.is_empty()
            || name.chars().count() > MAX_TEAM_NAME_CHARS
            || name.chars().any(char::is_control)
        {
            return Err(Refusal::BadTeamName);
        }
        if self.teams.len() >= MAX_TEAMS {
            return Err(Refusal::BadSetting);
        }
        if self
            .teams
            .iter()
            .any(|t| t.name.to_lowercase() == name.to_lowercase())
        {
            return Err(Refusal::NameTaken);
        }
        let id = TeamId(self.teams.len() as u32 + 1);
        self.teams.push(Team {
            id,
            name: name.to_owned(),
        });
        Ok(vec![Event::TeamCreated { team: id }])
    }

    pub(super) fn set_team(
        &mut self,
        player: PlayerId,
        team: Option<TeamId>,
    ) -> Result<Vec<Event>, Refusal> {
        if self.active(player).is_none() {
            return Err(Refusal::UnknownPlayer);
        }
        if let Some(team) = team
            && !self.teams.iter().any(|t| t.id == team)
        {
            return Err(Refusal::NoSuchTeam);
        }
        // Changing sides in the middle of a clue or the Final would muddle
        // who tried and who wagered.
        if self.clue.is_some() || self.finale.is_some() {
            return Err(Refusal::ClueAlreadyOpen);
        }
        let slot = player.0 as usize - 1;
        self.players[slot].team = team;
        Ok(vec![Event::TeamChanged { player, team }])
    }
}
