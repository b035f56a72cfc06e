//! Teachers signing in: with an e-mail address and password, through a
//! one-time sign-in link an admin made, or by accepting an invitation.
//!
//! Password guesses are bounded per account and per client address
//! ([`SIGN_IN_TRIES_PER_ACCOUNT`], [`SIGN_IN_TRIES_PER_ADDRESS`]); a wrong
//! address and a wrong password get the same answer, in the same time
//! ([`crate::password::check_nobody`]). Every sign-in makes a new session
//! ([`super::session`]). A one-time link's secret is in its address once:
//! a sign-in link is used up and redirects at once; an invitation moves
//! its secret into a short-lived cookie for the form that follows.

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
    let email = normal_email(&form.email);
    let budgets = state.sign_in_budgets();
    let address_ok = address.is_none_or(|a| budgets.addresses.has_budget(a));
    if !address_ok || !budgets.accounts.has_budget_for(email.clone()) {
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
    let password = form.password;
    let matches = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => crate::password::check(&hash, &password),
        None => crate::password::check_nobody(&password),
    })
    .await
    .unwrap_or(false);
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

/// `GET /signin/link?token=...`: a sign-in link an admin made: used up,
/// and the browser signed in and sent to the teacher page.
pub async fn sign_in_link(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LinkQuery>,
) -> Response {
    let token = query.token.unwrap_or_default();
    let link = match state.sessions().take_link(&digest(&token)).await {
        Ok(link) => link,
        Err(e) => return PageError::Internal(format!("cannot read a link: {e}")).into_response(),
    };
    let teacher = match link {
        Some(link) if link.kind == LinkKind::SignIn => link.teacher,
        _ => None,
    };
    let teacher = match teacher {
        Some(id) => state.sessions().teacher(id).await.ok().flatten(),
        None => None,
    };
    match teacher {
        Some(teacher) if !teacher.disabled => {
            sign_in_and_redirect(&state, &headers, None, Opened::Teacher(teacher.id), "/").await
        }
        _ => sign_in_page(StatusCode::FORBIDDEN, String::new(), Some("link_used")),
    }
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

fn invite_cookie(token: Option<&str>) -> HeaderValue {
    let (value, age) = token.map_or(("", 0), |t| (t, 3600));
    HeaderValue::from_str(&format!(
        "{INVITE_COOKIE}={value}; Path=/invite; Max-Age={age}; HttpOnly; SameSite=Lax"
    ))
    .expect("an invitation cookie is plain ASCII")
}

/// `GET /invite?token=...` moves the secret into a cookie and comes back
/// without it; `GET /invite` then shows the form to make the account.
pub async fn invite_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<LinkQuery>,
) -> Response {
    if let Some(token) = query.token {
        let mut response = Redirect::to("/invite").into_response();
        if token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
            response
                .headers_mut()
                .insert(header::SET_COOKIE, invite_cookie(Some(&token)));
        }
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
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
    let password = form.password;
    let hash = tokio::task::spawn_blocking(move || crate::password::hash(&password))
        .await
        .unwrap_or_default();
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
    response
        .headers_mut()
        .append(header::SET_COOKIE, invite_cookie(None));
    response
}

/// A plausible e-mail address: something, `@`, a domain with a dot.
pub fn looks_like_email(email: &str) -> bool {
    email.len() <= 254
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
