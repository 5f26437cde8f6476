//! The player's fan life in the game: their profile (fan points, progress, unlocked and worn
//! merch), and the merch catalog and festival tours it collects from, each its own resource.
//! Each finished play adds to the profile, unlocks what it earned, and saves at once, so
//! nothing earned waits for the game to close.

use std::path::{Path, PathBuf};

use bevy::prelude::*;

use crate::core::merch::{Category, Item, Names, newly_unlocked, read_catalog};
use crate::core::profile::{Profile, load_profile, save_profile};
use crate::core::tour::{KnownLevel, Tour, read_tour_among};

/// The profile in play: what it has earned, bought and wears.
#[derive(Resource, Debug)]
pub struct Fans {
    pub path: PathBuf,
    pub profile: Profile,
}

/// Every merch item there is to collect, shipped and from the data folder's `merch/`, with the
/// names its hints give levels and tour stages. The same for every profile.
#[derive(Resource, Debug, Default)]
pub struct MerchCatalog {
    pub items: Vec<Item>,
    pub names: Names,
}

/// The festival tours, shipped and from the data folder's `tours/`.
#[derive(Resource, Debug, Default)]
pub struct Tours(pub Vec<Tour>);

impl std::ops::Deref for Tours {
    type Target = Vec<Tour>;

    fn deref(&self) -> &Vec<Tour> {
        &self.0
    }
}

/// What a play earned, for the results screen.
#[derive(Clone, Debug, Default)]
pub struct Earned {
    pub fan_points: u64,
    /// Names of the items this play unlocked.
    pub unlocked: Vec<String>,
}

/// Loads every catalog and tour: the shipped ones, then any a level maker or modder puts in
/// the data folder's `merch/` and `tours/`. Problems come back as messages for the player;
/// bad items and stages are left out, and the game goes on.
pub fn load_catalog_and_tours(
    data_dir: &Path,
    levels: &[KnownLevel],
) -> (MerchCatalog, Tours, Vec<String>) {
    let mut messages = Vec::new();
    let slugs: Vec<String> = levels.iter().map(|l| l.slug.clone()).collect();
    let mut catalog: Vec<Item> = Vec::new();
    // Which file each item came from, to name it in messages.
    let mut sources: Vec<PathBuf> = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for file in ron_files(
        &shipped("assets/merch/catalog.ron"),
        &data_dir.join("merch"),
    ) {
        let (items, diagnostics) = read_catalog(&file, &slugs);
        messages.extend(diagnostics.iter().map(|d| d.to_string()));
        for item in items {
            if !ids.insert(item.id.clone()) {
                messages.push(format!(
                    "{}: the item `{}` is already in an earlier catalog; left out",
                    file.display(),
                    item.id
                ));
            } else {
                catalog.push(item);
                sources.push(file.clone());
            }
        }
    }
    let mut tours: Vec<Tour> = Vec::new();
    for file in ron_files(
        &shipped("assets/tours/festival.ron"),
        &data_dir.join("tours"),
    ) {
        let taken: Vec<String> = tours
            .iter()
            .flat_map(|t| t.stages.iter().map(|s| s.id.clone()))
            .collect();
        let (tour, diagnostics) = read_tour_among(&file, levels, &taken);
        messages.extend(diagnostics.iter().map(|d| d.to_string()));
        let Some(tour) = tour else { continue };
        if !tour.stages.is_empty() {
            tours.push(tour);
        }
    }
    // A rule waiting for a tour stage nobody can play would never unlock.
    let stages: Vec<&str> = tours
        .iter()
        .flat_map(|t| t.stages.iter().map(|s| s.id.as_str()))
        .collect();
    let mut kept = Vec::new();
    for (item, source) in catalog.into_iter().zip(&sources) {
        let missing = item
            .unlock
            .as_ref()
            .and_then(|r| r.tour_stages().into_iter().find(|s| !stages.contains(s)));
        match missing {
            Some(stage) if item.price.is_none() => messages.push(format!(
                "{}: the item `{}` waits for the tour stage `{stage}`, which no tour has; left out",
                source.display(),
                item.id
            )),
            _ => kept.push(item),
        }
    }
    let mut names = Names::default();
    for level in levels {
        names.levels.insert(
            level.slug.clone(),
            (
                level.title.clone(),
                level
                    .difficulties
                    .iter()
                    .cloned()
                    .zip(level.meters.iter().copied())
                    .collect(),
            ),
        );
    }
    for stage in tours.iter().flat_map(|t| &t.stages) {
        names.stages.insert(stage.id.clone(), stage.name.clone());
    }
    (MerchCatalog { items: kept, names }, Tours(tours), messages)
}

