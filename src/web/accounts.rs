//! Teachers signing in: with an e-mail address and password, through a
//! one-time sign-in link an admin made, or by accepting an invitation.
//!
//! Password guesses are bounded per account and per client address
//! ([`SIGN_IN_TRIES_PER_ACCOUNT`], [`SIGN_IN_TRIES_PER_ADDRESS`]); a wrong
//! address and a wrong password get the same answer, in the same time
//! ([`crate::password::check_nobody`]). Every sign-in makes a new session
//! ([`super::session`]). A one-time link's secret is in its address once:
//! the first click moves it into a short-lived cookie and comes back
//! without it; the link is used up only by the button or form that
//! follows (a `POST`), never by a mail scanner fetching the address.

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::AppState;
use super::access::ClientAddress;
use super::error::PageError;
use super::session::{Opened, sign_in_and_redirect};
use crate::secret::digest;
use crate::store::accounts::{LinkKind, normal_email};

/// Wrong passwords one account takes at once, then one a minute: a
/// guesser gets about 65 tries in the first hour, whatever its addresses.
pub const SIGN_IN_TRIES_PER_ACCOUNT: (f64, f64) = (5.0, 1.0 / 60.0);
/// Wrong passwords one client address makes at once, then six a minute
/// (a school behind one address has many teachers who mistype).
pub const SIGN_IN_TRIES_PER_ADDRESS: (f64, f64) = (20.0, 0.1);
/// The cookie an invitation's secret waits in while its form is filled.
const INVITE_COOKIE: &str = "buzzboard_invite";
/// The longest name a teacher may give.
const MAX_NAME: usize = 80;
/// The longest e-mail address there is (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    email: String,
    /// The problem's key in the catalogues (`signin.<key>`), if any.
    problem: Option<&'static str>,
}

fn sign_in_page(status: StatusCode, email: String, problem: Option<&'static str>) -> Response {
    match (SignInPage { email, problem }).render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// `GET /signin`: the sign-in form.
pub async fn sign_in_form() -> Response {
    sign_in_page(StatusCode::OK, String::new(), None)
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
}

/// `POST /signin`: signs a teacher in with their address and password.
pub async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientAddress(address): ClientAddress,
    Form(form): Form<SignInForm>,
) -> Response {
    let budgets = state.sign_in_budgets();
    let address_ok = address.is_none_or(|a| budgets.addresses.has_budget(a));
    if !address_ok {
        return sign_in_page(
            StatusCode::TOO_MANY_REQUESTS,
            String::new(),
            Some("too_many"),
        );
    }
    // No account has an address this long; refused before it is kept as a
    // budget's key (a megabyte-long "address" per guess would fill memory).
    if form.email.len() > MAX_EMAIL {
        if let Some(address) = address {
            budgets.addresses.spend(address);
        }
        return sign_in_page(StatusCode::UNAUTHORIZED, String::new(), Some("wrong"));
    }
    let email = normal_email(&form.email);
    if !budgets.accounts.has_budget_for(email.clone()) {
        return sign_in_page(StatusCode::TOO_MANY_REQUESTS, form.email, Some("too_many"));
    }
    let teacher = match state.sessions().teacher_by_email(&email).await {
        Ok(teacher) => teacher,
        Err(e) => return PageError::Internal(format!("cannot sign in: {e}")).into_response(),
    };
    let hash = teacher
        .as_ref()
        .filter(|t| !t.disabled)
        .and_then(|t| t.password_hash.clone());
    let matches = crate::password::check_off_thread(hash, form.password).await;
    match teacher {
        Some(teacher) if matches => {
            let opened = Opened::Teacher(teacher.id);
            sign_in_and_redirect(&state, &headers, None, opened, "/").await
        }
        _ => {
            budgets.accounts.spend_for(email);
            if let Some(address) = address {
                budgets.addresses.spend(address);
            }
            sign_in_page(StatusCode::UNAUTHORIZED, form.email, Some("wrong"))
        }
    }
}

/// A one-time link's secret, in its address.
#[derive(Deserialize)]
pub struct LinkQuery {
    token: Option<String>,
}

/// The cookie a sign-in link's secret waits in until its button is pressed.
const LINK_COOKIE: &str = "buzzboard_link";

#[derive(Template)]
#[template(path = "signin_link.html")]
struct SignInLinkPage {
    name: String,
}

