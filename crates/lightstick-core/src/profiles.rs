//! The named profiles in a data folder: one folder per profile under `profiles/`, holding that
//! player's settings, bindings, best scores, replays and fan profile; the profile used last;
//! and moving the single-player layout of older versions into a profile of its own.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::profile::{Profile, load_profile, save_profile};

/// The profile a fresh data folder starts with, and the one older data moves into.
pub const FIRST_PROFILE: &str = "Player";

/// The files a profile folder holds, besides its `replays/` folder.
pub const PROFILE_FILES: [&str; 3] = ["profile.ron", "settings.ron", "scores.ron"];

/// A profile found on disk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileEntry {
    /// The folder name, which the CLI and the last-used file name it by.
    pub slug: String,
    /// The name the player gave it.
    pub name: String,
}

/// The folder name for a profile name: lower-case letters and digits, other runs become `-`.
pub fn profile_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "player".into()
    } else {
        slug
    }
}

pub fn profiles_root(data_dir: &Path) -> PathBuf {
    data_dir.join("profiles")
}

pub fn profile_dir(data_dir: &Path, slug: &str) -> PathBuf {
    profiles_root(data_dir).join(slug)
}

/// Every profile folder with a readable name, sorted by name. A folder whose profile cannot be
/// read is still listed under its folder name: it is loaded (and recovered) when chosen.
pub fn list_profiles(data_dir: &Path) -> Vec<ProfileEntry> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(profiles_root(data_dir)) else {
        return found;
    };
    for entry in entries.flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let slug = entry.file_name().to_string_lossy().into_owned();
        let name = crate::user_file::read_text(
            &entry.path().join("profile.ron"),
            crate::user_file::MAX_SAVE_BYTES,
            "the profile",
        )
        .ok()
        .and_then(|text| crate::profile::parse_profile(&text).ok())
        .map_or_else(|| slug.clone(), |(p, _)| p.name);
        found.push(ProfileEntry { slug, name });
    }
    found.sort_by_key(|p| p.name.to_lowercase());
    found
}

/// The longest profile name, in characters.
pub const MAX_NAME_CHARS: usize = 24;

/// Why a new profile could not be made.
#[derive(Debug, thiserror::Error)]
pub enum NewProfileError {
    #[error("a profile needs a name")]
    NoName,
    #[error("a profile name is at most {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("there is already a profile called {0}")]
    Taken(String),
    #[error("could not create {}: {source}", .dir.display())]
    Save {
        dir: PathBuf,
        source: std::io::Error,
    },
}

/// Makes a new profile folder for `name`, refusing a name another profile already has.
pub fn create_profile(data_dir: &Path, name: &str) -> Result<ProfileEntry, NewProfileError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(NewProfileError::NoName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NewProfileError::TooLong);
    }
    let slug = profile_slug(name);
    let dir = profile_dir(data_dir, &slug);
    if dir.exists() {
        return Err(NewProfileError::Taken(name.to_string()));
    }
    let profile = Profile {
        name: name.to_string(),
        ..Profile::default()
    };
    save_profile(&dir.join("profile.ron"), &profile)
        .map_err(|source| NewProfileError::Save { dir, source })?;
    Ok(ProfileEntry {
        slug,
        name: name.to_string(),
    })
}

#[derive(Serialize, Deserialize)]
struct LastUsed {
    profile: String,
}

/// The profile named in the text of `last-used.ron`, if it names one.
pub fn parse_last_used(text: &str) -> Option<String> {
    ron::from_str::<LastUsed>(text).ok().map(|l| l.profile)
}

fn last_used_file(data_dir: &Path) -> PathBuf {
    profiles_root(data_dir).join("last-used.ron")
}

/// Remembers the profile played last, so the next launch starts with it.
pub fn remember_last_used(data_dir: &Path, slug: &str) -> std::io::Result<()> {
    crate::save::save_ron(
        &last_used_file(data_dir),
        &LastUsed {
            profile: slug.to_string(),
        },
    )
}

/// Picks the profile to start with: the one asked for (by folder or by name, created when it
/// does not exist), else the one used last, else the first, else a new one. Moves an older
/// single-player data folder into a profile first. The messages say what was done.
pub fn open_profile(data_dir: &Path, asked: Option<&str>) -> (ProfileEntry, Vec<String>) {
    let mut messages = Vec::new();
    messages.extend(move_flat_layout(data_dir));
    let profiles = list_profiles(data_dir);
    if let Some(asked) = asked.map(str::trim).filter(|a| !a.is_empty()) {
        let slug = profile_slug(asked);
        if let Some(found) = profiles
            .iter()
            .find(|p| p.slug == asked || p.slug == slug || p.name.eq_ignore_ascii_case(asked))
        {
            return (found.clone(), messages);
        }
        return match create_profile(data_dir, asked) {
            Ok(made) => {
                messages.push(format!("made a new profile, {}", made.name));
                (made, messages)
            }
            Err(why) => {
                messages.push(why.to_string());
                (fallback(data_dir, &profiles, &mut messages), messages)
            }
        };
    }
    let last = crate::user_file::read_text(
        &last_used_file(data_dir),
        crate::user_file::MAX_TEXT_BYTES,
        "the last-used profile",
    )
    .ok()
    .and_then(|text| parse_last_used(&text));
    if let Some(found) = last.and_then(|slug| profiles.iter().find(|p| p.slug == slug)) {
        return (found.clone(), messages);
    }
    (fallback(data_dir, &profiles, &mut messages), messages)
}

