//! Saved games must come back the same after every change to the rules
//! (issue 22, "upgrades"): `tests/data/journals/` holds journals as this
//! release writes them (every kind of command: clues, buzzes, Daily
//! Doubles, a Final, teams, a team without phones, settings, removals,
//! undo, the end), each with the state it was saved in. Each replays, with
//! the store's own reader, to that same state.
//!
//! A change that means to change what an old game replays into must say so
//! in docs/reliability.md and regenerate the corpus on purpose:
//! `cargo test --test api journals::write_the_corpus -- --ignored`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use buzzboard::board::{Board, TileId};
use buzzboard::game::{
    BuzzMode, BuzzSettings, BuzzTiming, Command, Game, HostCommand, PlayerId, PlayerName, TeamId,
};
use serde_json::{Value, json};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/journals")
}

fn board(name: &str) -> Arc<Board> {
    match name {
        "rlhf" => buzzboard::board::BoardLibrary::builtin()
            .get("rlhf")
            .expect("the built-in board"),
        other => Arc::new(
            buzzboard::board::library::load_file(
                &Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/data/{other}.toml")),
            )
            .expect("a test board"),
        ),
    }
}

/// What a saved game is: everything a page or a download could show.
fn state(game: &Game) -> Value {
    json!({
        "players": game.players().iter().map(|p| json!({
            "id": p.id.0, "name": p.name.as_str(), "score": p.score,
            "team": p.team.map(|t| t.0), "removed": p.removed, "device": p.device,
        })).collect::<Vec<_>>(),
        "teams": game.teams().iter().map(|t| json!({
            "id": t.id.0, "name": t.name, "score": game.team_score(t.id),
        })).collect::<Vec<_>>(),
        "round": game.round(),
        "played": game.played().iter().map(|t| [t.round, t.category, t.row]).collect::<Vec<_>>(),
        "clue_open": game.open_clue().map(|c| [c.tile.round, c.tile.category, c.tile.row]),
        "final": game.finale().map(|f| format!("{:?}", f.stage)),
        "cleared": game.is_cleared(),
        "picker": game.picker().map(|p| p.0),
        "language": game.language(),
        "changes": game.score_changes().len(),
    })
}

/// Plays `commands` as a room would, and gives the journal it would save.
struct Recorder {
    game: Game,
    now: Duration,
    journal: Vec<(u64, String)>,
}

impl Recorder {
    fn new(board: Arc<Board>) -> Recorder {
        Recorder {
            game: Game::new(board),
            now: Duration::from_millis(1_000),
            journal: Vec::new(),
        }
    }

    fn at(&mut self, ms: u64, command: Command) {
        self.now += Duration::from_millis(ms);
        let events = self
            .game
            .apply(command.clone(), self.now)
            .unwrap_or_else(|refusal| panic!("{command:?}: {refusal}"));
        // A room saves only what changed something.
        if !events.is_empty() {
            self.journal.push((
                self.now.as_millis() as u64,
                serde_json::to_string(&command).unwrap(),
            ));
        }
    }

    fn host(&mut self, command: HostCommand) {
        self.at(200, Command::Host(command));
    }
}

fn join(name: &str) -> Command {
    Command::Join {
        name: PlayerName::parse(name).unwrap(),
    }
}

fn buzz(player: u32) -> Command {
    Command::Buzz {
        player: PlayerId(player),
        timing: BuzzTiming::default(),
        window: Duration::ZERO,
        rivals: None,
    }
}

fn tile(round: usize, category: usize, row: usize) -> Command {
    Command::OpenClue {
        tile: TileId {
            round,
            category,
            row,
        },
    }
}