/// `GET /signin/link?token=...` moves the secret into a cookie and comes
/// back without it; `GET /signin/link` then shows whom the link signs in,
/// with a button. Only the button (a `POST`) uses the link up, so a mail
/// scanner or a chat's link preview that fetches the address does not.
pub async fn sign_in_link_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LinkQuery>,
) -> Response {
    if let Some(token) = query.token {
        return secret_to_cookie(&token, LINK_COOKIE, "/signin/link");
    }
    let teacher = match link_teacher(&state, &headers, false).await {
        Ok(teacher) => teacher,
        Err(response) => return *response,
    };
    match (SignInLinkPage { name: teacher.name }).render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// `POST /signin/link`: uses the sign-in link up and signs its teacher in.
pub async fn use_sign_in_link(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let teacher = match link_teacher(&state, &headers, true).await {
        Ok(teacher) => teacher,
        Err(response) => return *response,
    };
    let mut response =
        sign_in_and_redirect(&state, &headers, None, Opened::Teacher(teacher.id), "/").await;
    response.headers_mut().append(
        header::SET_COOKIE,
        waiting_cookie(LINK_COOKIE, "/signin/link", None),
    );
    response
}

/// The teacher the sign-in link in the browser's cookie signs in (the link
/// used up if `take`), or the page that says it is used or expired.
async fn link_teacher(
    state: &AppState,
    headers: &HeaderMap,
    take: bool,
) -> Result<crate::store::accounts::TeacherRecord, Box<Response>> {
    let used = || {
        Box::new(sign_in_page(
            StatusCode::FORBIDDEN,
            String::new(),
            Some("link_used"),
        ))
    };
    let Some(token) = super::session::secret_cookie(headers, LINK_COOKIE) else {
        return Err(used());
    };
    let store = state.sessions();
    let link = if take {
        store.take_link(&digest(token)).await
    } else {
        store.peek_link(&digest(token)).await
    };
    let link = link.map_err(|e| {
        Box::new(PageError::Internal(format!("cannot read a link: {e}")).into_response())
    })?;
    let Some(id) = link
        .filter(|l| l.kind == LinkKind::SignIn)
        .and_then(|l| l.teacher)
    else {
        return Err(used());
    };
    match store.teacher(id).await {
        Ok(Some(teacher)) if !teacher.disabled => Ok(teacher),
        _ => Err(used()),
    }
}

/// Answers a one-time link's first click: its secret goes into a cookie
/// for `path` (if it looks like one) and the browser comes back to `path`
/// without it.
fn secret_to_cookie(token: &str, cookie: &str, path: &str) -> Response {
    let mut response = Redirect::to(path).into_response();
    if token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
        response.headers_mut().insert(
            header::SET_COOKIE,
            waiting_cookie(cookie, path, Some(token)),
        );
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The cookie a one-time link's secret waits in for an hour (or, with
/// `None`, one that clears it).
fn waiting_cookie(name: &str, path: &str, token: Option<&str>) -> HeaderValue {
    let (value, age) = token.map_or(("", 0), |t| (t, 3600));
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={age}; HttpOnly; SameSite=Lax"
    ))
    .expect("a link cookie is plain ASCII")
}

#[derive(Template)]
#[template(path = "invite.html")]
struct InvitePage {
    name: String,
    email: String,
    /// The invitation is for this address only.
    email_fixed: bool,
    problem: Option<&'static str>,
}

fn invite_page(status: StatusCode, page: InvitePage) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// The invitation secret waiting in the browser's cookie, if any.
fn invite_token(headers: &HeaderMap) -> Option<String> {
    super::session::secret_cookie(headers, INVITE_COOKIE).map(str::to_owned)
}

/// `GET /invite?token=...` moves the secret into a cookie and comes back
/// without it; `GET /invite` then shows the form to make the account.
pub async fn invite_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LinkQuery>,
) -> Response {
    if let Some(token) = query.token {
        return secret_to_cookie(&token, INVITE_COOKIE, "/invite");
    }
    let link = match invite_token(&headers) {
        Some(token) => state
            .sessions()
            .peek_link(&digest(&token))
            .await
            .ok()
            .flatten(),
        None => None,
    };
    match link {
        Some(link) if link.kind == LinkKind::Invite => invite_page(
            StatusCode::OK,
            InvitePage {
                name: String::new(),
                email_fixed: link.email.is_some(),
                email: link.email.unwrap_or_default(),
                problem: None,
            },
        ),
        _ => sign_in_page(StatusCode::FORBIDDEN, String::new(), Some("link_used")),
    }
}

/// The invitation form's fields.
#[derive(Deserialize)]
pub struct InviteForm {
    name: String,
    email: String,
    password: String,
    again: String,
}

