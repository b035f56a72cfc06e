//! The rulebook: each test states one rule of the game.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use super::*;
use crate::board::{Board, BoardId, Category, Clue, TileId};

fn board() -> Arc<Board> {
    let clue = |value: i64| Clue {
        value,
        clue: format!("clue {value}"),
        answer: format!("answer {value}"),
        also_accept: vec![],
        image: None,
    };
    Arc::new(Board {
        id: BoardId::parse("rules").unwrap(),
        title: "Rules".into(),
        description: None,
        categories: vec![
            Category {
                name: "A".into(),
                clues: vec![clue(100), clue(200)],
            },
            Category {
                name: "B".into(),
                clues: vec![clue(100)],
            },
        ],
        media: BTreeMap::new(),
    })
}

const A100: TileId = TileId {
    category: 0,
    row: 0,
};
const A200: TileId = TileId {
    category: 0,
    row: 1,
};
const B100: TileId = TileId {
    category: 1,
    row: 0,
};

/// A game with three players (ids 1, 2, 3) and a helper to apply commands.
struct Table {
    game: Game,
}

impl Table {
    fn new() -> Table {
        let mut table = Table {
            game: Game::new(board()),
        };
        for name in ["Ana", "Ben", "Cy"] {
            table.ok(Command::Join {
                name: PlayerName::parse(name).unwrap(),
            });
        }
        table
    }

    fn apply(&mut self, command: Command) -> Result<Vec<Event>, Refusal> {
        self.game.apply(command, Instant::now())
    }

    fn ok(&mut self, command: Command) -> Vec<Event> {
        let shown = format!("{command:?}");
        self.apply(command)
            .unwrap_or_else(|refusal| panic!("{shown} was refused: {refusal}"))
    }

    fn refused(&mut self, command: Command) -> Refusal {
        let before = format!("{:?}", self.game);
        let refusal = self
            .apply(command)
            .expect_err("the command should be refused");
        assert_eq!(
            before,
            format!("{:?}", self.game),
            "a refused command changed the game"
        );
        refusal
    }

    fn score(&self, player: u32) -> i64 {
        self.game.player(PlayerId(player)).unwrap().score
    }

    fn buzzers(&self) -> Buzzers {
        self.game.open_clue().unwrap().buzzers
    }

    fn open_with_buzzers(&mut self, tile: TileId) {
        self.ok(Command::OpenClue { tile });
        self.ok(Command::OpenBuzzers);
    }
}

fn buzz(player: u32) -> Command {
    Command::Buzz {
        player: PlayerId(player),
    }
}

mod joining {
    use super::*;

    #[test]
    fn players_are_numbered_in_joining_order_and_start_at_zero() {
        let table = Table::new();
        let names: Vec<_> = table
            .game
            .players()
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(names, ["Ana", "Ben", "Cy"]);
        assert_eq!(table.game.players()[2].id, PlayerId(3));
        assert!(table.game.players().iter().all(|p| p.score == 0));
    }

    #[test]
    fn a_name_already_taken_is_refused_whatever_its_case() {
        let mut table = Table::new();
        let refusal = table.refused(Command::Join {
            name: PlayerName::parse("ana").unwrap(),
        });
        assert_eq!(refusal, Refusal::NameTaken);
    }
}

mod opening_clues {
    use super::*;

    #[test]
    fn opening_a_tile_shows_its_clue_with_buzzers_waiting() {
        let mut table = Table::new();
        assert_eq!(
            table.ok(Command::OpenClue { tile: A200 }),
            vec![Event::ClueOpened { tile: A200 }]
        );
        let clue = table.game.open_clue().unwrap();
        assert_eq!(clue.value, 200);
        assert_eq!(clue.buzzers, Buzzers::Waiting);
        assert!(!clue.revealed);
    }

    #[test]
    fn a_tile_off_the_board_is_refused() {
        let mut table = Table::new();
        let tile = TileId {
            category: 1,
            row: 1,
        };
        assert_eq!(
            table.refused(Command::OpenClue { tile }),
            Refusal::NoSuchTile
        );
    }

    #[test]
    fn a_second_clue_cannot_open_while_one_is_open() {
        let mut table = Table::new();
        table.ok(Command::OpenClue { tile: A100 });
        assert_eq!(
            table.refused(Command::OpenClue { tile: B100 }),
            Refusal::ClueAlreadyOpen
        );
    }

    #[test]
    fn a_played_tile_cannot_be_opened_again() {
        let mut table = Table::new();
        table.ok(Command::OpenClue { tile: A100 });
        table.ok(Command::CloseClue);
        assert_eq!(
            table.refused(Command::OpenClue { tile: A100 }),
            Refusal::TileAlreadyPlayed
        );
    }
}

mod buzzing {
    use super::*;

    #[test]
    fn nobody_can_buzz_before_the_buzzers_open() {
        let mut table = Table::new();
        table.ok(Command::OpenClue { tile: A100 });
        assert_eq!(table.refused(buzz(1)), Refusal::BuzzersNotOpen);
    }

    #[test]
    fn nobody_can_buzz_with_no_clue_open() {
        let mut table = Table::new();
        assert_eq!(table.refused(buzz(1)), Refusal::BuzzersNotOpen);
    }

