//! Crash the real server at many random points and count the trials that
//! lost anything; then measure a page that stops reading. Prints what
//! `docs/reliability.md` reports.
//!
//! ```text
//! cargo bench --bench reliability              # 60 kill points, 15+15 timed buzzes
//! CRASH_TRIALS=200 cargo bench --bench reliability
//! ```

#[path = "../tests/common/mod.rs"]
mod common;

#[path = "../tests/common/fault.rs"]
mod fault;

#[path = "../tests/common/fairness_sim.rs"]
#[allow(unused)]
mod sim;

#[path = "../tests/common/slow_client.rs"]
mod slow_client;

fn main() {
    let trials: usize = std::env::var("CRASH_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async move {
        let steps = fault::script().len();
        let mut rng = sim::Rng::new(7_777);
        let mut lost = 0;
        let started = std::time::Instant::now();
        for trial in 0..trials {
            let kill_after = 1 + (rng.next_u64() as usize % steps);
            let result = fault::crash_trial(kill_after).await;
            if !result.lost.is_empty() {
                lost += 1;
                println!("trial {trial} (killed after step {kill_after}) lost: {:#?}", result.lost);
            }
        }
        println!(
            "crash: {trials} trials, SIGKILL after a random one of {steps} steps (seed 7777), {lost} lost anything, {:.0} s",
            started.elapsed().as_secs_f64()
        );

        // A phone may buzz 20 times in a burst (then 10 a second), so the
        // timed rounds stay within that on each side of the flood.
        let rounds = 15;
        let run = slow_client::run(rounds, 20_000).await;
        assert!(run.stalled_present, "the stalled page left too early: {run:?}");
        let (base_median, base_p95) = (slow_client::median(&run.baseline_ms), slow_client::p95(&run.baseline_ms));
        let (stall_median, stall_p95) = (slow_client::median(&run.stalled_ms), slow_client::p95(&run.stalled_ms));
        println!(
            "slow page: {rounds} buzzes each; buzz-to-answering median {base_median:.2} ms (p95 {base_p95:.2}) without it, \
             {stall_median:.2} ms (p95 {stall_p95:.2}) with a connected page that reads nothing: ratio {:.2} (median), {:.2} (p95)",
            stall_median / base_median,
            stall_p95 / base_p95,
        );
        let [before, flooded, after] = run.rss_kib;
        println!(
            "slow page: server memory {before} KiB before, {flooded} KiB after {} updates pushed at it, {after} KiB after it was dropped; dropped: {}",
            run.flood,
            run.stalled_page_dropped
        );
    });
}
