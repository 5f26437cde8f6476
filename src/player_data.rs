//! The player's data: the profile played as (its settings, scores and fan profile), the song
//! list, loading them at start, finishing plays a crash cut short, and switching profiles.

use std::path::PathBuf;

use bevy::prelude::*;

use crate::library::{GamePaths, LibraryCheck, LibraryChecked, Scores, SongLibrary};
use crate::notice;
use crate::settings::{self, SettingsFile};

/// Loads the profile to play as (named, else the one used last), its settings, scores and
/// fan profile, and the song list, reporting files that could not be read.
pub fn insert_player_data(
    app: &mut App,
    data_dir: PathBuf,
    profile: Option<&str>,
    level_roots: Vec<PathBuf>,
) {
    PlayerData::load(data_dir, profile, level_roots).insert(app);
}

/// The song list and the profile to play as, read once at start: opening a profile can move
/// older data into it and set a corrupt file aside, and the player must hear of both.
pub struct PlayerData {
    data_dir: PathBuf,
    level_roots: Vec<PathBuf>,
    library: SongLibrary,
    /// The new and changed levels still being checked, when there were many.
    check: LibraryCheck,
    index: crate::library::LibraryIndexFile,
    catalog: crate::fans::MerchCatalog,
    tours: crate::fans::Tours,
    profile: ProfileData,
    /// What opening the profile did, before what reading its files found.
    messages: Vec<String>,
}

impl PlayerData {
    pub fn load(data_dir: PathBuf, profile: Option<&str>, level_roots: Vec<PathBuf>) -> Self {
        // A play a crash cut short is finished against the whole catalog, so every level is
        // checked before the title then; otherwise many new levels are checked in the
        // background.
        let journal_waiting = data_dir.join(crate::core::journal::JOURNAL_FILE).exists();
        let (library, check, index) = SongLibrary::open(
            &level_roots,
            &crate::paths::library_index_file(&data_dir),
            journal_waiting,
        );
        let (entry, mut messages) = crate::core::profiles::open_profile(&data_dir, profile);
        messages.extend(index.problem.clone());
        let (catalog, tours, catalog_problems) =
            crate::fans::load_catalog_and_tours(&data_dir, &library.known_levels());
        // Against a library still being checked, a stage or item may name a level not known
        // yet: they are told once the check is done.
        if !check.is_running() {
            messages.extend(catalog_problems);
        }
        let profile = ProfileData::load(&data_dir, entry, &catalog);
        Self {
            data_dir,
            level_roots,
            library,
            check,
            index,
            catalog,
            tours,
            profile,
            messages,
        }
    }

    /// Whether the profile's settings ask for a full-screen window.
    pub fn fullscreen(&self) -> bool {
        self.profile.settings.fullscreen
    }

    pub fn insert(self, app: &mut App) {
        let mut notices = app.world_mut().resource_mut::<notice::Notices>();
        for message in self.messages.iter().chain(&self.profile.problems) {
            notices.push(message.clone());
        }
        app.insert_resource(self.library);
        app.insert_resource(self.check);
        app.insert_resource(self.index);
        app.insert_resource(self.catalog);
        app.insert_resource(self.tours);
        self.profile
            .insert(app.world_mut(), self.data_dir, self.level_roots);
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, check_catalog_against_library);
}

/// Once a background check of the library is done, the catalog and tours are checked again
/// against every level, and what they could not use is told.
fn check_catalog_against_library(
    mut finished: MessageReader<LibraryChecked>,
    library: Res<SongLibrary>,
    paths: Option<Res<GamePaths>>,
    mut notices: ResMut<notice::Notices>,
    mut commands: Commands,
) {
    if finished.read().count() == 0 {
        return;
    }
    let Some(paths) = paths else {
        return;
    };
    let (catalog, tours, problems) =
        crate::fans::load_catalog_and_tours(&paths.data_dir, &library.known_levels());
    for problem in problems {
        notices.push(problem);
    }
    commands.insert_resource(catalog);
    commands.insert_resource(tours);
}