impl MerchCatalog {
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// Unlocks every item whose rule `profile` now meets; the new items' names.
    pub fn unlock(&self, profile: &mut Profile) -> Vec<String> {
        let new: Vec<String> = newly_unlocked(
            self.items
                .iter()
                .filter_map(|i| i.unlock.as_ref().map(|r| (i.id.as_str(), r))),
            &profile.unlocked,
            &profile.progress,
        )
        .into_iter()
        .map(str::to_string)
        .collect();
        let mut names = Vec::new();
        for id in new {
            if let Some(item) = self.item(&id) {
                names.push(item.name.clone());
            }
            profile.unlocked.insert(id);
        }
        names
    }

    /// What a profile wears on stage, as items of this catalog.
    pub fn looks_of(&self, profile: &Profile) -> Looks {
        let worn = |category| {
            profile
                .equipped_id(category)
                .and_then(|id| self.item(id))
                .cloned()
        };
        Looks {
            lightstick: worn(Category::Lightstick),
            outfit: worn(Category::Outfit),
            note_skin: worn(Category::NoteSkin),
            photocard: worn(Category::Photocard),
        }
    }
}

impl Fans {
    /// Loads the profile of a profile folder, with any problems as messages for the player.
    pub fn load(profile_dir: &Path) -> (Fans, Vec<String>) {
        let path = profile_dir.join("profile.ron");
        let (profile, messages) = load_profile(&path);
        (Fans { path, profile }, messages)
    }

    /// The item worn in a category, if any.
    pub fn equipped<'a>(&self, catalog: &'a MerchCatalog, category: Category) -> Option<&'a Item> {
        self.profile
            .equipped_id(category)
            .and_then(|id| catalog.item(id))
    }

    /// Buys a shop item and saves; its name, or why not. On any failure the profile is as
    /// it was.
    pub fn buy(&mut self, catalog: &MerchCatalog, id: &str) -> Result<String, String> {
        let item = catalog.item(id).cloned().ok_or("no such item")?;
        let before = self.profile.clone();
        self.profile.buy(&item).map_err(|e| e.to_string())?;
        if let Err(e) = save_profile(&self.path, &self.profile) {
            self.profile = before;
            return Err(format!(
                "could not save your profile, so nothing was bought: {e}"
            ));
        }
        Ok(item.name)
    }

    /// Wears an item (or takes off what its category has on, with `wear: false`) and saves.
    pub fn equip(&mut self, catalog: &MerchCatalog, id: &str, wear: bool) -> Result<(), String> {
        let item = catalog.item(id).cloned().ok_or("no such item")?;
        let before = self.profile.clone();
        if wear {
            self.profile.equip(&item).map_err(|e| e.to_string())?;
        } else {
            self.profile.unequip(item.category);
        }
        save_profile(&self.path, &self.profile).map_err(|e| {
            self.profile = before;
            format!("could not save your profile: {e}")
        })
    }

    /// Marks a tour stage cleared, unlocks what that earned, and saves.
    pub fn clear_stage(
        &mut self,
        catalog: &MerchCatalog,
        stage: &str,
    ) -> Result<Vec<String>, String> {
        self.profile.progress.tour_stages.insert(stage.to_string());
        let names = catalog.unlock(&mut self.profile);
        save_profile(&self.path, &self.profile)
            .map_err(|e| format!("could not save your profile: {e}"))?;
        Ok(names)
    }

    /// Reads the profile back from its file, after the play journal wrote it.
    pub fn reload(&mut self) {
        let (profile, messages) = load_profile(&self.path);
        for message in messages {
            warn!("{message}");
        }
        self.profile = profile;
    }

    /// The profile file of a profile entry.
    pub fn profile_file(
        paths: &crate::library::GamePaths,
        entry: &crate::core::profiles::ProfileEntry,
    ) -> PathBuf {
        crate::core::profiles::profile_dir(&paths.data_dir, &entry.slug).join("profile.ron")
    }
}

