//! The same load through HAProxy onto three servers sharing PostgreSQL,
//! and how the rooms spread over them.

use super::*;

/// What many rooms at once saw: every phone's "buzzers open" delay (all
/// rooms opening together), pages closed, and rooms per server.
pub(crate) struct Spread {
    pub(crate) fanout: (f64, f64),
    pub(crate) seated: usize,
    pub(crate) closed: usize,
    pub(crate) per_server: Vec<usize>,
}

/// `rooms` rooms of `per_room` phones at once, on one server or through
/// HAProxy on the cluster; every round, every host opens its buzzers at the
/// same moment.
pub(crate) async fn spread(
    deployment: Deployment,
    rooms: usize,
    per_room: usize,
    rounds: usize,
) -> Spread {
    let args = ["--max-players", "5000"];
    let (addr, creator, _single, _cluster, data) = match deployment {
        Deployment::Cluster => {
            let cluster = cluster::Cluster::start(&args).await;
            let creator = (cluster.proxy.addr, cluster.teacher_key.clone());
            (cluster.proxy.addr, creator, None, Some(cluster), None)
        }
        _ => {
            let data = fault::temp_dir("spread");
            let server =
                fault::Binary::start(&data, fault::free_port(), &args).expect("the server starts");
            let key = std::fs::read_to_string(data.join("teacher.key")).unwrap();
            let creator = (server.addr, key.trim().to_owned());
            (server.addr, creator, Some(server), None, Some(data))
        }
    };
    let mut hosts = Vec::new();
    let mut codes = Vec::new();
    for _ in 0..rooms {
        let room = fault::create_room_at(creator.0, &creator.1, "rlhf").await;
        hosts.push(class_host(addr, &room, per_room).await);
        codes.push(room.code);
    }
    let mut per_server = vec![0; 3];
    if let Some(cluster) = &_cluster {
        let db = cluster.postgres.connect().await;
        for code in &codes {
            per_server[cluster.owner(&db, code).await.expect("an owner")] += 1;
        }
    } else {
        per_server = vec![rooms];
    }
    // Each class joins in turn, all its phones at once.
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let mut outs = Vec::new();
    let mut seated = 0;
    for (r, code) in codes.iter().enumerate() {
        let url = format!("ws://{addr}/ws/{code}?role=player");
        let joins = (0..per_room).map(|i| {
            let (url, seen_tx) = (url.clone(), seen_tx.clone());
            async move {
                let (reply, welcomed) = tokio::sync::oneshot::channel();
                let index = r * per_room + i;
                let out = phone(
                    url,
                    index,
                    seen_tx,
                    Arc::new(AtomicUsize::new(0)),
                    Some(reply),
                )
                .await?;
                let _ = out.send(text(&ClientMsg::Join {
                    name: format!("Phone {index}"),
                    nonce: Some(format!("spread-{index:08}")),
                }));
                let welcome = tokio::time::timeout(Duration::from_secs(30), welcomed)
                    .await
                    .ok()
                    .and_then(Result::ok);
                Some((out, welcome.is_some()))
            }
        });
        for joined in futures_util::future::join_all(joins)
            .await
            .into_iter()
            .flatten()
        {
            seated += usize::from(joined.1);
            outs.push(joined.0);
        }
    }
    let mut closed = 0;
    let mut delays = Vec::new();
    for round in 0..rounds {
        let (category, row) = (round % 5, round / 5);
        for host in &mut hosts {
            host.send(&ClientMsg::OpenClue { category, row }).await;
            host.expect("clue_opened", |m| {
                matches!(m, ServerMsg::ClueOpened { .. }).then_some(())
            })
            .await;
        }
        let opened = Instant::now();
        for host in &mut hosts {
            host.send(&ClientMsg::Host(HostCommand::OpenBuzzers)).await;
        }
        delays.extend(
            collect(
                &mut seen,
                Kind::Opened,
                rooms * per_room,
                opened,
                Duration::from_secs(20),
                &mut closed,
            )
            .await,
        );
        for host in &mut hosts {
            host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
            host.expect("clue_closed", |m| {
                matches!(m, ServerMsg::ClueClosed { .. }).then_some(())
            })
            .await;
        }
    }
    drop(outs);
    if let Some(data) = data {
        let _ = std::fs::remove_dir_all(data);
    }
    Spread {
        fanout: (percentile(&mut delays, 0.5), percentile(&mut delays, 0.99)),
        seated,
        closed,
        per_server,
    }
}

