//! The server's admin (the owner, teacher 1, and anyone they make admin):
//! the teachers, inviting one, disabling one, giving one a fresh sign-in
//! link, the admin's own e-mail address and password, and the log of
//! every admin action. A link's secret is shown once, on the page that
//! made it; the database keeps only its digest.

use std::time::Duration;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::access::Admin;
use super::error::PageError;
use crate::secret::{Token, digest};
use crate::store::accounts::{LinkKind, LinkRecord, TeacherRecord, normal_email};

/// How long an invitation works.
pub const INVITE_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);
/// How long a fresh sign-in link works.
pub const SIGN_IN_LINK_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Log lines the page shows.
const LOG_LINES: i64 = 200;

/// A teacher as the admin page lists them.
struct TeacherRow {
    id: i64,
    name: String,
    email: String,
    since: String,
    admin: bool,
    disabled: bool,
    /// Games of theirs running on this server (or the cluster): code and
    /// board title. The admin sees which, not the games themselves.
    games: Vec<(String, String)>,
}

/// A link just made, shown once.
struct MadeLink {
    /// `invite` or `sign_in`.
    kind: &'static str,
    url: String,
    until: String,
    /// Whom it is for.
    whom: String,
}

/// One line of the log, as shown.
struct LogRow {
    at: String,
    actor: String,
    action: String,
    detail: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    teachers: Vec<TeacherRow>,
    made: Option<MadeLink>,
    log: Vec<LogRow>,
    /// The signed-in admin's own address, if they set one.
    own_email: String,
    /// A problem with the last form, as a catalogue key (`admin.<key>`).
    problem: Option<&'static str>,
    /// How long games are kept after their last play, in hours.
    retention_hours: u64,
}

/// Renders the admin page, with a link just made or a problem to show.
async fn page(
    state: &AppState,
    admin: &Admin,
    made: Option<MadeLink>,
    problem: Option<&'static str>,
) -> Result<Response, PageError> {
    let store = state.sessions();
    let failed = |e: crate::store::StoreError| PageError::Internal(format!("admin page: {e}"));
    let teachers = store.teachers().await.map_err(failed)?;
    let games = state.games_by_owner().await;
    let name_of = |id: i64| {
        teachers
            .iter()
            .find(|t| t.id == id)
            .map_or_else(|| format!("#{id}"), |t| t.name.clone())
    };
    let log = store
        .admin_log(LOG_LINES)
        .await
        .map_err(failed)?
        .into_iter()
        .map(|entry| LogRow {
            at: utc(entry.at_unix_ms),
            actor: name_of(entry.actor),
            action: entry.action,
            detail: entry.detail,
        })
        .collect();
    let own_email = teachers
        .iter()
        .find(|t| t.id == admin.id)
        .and_then(|t| t.email.clone())
        .unwrap_or_default();
    let rows = teachers
        .iter()
        .map(|t: &TeacherRecord| TeacherRow {
            id: t.id,
            name: t.name.clone(),
            email: t.email.clone().unwrap_or_default(),
            since: utc(t.created_unix_ms),
            admin: t.admin,
            disabled: t.disabled,
            games: games
                .iter()
                .filter(|(owner, _, _)| *owner == t.id)
                .map(|(_, code, title)| (code.clone(), title.clone()))
                .collect(),
        })
        .collect();
    let html = AdminPage {
        retention_hours: state.retention().await.as_secs() / 3600,
        teachers: rows,
        made,
        log,
        own_email,
        problem,
    }
    .render()?;
    Ok(Html(html).into_response())
}

/// `GET /admin`: the admin page.
pub async fn show(State(state): State<AppState>, admin: Admin) -> Result<Response, PageError> {
    page(&state, &admin, None, None).await
}

/// The invitation form.
#[derive(Deserialize)]
pub struct InviteForm {
    /// The address the invitation is for; empty for anyone who has it.
    #[serde(default)]
    email: String,
}

/// `POST /admin/invite`: makes an invitation link (for one address, or for
/// whoever is given it) and shows it once.
pub async fn invite(
    State(state): State<AppState>,
    admin: Admin,
    Form(form): Form<InviteForm>,
) -> Result<Response, PageError> {
    let email = normal_email(&form.email);
    if !email.is_empty() && !super::accounts::looks_like_email(&email) {
        return page(&state, &admin, None, Some("bad_email")).await;
    }
    let email = (!email.is_empty()).then_some(email);
    let link = LinkRecord {
        kind: LinkKind::Invite,
        teacher: None,
        email: email.clone(),
        created_by: admin.id,
    };
    let whom = email.unwrap_or_default();
    let made = make_link(&state, &link, INVITE_LIFETIME, "/invite", &whom).await?;
    log(&state, admin.id, "invite", &whom).await?;
    page(&state, &admin, Some(made), None).await
}

