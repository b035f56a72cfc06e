//! Teachers' accounts, the links that sign them in, and the admin's log,
//! in the games' database (so every server of a cluster shares them). The
//! statements are written once for both engines ([`super::sql`]).
//!
//! Teacher 1 is the server's **owner**: made at the first start, an admin,
//! signed in by the teacher key the server prints (the laptop's one-command
//! start needs no sign-up). Other teachers are invited by an admin, or
//! signed in through the school's identity provider.

use std::time::Duration;

use super::sql::Value;
use super::{Store, StoreError, now_unix_ms};

/// The owner's teacher number.
pub const OWNER: i64 = 1;

/// A teacher's account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeacherRecord {
    /// The teacher's number ([`OWNER`] is 1).
    pub id: i64,
    /// The sign-in address, lower-cased (none for an owner who never set one).
    pub email: Option<String>,
    /// The name colleagues and the admin see.
    pub name: String,
    /// The Argon2id hash ([`crate::password`]), if the teacher set a password.
    pub password_hash: Option<String>,
    /// An admin invites teachers, disables them, and reads the log.
    pub admin: bool,
    /// A disabled teacher cannot sign in, and their sessions were ended.
    pub disabled: bool,
    /// When the account was made (Unix milliseconds).
    pub created_unix_ms: i64,
}

fn teacher_of(row: &[Value]) -> Option<TeacherRecord> {
    Some(TeacherRecord {
        id: row.first()?.int()?,
        email: row.get(1)?.text(),
        name: row.get(2)?.text().unwrap_or_default(),
        password_hash: row.get(3)?.text(),
        admin: row.get(4)?.int()? != 0,
        disabled: row.get(5)?.int()? != 0,
        created_unix_ms: row.get(6)?.int()?,
    })
}

/// What a one-time link does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// Lets its holder make an account (for one address, if it names one).
    Invite,
    /// Signs one teacher in (an admin gave a teacher a fresh way in).
    SignIn,
}

impl LinkKind {
    fn word(self) -> &'static str {
        match self {
            LinkKind::Invite => "invite",
            LinkKind::SignIn => "sign_in",
        }
    }
}

/// A one-time link, as saved (by the digest of its secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    /// What it does.
    pub kind: LinkKind,
    /// Whom a sign-in link signs in.
    pub teacher: Option<i64>,
    /// The address an invitation is for, if it names one.
    pub email: Option<String>,
    /// The admin who made it.
    pub created_by: i64,
}

/// One line of the admin's log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    /// When (Unix milliseconds).
    pub at_unix_ms: i64,
    /// The admin who acted.
    pub actor: i64,
    /// What they did, as a word (`invite`, `disable`...).
    pub action: String,
    /// To whom or what.
    pub detail: String,
}