/// Saves what a play journal still holds, when a crash or kill cut the end of a play short:
/// the same code that saves every play, applied once more, so nothing is counted twice.
fn finish_cut_short_plays(
    data_dir: &std::path::Path,
    scores: &mut Scores,
    fans: &mut crate::fans::Fans,
    catalog: &crate::fans::MerchCatalog,
) -> Vec<String> {
    use crate::core::journal;
    let journal_path = data_dir.join(journal::JOURNAL_FILE);
    if !journal_path.exists() {
        return Vec::new();
    }
    let (applied, mut messages) = journal::apply_pending(&journal_path, &|p| catalog.unlock(p));
    let finished = applied
        .iter()
        .filter(|(_, a)| *a != journal::Applied::default())
        .count();
    if finished > 0 {
        messages.push(format!(
            "finished saving {finished} play(s) that the last session was closed in the middle of saving"
        ));
    }
    scores.reload();
    fans.reload();
    messages
}

/// Everything one profile holds, loaded from its folder.
struct ProfileData {
    entry: crate::core::profiles::ProfileEntry,
    profile_dir: PathBuf,
    settings: settings::Settings,
    settings_file: SettingsFile,
    scores: Scores,
    fans: crate::fans::Fans,
    problems: Vec<String>,
}

impl ProfileData {
    fn load(
        data_dir: &std::path::Path,
        entry: crate::core::profiles::ProfileEntry,
        catalog: &crate::fans::MerchCatalog,
    ) -> Self {
        let profile_dir = crate::core::profiles::profile_dir(data_dir, &entry.slug);
        let settings_path = crate::paths::settings_file(&profile_dir);
        let (settings, settings_problems) = settings::load(&settings_path);
        let mut scores = Scores::load(crate::paths::scores_file(&profile_dir));
        let (mut fans, fan_problems) = crate::fans::Fans::load(&profile_dir);
        let recovered = finish_cut_short_plays(data_dir, &mut scores, &mut fans, catalog);
        let problems = settings_problems
            .iter()
            .chain(&scores.problems)
            .chain(&fan_problems)
            .chain(&recovered)
            .cloned()
            .collect();
        Self {
            entry,
            settings,
            settings_file: SettingsFile::new(settings_path, settings_problems),
            scores,
            fans,
            problems,
            profile_dir,
        }
    }

    fn insert(self, world: &mut World, data_dir: PathBuf, level_roots: Vec<PathBuf>) {
        if let Err(e) = crate::core::profiles::remember_last_used(&data_dir, &self.entry.slug) {
            warn!("could not remember the profile used last: {e}");
        }
        world.insert_resource(self.fans);
        world.insert_resource(self.settings);
        world.insert_resource(self.settings_file);
        world.insert_resource(self.scores);
        world.insert_resource(GamePaths {
            data_dir,
            profile_dir: self.profile_dir,
            profile: self.entry,
            level_roots,
        });
    }
}

/// Plays as another profile from now on: its settings, bindings, scores and collection.
pub fn switch_profile(world: &mut World, entry: crate::core::profiles::ProfileEntry) {
    let Some(paths) = world.get_resource::<GamePaths>().cloned() else {
        return;
    };
    // A settings change still waiting to be written belongs to the profile being left.
    if world.resource::<SettingsFile>().unsaved {
        let settings = world.resource::<settings::Settings>().clone();
        world.resource_mut::<SettingsFile>().save(&settings);
    }
    let data = {
        let catalog = world.resource::<crate::fans::MerchCatalog>();
        ProfileData::load(&paths.data_dir, entry, catalog)
    };
    let mut notices = world.resource_mut::<notice::Notices>();
    for problem in &data.problems {
        notices.push(problem.clone());
    }
    notices.push(format!("Playing as {}", data.entry.name));
    data.insert(world, paths.data_dir, paths.level_roots);
}