/// A file the game ships: beside the working folder when run from a release folder, else in
/// the source tree it was built from.
pub fn shipped(relative: &str) -> PathBuf {
    let local = PathBuf::from(relative);
    if local.is_file() {
        local
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
    }
}

/// The shipped file, then the `.ron` files of a folder in name order.
fn ron_files(shipped: &Path, folder: &Path) -> Vec<PathBuf> {
    let mut files = vec![shipped.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(folder) {
        let mut extra: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        extra.sort();
        files.extend(extra);
    }
    files
}

/// The profile a multiplayer seat plays as: which it is, the file its plays are recorded in,
/// and what it wears.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatProfile {
    pub entry: crate::core::profiles::ProfileEntry,
    pub file: PathBuf,
    pub looks: Looks,
}

/// What one player wears on stage: their equipped merch, as catalog items.
#[derive(Component, Clone, Debug, Default, PartialEq)]
pub struct Looks {
    pub lightstick: Option<Item>,
    pub outfit: Option<Item>,
    pub note_skin: Option<Item>,
    pub photocard: Option<Item>,
}

impl Fans {
    /// What the profile in play wears.
    pub fn looks(&self, catalog: &MerchCatalog) -> Looks {
        catalog.looks_of(&self.profile)
    }

    /// A seat's profile as a play needs it, read from its folder (once, when the seat takes it:
    /// see [`SeatProfiles`]); the profile in play is `self`, and is not read again.
    pub fn seat_profile(
        &self,
        catalog: &MerchCatalog,
        paths: &crate::library::GamePaths,
        entry: &crate::core::profiles::ProfileEntry,
    ) -> SeatProfile {
        let file = Self::profile_file(paths, entry);
        let looks = if paths.profile == *entry {
            self.looks(catalog)
        } else {
            let (profile, messages) = load_profile(&file);
            for message in messages {
                warn!("{message}");
            }
            catalog.looks_of(&profile)
        };
        SeatProfile {
            entry: entry.clone(),
            file,
            looks,
        }
    }
}

/// Each lineup seat's profile as a play needs it, read from disk once, when the seat takes the
/// profile on the join screen, so starting a play reads nothing.
#[derive(Resource, Default, Debug)]
pub struct SeatProfiles(Vec<Option<SeatProfile>>);

impl SeatProfiles {
    /// The profile a lineup seat plays as. The profile in play is in memory already, and
    /// gives what it wears now, bought or changed since the seat joined.
    pub fn for_seat(
        &self,
        seat: usize,
        fans: &Fans,
        catalog: &MerchCatalog,
        paths: &crate::library::GamePaths,
    ) -> Option<SeatProfile> {
        let mut profile = self.0.get(seat)?.clone()?;
        if profile.entry == paths.profile {
            profile.looks = fans.looks(catalog);
        }
        Some(profile)
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SeatProfiles>()
        .add_systems(Update, follow_lineup);
}

/// Reads the profile of each seat that took a new one, and forgets those of seats gone.
fn follow_lineup(
    lineup: Res<crate::lineup::Lineup>,
    mut profiles: ResMut<SeatProfiles>,
    fans: Option<Res<Fans>>,
    catalog: Option<Res<MerchCatalog>>,
    paths: Option<Res<crate::library::GamePaths>>,
) {
    let (Some(fans), Some(catalog), Some(paths)) = (fans, catalog, paths) else {
        return;
    };
    if !lineup.is_changed() && !paths.is_changed() {
        return;
    }
    let cached = &mut profiles.0;
    cached.resize(lineup.seats.len(), None);
    for (seat, cache) in lineup.seats.iter().zip(cached.iter_mut()) {
        let current = cache.as_ref().map(|p| &p.entry);
        if seat.profile.as_ref() != current {
            *cache = seat
                .profile
                .as_ref()
                .map(|entry| fans.seat_profile(&catalog, &paths, entry));
        }
    }
}