impl Store {
    /// Makes the owner's account (teacher 1, an admin) unless it exists.
    pub async fn ensure_owner(&self) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO teachers (id, email, name, password_hash, admin, disabled, created_unix_ms)
             VALUES (1, NULL, 'Owner', NULL, 1, 0, ?1) ON CONFLICT (id) DO NOTHING",
            vec![now_unix_ms().into()],
        )
        .await
        .map(|_| ())
    }

    /// A teacher by number.
    pub async fn teacher(&self, id: i64) -> Result<Option<TeacherRecord>, StoreError> {
        const SQL: &str = "SELECT id, email, name, password_hash, admin, disabled, created_unix_ms
             FROM teachers WHERE id = ?1";
        let rows = self.query(SQL, vec![id.into()]).await?;
        Ok(rows.first().and_then(|row| teacher_of(row)))
    }

    /// A teacher by sign-in address (compared lower-cased).
    pub async fn teacher_by_email(&self, email: &str) -> Result<Option<TeacherRecord>, StoreError> {
        let rows = self
            .query(
                "SELECT id, email, name, password_hash, admin, disabled, created_unix_ms
                 FROM teachers WHERE email = ?1",
                vec![normal_email(email).into()],
            )
            .await?;
        Ok(rows.first().and_then(|row| teacher_of(row)))
    }

    /// Every teacher, the owner first.
    pub async fn teachers(&self) -> Result<Vec<TeacherRecord>, StoreError> {
        let rows = self
            .query(
                "SELECT id, email, name, password_hash, admin, disabled, created_unix_ms
                 FROM teachers ORDER BY id",
                vec![],
            )
            .await?;
        Ok(rows.iter().filter_map(|row| teacher_of(row)).collect())
    }

    /// Makes a teacher's account; `None` if the address has one already.
    pub async fn add_teacher(
        &self,
        email: &str,
        name: &str,
        password_hash: Option<&str>,
    ) -> Result<Option<i64>, StoreError> {
        let rows = self
            .query(
                "INSERT INTO teachers (email, name, password_hash, admin, disabled, created_unix_ms)
                 VALUES (?1, ?2, ?3, 0, 0, ?4) ON CONFLICT (email) DO NOTHING RETURNING id",
                vec![
                    normal_email(email).into(),
                    name.into(),
                    password_hash.into(),
                    now_unix_ms().into(),
                ],
            )
            .await?;
        Ok(rows.first().and_then(|row| row.first()?.int()))
    }

    /// Sets a teacher's sign-in address and password.
    pub async fn set_sign_in(
        &self,
        id: i64,
        email: &str,
        password_hash: &str,
    ) -> Result<bool, StoreError> {
        let taken = self.teacher_by_email(email).await?;
        if taken.is_some_and(|t| t.id != id) {
            return Ok(false);
        }
        self.execute(
            "UPDATE teachers SET email = ?2, password_hash = ?3 WHERE id = ?1",
            vec![id.into(), normal_email(email).into(), password_hash.into()],
        )
        .await
        .map(|changed| changed == 1)
    }

    /// Sets a teacher's password.
    pub async fn set_password(&self, id: i64, password_hash: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE teachers SET password_hash = ?2 WHERE id = ?1",
            vec![id.into(), password_hash.into()],
        )
        .await
        .map(|_| ())
    }

    /// Disables (or enables again) a teacher; a disabled teacher's sessions
    /// end at once.
    pub async fn set_disabled(&self, id: i64, disabled: bool) -> Result<(), StoreError> {
        self.execute(
            "UPDATE teachers SET disabled = ?2 WHERE id = ?1",
            vec![id.into(), disabled.into()],
        )
        .await?;
        if disabled {
            self.execute("DELETE FROM sessions WHERE teacher = ?1", vec![id.into()])
                .await?;
        }
        Ok(())
    }

    /// Saves a one-time link (by its secret's digest) for `lifetime`.
    pub async fn create_link(
        &self,
        digest: &str,
        link: &LinkRecord,
        lifetime: Duration,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO sign_in_links (digest, kind, teacher, email, created_by, expires_unix_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            vec![
                digest.into(),
                link.kind.word().into(),
                link.teacher.into(),
                link.email.clone().map(|e| normal_email(&e)).into(),
                link.created_by.into(),
                (now_unix_ms() + lifetime.as_millis() as i64).into(),
            ],
        )
        .await
        .map(|_| ())
    }

    /// Uses up a one-time link: it is deleted, and returned if it had not
    /// expired.
    pub async fn take_link(&self, digest: &str) -> Result<Option<LinkRecord>, StoreError> {
        let rows = self
            .query(
                "DELETE FROM sign_in_links WHERE digest = ?1
                 RETURNING kind, teacher, email, created_by, expires_unix_ms",
                vec![digest.into()],
            )
            .await?;
        Ok(rows.first().and_then(|row| live_link(row)))
    }

    /// A one-time link, if it is still good, without using it up.
    pub async fn peek_link(&self, digest: &str) -> Result<Option<LinkRecord>, StoreError> {
        let rows = self
            .query(
                "SELECT kind, teacher, email, created_by, expires_unix_ms
                 FROM sign_in_links WHERE digest = ?1",
                vec![digest.into()],
            )
            .await?;
        Ok(rows.first().and_then(|row| live_link(row)))
    }

    /// A server-wide setting the admin chose, if any.
    pub async fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        let rows = self
            .query(
                "SELECT value FROM settings WHERE name = ?1",
                vec![name.into()],
            )
            .await?;
        Ok(rows.first().and_then(|row| row.first()?.text()))
    }

    /// Saves a server-wide setting.
    pub async fn set_setting(&self, name: &str, value: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO settings (name, value) VALUES (?1, ?2)
             ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            vec![name.into(), value.into()],
        )
        .await
        .map(|_| ())
    }

    /// Adds a line to the admin's log.
    pub async fn log_admin(
        &self,
        actor: i64,
        action: &str,
        detail: &str,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO admin_log (at_unix_ms, actor, action, detail) VALUES (?1, ?2, ?3, ?4)",
            vec![
                now_unix_ms().into(),
                actor.into(),
                action.into(),
                detail.into(),
            ],
        )
        .await
        .map(|_| ())
    }

    /// The admin's log, newest first, at most `limit` lines.
    pub async fn admin_log(&self, limit: i64) -> Result<Vec<LogEntry>, StoreError> {
        let rows = self
            .query(
                "SELECT at_unix_ms, actor, action, detail FROM admin_log
                 ORDER BY at_unix_ms DESC LIMIT ?1",
                vec![limit.into()],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|row| LogEntry {
                at_unix_ms: row[0].int().unwrap_or(0),
                actor: row[1].int().unwrap_or(0),
                action: row[2].text().unwrap_or_default(),
                detail: row[3].text().unwrap_or_default(),
            })
            .collect())
    }
}

