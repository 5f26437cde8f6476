//! The song list's cursor and what the list holds: the search, the order, the packs open and
//! shut, and the keys that move through thousands of songs. The song list screen draws it and
//! adds the mouse; this part runs headless too.

use std::collections::BTreeSet;

use bevy::input::keyboard::KeyboardInput;
use bevy::prelude::*;

use crate::core::records::ScoreBook;
use crate::core::score::Grade;
use crate::library::{LibraryEntry, Scores, SongLibrary, SongOrder};
use crate::lineup::Lineup;
use crate::screens::Screen;
use crate::settings::Settings;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<SongBrowser>()
        .init_resource::<TextFieldHasKeys>()
        .add_systems(
            Update,
            (relist, browse_with_keys)
                .chain()
                .run_if(in_state(Screen::SongSelect)),
        );
}

/// Whether a text field on screen (the import path, a number being typed) has the keyboard:
/// the screen says so each frame, and the list then leaves the keys to it.
#[derive(Resource, Debug, Default)]
pub struct TextFieldHasKeys(pub bool);

/// Where the song list's cursor is, what is searched for and in what order, and the rows that
/// follow from them.
#[derive(Resource, Debug, Default)]
pub struct SongBrowser {
    /// The song chosen, by its place in the library: its details and preview are on show.
    pub song: usize,
    /// The chosen song's chart, by its place in the level.
    pub chart: usize,
    /// The pack whose heading the cursor is on, if it is on one rather than on `song`: a
    /// closed pack is opened again from its heading.
    pub pack: Option<String>,
    /// What the player has typed to search the list.
    pub query: String,
    pub order: SongOrder,
    /// A key moved the cursor this frame: the list scrolls to it.
    pub moved: bool,
    listing: Listing,
}

/// The songs listed for one search, order and set of closed packs.
#[derive(Debug, Default)]
struct Listing {
    /// `None` until the first listing.
    for_query: Option<String>,
    order: SongOrder,
    folded: BTreeSet<String>,
    /// The songs the search finds, in order, each with its jump heading.
    songs: Vec<usize>,
    keys: Vec<String>,
    rows: Vec<Row>,
    /// Each jump heading with the row it starts at.
    jumps: Vec<(String, usize)>,
}

/// A row of the song list: a pack's heading, or a song.
#[derive(Clone, Debug, PartialEq)]
pub enum Row {
    Group {
        name: String,
        songs: usize,
        folded: bool,
    },
    Song {
        index: usize,
    },
}

impl Row {
    pub fn song(&self) -> Option<usize> {
        match self {
            Row::Song { index } => Some(*index),
            Row::Group { .. } => None,
        }
    }
}

impl SongBrowser {
    /// The rows on show: headings of packs, and the songs of the open ones.
    pub fn rows(&self) -> &[Row] {
        &self.listing.rows
    }

    /// The jump headings (letters, tempo bands, grades…), each with the row it starts at.
    pub fn jumps(&self) -> &[(String, usize)] {
        &self.listing.jumps
    }

    /// The row the cursor is on.
    pub fn cursor_row(&self) -> Option<usize> {
        let rows = &self.listing.rows;
        match &self.pack {
            Some(pack) => rows
                .iter()
                .position(|r| matches!(r, Row::Group { name, .. } if name == pack)),
            None => rows.iter().position(|r| r.song() == Some(self.song)),
        }
    }

    /// Puts the cursor on `row`.
    pub fn go_to_row(&mut self, row: usize) {
        match self.listing.rows.get(row) {
            Some(Row::Group { name, .. }) => self.pack = Some(name.clone()),
            Some(Row::Song { index }) => self.choose(*index),
            None => {}
        }
    }

    /// Puts the cursor on the song at `index` of the library, on its first chart if it is
    /// another song.
    pub fn choose(&mut self, index: usize) {
        if index != self.song {
            self.chart = 0;
        }
        self.song = index;
        self.pack = None;
    }

    /// Works out the rows again when the library, the scores, the search, the order or the
    /// closed packs changed since the last time.
    fn relist(&mut self, library: &SongLibrary, book: &ScoreBook, folded: &BTreeSet<String>) {
        let entries = &library.entries;
        let best = |entry: &LibraryEntry| best_grade(book, entry);
        let listing = &mut self.listing;
        let songs = library.shown(&self.query, self.order, &best);
        listing.keys = songs
            .iter()
            .map(|&i| entries[i].jump_key(self.order, best(&entries[i])))
            .collect();
        listing.songs = songs;
        listing.for_query = Some(self.query.clone());
        listing.order = self.order;
        listing.folded = folded.clone();
        // Closed packs hide their songs, unless a search is looking through everything.
        let grouped = self.order == SongOrder::Folder;
        let closed = (grouped && self.query.is_empty()).then_some(folded);
        let (rows, reached_at) = list_rows(entries, &listing.songs, grouped, closed);
        listing.rows = rows;
        listing.jumps = jump_targets(&listing.keys, &reached_at);
        self.settle(entries);
    }

