//! The soak: thousands of phones over many rooms for minutes, watching
//! for drops, stalls and memory growth.

use super::*;

/// Many classes at once: `rooms` rooms of `per_room` phones held for
/// `minutes`, every phone answering the server's probes. Every cycle one
/// room (the quiet room) opens its buzzers twice, once alone and once while
/// another room storms (all its phones buzz at once); the quiet room's
/// fan-out in the two cases is compared.
pub(crate) async fn soak(rooms: usize, per_room: usize, minutes: f64) {
    let data = fault::temp_dir("soak");
    let port = fault::free_port();
    // Room for every phone twice over: a join told to wait is retried on a
    // new socket while the old one closes.
    let sockets = (rooms * (per_room + 2) * 2).to_string();
    let server = fault::Binary::start(
        &data,
        port,
        &[
            "--max-players",
            "5000",
            "--sockets-per-address",
            &sockets,
            "--max-sockets",
            &(rooms * (per_room + 2) * 2).to_string(),
        ],
    )
    .expect("the server starts");
    let rss_empty = server.rss_kib();
    let mut hosts = Vec::new();
    let mut codes = Vec::new();
    for _ in 0..rooms {
        let room = server.create_room("rlhf").await;
        hosts.push(class_host(server.addr, &room, per_room).await);
        codes.push(room.code);
    }
    // The quiet room and the storming room report what their phones see;
    // the others only count pages that closed.
    let (quiet_tx, mut quiet_seen) = mpsc::unbounded_channel();
    let (storm_tx, mut storm_seen) = mpsc::unbounded_channel();
    let (others_tx, mut others_seen) = mpsc::unbounded_channel::<Seen>();
    let others_closed = Arc::new(AtomicUsize::new(0));
    let counted = others_closed.clone();
    tokio::spawn(async move {
        while let Some(event) = others_seen.recv().await {
            if event.kind == Kind::Closed {
                counted.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    let storm_flags: Vec<Arc<AtomicUsize>> =
        (0..rooms).map(|_| Arc::new(AtomicUsize::new(0))).collect();
    let started = Instant::now();
    let mut outs = Vec::new();
    let mut seated = 0;
    let mut failed_connects = 0;
    for (r, code) in codes.iter().enumerate() {
        let seen = match r {
            0 => quiet_tx.clone(),
            1 => storm_tx.clone(),
            _ => others_tx.clone(),
        };
        let url = format!("ws://{}/ws/{code}?role=player", server.addr);
        // A class joins together; the server lets one address seat 2,500 at
        // once and then 100 a second, so later classes may be told to wait.
        let mut waiting: Vec<usize> = (0..per_room).collect();
        while !waiting.is_empty() {
            let joins = waiting.iter().map(|&i| {
                let (url, seen, storm) = (url.clone(), seen.clone(), storm_flags[r].clone());
                async move {
                    let (reply, welcomed) = tokio::sync::oneshot::channel();
                    let Some(out) = phone(url, r * per_room + i, seen, storm, Some(reply)).await
                    else {
                        return (i, None, true);
                    };
                    let _ = out.send(text(&ClientMsg::Join {
                        name: format!("Room {r} phone {i}"),
                        nonce: Some(format!("soak-{r:03}-{i:05}")),
                    }));
                    let welcome = tokio::time::timeout(Duration::from_secs(10), welcomed)
                        .await
                        .ok()
                        .and_then(Result::ok);
                    (i, welcome.map(|_| out), false)
                }
            });
            let results: Vec<_> = futures_util::future::join_all(joins).await;
            let mut again = Vec::new();
            for (i, seat, unconnected) in results {
                match seat {
                    Some(out) => {
                        seated += 1;
                        outs.push(out);
                    }
                    // Not connected, or told to wait: it tries again.
                    None => {
                        failed_connects += usize::from(unconnected);
                        again.push(i);
                    }
                }
            }
            if !again.is_empty() {
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            waiting = again;
        }
    }
    let join_s = started.elapsed().as_secs_f64();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let kib_per_phone = server.rss_kib().saturating_sub(rss_empty) as f64 / seated as f64;
    eprintln!(
        "soak: {seated} phones seated in {join_s:.0} s ({failed_connects} connection attempts failed and were retried), {kib_per_phone:.1} KiB each"
    );

    let cycles = ((minutes * 60.0 / 50.0).round() as usize).clamp(1, 12);
    let pause = Duration::from_secs_f64((minutes * 60.0 / cycles as f64 - 4.0).max(1.0));
    let (mut alone, mut beside_storm) = (Vec::new(), Vec::new());
    let mut quiet_closed = 0;
    let mut storm_closed = 0;
    let mut storms_named = 0;
    for cycle in 0..cycles {
        let tile = |n: usize| (n % 5, n / 5);
        // The quiet room alone.
        let (c, row) = tile(2 * cycle);
        alone.extend(
            open_and_time(
                &mut hosts[0],
                (c, row),
                Duration::ZERO,
                &mut quiet_seen,
                per_room,
                &mut quiet_closed,
            )
            .await,
        );
        hosts[0]
            .send(&ClientMsg::Host(HostCommand::CloseClue))
            .await;
        // The storming room's phones all buzz 150 ms after their buzzers
        // open; the quiet room opens its buzzers as the storm lands.
        storm_flags[1].store(1, Ordering::Relaxed);
        let (c, row) = tile(cycle);
        hosts[1]
            .send(&ClientMsg::OpenClue { category: c, row })
            .await;
        hosts[1]
            .send(&ClientMsg::Host(HostCommand::OpenBuzzers))
            .await;
        beside_storm.extend(
            open_and_time(
                &mut hosts[0],
                tile(2 * cycle + 1),
                Duration::from_millis(150),
                &mut quiet_seen,
                per_room,
                &mut quiet_closed,
            )
            .await,
        );
        if tokio::time::timeout(
            Duration::from_secs(10),
            hosts[1].expect("answering", |m| {
                matches!(m, ServerMsg::Answering { .. }).then_some(())
            }),
        )
        .await
        .is_ok()
        {
            storms_named += 1;
        }
        storm_flags[1].store(0, Ordering::Relaxed);
        hosts[0]
            .send(&ClientMsg::Host(HostCommand::CloseClue))
            .await;
        hosts[1]
            .send(&ClientMsg::Host(HostCommand::CloseClue))
            .await;
        // Drain the storm room's reports (its closures count).
        while let Ok(event) = storm_seen.try_recv() {
            if event.kind == Kind::Closed {
                storm_closed += 1;
            }
        }
        eprintln!(
            "soak: cycle {}/{cycles} done at {:.0} s",
            cycle + 1,
            started.elapsed().as_secs_f64()
        );
        tokio::time::sleep(pause).await;
    }
    // Held for the whole time asked, counted from when everyone was in.
    let hold_until = started + Duration::from_secs_f64(join_s + minutes * 60.0);
    tokio::time::sleep_until(hold_until).await;
    let held_s = started.elapsed().as_secs_f64() - join_s;
    let closed = quiet_closed + storm_closed + others_closed.load(Ordering::Relaxed);
    let rss_end = server.rss_kib();
    println!(
        "soak: {rooms} rooms x {per_room} phones, held {:.1} min after joining ({join_s:.0} s to seat {seated}; {failed_connects} connection attempts failed and were retried)\n",
        held_s / 60.0
    );
    println!("| quiet room's \"buzzers open\" to its {per_room} phones | p50 | p99 |");
    println!("|---|---|---|");
    println!(
        "| alone | {:.2} ms | {:.2} ms |",
        percentile(&mut alone, 0.5),
        percentile(&mut alone, 0.99)
    );
    println!(
        "| while another room storms | {:.2} ms | {:.2} ms |",
        percentile(&mut beside_storm, 0.5),
        percentile(&mut beside_storm, 0.99)
    );
    println!(
        "\nstorms named: {storms_named}/{cycles}; pages closed: {closed}; memory: {kib_per_phone:.1} KiB per phone after joining, {:.1} KiB at the end",
        rss_end.saturating_sub(rss_empty) as f64 / seated as f64
    );
    drop(outs);
    server.kill9();
}