fn fallback(
    data_dir: &Path,
    profiles: &[ProfileEntry],
    messages: &mut Vec<String>,
) -> ProfileEntry {
    if let Some(first) = profiles.first() {
        return first.clone();
    }
    create_profile(data_dir, FIRST_PROFILE).unwrap_or_else(|why| {
        messages.push(why.to_string());
        ProfileEntry {
            slug: profile_slug(FIRST_PROFILE),
            name: FIRST_PROFILE.into(),
        }
    })
}

/// Moves the files of the older single-player layout (settings, scores, fan profile and
/// replays at the top of the data folder, with their backups) into a profile folder, by
/// renaming, so nothing is copied half-way. Does nothing once a `profiles/` folder exists.
pub fn move_flat_layout(data_dir: &Path) -> Option<String> {
    if profiles_root(data_dir).exists() {
        return None;
    }
    let mut moving: Vec<String> = Vec::new();
    for file in PROFILE_FILES {
        for name in [file.to_string(), format!("{file}.bak")] {
            if data_dir.join(&name).is_file() {
                moving.push(name);
            }
        }
    }
    if data_dir.join("replays").is_dir() {
        moving.push("replays".into());
    }
    if moving.is_empty() {
        return None;
    }
    // The older fan profile carries the player's name; keep it as the profile's name.
    let (profile, _) = load_profile(&data_dir.join("profile.ron"));
    let name = if profile.name.trim().is_empty() {
        FIRST_PROFILE.to_string()
    } else {
        profile.name.clone()
    };
    let target = profile_dir(data_dir, &profile_slug(&name));
    if let Err(e) = std::fs::create_dir_all(&target) {
        return Some(format!(
            "could not make the profile folder {}: {e}; your data stays where it was",
            target.display()
        ));
    }
    let mut failed = Vec::new();
    for name in &moving {
        if let Err(e) = std::fs::rename(data_dir.join(name), target.join(name)) {
            failed.push(format!("{name} ({e})"));
        }
    }
    if !target.join("profile.ron").exists() {
        let _ = save_profile(
            &target.join("profile.ron"),
            &Profile {
                name: name.clone(),
                ..profile
            },
        );
    }
    Some(if failed.is_empty() {
        format!(
            "moved your scores, settings and replays into the profile {name} ({})",
            target.display()
        )
    } else {
        format!(
            "moved your data into the profile {name}, except {}; those stay in {}",
            failed.join(", "),
            data_dir.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_folder_safe() {
        assert_eq!(profile_slug("Yuna ♥ 2"), "yuna-2");
        assert_eq!(profile_slug("  "), "player");
        assert_eq!(profile_slug("../etc"), "etc");
    }

    #[test]
    fn a_fresh_folder_starts_with_one_profile_and_remembers_the_last() {
        let dir = tempfile::tempdir().unwrap();
        let (first, messages) = open_profile(dir.path(), None);
        assert_eq!(first.name, FIRST_PROFILE);
        assert!(messages.is_empty(), "{messages:?}");
        let seri = create_profile(dir.path(), "Seri").unwrap();
        let taken = create_profile(dir.path(), "seri").unwrap_err();
        assert!(
            matches!(taken, NewProfileError::Taken(_)),
            "one name, one profile"
        );
        assert_eq!(taken.to_string(), "there is already a profile called seri");
        assert!(matches!(
            create_profile(dir.path(), "  "),
            Err(NewProfileError::NoName)
        ));
        remember_last_used(dir.path(), &seri.slug).unwrap();
        assert_eq!(open_profile(dir.path(), None).0, seri);
        assert_eq!(open_profile(dir.path(), Some("Player")).0.name, "Player");
        let names: Vec<String> = list_profiles(dir.path())
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["Player", "Seri"]);
    }

    #[test]
    fn asking_for_a_new_name_makes_that_profile() {
        let dir = tempfile::tempdir().unwrap();
        let (made, messages) = open_profile(dir.path(), Some("Mina"));
        assert_eq!(made.slug, "mina");
        assert!(messages[0].contains("new profile"));
        assert!(dir.path().join("profiles/mina/profile.ron").is_file());
    }

    #[test]
    fn older_data_moves_into_a_profile_without_loss() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("scores.ron"), "(format: 1)").unwrap();
        std::fs::write(dir.path().join("scores.ron.bak"), "(format: 1)").unwrap();
        std::fs::write(dir.path().join("settings.ron"), "()").unwrap();
        std::fs::create_dir_all(dir.path().join("replays/song")).unwrap();
        std::fs::write(dir.path().join("replays/song/hard.ron"), "replay").unwrap();
        let (profile, messages) = open_profile(dir.path(), None);
        assert_eq!(profile.slug, "player");
        assert!(messages[0].contains("moved your scores"), "{messages:?}");
        let home = dir.path().join("profiles/player");
        for file in [
            "scores.ron",
            "scores.ron.bak",
            "settings.ron",
            "replays/song/hard.ron",
        ] {
            assert!(home.join(file).is_file(), "{file} moved");
            assert!(!dir.path().join(file).exists(), "{file} not left behind");
        }
        assert_eq!(
            std::fs::read_to_string(home.join("replays/song/hard.ron")).unwrap(),
            "replay"
        );
    }
}