    /// Whether the search, the order or the closed packs changed since the last listing.
    fn is_stale(&self, folded: &BTreeSet<String>) -> bool {
        let listing = &self.listing;
        listing.for_query.as_deref() != Some(self.query.as_str())
            || listing.order != self.order
            || &listing.folded != folded
    }

    /// Keeps the cursor on a row on show: a song folded away leaves it on its pack's heading,
    /// a song the search hides on the first row.
    fn settle(&mut self, entries: &[LibraryEntry]) {
        if self.cursor_row().is_some() || self.listing.rows.is_empty() {
            return;
        }
        let pack = entries.get(self.song).and_then(|e| e.group.clone());
        let heading =
            self.listing.rows.iter().position(
                |r| matches!((r, &pack), (Row::Group { name, .. }, Some(p)) if name == p),
            );
        if self.pack.is_none()
            && let Some(row) = heading
        {
            self.go_to_row(row);
        } else {
            self.pack = None;
            self.go_to_row(0);
        }
    }

    /// Moves the cursor `by` rows, round the ends of the list.
    fn step(&mut self, by: isize) {
        let count = self.listing.rows.len() as isize;
        if count == 0 {
            return;
        }
        let row = match self.cursor_row() {
            Some(at) => (at as isize + by).rem_euclid(count) as usize,
            None => 0,
        };
        self.go_to_row(row);
    }

    /// Moves the cursor to the next (or previous) jump heading.
    fn jump(&mut self, forward: bool) {
        let jumps = &self.listing.jumps;
        if jumps.is_empty() {
            return;
        }
        let at = self.cursor_row().unwrap_or(0);
        let here = jumps.iter().rposition(|(_, row)| *row <= at).unwrap_or(0);
        let count = jumps.len();
        let next = if forward {
            (here + 1) % count
        } else if jumps[here].1 < at {
            // Back from inside a heading's run goes to its start first.
            here
        } else {
            (here + count - 1) % count
        };
        let row = jumps[next].1;
        self.go_to_row(row);
    }

    /// The first song on show whose title, or its transliteration, starts with `typed`.
    fn first_title_starting(&self, entries: &[LibraryEntry], typed: &str) -> Option<usize> {
        let shown: Vec<usize> = self.listing.rows.iter().filter_map(Row::song).collect();
        first_title_starting(entries, &shown, typed)
    }

    /// Opens the pack under the cursor if it is closed, closes it if it is open.
    fn toggle_pack(&self, settings: &mut Settings) {
        if let Some(pack) = &self.pack
            && !settings.folded_groups.remove(pack)
        {
            settings.folded_groups.insert(pack.clone());
        }
    }
}

/// The keys the song list answers, read off the frame's keyboard.
#[derive(Debug, Default)]
struct Keys {
    typed: String,
    erase: bool,
    up: bool,
    down: bool,
    page_up: bool,
    page_down: bool,
    left: bool,
    right: bool,
    enter: bool,
    escape: bool,
}

impl Keys {
    fn read(keyboard: &ButtonInput<KeyCode>, input: &mut MessageReader<KeyboardInput>) -> Self {
        let command = keyboard.any_pressed([
            KeyCode::ControlLeft,
            KeyCode::ControlRight,
            KeyCode::SuperLeft,
            KeyCode::SuperRight,
            KeyCode::AltLeft,
            KeyCode::AltRight,
        ]);
        let typed = input
            .read()
            .filter(|k| k.state.is_pressed() && !command)
            .filter_map(|k| k.text.as_deref())
            .flat_map(str::chars)
            // `[` and `]` set the rate; control characters are keys, not text.
            .filter(|c| !c.is_control() && !matches!(c, '[' | ']'))
            .collect();
        Self {
            typed,
            erase: keyboard.just_pressed(KeyCode::Backspace),
            up: keyboard.just_pressed(KeyCode::ArrowUp),
            down: keyboard.just_pressed(KeyCode::ArrowDown),
            page_up: keyboard.just_pressed(KeyCode::PageUp),
            page_down: keyboard.just_pressed(KeyCode::PageDown),
            left: keyboard.just_pressed(KeyCode::ArrowLeft),
            right: keyboard.just_pressed(KeyCode::ArrowRight),
            enter: keyboard.any_just_pressed([KeyCode::Enter, KeyCode::NumpadEnter]),
            escape: keyboard.just_pressed(KeyCode::Escape),
        }
    }
}

