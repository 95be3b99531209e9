//! Bulk loading for the demo generator (`seed/`): rows are buffered per table in first-seen order
//! (so foreign keys are satisfied) and written in one transaction per flush.

use sqlx::Any;

use crate::db::Db;

/// A value to bind. `N` is NULL, typed from the column name (ids are integers, the rest text).
#[derive(Clone, Debug)]
pub enum V {
    I(i64),
    F(f64),
    S(String),
    N,
}

impl V {
    pub fn s(x: &str) -> V {
        V::S(x.to_string())
    }
}

fn null_is_integer(column: &str) -> bool {
    column == "id"
        || column.ends_with("_id")
        || matches!(column, "floor" | "storeys" | "approved_by" | "requested_by" | "created_by" | "granted_by" | "extension_days")
}

/// Binds per statement: SQLite resolves `$n` names by a linear search, so very long statements cost O(n²).
const MAX_BINDS: usize = 2_000;

/// Tables in foreign-key order; all but the first two have an `id` identity column.
pub const TABLE_ORDER: &[&str] = &[
    "bank_holidays",
    "settings",
    "area_teams",
    "wards",
    "agencies",
    "users",
    "estates",
    "blocks",
    "patches",
    "properties",
    "tenancies",
    "household_members",
    "rent_accounts",
    "rent_transactions",
    "alerts",
    "cases",
    "access_grants",
    "transfers",
    "plan_actions",
    "workflow_items",
    "complaint_steps",
    "visits",
    "visit_findings",
    "pipeline",
    "pipeline_steps",
    "hazards",
    "hazard_steps",
    "referrals",
    "referral_messages",
    "feedback_links",
    "feedback_responses",
];

#[derive(Default)]
pub struct Writer {
    groups: Vec<(String, Vec<String>, Vec<Vec<V>>)>,
}

impl Writer {
    pub fn new() -> Self {
        Writer::default()
    }

    /// The rows buffered for `table` (in every column layout), for the generator's own tests.
    #[cfg(test)]
    pub fn rows(&self, table: &str) -> Vec<(&[String], &[V])> {
        self.groups.iter().filter(|g| g.0 == table).flat_map(|g| g.2.iter().map(move |r| (g.1.as_slice(), r.as_slice()))).collect()
    }

    pub fn row(&mut self, table: &str, columns: &[&str], values: Vec<V>) {
        debug_assert_eq!(columns.len(), values.len(), "{table}");
        if let Some(g) = self.groups.iter_mut().find(|g| g.0 == table && g.1.len() == columns.len() && g.1.iter().zip(columns).all(|(a, b)| a == b)) {
            g.2.push(values);
        } else {
            self.groups.push((table.to_string(), columns.iter().map(|c| c.to_string()).collect(), vec![values]));
        }
    }

    pub async fn flush(&mut self, db: &Db) -> anyhow::Result<()> {
        let mut tx = db.pool.begin().await?;
        // Parents before children, whatever order the rows were produced in.
        let rank = |t: &str| TABLE_ORDER.iter().position(|x| *x == t).unwrap_or(TABLE_ORDER.len());
        self.groups.sort_by_key(|g| rank(&g.0));
        for (table, columns, rows) in self.groups.drain(..) {
            let per_chunk = (MAX_BINDS / columns.len()).max(1);
            for chunk in rows.chunks(per_chunk) {
                let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
                let mut n = 0;
                for (r, _) in chunk.iter().enumerate() {
                    if r > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('(');
                    for c in 0..columns.len() {
                        if c > 0 {
                            sql.push_str(", ");
                        }
                        n += 1;
                        sql.push('$');
                        sql.push_str(&n.to_string());
                    }
                    sql.push(')');
                }
                let mut q = sqlx::query::<Any>(&sql);
                for row in chunk {
                    for (v, col) in row.iter().zip(&columns) {
                        q = match v {
                            V::I(i) => q.bind(*i),
                            V::F(f) => q.bind(*f),
                            V::S(s) => q.bind(s.clone()),
                            V::N if null_is_integer(col) => q.bind(None::<i64>),
                            V::N => q.bind(None::<String>),
                        };
                    }
                }
                q.execute(&mut *tx).await.map_err(|e| anyhow::anyhow!("inserting into {table}: {e}"))?;
            }
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Whether the database holds no council yet (no homes).
pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM properties").fetch_one(&db.pool).await?;
    Ok(n == 0)
}

/// PostgreSQL identity columns continue after the ids the seed chose.
pub async fn reset_sequences(db: &Db) -> anyhow::Result<()> {
    for table in TABLE_ORDER.iter().filter(|t| !["bank_holidays", "settings"].contains(t)) {
        sqlx::query::<Any>(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}
