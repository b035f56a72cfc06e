//! The floor: a bare tokio-tungstenite server that forwards one frame to
//! every socket, driven by the same load client.

use super::*;

/// The floor: a bare server that forwards one frame to every socket.
pub(crate) async fn floor(n: usize, rounds: usize) -> (f64, f64) {
    use tokio_tungstenite::tungstenite::Utf8Bytes;
    let listener = buzzboard::net::listen("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = listener.local_addr().unwrap();
    let (fan, _) = tokio::sync::broadcast::channel::<Utf8Bytes>(16);
    let server = {
        let fan = fan.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let _ = stream.set_nodelay(true);
                let mut updates = fan.subscribe();
                let fan = fan.clone();
                tokio::spawn(async move {
                    let Ok(socket) = tokio_tungstenite::accept_async(stream).await else {
                        return;
                    };
                    let (mut sink, mut stream) = socket.split();
                    loop {
                        tokio::select! {
                            update = updates.recv() => match update {
                                Ok(text) => if sink.send(Message::Text(text)).await.is_err() { return },
                                Err(_) => return,
                            },
                            frame = stream.next() => match frame {
                                // Any text from a client is the "host" asking for a round.
                                Some(Ok(Message::Text(_))) => {
                                    let _ = fan.send(Utf8Bytes::from_static(r#"{"type":"buzzers_opened"}"#));
                                }
                                Some(Ok(_)) => {}
                                _ => return,
                            },
                        }
                    }
                });
            }
        })
    };
    let (seen_tx, mut seen) = mpsc::unbounded_channel();
    let storm = Arc::new(AtomicUsize::new(0));
    let url = format!("ws://{addr}/");
    let phones: Vec<_> = futures_util::future::join_all(
        (0..n).map(|i| phone(url.clone(), i, seen_tx.clone(), storm.clone(), None)),
    )
    .await;
    let (mut host, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut closed = 0;
    let mut delays = Vec::new();
    for _ in 0..rounds {
        let opened = Instant::now();
        host.send(Message::text("go")).await.unwrap();
        delays.extend(
            collect(
                &mut seen,
                Kind::Opened,
                n,
                opened,
                Duration::from_secs(20),
                &mut closed,
            )
            .await,
        );
        // The host's own copy.
        let _ = host.next().await;
    }
    drop(phones);
    server.abort();
    (percentile(&mut delays, 0.5), percentile(&mut delays, 0.99))
}
