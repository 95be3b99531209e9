// Rebuild when a migration is added (sqlx::migrate! embeds the directories).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