fn relist(
    library: Res<SongLibrary>,
    scores: Res<Scores>,
    settings: Res<Settings>,
    mut browser: ResMut<SongBrowser>,
) {
    let folded = &settings.folded_groups;
    if library.is_changed() || scores.is_changed() || browser.is_stale(folded) {
        browser.relist(&library, &scores.book, folded);
    }
}

/// Typing searches and goes to the first title starting with what is typed; the arrows, the
/// page keys, Enter on a pack's heading and Esc move through the list. A text field that has
/// the keys (the import path, a number) keeps them.
#[allow(clippy::too_many_arguments)]
fn browse_with_keys(
    keyboard: Res<ButtonInput<KeyCode>>,
    mut input: MessageReader<KeyboardInput>,
    text_field: Res<TextFieldHasKeys>,
    replays: Res<crate::replays::ReplayBrowser>,
    library: Res<SongLibrary>,
    scores: Res<Scores>,
    lineup: Res<Lineup>,
    mut settings: ResMut<Settings>,
    mut browser: ResMut<SongBrowser>,
    mut next: ResMut<NextState<Screen>>,
) {
    let keys = Keys::read(&keyboard, &mut input);
    // The replay browser over the list keeps the keys (Esc closes it).
    if text_field.0 || replays.shown.is_some() {
        return;
    }
    let browser = browser.as_mut();
    let entries = &library.entries;
    if !keys.typed.is_empty() || keys.erase {
        browser.query.push_str(&keys.typed);
        if keys.erase {
            browser.query.pop();
        }
        browser.relist(&library, &scores.book, &settings.folded_groups);
    }
    let before = (browser.song, browser.pack.clone());
    if !keys.typed.is_empty()
        && let Some(song) = browser.first_title_starting(entries, &browser.query)
    {
        browser.choose(song);
    }
    if keys.up {
        browser.step(-1);
    }
    if keys.down {
        browser.step(1);
    }
    if keys.page_up || keys.page_down {
        browser.jump(keys.page_down);
    }
    if browser.pack.is_some() {
        // On a pack's heading, Enter opens or closes it, Left closes and Right opens.
        let folded = browser
            .pack
            .as_ref()
            .is_some_and(|p| settings.folded_groups.contains(p));
        if keys.enter || (keys.left && !folded) || (keys.right && folded) {
            browser.toggle_pack(&mut settings);
        }
    } else if let Some(level) = entries.get(browser.song).and_then(|e| e.level.as_ref()) {
        let charts = level.charts.len();
        if keys.left {
            browser.chart = (browser.chart + charts - 1) % charts;
        }
        if keys.right {
            browser.chart = (browser.chart + 1) % charts;
        }
        browser.chart = browser.chart.min(charts - 1);
    }
    browser.moved = (browser.song, browser.pack.clone()) != before;
    // Esc clears a search first, and leaves the list after.
    if keys.escape {
        if browser.query.is_empty() {
            next.set(if lineup.is_multiplayer() {
                Screen::Join
            } else {
                Screen::Title
            });
        }
        browser.query.clear();
    }
}

/// The best grade on any of the level's charts, if one was cleared.
pub fn best_grade(book: &ScoreBook, entry: &LibraryEntry) -> Option<Grade> {
    entry
        .summary
        .charts
        .iter()
        .filter_map(|c| book.best(&entry.summary.slug, &c.difficulty)?.cleared())
        .map(|best| best.grade)
        .min()
}

/// The rows for the listed `songs`: a heading before each pack when `grouped`, and no songs
/// under a pack in `folded`. With them, the row each song is reached at: its own, or its
/// pack's heading for the first song of a pack and for every song of a closed one.
fn list_rows(
    entries: &[LibraryEntry],
    songs: &[usize],
    grouped: bool,
    folded: Option<&BTreeSet<String>>,
) -> (Vec<Row>, Vec<usize>) {
    let mut rows = Vec::with_capacity(songs.len());
    let mut reached_at = Vec::with_capacity(songs.len());
    let mut place = 0;
    while place < songs.len() {
        let group = &entries[songs[place]].group;
        let run = songs[place..]
            .iter()
            .take_while(|&&i| &entries[i].group == group)
            .count();
        let mut heading = None;
        if grouped && let Some(name) = group {
            let closed = folded.is_some_and(|f| f.contains(name));
            heading = Some((rows.len(), closed));
            rows.push(Row::Group {
                name: name.clone(),
                songs: run,
                folded: closed,
            });
        }
        for (k, &index) in songs[place..place + run].iter().enumerate() {
            match heading {
                Some((at, true)) => reached_at.push(at),
                Some((at, false)) if k == 0 => {
                    reached_at.push(at);
                    rows.push(Row::Song { index });
                }
                _ => {
                    reached_at.push(rows.len());
                    rows.push(Row::Song { index });
                }
            }
        }
        place += run;
    }
    (rows, reached_at)
}