/// A saved link (`kind, teacher, email, created_by, expires_unix_ms`), if
/// it has not expired.
fn live_link(row: &[Value]) -> Option<LinkRecord> {
    if row.get(4)?.int()? <= now_unix_ms() {
        return None;
    }
    let kind = match row.first()?.text().as_deref() {
        Some("invite") => LinkKind::Invite,
        Some("sign_in") => LinkKind::SignIn,
        _ => return None,
    };
    Some(LinkRecord {
        kind,
        teacher: row.get(1)?.int(),
        email: row.get(2)?.text(),
        created_by: row.get(3)?.int().unwrap_or(OWNER),
    })
}

/// An e-mail address as accounts are keyed: trimmed and lower-cased.
pub fn normal_email(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    //! Accounts, links and the log, on the embedded engine.
    use super::*;

    #[tokio::test]
    async fn the_owner_is_teacher_one_and_other_teachers_get_their_own_numbers() {
        let store = Store::in_memory();
        store.ensure_owner().await.unwrap();
        store.ensure_owner().await.unwrap();
        let owner = store.teacher(OWNER).await.unwrap().unwrap();
        assert!(owner.admin && owner.email.is_none());
        let ana = store
            .add_teacher("Ana@School.example ", "Ana", Some("hash"))
            .await
            .unwrap()
            .unwrap();
        assert!(ana > OWNER);
        assert_eq!(
            store
                .add_teacher("ana@school.example", "Another Ana", None)
                .await
                .unwrap(),
            None,
            "one account per address"
        );
        let found = store.teacher_by_email("ANA@school.example").await.unwrap();
        assert_eq!(found.unwrap().name, "Ana");
        assert_eq!(store.teachers().await.unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_link_works_once_and_not_after_it_expires() {
        let store = Store::in_memory();
        let link = LinkRecord {
            kind: LinkKind::Invite,
            teacher: None,
            email: Some("Ben@School.example".into()),
            created_by: OWNER,
        };
        store
            .create_link("live", &link, Duration::from_secs(60))
            .await
            .unwrap();
        store
            .create_link("old", &link, Duration::ZERO)
            .await
            .unwrap();
        assert!(store.peek_link("live").await.unwrap().is_some());
        assert_eq!(store.peek_link("old").await.unwrap(), None);
        let taken = store.take_link("live").await.unwrap().unwrap();
        assert_eq!(taken.email.as_deref(), Some("ben@school.example"));
        assert_eq!(store.take_link("live").await.unwrap(), None, "once");
        assert_eq!(store.take_link("old").await.unwrap(), None, "expired");
    }

    #[tokio::test]
    async fn disabling_a_teacher_ends_their_sessions() {
        let store = Store::in_memory();
        let ana = store
            .add_teacher("ana@school.example", "Ana", None)
            .await
            .unwrap()
            .unwrap();
        store
            .create_session("s", Some(ana), Duration::from_secs(60))
            .await
            .unwrap();
        store.set_disabled(ana, true).await.unwrap();
        assert_eq!(store.session("s").await.unwrap(), None);
        assert!(store.teacher(ana).await.unwrap().unwrap().disabled);
        store
            .log_admin(OWNER, "disable", "ana@school.example")
            .await
            .unwrap();
        let log = store.admin_log(10).await.unwrap();
        assert_eq!(log[0].action, "disable");
    }
}
