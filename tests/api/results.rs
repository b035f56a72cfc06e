//! The host's downloads: the results, every clue and the buzz audit, as
//! CSV and as one Excel workbook that a real spreadsheet reader opens.

use std::io::Cursor;

use buzzboard::game::HostCommand;
use buzzboard::protocol::ClientMsg;
use calamine::{Data, Reader, Xlsx};

use crate::common::TestServer;

/// Ana answers right, "=HYPERLINK(...)" wrong; the host gives Ben 50.
async fn a_short_game(server: &TestServer) -> crate::common::Room {
    let room = server.create_room(None).await;
    let (mut host, _) = server.host(&room).await;
    // The name filter would hold the formula back; a host may turn it off.
    host.send(&ClientMsg::Host(HostCommand::SetTextFilter { on: false }))
        .await;
    host.expect("filter off", |m| {
        matches!(m, buzzboard::protocol::ServerMsg::TextFilter { on: false }).then_some(())
    })
    .await;
    let mut ana = server.player(&room, "Ana").await;
    let mut mallory = server.player(&room, "b;=HYPERLINK(\"x\");").await;
    let ben = server.player(&room, "Ben").await;
    host.open_clue_and_buzzers(0, 0).await;
    ana.buzz_in(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: true }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::CloseClue)).await;
    host.open_clue_and_buzzers(0, 1).await;
    mallory.buzz_in(&mut host).await;
    host.send(&ClientMsg::Host(HostCommand::Judge { correct: false }))
        .await;
    host.send(&ClientMsg::Host(HostCommand::AdjustScore {
        player: ben.id,
        delta: 50,
    }))
    .await;
    host.expect("Ben's 50", |m| {
        matches!(
            m,
            buzzboard::protocol::ServerMsg::ScoreAdjusted { score: 50, .. }
        )
        .then_some(())
    })
    .await;
    room
}

async fn download(
    server: &TestServer,
    room: &crate::common::Room,
    file: &str,
) -> reqwest::Response {
    server
        .get_with_key(&format!("/host/{}/{file}", room.code), &room.host_key)
        .await
}

#[tokio::test]
async fn the_workbook_opens_in_a_spreadsheet_reader_with_a_sheet_per_table() {
    let server = TestServer::start().await;
    let room = a_short_game(&server).await;
    let response = download(&server, &room, "results.xlsx").await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a real workbook");
    assert_eq!(book.sheet_names(), ["Results", "Clues", "Buzz audit"]);
    let results = book.worksheet_range("Results").unwrap();
    let rows: Vec<Vec<Data>> = results.rows().map(|r| r.to_vec()).collect();
    assert_eq!(
        rows[0],
        ["place", "player", "score", "right", "wrong"].map(|h| Data::String(h.into()))
    );
    assert_eq!(rows[1][1], Data::String("Ana".into()));
    assert_eq!(rows[1][2], Data::Float(100.0), "scores are numbers");
    assert_eq!(rows[2][1], Data::String("Ben".into()));
    // The formula-looking name is text in its cell, exactly as typed.
    assert_eq!(rows[3][1], Data::String("b;=HYPERLINK(\"x\");".into()));
    assert_eq!(rows[3][2], Data::Float(-200.0));
    let clues = book.worksheet_range("Clues").unwrap();
    assert_eq!(clues.height(), 4, "a header and three score changes");
    let formulas = book.worksheet_formula("Results").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no cell is a formula"
    );
}

#[tokio::test]
async fn results_and_clues_are_separate_csv_files_with_one_header_row_each() {
    let server = TestServer::start().await;
    let room = a_short_game(&server).await;
    let results = download(&server, &room, "results.csv")
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = results.lines().collect();
    assert_eq!(lines[0], "\u{FEFF}place,player,score,right,wrong");
    assert_eq!(lines[1], "1,Ana,100,1,0");
    assert_eq!(lines[2], "2,Ben,50,0,0");
    // Every piece a spreadsheet could split out on `;` is kept from
    // starting a formula.
    assert_eq!(lines[3], "3,\"b;'=HYPERLINK(\"\"x\"\");\",-200,0,1");
    let clues = download(&server, &room, "clues.csv")
        .await
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = clues.lines().collect();
    assert_eq!(
        lines[0],
        "\u{FEFF}round,category,value,daily double,player,result,points,undone"
    );
    assert_eq!(lines.len(), 4, "{clues}");
    assert!(lines[3].contains(",Ben,by hand,50,"), "{clues}");
    assert_eq!(download(&server, &room, "nothing.csv").await.status(), 404);
}