    #[test]
    fn the_first_buzz_to_arrive_wins_and_later_buzzes_queue_in_order() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        assert_eq!(
            table.ok(buzz(2)),
            vec![
                Event::Buzzed {
                    player: PlayerId(2),
                    position: 1
                },
                Event::Answering {
                    player: PlayerId(2)
                }
            ]
        );
        assert_eq!(
            table.ok(buzz(3)),
            vec![Event::Buzzed {
                player: PlayerId(3),
                position: 2
            }]
        );
        assert_eq!(table.buzzers(), Buzzers::Answering(PlayerId(2)));
        assert_eq!(
            table.game.open_clue().unwrap().buzz_order,
            vec![PlayerId(2), PlayerId(3)]
        );
    }

    #[test]
    fn a_player_buzzing_twice_counts_once() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        table.ok(buzz(1));
        assert_eq!(table.refused(buzz(1)), Refusal::AlreadyBuzzed);
    }

    #[test]
    fn an_unknown_player_cannot_buzz() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        assert_eq!(table.refused(buzz(9)), Refusal::UnknownPlayer);
        assert_eq!(table.refused(buzz(0)), Refusal::UnknownPlayer);
    }
}

mod judging {
    use super::*;

    #[test]
    fn a_right_answer_scores_the_value_and_reveals_the_answer() {
        let mut table = Table::new();
        table.open_with_buzzers(A200);
        table.ok(buzz(1));
        let events = table.ok(Command::Judge { correct: true });
        assert_eq!(
            events,
            vec![
                Event::Judged {
                    player: PlayerId(1),
                    correct: true,
                    delta: 200,
                    score: 200
                },
                Event::BuzzersClosed,
                Event::AnswerRevealed { tile: A200 }
            ]
        );
        assert_eq!(table.score(1), 200);
        assert!(table.game.open_clue().unwrap().revealed);
    }

    #[test]
    fn a_wrong_answer_costs_the_value_and_reopens_the_buzzers_for_the_others() {
        let mut table = Table::new();
        table.open_with_buzzers(A200);
        table.ok(buzz(1));
        table.ok(buzz(2));
        let events = table.ok(Command::Judge { correct: false });
        assert_eq!(events.last(), Some(&Event::BuzzersOpened));
        assert_eq!(table.score(1), -200);
        assert_eq!(table.buzzers(), Buzzers::Open);
        // The queue starts again: Ben must buzz again, and Ana may not.
        assert!(table.game.open_clue().unwrap().buzz_order.is_empty());
        assert_eq!(table.refused(buzz(1)), Refusal::AlreadyTried);
        table.ok(buzz(2));
        assert_eq!(table.buzzers(), Buzzers::Answering(PlayerId(2)));
    }

    #[test]
    fn when_everyone_has_answered_wrong_the_buzzers_stay_closed() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        for player in 1..=3 {
            table.ok(buzz(player));
            table.ok(Command::Judge { correct: false });
        }
        assert_eq!(table.buzzers(), Buzzers::Closed);
        assert_eq!(table.refused(Command::OpenBuzzers), Refusal::EveryoneTried);
        assert_eq!([table.score(1), table.score(2), table.score(3)], [-100; 3]);
    }

    #[test]
    fn there_is_nothing_to_judge_until_someone_buzzes() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        assert_eq!(
            table.refused(Command::Judge { correct: true }),
            Refusal::NobodyAnswering
        );
    }

    #[test]
    fn a_clue_answered_right_cannot_be_judged_again() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        table.ok(buzz(1));
        table.ok(Command::Judge { correct: true });
        assert_eq!(
            table.refused(Command::Judge { correct: true }),
            Refusal::NobodyAnswering
        );
        assert_eq!(table.score(1), 100);
    }
}

mod revealing_and_closing {
    use super::*;

    #[test]
    fn revealing_the_answer_closes_the_buzzers() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        assert_eq!(
            table.ok(Command::RevealAnswer),
            vec![Event::BuzzersClosed, Event::AnswerRevealed { tile: A100 }]
        );
        assert_eq!(table.refused(buzz(1)), Refusal::BuzzersNotOpen);
        assert_eq!(
            table.refused(Command::OpenBuzzers),
            Refusal::AlreadyRevealed
        );
    }

    #[test]
    fn closing_an_unanswered_clue_skips_it_without_scoring() {
        let mut table = Table::new();
        table.open_with_buzzers(A100);
        assert_eq!(
            table.ok(Command::CloseClue),
            vec![Event::ClueClosed { tile: A100 }]
        );
        assert!(table.game.played().contains(&A100));
        assert!(table.game.open_clue().is_none());
        assert!(table.game.players().iter().all(|p| p.score == 0));
    }

    #[test]
    fn closing_the_last_tile_clears_the_board() {
        let mut table = Table::new();
        for tile in [A100, A200] {
            table.ok(Command::OpenClue { tile });
            table.ok(Command::CloseClue);
        }
        table.ok(Command::OpenClue { tile: B100 });
        assert_eq!(
            table.ok(Command::CloseClue),
            vec![Event::ClueClosed { tile: B100 }, Event::BoardCleared]
        );
        assert!(table.game.is_cleared());
    }
}

mod adjusting_scores {
    use super::*;

    #[test]
    fn the_host_can_add_or_take_points_by_hand() {
        let mut table = Table::new();
        table.ok(Command::AdjustScore {
            player: PlayerId(3),
            delta: 50,
        });
        table.ok(Command::AdjustScore {
            player: PlayerId(3),
            delta: -80,
        });
        assert_eq!(table.score(3), -30);
    }

    #[test]
    fn a_zero_or_absurd_adjustment_is_refused() {
        let mut table = Table::new();
        for delta in [0, MAX_ADJUSTMENT + 1, i64::MIN] {
            assert_eq!(
                table.refused(Command::AdjustScore {
                    player: PlayerId(1),
                    delta
                }),
                Refusal::BadAdjustment
            );
        }
    }

    #[test]
    fn adjusting_an_unknown_player_is_refused() {
        let mut table = Table::new();
        assert_eq!(
            table.refused(Command::AdjustScore {
                player: PlayerId(7),
                delta: 5
            }),
            Refusal::UnknownPlayer
        );
    }
}