/// The same figures through HAProxy in front of three servers on one
/// PostgreSQL, beside one server alone in the same run; and how rooms
/// spread over the three servers.
pub(crate) async fn through_haproxy(sizes: &[usize], rounds: usize) {
    let started = std::time::Instant::now();
    let mut pairs = Vec::new();
    for &n in sizes {
        let single = buzzboard(n, rounds, Deployment::Single).await;
        let proxied = buzzboard(n, rounds, Deployment::Proxied).await;
        let cluster = buzzboard(n, rounds, Deployment::Cluster).await;
        eprintln!("{n} phones done");
        pairs.push((single, proxied, cluster));
    }
    // Many rooms at once, spread over the servers.
    let (rooms, per_room) = (
        env_number("SPREAD_ROOMS", 6),
        env_number("SPREAD_PHONES", 300),
    );
    let alone = spread(Deployment::Single, rooms, per_room, rounds).await;
    let spread_out = spread(Deployment::Cluster, rooms, per_room, rounds).await;
    eprintln!("{rooms} rooms of {per_room} done");
    // Spread: rooms made through the balancer, each started by its first
    // page, counted by the server that runs it.
    let spread_rooms = 60;
    let mut cluster = cluster::Cluster::start(&[]).await;
    let db = cluster.postgres.connect().await;
    let mut per_server = [0usize; 3];
    let mut hosts = Vec::new();
    for _ in 0..spread_rooms {
        let room = cluster.create_room("rlhf").await;
        let page = reqwest::get(format!("http://{}/board/{}", cluster.proxy.addr, room.code))
            .await
            .unwrap();
        assert_eq!(page.status(), 200);
        let owner = cluster.owner(&db, &room.code).await.expect("an owner");
        per_server[owner] += 1;
        let mut host = fault::Resilient::new(
            cluster.proxy.addr,
            &room.code,
            format!("role=host&key={}", room.host_key),
        );
        host.connect().await;
        hosts.push((owner, host));
    }
    // The server running the most rooms dies; its rooms' host pages come
    // back once other servers have taken every one of them over.
    let victim = (0..3).max_by_key(|&i| per_server[i]).unwrap();
    let killed = Instant::now();
    cluster.servers[victim].take().unwrap().kill9();
    let returns =
        hosts
            .into_iter()
            .filter(|(owner, _)| *owner == victim)
            .map(|(_, mut host)| async move {
                while host.get().try_next().await.is_some() {}
                host.lost();
                host.connect().await;
                Instant::now()
            });
    let back = futures_util::future::join_all(returns).await;
    let all_back = back.iter().max().map_or(0.0, |at| ms(*at - killed));
    drop(cluster);
    println!(
        "capacity through HAProxy: {rounds} fan-out rounds per size, {:.0} s\n",
        started.elapsed().as_secs_f64()
    );
    println!(
        "| phones | deployment | \"buzzers open\" to each phone, p50 / p99 | p99 / one server's | join burst: seated, all welcomed in | storm: winner on every phone after the host | reconnect with tokens: back, all in | memory per idle phone (server running the room) | pages closed |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (single, proxied, cluster) in pairs {
        let on = cluster
            .owner
            .map_or(String::new(), |i| format!(" (room on server {})", i + 1));
        for (name, r) in [
            ("one server, SQLite".to_owned(), &single),
            ("one server, SQLite, through HAProxy".to_owned(), &proxied),
            (format!("3 servers + HAProxy, PostgreSQL{on}"), &cluster),
        ] {
            println!(
                "| {} | {name} | {:.2} / {:.2} ms | {:.2} | {} |",
                r.phones,
                r.fanout.0,
                r.fanout.1,
                r.fanout.1 / single.fanout.1,
                r.crowd_cells(),
            );
        }
    }
    println!(
        "\n{spread_rooms} rooms created through HAProxy, each started by its first page: {} / {} / {} on the three servers",
        per_server[0], per_server[1], per_server[2]
    );
    println!(
        "kill -9 of the server running {} of them: every one of those rooms taken over and its host page back in {all_back:.0} ms (lease {} s)",
        back.len(),
        buzzboard::cluster::DEFAULT_LEASE.as_secs_f64()
    );
    println!(
        "\n{rooms} rooms of {per_room} phones at once, every host opening its buzzers together ({rounds} rounds):\n"
    );
    println!(
        "| deployment | rooms per server | seated | \"buzzers open\" to each phone, p50 / p99 | p99 / one server's | pages closed |"
    );
    println!("|---|---|---|---|---|---|");
    for (name, r) in [
        ("one server, SQLite", &alone),
        ("3 servers + HAProxy, PostgreSQL", &spread_out),
    ] {
        println!(
            "| {name} | {} | {}/{} | {:.2} / {:.2} ms | {:.2} | {} |",
            r.per_server
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(" / "),
            r.seated,
            rooms * per_room,
            r.fanout.0,
            r.fanout.1,
            r.fanout.1 / alone.fanout.1,
            r.closed,
        );
    }
}
