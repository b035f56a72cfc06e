//! The large fairness run: every scenario of issues 3 and 11, in both buzz modes, on
//! the real server over real WebSockets, with a fixed seed. Prints the table
//! that `docs/fairness.md` shows.
//!
//! ```text
//! cargo bench --bench fairness              # 200 trials per scenario and mode
//! FAIRNESS_TRIALS=50 cargo bench --bench fairness
//! ```
//!
//! All scenario/mode pairs run at the same time, each in its own room, so
//! both modes see the same machine load; compare them within one run.

#[path = "../tests/common/mod.rs"]
mod common;

#[path = "../tests/common/fairness_sim.rs"]
mod sim;

use buzzboard::game::BuzzMode;

fn percent(rate: f64, n: usize) -> String {
    if n == 0 {
        "–".into()
    } else {
        format!("{:.1}% (n={n})", rate * 100.0)
    }
}

fn main() {
    let trials: usize = std::env::var("FAIRNESS_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let server = common::TestServer::start_with(sim::trial_boards()).await;
        let scenarios = sim::scenarios();
        let mut runs = Vec::new();
        for (i, scenario) in scenarios.iter().enumerate() {
            for mode in [BuzzMode::Compensated, BuzzMode::FirstArrival] {
                // The same seed for both modes: the same reactions and delays.
                let seed = 1_000 + i as u64;
                runs.push(sim::run(&server, scenario, mode, trials, seed));
            }
        }
        let started = std::time::Instant::now();
        let results = futures_util::future::join_all(runs).await;
        println!(
            "fairness: {trials} trials per scenario and mode, seed 1000+scenario, {:.0} s\n",
            started.elapsed().as_secs_f64()
        );
        println!("| scenario | mode | fastest honest wins, gap ≥ 25 ms | gap 10–25 ms | winner's arrival → named, p50 / p99 | first buzz sent → named, max | cheater wins / beyond margin (largest lead) | cheats locked out |");
        println!("|---|---|---|---|---|---|---|---|");
        let mut pairs = results.iter();
        for scenario in &scenarios {
            for mode in ["compensated", "first to reach the server"] {
                let summary = sim::summarise(pairs.next().expect("one result per run"));
                let (cheats, locked) = if scenario.has_cheat() {
                    (
                        format!(
                            "{} / {} ({:.0} ms)",
                            summary.cheater_wins, summary.violations, summary.max_unfair_ms
                        ),
                        if summary.must_lock > 0 {
                            format!("{}/{}", summary.locked, summary.must_lock)
                        } else {
                            "–".into()
                        },
                    )
                } else {
                    ("–".into(), "–".into())
                };
                println!(
                    "| {} | {mode} | {} | {} | {:.0} / {:.0} ms | {:.0} ms | {cheats} | {locked} |",
                    scenario.name,
                    percent(summary.wide_gap_rate, summary.wide_gap_trials),
                    percent(summary.narrow_gap_rate, summary.narrow_gap_trials),
                    summary.settle_p50_ms,
                    summary.settle_p99_ms,
                    summary.max_announce_ms,
                );
            }
        }
    });
}