/// Two rounds, a Daily Double, undo, and a Final played to the podium.
fn solo_final() -> (&'static str, Recorder) {
    let mut r = Recorder::new(board("two-rounds"));
    for name in ["Ana", "Ben", "Cy"] {
        r.at(300, join(name));
    }
    r.at(500, tile(0, 0, 0));
    r.host(HostCommand::OpenBuzzers);
    r.at(600, buzz(2));
    r.host(HostCommand::Judge { correct: false });
    r.at(400, buzz(1));
    r.host(HostCommand::Judge { correct: true });
    r.host(HostCommand::CloseClue);
    r.host(HostCommand::AdjustScore {
        player: PlayerId(3),
        delta: 50,
    });
    r.host(HostCommand::Undo);
    r.host(HostCommand::NextRound);
    r.host(HostCommand::SetPicker {
        player: PlayerId(1),
    });
    r.at(300, tile(1, 0, 0));
    r.at(
        2_000,
        Command::Wager {
            player: PlayerId(1),
            amount: 300,
        },
    );
    r.host(HostCommand::Judge { correct: true });
    r.host(HostCommand::CloseClue);
    r.host(HostCommand::StartFinal);
    r.at(
        3_000,
        Command::FinalWager {
            player: PlayerId(1),
            amount: 200,
        },
    );
    r.host(HostCommand::ShowFinalClue { seconds: 30 });
    r.at(
        5_000,
        Command::FinalAnswer {
            player: PlayerId(1),
            text: "The Nile".into(),
        },
    );
    r.at(30_000, Command::Tick);
    r.host(HostCommand::RevealFinal {
        player: PlayerId(1),
    });
    r.host(HostCommand::JudgeFinal {
        player: PlayerId(1),
        correct: true,
    });
    r.host(HostCommand::ShowFinalAnswer);
    r.host(HostCommand::ShowWinner);
    ("solo-final", r)
}

/// Teams (one without phones), locked teams, a team's Daily Double and
/// Final, closed early.
fn teams() -> (&'static str, Recorder) {
    let mut r = Recorder::new(board("two-rounds"));
    for name in ["Ana", "Ben", "Cy", "Dee"] {
        r.at(300, join(name));
    }
    r.host(HostCommand::CreateTeam {
        name: "Owls".into(),
    });
    r.host(HostCommand::CreateTeam {
        name: "Foxes".into(),
    });
    for (player, team) in [(1, 1), (2, 1), (3, 2)] {
        r.at(
            300,
            Command::SetTeam {
                player: PlayerId(player),
                team: Some(TeamId(team)),
            },
        );
    }
    r.host(HostCommand::LockTeams { locked: true });
    r.host(HostCommand::AddTeamWithoutPhones {
        name: "Table 3".into(),
    });
    r.at(500, tile(0, 0, 0));
    r.host(HostCommand::GiveFloor {
        player: PlayerId(5),
    });
    r.host(HostCommand::Judge { correct: true });
    r.host(HostCommand::CloseClue);
    r.host(HostCommand::NextRound);
    r.host(HostCommand::SetPicker {
        player: PlayerId(5),
    });
    r.at(300, tile(1, 0, 0));
    r.host(HostCommand::WagerFor {
        player: PlayerId(5),
        amount: 100,
    });
    r.host(HostCommand::Judge { correct: false });
    r.host(HostCommand::CloseClue);
    r.host(HostCommand::AdjustScore {
        player: PlayerId(1),
        delta: 500,
    });
    r.host(HostCommand::StartFinal);
    r.at(
        2_000,
        Command::FinalWager {
            player: PlayerId(2),
            amount: 100,
        },
    );
    r.host(HostCommand::ShowFinalClue { seconds: 10 });
    r.at(
        2_000,
        Command::FinalAnswer {
            player: PlayerId(2),
            text: "the\nNile".into(),
        },
    );
    r.host(HostCommand::CloseFinalAnswers);
    r.host(HostCommand::RevealFinal {
        player: PlayerId(1),
    });
    r.host(HostCommand::JudgeFinal {
        player: PlayerId(1),
        correct: true,
    });
    r.host(HostCommand::ShowFinalAnswer);
    r.host(HostCommand::ShowWinner);
    ("teams", r)
}

