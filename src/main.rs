//! The `buzzboard` binary: parses options, then runs the server or a board
//! tool. All the work happens in the library.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use buzzboard::board::{BoardId, BoardLibrary, library};
#[cfg(feature = "cluster")]
use buzzboard::cluster::Cluster;
use buzzboard::config::{Cli, Command, ServeOptions};
use buzzboard::secret::Token;
use buzzboard::store::{self, Store};
use buzzboard::{AppState, app};
use clap::Parser;
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve),
        Some(Command::Check { paths }) => check(&cli.serve.boards_dir, paths),
        Some(Command::Import {
            file,
            output,
            title,
        }) => import(&file, output.as_deref(), &title),
    }
}

fn serve(options: ServeOptions) -> ExitCode {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only for a person at a terminal, not in a log file or journal.
    let colours = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let log = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(colours);
    match options.log_format {
        buzzboard::config::LogFormat::Text => log.init(),
        buzzboard::config::LogFormat::Json => log.json().init(),
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(options: ServeOptions) -> Result<(), String> {
    std::fs::create_dir_all(&options.data_dir).map_err(|e| {
        format!(
            "cannot create the data folder {}: {e} (choose another with --data-dir)",
            options.data_dir.display()
        )
    })?;
    // The data folder holds the teacher key and every game's answers: for
    // this user only.
    private(&options.data_dir, 0o700);
    let saved_boards = options.data_dir.join("boards");
    let boards = BoardLibrary::load_with_saved(&options.boards_dir, &saved_boards);
    for problem in boards.problems() {
        tracing::warn!("board skipped: {problem}");
    }
    let address = SocketAddr::new(options.bind, options.port);
    let listener = buzzboard::net::listen(address)
        .map_err(|e| format!("cannot listen on {address}: {e} (choose another with --port)"))?;
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    let public_url = options.public_url(bound.port());
    let (store, teacher_key, saved_in) = match &options.database_url {
        None => {
            let database = options.data_dir.join(store::DATABASE_FILE);
            if options.fresh_database
                && let Some(aside) = Store::set_aside(&database).map_err(|e| e.to_string())?
            {
                println!("The old games database was moved to {}.", aside.display());
            }
            let store = Store::open(&database).map_err(|e| e.to_string())?;
            let key = teacher_key(&options.data_dir)?;
            (store, key, database.display().to_string())
        }
        #[cfg(feature = "cluster")]
        Some(url) => {
            let cluster_address = options.cluster_address(bound.port());
            let db = store::Postgres::connect(url, &cluster_address)
                .await
                .map_err(|e| e.to_string())?;
            let key = db
                .teacher_key(Token::generate().as_str())
                .await
                .map_err(|e| e.to_string())?;
            if !options.trust_proxy {
                tracing::warn!(
                    "in a cluster every server sits behind the load balancer: start with --trust-proxy"
                );
            }
            let place = db.place().to_owned();
            println!("One of a cluster on {place}, reached by the others at {cluster_address}.");
            (Store::Postgres(Box::new(db)), Token::from_saved(key), place)
        }
        #[cfg(not(feature = "cluster"))]
        Some(_) => {
            return Err(
                "--database-url needs a build with cluster support: cargo build --release --features cluster (the Docker image has it; see docs/scaling.md)"
                    .to_owned(),
            );
        }
    };
    let store = Arc::new(store);
    let state = AppState::with_store(
        boards,
        &public_url,
        Some(store.clone()),
        Some(saved_boards),
        teacher_key.clone(),
    );
    state.rooms().set_max_players(options.max_players);
    state.allow_origins(&options.allowed_origin)?;
    state.set_limits(buzzboard::web::Limits {
        max_connections: options.max_connections.max(1),
        sockets_per_address: options.sockets_per_address.max(1),
        max_sockets: options.max_sockets.max(10),
        trust_proxy: options.trust_proxy,
        ..buzzboard::web::Limits::default()
    });
    #[cfg(feature = "cluster")]
    let cluster = Cluster::new(
        store,
        Duration::from_secs_f64(options.lease_seconds.clamp(0.5, 600.0)),
    )
    .map(Arc::new);
    #[cfg(feature = "cluster")]
    if let Some(cluster) = &cluster {
        state.set_cluster(cluster.clone());
        let (cluster, keeper) = (cluster.clone(), state.clone());
        tokio::spawn(async move { cluster.keep_leases(keeper.rooms()).await });
    }
    #[cfg(not(feature = "cluster"))]
    drop(store);
    // A cluster restores no rooms at start: each is taken over, from the
    // shared journal, by the server its next request reaches.
    state
        .open_accounts()
        .await
        .map_err(|e| format!("cannot open the teachers' accounts: {e}"))?;
    let (restored, problems) = state.restore_rooms().await.map_err(|e| e.to_string())?;
    for problem in &problems {
        tracing::warn!("saved game not restored: {problem}");
    }
    let idle = Duration::from_secs_f64(options.idle_hours.max(0.0) * 3600.0);
    state.set_default_retention(idle);
    let retired = state.rooms().retire_idle(state.retention().await).await;
    spawn_idle_cleanup(state.clone());

    if restored > 0 || retired > 0 {
        println!("Games restored from {saved_in}: {restored} (idle games removed: {retired}).");
    }
    println!("Buzzboard is running on {bound}.");
    let running = state.rooms().list();
    if state.database_reachable().is_some() {
        // Every server of a cluster would start one; the teacher page starts
        // games instead.
    } else if running.is_empty() {
        // One game on the default board is ready at start, so the teacher
        // can click the printed host link and go. If it cannot be made (the
        // server is full), the server still serves the games it has.
        match buzzboard::web::start_room(&state, None, buzzboard::store::accounts::OWNER).await {
            Ok(room) => {
                println!("A game of \"{}\" is ready:", room.board.title);
                print_links(&state, &room.code, room.host_key.as_str());
            }
            Err(e) => println!("No new game was started: {}", e),
        }
    } else {
        // After a restart the class's games are what the teacher wants back.
        println!("These games came back (start new ones from the teacher page):");
        for room in &running {
            println!("Game {} of \"{}\":", room.code(), room.board().title);
            print_links(&state, room.code(), room.host_key().as_str());
        }
    }
    println!(
        "Teacher page (start games, running games, boards; keep private): {public_url}/?key={}",
        teacher_key.as_str()
    );
    say_who_can_join(&public_url);
    println!("Press Ctrl+C to stop.");

    let closer = state.clone();
    let server =
        buzzboard::web::serve::serve(listener, app(state.clone()), state.limits(), async move {
            shutdown_signal().await;
            tracing::info!("shutting down");
            // In a cluster the rooms are handed back first, so the pages'
            // reconnections find them free on the other servers at once.
            #[cfg(feature = "cluster")]
            if let Some(cluster) = closer.cluster() {
                cluster.release_all(closer.rooms()).await;
            }
            closer.begin_shutdown();
        });
    let mut server = std::pin::pin!(server);
    let stopped = tokio::select! {
        result = &mut server => result.map_err(|e| format!("the server stopped: {e}")),
        () = async { shutdown_signal().await; tokio::time::sleep(SHUTDOWN_GRACE).await } => {
            tracing::warn!("connections still open after {SHUTDOWN_GRACE:?}; exiting anyway");
            return Ok(());
        }
    };
    // Upgraded WebSockets are not connections the HTTP server waits for:
    // give each page's task the moment it needs to send its "restarting"
    // close frame before the process ends.
    if tokio::time::timeout(SHUTDOWN_GRACE, state.connections_closed())
        .await
        .is_err()
    {
        tracing::warn!(
            "{} pages had not closed after {SHUTDOWN_GRACE:?}; exiting anyway",
            state.connections()
        );
    }
    stopped
}

/// Prints a room's three links.
fn print_links(state: &AppState, code: &str, host_key: &str) {
    let links = state.links(code, host_key);
    println!(
        "  Host controls (keep this link private): {}",
        links.host_url
    );
    println!(
        "  Projector view:                         {}",
        links.board_url
    );
    println!(
        "  Students join:                          {}  (room code {code})",
        links.join_url,
    );
}

/// Says plainly who can open the printed links, and what to do when
/// students elsewhere must join or phones on the Wi-Fi cannot connect.
fn say_who_can_join(public_url: &str) {
    match buzzboard::net::reach(public_url) {
        buzzboard::net::Reach::Anywhere => {}
        buzzboard::net::Reach::ThisComputer => println!(
            "Only this computer can open these links ({public_url}). For phones, start with --bind 0.0.0.0 (every network of this computer)."
        ),
        buzzboard::net::Reach::ThisNetwork => println!(
            "Only phones on this computer's network (the same Wi-Fi) can open these links: {public_url} is a local address, and students at home or on mobile data cannot reach it. For remote students, run Buzzboard on a server with a public address (README: \"Remote students\"). If phones on the Wi-Fi cannot connect either, the network may keep devices apart (ask for a network that does not) or this computer's firewall may block port {}: allow Buzzboard when it asks.",
            public_url
                .rsplit(':')
                .next()
                .filter(|p| p.chars().all(|c| c.is_ascii_digit()))
                .unwrap_or("80")
        ),
    }
}

/// Makes `path` readable by this user only (Unix); a failure is logged, as
/// the folder may be one the operator manages.
fn private(path: &Path, mode: u32) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
            tracing::warn!("cannot make {} private: {e}", path.display());
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
}

/// The teacher key, kept in the data folder so the teacher link survives
/// restarts; created on first start.
fn teacher_key(data_dir: &Path) -> Result<Token, String> {
    let path = data_dir.join("teacher.key");
    match std::fs::read_to_string(&path) {
        Ok(text)
            if text.trim().len() == 32 && text.trim().chars().all(|c| c.is_ascii_hexdigit()) =>
        {
            Ok(Token::from_saved(text.trim().to_owned()))
        }
        Ok(_) => Err(format!(
            "{} is not a teacher key; delete it to have a new one made",
            path.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key = Token::generate();
            buzzboard::store::write_private(&path, key.as_str().as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            Ok(key)
        }
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// Every so often, deletes games idle for longer than the retention (the
/// admin's, else `--idle-hours`), and sign-ins that ran out.
fn spawn_idle_cleanup(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(600));
        every.tick().await;
        loop {
            every.tick().await;
            let retired = state.rooms().retire_idle(state.retention().await).await;
            if retired > 0 {
                tracing::info!("removed {retired} idle games");
            }
            if let Err(e) = state.sessions().sweep_sessions().await {
                tracing::warn!("cannot sweep expired sessions: {e}");
            }
        }
    });
}

/// How long open connections get to close after Ctrl+C or SIGTERM.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, Ctrl+C still kills the process.
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

fn check(boards_dir: &Path, paths: Vec<PathBuf>) -> ExitCode {
    let paths = if paths.is_empty() {
        vec![boards_dir.to_path_buf()]
    } else {
        paths
    };
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    let mut found: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                        .collect();
                    found.sort();
                    files.extend(found);
                }
                Err(e) => {
                    eprintln!("{}: cannot read the folder: {e}", path.display());
                    return ExitCode::FAILURE;
                }
            }
        } else {
            files.push(path);
        }
    }
    let mut failed = 0;
    for file in &files {
        match library::load_file(file) {
            Ok(board) => println!(
                "ok    {} ({}: {} categories, {} clues)",
                file.display(),
                board.title,
                board.categories().len(),
                board.clue_count()
            ),
            Err(e) => {
                failed += 1;
                println!("error {e}");
            }
        }
    }
    println!("{} boards checked, {failed} with errors", files.len());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn import(file: &Path, output: Option<&Path>, title: &str) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", file.display());
            return ExitCode::FAILURE;
        }
    };
    let stem = output
        .and_then(|o| o.file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or("imported");
    let id = match BoardId::parse(stem) {
        Ok(id) => id,
        Err(why) => {
            eprintln!("error: bad output file name: {why}");
            return ExitCode::FAILURE;
        }
    };
    let name = file.display().to_string();
    let folder = file.parent().unwrap_or(Path::new("."));
    let media = library::DirMedia(folder);
    let board = match buzzboard::board::import_any(id, &name, Some(title), &text, &media) {
        Ok(board) => board,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let written = buzzboard::board::format::write(&board);
    match output {
        None => {
            print!("{written}");
            ExitCode::SUCCESS
        }
        Some(path) => match std::fs::write(path, written) {
            Ok(()) => {
                eprintln!(
                    "wrote {} ({} categories, {} clues)",
                    path.display(),
                    board.categories().len(),
                    board.clue_count()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::FAILURE
            }
        },
    }
}
