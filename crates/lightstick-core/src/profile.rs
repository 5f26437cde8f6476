//! A player's profile: their progress, fan points, and unlocked and equipped merch, saved as
//! RON with a schema version. Older schemas are migrated when read; saving goes through the
//! atomic write with a backup, and a corrupt file is moved aside and the backup restored.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::merch::Progress;

/// The schema this build writes.
pub const PROFILE_SCHEMA: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Profile {
    pub schema: u32,
    pub name: String,
    pub progress: Progress,
    pub unlocked: BTreeSet<String>,
    /// Item id by category name (`lightstick`, `outfit`, `note_skin`, ...).
    pub equipped: BTreeMap<String, String>,
}

impl Default for Profile {
    fn default() -> Self {
        Self {
            schema: PROFILE_SCHEMA,
            name: "Player".into(),
            progress: Progress::default(),
            unlocked: BTreeSet::new(),
            equipped: BTreeMap::new(),
        }
    }
}

/// Why an item could not be bought; each names the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurchaseError {
    #[error("{0} is not sold in the shop")]
    NotSold(String),
    #[error("you already have {0}")]
    AlreadyOwned(String),
    #[error(transparent)]
    NotEnoughPoints(#[from] crate::merch::NotEnoughPoints),
}

/// Why an item could not be worn; each names the item.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WearError {
    #[error("{0} is collected, not worn")]
    NotWorn(String),
    #[error("{0} is not in your collection yet")]
    NotOwned(String),
}

impl Profile {
    pub fn owns(&self, id: &str) -> bool {
        self.unlocked.contains(id)
    }

    /// Buys a shop item: it must be for sale, not owned yet, and affordable. The balance never
    /// goes below zero.
    pub fn buy(&mut self, item: &crate::merch::Item) -> Result<(), PurchaseError> {
        let Some(price) = item.price else {
            return Err(PurchaseError::NotSold(item.name.clone()));
        };
        if self.owns(&item.id) {
            return Err(PurchaseError::AlreadyOwned(item.name.clone()));
        }
        self.progress.spend(price)?;
        self.unlocked.insert(item.id.clone());
        Ok(())
    }

    /// Wears an owned item in its category's slot, replacing what was there.
    pub fn equip(&mut self, item: &crate::merch::Item) -> Result<(), WearError> {
        let Some(slot) = item.category.slot() else {
            return Err(WearError::NotWorn(item.name.clone()));
        };
        if !self.owns(&item.id) {
            return Err(WearError::NotOwned(item.name.clone()));
        }
        self.equipped.insert(slot.to_string(), item.id.clone());
        Ok(())
    }

    /// Takes off whatever is worn in a category, going back to the default look.
    pub fn unequip(&mut self, category: crate::merch::Category) {
        if let Some(slot) = category.slot() {
            self.equipped.remove(slot);
        }
    }

    /// The id of the item worn in a category, if it is still owned.
    pub fn equipped_id(&self, category: crate::merch::Category) -> Option<&str> {
        let id = self.equipped.get(category.slot()?)?;
        self.owns(id).then_some(id.as_str())
    }
}

/// Schema 1, before progress was tracked: a name, a fan-point balance and unlocked items.
#[derive(Deserialize)]
struct ProfileV1 {
    name: String,
    #[serde(default)]
    points: u64,
    #[serde(default)]
    unlocked: BTreeSet<String>,
}

#[derive(Deserialize)]
struct SchemaOnly {
    #[serde(default = "first_schema")]
    schema: u32,
}

fn first_schema() -> u32 {
    1
}