/// `POST /admin/teachers/{id}/link`: a one-time sign-in link for a teacher
/// who lost their way in, shown once.
pub async fn sign_in_link(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let teacher = teacher(&state, id).await?;
    let link = LinkRecord {
        kind: LinkKind::SignIn,
        teacher: Some(id),
        email: None,
        created_by: admin.id,
    };
    let whom = describe(&teacher);
    let made = make_link(&state, &link, SIGN_IN_LINK_LIFETIME, "/signin/link", &whom).await?;
    log(&state, admin.id, "sign_in_link", &whom).await?;
    page(&state, &admin, Some(made), None).await
}

/// `POST /admin/teachers/{id}/disable`: the teacher cannot sign in, and
/// their sessions end at once. The owner cannot be disabled.
pub async fn disable(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(state, admin, id, true).await
}

/// `POST /admin/teachers/{id}/enable`: lets a disabled teacher sign in again.
pub async fn enable(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    set_disabled(state, admin, id, false).await
}

async fn set_disabled(
    state: AppState,
    admin: Admin,
    id: i64,
    disabled: bool,
) -> Result<Response, PageError> {
    let teacher = teacher(&state, id).await?;
    if disabled && (id == crate::store::accounts::OWNER || id == admin.id) {
        return page(&state, &admin, None, Some("cannot_disable")).await;
    }
    state
        .sessions()
        .set_disabled(id, disabled)
        .await
        .map_err(|e| PageError::Internal(format!("cannot disable: {e}")))?;
    let action = if disabled { "disable" } else { "enable" };
    log(&state, admin.id, action, &describe(&teacher)).await?;
    Ok(Redirect::to("/admin").into_response())
}

/// The admin's own sign-in form.
#[derive(Deserialize)]
pub struct AccountForm {
    email: String,
    password: String,
}

/// `POST /admin/account`: the admin's own e-mail address and password, to
/// sign in on a hosted server without the teacher key.
pub async fn account(
    State(state): State<AppState>,
    admin: Admin,
    Form(form): Form<AccountForm>,
) -> Result<Response, PageError> {
    let email = normal_email(&form.email);
    if !super::accounts::looks_like_email(&email) {
        return page(&state, &admin, None, Some("bad_email")).await;
    }
    if crate::password::problem(&form.password).is_some() {
        return page(&state, &admin, None, Some("password_short")).await;
    }
    let hash = crate::password::hash_off_thread(form.password)
        .await
        .ok_or_else(|| PageError::Internal("cannot hash a password".into()))?;
    let saved = state
        .sessions()
        .set_sign_in(admin.id, &email, &hash)
        .await
        .map_err(|e| PageError::Internal(format!("cannot save: {e}")))?;
    if !saved {
        return page(&state, &admin, None, Some("email_taken")).await;
    }
    log(&state, admin.id, "own_sign_in", &email).await?;
    Ok(Redirect::to("/admin").into_response())
}

async fn teacher(state: &AppState, id: i64) -> Result<TeacherRecord, PageError> {
    state
        .sessions()
        .teacher(id)
        .await
        .map_err(|e| PageError::Internal(format!("cannot read a teacher: {e}")))?
        .ok_or(PageError::NotFound)
}

fn describe(teacher: &TeacherRecord) -> String {
    match &teacher.email {
        Some(email) => format!("{} <{email}>", teacher.name),
        None => teacher.name.clone(),
    }
}

async fn log(state: &AppState, actor: i64, action: &str, detail: &str) -> Result<(), PageError> {
    state
        .sessions()
        .log_admin(actor, action, detail)
        .await
        .map_err(|e| PageError::Internal(format!("cannot write the admin log: {e}")))
}

/// Saves a one-time link and returns it to show once.
async fn make_link(
    state: &AppState,
    link: &LinkRecord,
    lifetime: Duration,
    path: &str,
    whom: &str,
) -> Result<MadeLink, PageError> {
    let secret = Token::generate();
    state
        .sessions()
        .create_link(&digest(secret.as_str()), link, lifetime)
        .await
        .map_err(|e| PageError::Internal(format!("cannot save a link: {e}")))?;
    let until = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|now| (now + lifetime).as_millis() as i64)
        .unwrap_or(0);
    Ok(MadeLink {
        kind: match link.kind {
            LinkKind::Invite => "invite",
            LinkKind::SignIn => "sign_in",
        },
        url: format!("{}{path}?token={}", state.public_url(), secret.as_str()),
        until: utc(until),
        whom: whom.to_owned(),
    })
}

/// A moment as `2026-12-04 20:51 UTC`.
pub fn utc(unix_ms: i64) -> String {
    let seconds = unix_ms.div_euclid(1000);
    let (days, of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    //! Dates as the admin page shows them.
    use super::*;

    #[test]
    fn moments_are_written_as_utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc(951_782_400_000), "2000-02-29 00:00 UTC");
        assert_eq!(utc(1_796_417_460_000), "2026-12-04 20:51 UTC");
    }
}
