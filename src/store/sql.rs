//! Statements written once for both engines: the accounts, links and logs
//! ([`super::accounts`]) are plain rows with no engine-specific work, so
//! their SQL is shared. Placeholders are written `?1`, `?2`... (PostgreSQL
//! gets them as `$1`, `$2`...) and values travel as [`Value`]: a number, a
//! text or nothing, whatever the column's declared type. Only the tables'
//! creation differs, and stays with each engine.

use super::{Store, StoreError};

/// One value of a row or a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// An integer (also a yes/no, as 0 or 1).
    Int(i64),
    /// A text.
    Text(String),
    /// Nothing (SQL `NULL`).
    Null,
}

impl Value {
    /// The integer, if it is one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Value::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// The text, if it is one.
    pub fn text(&self) -> Option<String> {
        match self {
            Value::Text(t) => Some(t.clone()),
            _ => None,
        }
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Int(b as i64)
    }
}

impl From<&str> for Value {
    fn from(t: &str) -> Value {
        Value::Text(t.to_owned())
    }
}

impl From<String> for Value {
    fn from(t: String) -> Value {
        Value::Text(t)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Value::Text(t) => ToSqlOutput::Borrowed(ValueRef::Text(t.as_bytes())),
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

impl rusqlite::types::FromSql for Value {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        use rusqlite::types::ValueRef;
        Ok(match value {
            ValueRef::Integer(i) => Value::Int(i),
            ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
            ValueRef::Null => Value::Null,
            ValueRef::Real(r) => Value::Int(r as i64),
            ValueRef::Blob(b) => Value::Text(String::from_utf8_lossy(b).into_owned()),
        })
    }
}

#[cfg(feature = "cluster")]
mod postgres_values {
    use tokio_postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};

    use super::Value;

    impl ToSql for Value {
        fn to_sql(
            &self,
            ty: &Type,
            out: &mut bytes::BytesMut,
        ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
            match self {
                Value::Int(i) if *ty == Type::INT4 => (*i as i32).to_sql(ty, out),
                Value::Int(i) if *ty == Type::BOOL => (*i != 0).to_sql(ty, out),
                Value::Int(i) => i.to_sql(ty, out),
                Value::Text(t) => t.to_sql(ty, out),
                Value::Null => Ok(IsNull::Yes),
            }
        }

        fn accepts(_: &Type) -> bool {
            true
        }

        to_sql_checked!();
    }

    impl<'a> FromSql<'a> for Value {
        fn from_sql(
            ty: &Type,
            raw: &'a [u8],
        ) -> Result<Value, Box<dyn std::error::Error + Sync + Send>> {
            Ok(match *ty {
                Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
                Type::INT4 => Value::Int(i32::from_sql(ty, raw)? as i64),
                Type::INT2 => Value::Int(i16::from_sql(ty, raw)? as i64),
                Type::BOOL => Value::Int(bool::from_sql(ty, raw)? as i64),
                _ => Value::Text(String::from_sql(ty, raw)?),
            })
        }

        fn from_sql_null(_: &Type) -> Result<Value, Box<dyn std::error::Error + Sync + Send>> {
            Ok(Value::Null)
        }

        fn accepts(_: &Type) -> bool {
            true
        }
    }
}

/// `?1` placeholders as PostgreSQL writes them (`$1`).
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
fn dollar_placeholders(sql: &str) -> String {
    sql.replace('?', "$")
}

impl Store {
    /// Runs a query written for both engines; returns its rows.
    pub(crate) async fn query(
        &self,
        sql: &'static str,
        params: Vec<Value>,
    ) -> Result<Vec<Vec<Value>>, StoreError> {
        match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.query(sql, &params)).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => {
                let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    params.iter().map(|v| v as _).collect();
                let rows = db.rows(&dollar_placeholders(sql), &refs).await?;
                Ok(rows
                    .iter()
                    .map(|row| (0..row.len()).map(|i| row.get::<_, Value>(i)).collect())
                    .collect())
            }
        }
    }

    /// Runs a statement written for both engines; returns the rows it
    /// changed.
    pub(crate) async fn execute(
        &self,
        sql: &'static str,
        params: Vec<Value>,
    ) -> Result<u64, StoreError> {
        match self {
            Store::Sqlite(db) => Store::sqlite(db, move |db| db.execute(sql, &params)).await,
            #[cfg(feature = "cluster")]
            Store::Postgres(db) => {
                let refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> =
                    params.iter().map(|v| v as _).collect();
                db.execute(&dollar_placeholders(sql), &refs).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    //! The shared statements' placeholders.
    use super::*;

    #[test]
    fn placeholders_are_numbered_the_postgres_way() {
        assert_eq!(
            dollar_placeholders("SELECT a FROM t WHERE b = ?1 AND c = ?2"),
            "SELECT a FROM t WHERE b = $1 AND c = $2"
        );
    }
}