/// The headings the list can jump to, each with the first row under it: the listed songs'
/// `keys`, and the rows they are `reached_at`.
fn jump_targets(keys: &[String], reached_at: &[usize]) -> Vec<(String, usize)> {
    let mut targets: Vec<(String, usize)> = Vec::new();
    for (key, &row) in keys.iter().zip(reached_at) {
        if targets.last().is_none_or(|(last, _)| last != key) {
            targets.push((key.clone(), row));
        }
    }
    targets
}

/// The first of the `shown` songs whose title, or its transliteration, starts with `typed` (in
/// any case): where typing in the list goes.
fn first_title_starting(entries: &[LibraryEntry], shown: &[usize], typed: &str) -> Option<usize> {
    let typed = typed.trim_start().to_lowercase();
    if typed.is_empty() {
        return None;
    }
    shown.iter().copied().find(|&i| {
        let s = &entries[i].summary;
        [&s.title, &s.translit.title, &s.slug]
            .iter()
            .any(|t| t.to_lowercase().starts_with(&typed))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::level::cache::LevelSummary;
    use std::path::{Path, PathBuf};

    fn entries(folders: &[&str]) -> Vec<LibraryEntry> {
        let roots = [PathBuf::from("/levels")];
        folders
            .iter()
            .map(|f| {
                LibraryEntry::of_summary(
                    LevelSummary::unchecked(&Path::new("/levels").join(f)),
                    &roots,
                    false,
                )
            })
            .collect()
    }

    #[test]
    fn typing_goes_to_the_first_title_that_starts_with_it() {
        let mut entries = entries(&["a", "b", "c", "d"]);
        for (entry, title) in entries
            .iter_mut()
            .zip(["Neon Run", "Venom", "Nova", "Lanterns"])
        {
            entry.summary.title = title.into();
        }
        entries[3].summary.translit.title = "Paper Lanterns".into();
        let shown = [0, 1, 2, 3];
        assert_eq!(first_title_starting(&entries, &shown, "n"), Some(0));
        assert_eq!(first_title_starting(&entries, &shown, "NO"), Some(2));
        assert_eq!(first_title_starting(&entries, &shown, "paper"), Some(3));
        // Only the shown songs: a search that hides Neon Run goes to Nova.
        assert_eq!(first_title_starting(&entries, &[1, 2, 3], "n"), Some(2));
        assert_eq!(first_title_starting(&entries, &shown, "x"), None);
    }

    #[test]
    fn packs_get_a_heading_and_a_closed_pack_hides_its_songs_behind_it() {
        let entries = entries(&["solo", "itg/a", "itg/b", "osu/c"]);
        let songs = [0, 1, 2, 3];
        let (rows, reached_at) = list_rows(&entries, &songs, true, None);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0], Row::Song { index: 0 });
        assert_eq!(
            rows[1],
            Row::Group {
                name: "itg".into(),
                songs: 2,
                folded: false
            }
        );
        // A pack's first song is reached at its heading.
        assert_eq!(reached_at, [0, 1, 3, 4]);
        let folded = BTreeSet::from(["itg".to_string()]);
        let (rows, reached_at) = list_rows(&entries, &songs, true, Some(&folded));
        let shown: Vec<usize> = rows.iter().filter_map(Row::song).collect();
        assert_eq!(shown, [0, 3]);
        assert_eq!(reached_at, [0, 1, 1, 2]);
        // Not grouped: no headings at all.
        assert_eq!(list_rows(&entries, &songs, false, None).0.len(), 4);
    }

    #[test]
    fn each_jump_heading_starts_at_the_first_row_reaching_it() {
        let keys: Vec<String> = ["A", "A", "B", "C"].map(String::from).to_vec();
        assert_eq!(
            jump_targets(&keys, &[0, 1, 2, 3]),
            [
                ("A".to_string(), 0),
                ("B".to_string(), 2),
                ("C".to_string(), 3)
            ]
        );
        // Songs of a closed pack all reach its heading.
        assert_eq!(
            jump_targets(&keys, &[0, 0, 0, 1]),
            [
                ("A".to_string(), 0),
                ("B".to_string(), 0),
                ("C".to_string(), 1)
            ]
        );
    }
}
