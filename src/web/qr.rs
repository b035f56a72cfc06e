//! The QR code students scan to join, drawn as SVG on the server so the
//! pages need no QR library and no internet.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use qrcode::QrCode;
use qrcode::render::svg;

use super::AppState;
use super::access::{FoundRoom, HostRoom};
use super::error::PageError;

/// `GET /rooms/{code}/qr.svg`: the join link as a QR code.
pub async fn join_qr(
    State(state): State<AppState>,
    FoundRoom(room): FoundRoom,
) -> Result<impl IntoResponse, PageError> {
    let join_url = state.links(room.code(), "").join_url;
    let svg = join_svg(&join_url)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    ))
}

/// `GET /host/{code}/qr.svg`: the host link (with the room's host key) as
/// a QR code, for the teacher to run the game from their phone. It opens
/// the host's controls, so only the host may fetch it, and the host page
/// shows it only when asked (never on the projector).
pub async fn host_qr(
    State(state): State<AppState>,
    HostRoom { room }: HostRoom,
) -> Result<impl IntoResponse, PageError> {
    let host_url = state.links(room.code(), room.host_key().as_str()).host_url;
    let svg = join_svg(&host_url)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        svg,
    ))
}

fn join_svg(url: &str) -> Result<String, PageError> {
    let code = QrCode::new(url.as_bytes())
        .map_err(|e| PageError::Internal(format!("QR code for {url}: {e}")))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build())
}
