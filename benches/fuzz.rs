//! Fuzzing on a stable toolchain, for a bounded time: the message decoder
//! and the three board parsers fed mutated real inputs. (With nightly and
//! cargo-fuzz, the same targets run under libFuzzer: see `fuzz/`.)
//!
//! ```text
//! cargo bench --bench fuzz                 # 15 s per target
//! FUZZ_SECS=120 cargo bench --bench fuzz
//! ```
//!
//! A panic stops the run, saves the input to `target/fuzz-crash-<target>`
//! and exits with an error.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// Small, seedable, good enough to pick mutations.
use buzzboard::seeded::SplitMix64 as Rng;

/// Tokens worth splicing in: structure, quotes, odd numbers and Unicode.
const TOKENS: &[&str] = &[
    "\"",
    "{",
    "}",
    "[",
    "]",
    "[[",
    "]]",
    ",",
    ":",
    "=",
    "\n",
    "\r\n",
    "\t",
    "\\",
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "18446744073709551616",
    "-9223372036854775809",
    "NaN",
    "\u{202e}",
    "\u{200b}",
    "\u{301}\u{301}\u{301}\u{301}",
    "\u{0}",
    "\"type\":",
    "value = ",
    "[[category]]",
    "[[round]]",
    "[final]",
    "daily_double = true",
    "\"\"\"",
    "'''",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.below(seeds.len())].clone();
    for _ in 0..1 + rng.below(8) {
        let len = data.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                data[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                data.insert(i, rng.next_u64() as u8);
            }
            2 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(64) + 1).min(len);
                data.drain(start..end);
            }
            3 if len > 0 => {
                let start = rng.below(len);
                let end = (start + rng.below(256) + 1).min(len);
                let chunk = data[start..end].to_vec();
                let at = rng.below(data.len() + 1);
                data.splice(at..at, chunk);
            }
            4 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let at = rng.below(len + 1);
                data.splice(at..at, token.iter().copied());
            }
            5 => {
                // Splice a piece of another seed.
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let start = rng.below(other.len());
                    let end = (start + rng.below(512) + 1).min(other.len());
                    let at = rng.below(len + 1);
                    data.splice(at..at, other[start..end].iter().copied());
                }
            }
            _ if len > 0 => data.truncate(rng.below(len)),
            _ => {}
        }
    }
    data
}

fn protocol_examples() -> Vec<Vec<u8>> {
    include_str!("../docs/protocol.md")
        .split("```json")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .map(|block| block.trim().as_bytes().to_vec())
        .collect()
}

type Target = (&'static str, fn(&[u8]), Vec<Vec<u8>>);

fn main() {
    let secs: u64 = std::env::var("FUZZ_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let targets: Vec<Target> = vec![
        (
            "client_message",
            buzzboard::fuzzing::client_message,
            protocol_examples(),
        ),
        (
            "board_file",
            buzzboard::fuzzing::board_file,
            vec![
                include_bytes!("../boards/rlhf.toml").to_vec(),
                include_bytes!("../tests/data/two-rounds.toml").to_vec(),
            ],
        ),
        (
            "spreadsheet",
            buzzboard::fuzzing::spreadsheet,
            vec![buzzboard::board::csv::TEMPLATE.as_bytes().to_vec()],
        ),
        (
            "jeopardylabs_export",
            buzzboard::fuzzing::jeopardylabs_export,
            vec![include_bytes!("../tests/data/rlhf-jeopardylabs.txt").to_vec()],
        ),
    ];
    // A panic is a finding: report it through the result, not the hook.
    std::panic::set_hook(Box::new(|_| {}));
    println!("fuzz: {secs} s per target, mutated real inputs\n");
    println!("| target | inputs run | per second | panics |");
    println!("|---|---|---|---|");
    let mut failed = false;
    for (i, (name, target, seeds)) in targets.into_iter().enumerate() {
        let mut rng = Rng::new(0xB022_B0A2D + i as u64);
        let started = Instant::now();
        let mut runs = 0u64;
        let mut crashed = None;
        while started.elapsed() < Duration::from_secs(secs) {
            let input = mutate(&mut rng, &seeds);
            runs += 1;
            if catch_unwind(AssertUnwindSafe(|| target(&input))).is_err() {
                crashed = Some(input);
                break;
            }
        }
        let rate = runs as f64 / started.elapsed().as_secs_f64();
        println!(
            "| {name} | {runs} | {rate:.0} | {} |",
            if crashed.is_some() { 1 } else { 0 }
        );
        if let Some(input) = crashed {
            let path = format!("target/fuzz-crash-{name}");
            let _ = std::fs::write(&path, &input);
            eprintln!("{name} panicked; the input is in {path}");
            failed = true;
        }
    }
    if failed {
        std::process::exit(1);
    }
}