/// Reads a profile's text, migrating an older schema. `Err` for text that is not a profile.
pub fn parse_profile(text: &str) -> Result<(Profile, Option<String>), ron::error::SpannedError> {
    let schema = saved_schema(text);
    if schema <= 1 {
        let old: ProfileV1 = ron::from_str(text)?;
        let profile = Profile {
            name: old.name,
            progress: Progress {
                fan_points: old.points,
                fan_points_earned: old.points,
                ..Progress::default()
            },
            unlocked: old.unlocked,
            ..Profile::default()
        };
        return Ok((
            profile,
            Some(
                "the profile was saved by an older Lightstick and has been brought up to date"
                    .into(),
            ),
        ));
    }
    let mut profile: Profile = ron::from_str(text)?;
    let mut notes = Vec::new();
    if schema > PROFILE_SCHEMA {
        notes.push(format!(
            "the profile was saved by a newer Lightstick (schema {schema}); what this version \
             does not know of it is kept in a copy beside it"
        ));
    }
    // Hand-edited values that cannot be: clamped, and said.
    if profile.progress.fan_points > profile.progress.fan_points_earned {
        notes.push(format!(
            "the profile held {} fan points but had earned only {}; kept the earned amount",
            profile.progress.fan_points, profile.progress.fan_points_earned
        ));
        profile.progress.fan_points = profile.progress.fan_points_earned;
    }
    if profile.progress.streak > profile.progress.best_streak {
        profile.progress.best_streak = profile.progress.streak;
        notes.push("the best streak was below the current one; raised it".into());
    }
    if profile.name.trim().is_empty() {
        profile.name = Profile::default().name;
        notes.push(format!(
            "the profile had no name; called it {}",
            profile.name
        ));
    }
    let worn_but_not_owned: Vec<String> = profile
        .equipped
        .iter()
        .filter(|(_, id)| !profile.unlocked.contains(*id))
        .map(|(slot, id)| format!("{id} ({slot})"))
        .collect();
    if !worn_but_not_owned.is_empty() {
        let unlocked = &profile.unlocked;
        profile.equipped.retain(|_, id| unlocked.contains(id));
        notes.push(format!(
            "took off {}, which the profile does not own",
            worn_but_not_owned.join(", ")
        ));
    }
    for (level, charts) in &mut profile.progress.charts {
        for (difficulty, best) in charts.iter_mut() {
            if best.all_perfect && !best.full_combo {
                best.full_combo = true;
                notes.push(format!(
                    "{level} {difficulty} was all-perfect without a full combo; marked the full combo"
                ));
            }
        }
    }
    profile.schema = PROFILE_SCHEMA;
    Ok((profile, (!notes.is_empty()).then(|| notes.join("; "))))
}

/// The schema a profile's text was saved with: 1 when it does not say, this version's when
/// the field cannot be read.
fn saved_schema(text: &str) -> u32 {
    ron::Options::default()
        .from_str::<SchemaOnly>(&format!("({})", inner_fields(text)))
        .map(|s| s.schema)
        .unwrap_or(PROFILE_SCHEMA)
}