/// Every setting, random Daily Doubles, timers that run out, a removal,
/// and the host ending the game.
fn settings() -> (&'static str, Recorder) {
    let mut r = Recorder::new(board("rlhf"));
    r.host(HostCommand::SetTimers {
        buzz_seconds: 10,
        answer_seconds: 5,
    });
    r.at(
        200,
        Command::SetBuzzSettings {
            settings: BuzzSettings {
                mode: BuzzMode::FirstArrival,
                early_lockout: Duration::from_millis(300),
            },
        },
    );
    r.host(HostCommand::SetPlayerCap { max: 50 });
    r.host(HostCommand::SetApproval { on: true });
    r.host(HostCommand::SetLanguage {
        language: "es".into(),
    });
    r.host(HostCommand::SetTextFilter { on: false });
    r.host(HostCommand::SetPhoneSounds { on: true });
    r.host(HostCommand::SetWrongCostsPoints { costs: false });
    for name in ["Ana", "Ben", "Cy"] {
        r.at(300, join(name));
    }
    r.host(HostCommand::LockRoom { locked: true });
    r.host(HostCommand::SetExtraTime {
        player: PlayerId(2),
        ms: 200,
    });
    r.host(HostCommand::SetAnswerTime {
        player: PlayerId(3),
        time: buzzboard::game::AnswerTime::Longer(10),
    });
    r.at(
        200,
        Command::PlaceDailyDoubles {
            per_round: 1,
            seed: 42,
        },
    );
    // A tile that is not a Daily Double after the draw.
    let plain = (0..5)
        .flat_map(|c| (0..5).map(move |row| (c, row)))
        .find(|&(c, row)| {
            !r.game.is_daily_double(TileId {
                round: 0,
                category: c,
                row,
            })
        })
        .unwrap();
    r.at(500, tile(0, plain.0, plain.1));
    r.host(HostCommand::OpenBuzzers);
    r.at(700, buzz(1));
    // The answer timer (5 s) runs out: a wrong answer, at no cost here.
    r.at(6_000, Command::Tick);
    r.at(10_000, Command::Tick);
    r.host(HostCommand::RevealAnswer);
    r.host(HostCommand::CloseClue);
    r.host(HostCommand::RemovePlayer {
        player: PlayerId(2),
    });
    r.host(HostCommand::EndGame);
    ("settings", r)
}

fn scripts() -> Vec<(&'static str, &'static str, Recorder)> {
    let (solo, solo_game) = solo_final();
    let (team, team_game) = teams();
    let (setting, setting_game) = settings();
    vec![
        ("two-rounds", solo, solo_game),
        ("two-rounds", team, team_game),
        ("rlhf", setting, setting_game),
    ]
}

/// Writes the corpus (on purpose only: see the module's documentation).
#[test]
#[ignore = "writes tests/data/journals; run only to regenerate the corpus on purpose"]
fn write_the_corpus() {
    std::fs::create_dir_all(corpus()).unwrap();
    for (board, name, recorder) in scripts() {
        // Named by version: the files of earlier versions stay, and must
        // go on replaying.
        let version = buzzboard::store::JOURNAL_VERSION;
        let saved = json!({
            "journal_version": version,
            "board": board,
            "written_by": env!("CARGO_PKG_VERSION"),
            "commands": recorder.journal,
            "state": state(&recorder.game),
        });
        std::fs::write(
            corpus().join(format!("v{version}-{name}.json")),
            serde_json::to_string_pretty(&saved).unwrap() + "\n",
        )
        .unwrap();
    }
}

#[test]
fn every_saved_journal_replays_to_the_state_it_was_saved_in() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .expect("tests/data/journals")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    for file in files {
        let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let mut game = Game::new(board(saved["board"].as_str().unwrap()));
        let version = saved["journal_version"].as_u64().unwrap() as u32;
        for (place, entry) in saved["commands"].as_array().unwrap().iter().enumerate() {
            let at = Duration::from_millis(entry[0].as_u64().unwrap());
            let command = buzzboard::store::read_command(entry[1].as_str().unwrap(), version)
                .unwrap_or_else(|e| panic!("{}: command {place} unreadable: {e}", file.display()));
            game.apply(command, at).unwrap_or_else(|refusal| {
                panic!(
                    "{}: command {place} no longer applies: {refusal}",
                    file.display()
                )
            });
        }
        assert_eq!(state(&game), saved["state"], "{}", file.display());
    }
}

/// The corpus covers every kind of command a journal can hold.
#[test]
fn the_corpus_holds_every_kind_of_command() {
    let mut kinds = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let saved: Value =
            serde_json::from_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap()).unwrap();
        for command in saved["commands"].as_array().unwrap() {
            let json: Value = serde_json::from_str(command[1].as_str().unwrap()).unwrap();
            kinds.insert(json["type"].as_str().unwrap_or("").to_owned());
        }
    }
    for wanted in [
        "join",
        "open_clue",
        "buzz",
        "tick",
        "wager",
        "final_wager",
        "final_answer",
        "set_team",
        "place_daily_doubles",
        "set_buzz_settings",
        "judge",
        "undo",
        "give_floor",
        "wager_for",
        "add_team_without_phones",
        "lock_teams",
        "end_game",
        "remove_player",
        "show_winner",
    ] {
        assert!(kinds.contains(wanted), "no {wanted} in {kinds:?}");
    }
}
