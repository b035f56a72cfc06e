//! Teams: several phones play as one.
//!
//! A room plays by teams once the host creates one. Each player belongs to at
//! most one team: they pick it on their phone until the first clue opens
//! (or the host locks the teams); after that only the host moves players.
//! A team has its own score: every point a member wins or loses goes to the
//! member and to the team they are in at that moment, and stays with that
//! team whoever moves later, so nobody can join a team and drag its score
//! down. Any member may buzz for the team, but a team buzzes once per
//! opening, and a wrong answer locks the whole team out of that clue. A
//! team's Daily Double and Final wager, and its Final answer, are entered
//! by whichever member sends first; the team is represented in the Final by
//! its first member, and only those on the team when the Final started
//! play it.

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
    /// Its points: every point its members won or lost while on it.
    pub score: i64,
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

    /// A team's score: every point its members won or lost while on it.
    pub fn team_score(&self, team: TeamId) -> i64 {
        self.teams
            .iter()
            .find(|t| t.id == team)
            .map_or(0, |t| t.score)
    }

    /// Whether the host added this team to play without phones.
    pub fn team_without_phones(&self, team: TeamId) -> bool {
        self.players
            .iter()
            .any(|p| p.team == Some(team) && !p.device && !p.removed)
    }

    /// Whether players may no longer pick their team themselves: the host
    /// locked the teams, or the game has begun (a clue was opened).
    pub fn teams_locked(&self) -> bool {
        self.teams_locked || self.clue.is_some() || !self.played.is_empty() || self.round > 0
    }

    /// Whether `player` may move to `team` on their own: refused once the
    /// teams are locked, for a team that does not exist, or for the team
    /// they are already on. The room asks this before a player's choice
    /// becomes a command, so journals of games played before the rule
    /// still replay.
    pub fn check_team_choice(&self, player: PlayerId, team: Option<TeamId>) -> Result<(), Refusal> {
        self.check_team_move(player, team)?;
        if self.teams_locked() {
            return Err(Refusal::TeamsLocked);
        }
        // A team the host added without phones is the host's to play.
        if team.is_some_and(|team| self.team_without_phones(team)) {
            return Err(Refusal::TeamWithoutPhones);
        }
        Ok(())
    }

    /// Whether `player` may be moved to `team` (by the host): the team
    /// exists and is not already theirs, and no clue or Final is under way.
    pub fn check_team_move(&self, player: PlayerId, team: Option<TeamId>) -> Result<(), Refusal> {
        let current = self.active(player).ok_or(Refusal::UnknownPlayer)?.team;
        if let Some(team) = team
            && !self.teams.iter().any(|t| t.id == team)
        {
            return Err(Refusal::NoSuchTeam);
        }
        if current == team {
            return Err(Refusal::AlreadyOnTeam);
        }
        if self.clue.is_some() || self.finale.is_some() {
            return Err(Refusal::ClueAlreadyOpen);
        }
        Ok(())
    }

    /// Adds points to a team's score.
    pub(super) fn add_to_team(&mut self, team: TeamId, delta: i64) {
        if let Some(slot) = self.teams.iter_mut().find(|t| t.id == team) {
            slot.score = (slot.score + delta).clamp(-super::MAX_SCORE, super::MAX_SCORE);
            self.teams_touched.push(team);
        }
    }

    /// The new totals of the teams whose scores changed in this command.
    pub(super) fn team_totals(&mut self) -> Vec<Event> {
        let mut touched = std::mem::take(&mut self.teams_touched);
        touched.sort();
        touched.dedup();
        touched
            .into_iter()
            .map(|team| Event::TeamScore {
                team,
                score: self.team_score(team),
            })
            .collect()
    }

    pub(super) fn add_team_without_phones(&mut self, name: &str) -> Result<Vec<Event>, Refusal> {
        let seat_name = super::PlayerName::parse(name).map_err(|_| Refusal::BadTeamName)?;
        if self.names.contains_key(&seat_name.key()) {
            return Err(Refusal::NameTaken);
        }
        if self.players.len() >= super::MAX_SEATS {
            return Err(Refusal::RoomFull {
                cap: self.player_cap,
            });
        }
        let mut events = self.create_team(name)?;
        let team = self.teams.last().map(|t| t.id);
        let id = PlayerId(self.players.len() as u32 + 1);
        self.names.insert(seat_name.key(), id);
        self.active += 1;
        self.players.push(super::Player {
            id,
            name: seat_name,
            score: 0,
            removed: false,
            team,
            extra_time: std::time::Duration::ZERO,
            answer_time: super::AnswerTime::Usual,
            device: false,
        });
        events.push(Event::PlayerJoined { player: id });
        events.push(Event::TeamChanged { player: id, team });
        Ok(events)
    }

    pub(super) fn lock_teams(&mut self, locked: bool) -> Result<Vec<Event>, Refusal> {
        if self.teams_locked == locked {
            return Err(Refusal::AlreadyDone);
        }
        self.teams_locked = locked;
        Ok(vec![Event::TeamsLocked { locked }])
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
            score: 0,
        });
        Ok(vec![Event::TeamCreated { team: id }])
    }

    /// Moves a player to a team (or out of theirs). Their points so far
    /// stay with the team they won them for. Permissive on purpose: the
    /// room checks a player's own choice ([`Game::check_team_choice`]) and
    /// the host's ([`Game::check_team_move`]) first, and old journals,
    /// whose rows were saved under looser rules, still replay; a move to
    /// the team a player is already on changes nothing and says nothing.
    pub(super) fn set_team(
        &mut self,
        player: PlayerId,
        team: Option<TeamId>,
    ) -> Result<Vec<Event>, Refusal> {
        let current = self.active(player).ok_or(Refusal::UnknownPlayer)?.team;
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
        if current == team {
            return Ok(Vec::new());
        }
        let slot = player.0 as usize - 1;
        self.players[slot].team = team;
        Ok(vec![Event::TeamChanged { player, team }])
    }
}