/// `POST /invite`: makes the account the invitation (in the cookie) allows,
/// uses the invitation up, and signs the new teacher in.
pub async fn accept_invite(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<InviteForm>,
) -> Response {
    let Some(token) = invite_token(&headers) else {
        return sign_in_page(StatusCode::FORBIDDEN, String::new(), Some("link_used"));
    };
    let store = state.sessions();
    let link = match store.peek_link(&digest(&token)).await {
        Ok(Some(link)) if link.kind == LinkKind::Invite => link,
        Ok(_) => return sign_in_page(StatusCode::FORBIDDEN, String::new(), Some("link_used")),
        Err(e) => return PageError::Internal(format!("cannot read a link: {e}")).into_response(),
    };
    let email = link
        .email
        .clone()
        .unwrap_or_else(|| normal_email(&form.email));
    let name = form.name.trim().to_owned();
    let problem = if name.is_empty() || name.chars().count() > MAX_NAME {
        Some("name")
    } else if !looks_like_email(&email) {
        Some("email")
    } else if form.password != form.again {
        Some("passwords_differ")
    } else if crate::password::problem(&form.password).is_some() {
        Some("password_short")
    } else {
        match store.teacher_by_email(&email).await {
            Ok(Some(_)) => Some("email_taken"),
            Ok(None) => None,
            Err(e) => return PageError::Internal(format!("cannot check: {e}")).into_response(),
        }
    };
    if let Some(problem) = problem {
        return invite_page(
            StatusCode::BAD_REQUEST,
            InvitePage {
                name,
                email_fixed: link.email.is_some(),
                email,
                problem: Some(problem),
            },
        );
    }
    // Used up first, so one invitation makes one account.
    if !matches!(store.take_link(&digest(&token)).await, Ok(Some(_))) {
        return sign_in_page(StatusCode::FORBIDDEN, String::new(), Some("link_used"));
    }
    let Some(hash) = crate::password::hash_off_thread(form.password).await else {
        return PageError::Internal("cannot hash a password".into()).into_response();
    };
    let id = match store.add_teacher(&email, &name, Some(&hash)).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            return invite_page(
                StatusCode::BAD_REQUEST,
                InvitePage {
                    name,
                    email_fixed: true,
                    email,
                    problem: Some("email_taken"),
                },
            );
        }
        Err(e) => {
            return PageError::Internal(format!("cannot make the account: {e}")).into_response();
        }
    };
    let _ = store
        .log_admin(link.created_by, "joined", &format!("{name} <{email}>"))
        .await;
    let mut response = sign_in_and_redirect(&state, &headers, None, Opened::Teacher(id), "/").await;
    response.headers_mut().append(
        header::SET_COOKIE,
        waiting_cookie(INVITE_COOKIE, "/invite", None),
    );
    response
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    name: String,
    email: String,
    problem: Option<&'static str>,
    /// The password was just changed.
    changed: bool,
}

async fn account_page(
    state: &AppState,
    teacher: i64,
    status: StatusCode,
    problem: Option<&'static str>,
    changed: bool,
) -> Response {
    let account = match state.sessions().teacher(teacher).await {
        Ok(Some(account)) => account,
        Ok(None) => return PageError::NeedsTeacherKey.into_response(),
        Err(e) => {
            return PageError::Internal(format!("cannot read an account: {e}")).into_response();
        }
    };
    let page = AccountPage {
        name: account.name,
        email: account.email.unwrap_or_default(),
        problem,
        changed,
    };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => PageError::from(e).into_response(),
    }
}

/// `GET /account`: the signed-in teacher's own account: who they are, and
/// a new password.
pub async fn account(teacher: super::access::Teacher, State(state): State<AppState>) -> Response {
    account_page(&state, teacher.id, StatusCode::OK, None, false).await
}

/// The new-password form.
#[derive(Deserialize)]
pub struct PasswordForm {
    password: String,
    again: String,
}

/// `POST /account/password`: the signed-in teacher sets a new password
/// (after a fresh sign-in link, say). Their other sessions stay.
pub async fn change_password(
    teacher: super::access::Teacher,
    State(state): State<AppState>,
    Form(form): Form<PasswordForm>,
) -> Response {
    let problem = if form.password != form.again {
        Some("passwords_differ")
    } else if crate::password::problem(&form.password).is_some() {
        Some("password_short")
    } else {
        None
    };
    if problem.is_some() {
        return account_page(&state, teacher.id, StatusCode::BAD_REQUEST, problem, false).await;
    }
    let Some(hash) = crate::password::hash_off_thread(form.password).await else {
        return PageError::Internal("cannot hash a password".into()).into_response();
    };
    if let Err(e) = state.sessions().set_password(teacher.id, &hash).await {
        return PageError::Internal(format!("cannot save a password: {e}")).into_response();
    }
    account_page(&state, teacher.id, StatusCode::OK, None, true).await
}

/// A plausible e-mail address: something, `@`, a domain with a dot.
pub fn looks_like_email(email: &str) -> bool {
    email.len() <= MAX_EMAIL
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
}

#[cfg(test)]
mod tests {
    //! What counts as an e-mail address.
    use super::*;

    #[test]
    fn addresses_need_a_name_an_at_and_a_domain() {
        assert!(looks_like_email("ana.lopez@escuela.example"));
        assert!(looks_like_email("phuc.nguyen+quiz@school.edu.vn"));
        assert!(!looks_like_email("ana"));
        assert!(!looks_like_email("@school.example"));
        assert!(!looks_like_email("ana@localhost"));
        assert!(!looks_like_email("ana lopez@school.example"));
    }
}