/// The fields between a RON struct's outer parentheses, so the schema can be read alone.
fn inner_fields(text: &str) -> String {
    let body = text.trim();
    let body = body.strip_prefix('(').unwrap_or(body);
    let body = body.strip_suffix(')').unwrap_or(body);
    // Only the `schema` field matters here; everything else is skipped by keeping that line.
    body.lines()
        .filter(|l| l.trim_start().starts_with("schema"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Loads a profile: migrated, clamped, recovered from its backup if it is corrupt (the bad
/// file is kept aside), and never silently reset. The messages say what happened.
pub fn load_profile(path: &Path) -> (Profile, Vec<String>) {
    // The profile, a note on what was migrated or clamped, and the schema it was saved with.
    type Read = (Profile, Option<String>, u32);
    let read = |path: &Path| -> Result<Option<Read>, String> {
        use crate::user_file::{MAX_SAVE_BYTES, ReadError, read_text};
        match read_text(path, MAX_SAVE_BYTES, "the profile") {
            Ok(text) => parse_profile(&text)
                .map(|(profile, note)| Some((profile, note, saved_schema(&text))))
                .map_err(|e| crate::diagnostic::from_ron_error(path, &e).to_string()),
            Err(ReadError::Missing) => Ok(None),
            Err(ReadError::Refused(diagnostic)) => Err(diagnostic.to_string()),
        }
    };
    let mut messages = Vec::new();
    match read(path) {
        Ok(Some((profile, note, schema))) => {
            if schema > PROFILE_SCHEMA {
                // Saving drops fields this version does not know; a newer one can still read
                // them from the copy.
                let _ = std::fs::copy(path, path.with_extension("ron.from-newer-version"));
            }
            messages.extend(note.map(|n| format!("{}: {n}", path.display())));
            return (profile, messages);
        }
        Ok(None) => {}
        Err(why) => {
            let aside = path.with_extension(format!(
                "ron.corrupt-{}",
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            ));
            match std::fs::rename(path, &aside) {
                Ok(()) => messages.push(format!("{why}; the file was kept as {}", aside.display())),
                Err(e) => messages.push(format!("{why}; it could not be moved aside ({e})")),
            }
        }
    }
    let backup = crate::save::backup_path(path);
    match read(&backup) {
        Ok(Some((profile, note, _))) => {
            messages.extend(note.map(|n| format!("{}: {n}", backup.display())));
            if !path.exists() {
                let _ = crate::save::replace_atomically(&backup, path, true);
            }
            messages.push(format!(
                "restored the profile from its backup {}",
                backup.display()
            ));
            (profile, messages)
        }
        Ok(None) => {
            if !messages.is_empty() {
                messages.push(format!(
                    "{} has no backup, so this profile starts over with no fan points or merch",
                    path.display()
                ));
            } else if played_before(path) {
                messages.push(format!(
                    "{} and its backup are missing though this profile has played before, so it starts over with no fan points or merch",
                    path.display()
                ));
            }
            (Profile::default(), messages)
        }
        Err(why) => {
            messages.push(format!(
                "the backup is unreadable too: {why}; this profile starts over with no fan points or merch"
            ));
            (Profile::default(), messages)
        }
    }
}

/// Whether the profile's folder holds scores or replays, so a missing profile was lost rather
/// than never made.
fn played_before(path: &Path) -> bool {
    path.parent()
        .is_some_and(|folder| folder.join("scores.ron").exists() || folder.join("replays").is_dir())
}

/// Saves a profile atomically, keeping the previous version as the backup.
pub fn save_profile(path: &Path, profile: &Profile) -> std::io::Result<()> {
    crate::save::save_ron(path, profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.ron");
        let mut profile = Profile {
            name: "Yuna".into(),
            ..Profile::default()
        };
        profile.unlocked.insert("stick-neon".into());
        profile
            .equipped
            .insert("lightstick".into(), "stick-neon".into());
        profile.progress.fan_points = 120;
        profile.progress.fan_points_earned = 300;
        save_profile(&path, &profile).unwrap();
        let (loaded, messages) = load_profile(&path);
        assert_eq!(loaded, profile);
        assert!(messages.is_empty(), "{messages:?}");
    }

    fn shop_item(price: Option<u64>, category: crate::merch::Category) -> crate::merch::Item {
        crate::merch::Item {
            id: "stick".into(),
            name: "Stick".into(),
            category,
            rarity: Default::default(),
            member: String::new(),
            colour: [0, 0, 0],
            shape: Default::default(),
            price,
            unlock: None,
        }
    }

    #[test]
    fn buying_needs_the_points_and_never_goes_negative() {
        use crate::merch::Category;
        let mut profile = Profile::default();
        profile.progress.fan_points = 99;
        let stick = shop_item(Some(100), Category::Lightstick);
        let why = profile.buy(&stick).unwrap_err();
        assert_eq!(
            why,
            PurchaseError::NotEnoughPoints(crate::merch::NotEnoughPoints {
                price: 100,
                have: 99
            })
        );
        assert!(why.to_string().contains("you have 99"), "{why}");
        assert_eq!(profile.progress.fan_points, 99);
        assert!(!profile.owns("stick"));
        profile.progress.fan_points = 150;
        profile.buy(&stick).unwrap();
        assert_eq!(profile.progress.fan_points, 50);
        assert!(profile.owns("stick"));
        let why = profile.buy(&stick).unwrap_err();
        assert!(matches!(why, PurchaseError::AlreadyOwned(_)));
        assert!(why.to_string().contains("already"), "{why}");
        assert_eq!(profile.progress.fan_points, 50, "no second charge");
        assert!(matches!(
            profile.buy(&shop_item(None, Category::Lightstick)),
            Err(PurchaseError::NotSold(_))
        ));
    }

    #[test]
    fn only_owned_wearable_items_are_equipped() {
        use crate::merch::Category;
        let mut profile = Profile::default();
        let stick = shop_item(Some(1), Category::Lightstick);
        assert!(profile.equip(&stick).is_err());
        profile.unlocked.insert("stick".into());
        profile.equip(&stick).unwrap();
        assert_eq!(profile.equipped_id(Category::Lightstick), Some("stick"));
        assert!(profile.equip(&shop_item(Some(1), Category::Album)).is_err());
        profile.unequip(Category::Lightstick);
        assert_eq!(profile.equipped_id(Category::Lightstick), None);
    }

    #[test]
    fn an_older_schema_is_migrated() {
        let (profile, note) =
            parse_profile("(schema: 1, name: \"Seri\", points: 450, unlocked: [\"card-seri\"])")
                .unwrap();
        assert_eq!(profile.schema, PROFILE_SCHEMA);
        assert_eq!(profile.name, "Seri");
        assert_eq!(profile.progress.fan_points, 450);
        assert!(profile.unlocked.contains("card-seri"));
        assert!(note.unwrap().contains("older Lightstick"));
    }

    #[test]
    fn impossible_values_are_clamped_and_said() {
        let (profile, note) = parse_profile(
            "(schema: 2, name: \"X\", progress: (fan_points: 900, fan_points_earned: 100))",
        )
        .unwrap();
        assert_eq!(profile.progress.fan_points, 100);
        assert!(note.unwrap().contains("had earned only 100"));
    }

    #[test]
    fn worn_items_not_owned_are_taken_off_and_said() {
        let (profile, note) = parse_profile(
            "(schema: 2, name: \"\", unlocked: [\"a\"], equipped: {\"outfit\": \"a\", \"lightstick\": \"stolen\"})",
        )
        .unwrap();
        assert_eq!(profile.equipped.len(), 1);
        assert_eq!(profile.name, "Player");
        let note = note.unwrap();
        assert!(note.contains("took off stolen (lightstick)"), "{note}");
        assert!(note.contains("no name"), "{note}");
    }

    #[test]
    fn a_newer_profile_is_copied_aside_before_it_could_be_saved_over() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.ron");
        let text = "(schema: 9, name: \"Kai\", hologram: true)";
        std::fs::write(&path, text).unwrap();
        let (profile, messages) = load_profile(&path);
        assert_eq!(profile.name, "Kai");
        assert!(messages[0].contains("newer Lightstick"), "{messages:?}");
        let copy = dir.path().join("profile.ron.from-newer-version");
        assert_eq!(std::fs::read_to_string(copy).unwrap(), text);
    }

    #[test]
    fn a_clamped_value_is_reported_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.ron");
        std::fs::write(&path, "(schema: 2, name: \"X\", progress: (fan_points: 9))").unwrap();
        let (profile, messages) = load_profile(&path);
        assert_eq!(profile.progress.fan_points, 0);
        assert!(
            messages[0].starts_with(&path.display().to_string()),
            "{messages:?}"
        );
    }

    #[test]
    fn a_corrupt_profile_is_kept_aside_and_the_backup_restored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("profile.ron");
        let mut profile = Profile::default();
        profile.unlocked.insert("first".into());
        save_profile(&path, &profile).unwrap();
        profile.unlocked.insert("second".into());
        save_profile(&path, &profile).unwrap();
        std::fs::write(&path, "(schema: 2, name: \"trunc").unwrap();
        let (loaded, messages) = load_profile(&path);
        assert!(
            loaded.unlocked.contains("first"),
            "the backup holds the earlier save"
        );
        assert!(
            messages.iter().any(|m| m.contains("restored the profile")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("kept as")),
            "{messages:?}"
        );
        let kept = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().contains("corrupt"));
        assert!(kept, "the corrupt file is never deleted");
    }
}
