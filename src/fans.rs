//! The player's fan life in the game: their profile (fan points, progress, unlocked merch) and
//! the merch catalog, loaded at start. Each finished play adds to the profile, unlocks what it
//! earned, and saves at once, so nothing earned waits for the game to close.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::core::merch::{Item, PlayRecord, newly_unlocked, read_catalog};
use crate::core::profile::{Profile, load_profile, save_profile};

/// The profile in play and the catalog it collects from.
#[derive(Resource, Debug)]
pub struct Fans {
    pub path: PathBuf,
    pub profile: Profile,
    pub catalog: Vec<Item>,
}

/// What a play earned, for the results screen.
#[derive(Clone, Debug, Default)]
pub struct Earned {
    pub fan_points: u64,
    /// Names of the items this play unlocked.
    pub unlocked: Vec<String>,
}

impl Fans {
    /// Loads the profile and every catalog: the shipped one, then any a level maker or modder
    /// puts in the data folder's `merch/`. Problems come back as messages for the player.
    pub fn load(data_dir: &std::path::Path, levels: &[String]) -> (Fans, Vec<String>) {
        let path = data_dir.join("profile.ron");
        let (profile, mut messages) = load_profile(&path);
        // The shipped catalog beside the game's levels, or in the source tree it was built from.
        let local = PathBuf::from("assets/merch/catalog.ron");
        let shipped = if local.is_file() {
            local
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/merch/catalog.ron")
        };
        let mut files = vec![shipped];
        if let Ok(entries) = std::fs::read_dir(data_dir.join("merch")) {
            let mut extra: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ron"))
                .collect();
            extra.sort();
            files.extend(extra);
        }
        let mut catalog: Vec<Item> = Vec::new();
        for file in files {
            let (items, diagnostics) = read_catalog(&file, levels);
            messages.extend(diagnostics.iter().map(|d| d.to_string()));
            for item in items {
                if catalog.iter().any(|i| i.id == item.id) {
                    messages.push(format!(
                        "{}: the item `{}` is already in an earlier catalog; left out",
                        file.display(),
                        item.id
                    ));
                } else {
                    catalog.push(item);
                }
            }
        }
        (
            Fans {
                path,
                profile,
                catalog,
            },
            messages,
        )
    }

    /// Adds a finished play to the profile, unlocks what it earned, and saves.
    pub fn record(&mut self, play: &PlayRecord) -> Result<Earned, String> {
        let fan_points = self.profile.progress.record(play);
        let new: Vec<String> = newly_unlocked(
            self.catalog
                .iter()
                .filter_map(|i| i.unlock.as_ref().map(|r| (i.id.as_str(), r))),
            &self.profile.unlocked,
            &self.profile.progress,
        )
        .into_iter()
        .map(str::to_string)
        .collect();
        let mut names = Vec::new();
        for id in new {
            if let Some(item) = self.catalog.iter().find(|i| i.id == id) {
                names.push(item.name.clone());
            }
            self.profile.unlocked.insert(id);
        }
        save_profile(&self.path, &self.profile)
            .map_err(|e| format!("could not save your profile: {e}"))?;
        Ok(Earned {
            fan_points,
            unlocked: names,
        })
    }
}
