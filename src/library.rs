//! The song library and the score book, as resources: which levels exist (broken ones with
//! their errors), and the player's best scores.

use std::path::PathBuf;
use std::sync::Arc;

use bevy::prelude::*;

use crate::core::level::{Level, LevelReport, discover_levels};
use crate::core::records::ScoreBook;
use crate::core::save;

/// Where the game finds levels and keeps the player's data.
#[derive(Resource, Clone, Debug)]
pub struct GamePaths {
    pub data_dir: PathBuf,
    pub level_roots: Vec<PathBuf>,
}

/// One entry of the song list.
#[derive(Clone, Debug)]
pub struct LibraryEntry {
    pub report: LevelReport,
    pub level: Option<Arc<Level>>,
}

#[derive(Resource, Default, Debug)]
pub struct SongLibrary {
    pub entries: Vec<LibraryEntry>,
}

impl SongLibrary {
    /// Loads and validates every level. Song sheets are rendered later, when first played or
    /// previewed, and then cached.
    pub fn scan(roots: &[PathBuf]) -> Self {
        let entries = discover_levels(roots)
            .into_iter()
            .map(|report| LibraryEntry {
                level: report.level.clone().map(Arc::new),
                report,
            })
            .collect();
        Self { entries }
    }

    pub fn find(&self, slug: &str) -> Option<&LibraryEntry> {
        self.entries.iter().find(|e| e.report.slug == slug)
    }
}

/// The score book and the file it is saved in.
#[derive(Resource, Debug)]
pub struct Scores {
    pub book: ScoreBook,
    pub path: PathBuf,
    pub problems: Vec<String>,
}

impl Scores {
    pub fn load(path: PathBuf) -> Self {
        let loaded = save::load_ron::<ScoreBook>(&path);
        for problem in &loaded.problems {
            warn!("{problem}");
        }
        Self {
            book: loaded.value,
            path,
            problems: loaded.problems,
        }
    }

    pub fn save(&mut self) {
        if let Err(e) = save::save_ron(&self.path, &self.book) {
            let message = format!("could not save scores to {}: {e}", self.path.display());
            warn!("{message}");
            self.problems.push(message);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SongLibrary>();
}
