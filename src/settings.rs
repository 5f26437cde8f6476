//! Player settings: key bindings, scroll speed, offsets, volume, display and judging options.
//! Saved as RON in the data folder whenever they change.

use bevy::prelude::*;
use serde::{Deserialize, Serialize};

use crate::bindings::{KeyboardLayout, OffsetDevice};
use crate::core::chart::{MAX_LANES, MIN_LANES};
use crate::core::judge::{JudgeDifficulty, JudgeSettings};
use crate::core::mods::Mods;
use crate::core::save;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum ScrollSpeed {
    /// Scales with the song's tempo: ×1 moves notes one beat per 100 pixels... at ×1.
    Multiplier(f32),
    /// Notes move at this many pixels per second whatever the tempo (StepMania's CMod).
    Constant(f32),
}

impl Default for ScrollSpeed {
    fn default() -> Self {
        ScrollSpeed::Constant(700.0)
    }
}

/// Pixels a note travels per beat at ×1.
pub const PIXELS_PER_BEAT: f32 = 110.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Resource)]
#[serde(default)]
pub struct Settings {
    /// Keys for each lane count: `bindings[n - 4]` holds the keys of an n-lane chart.
    pub bindings: Vec<Vec<KeyCode>>,
    pub scroll: ScrollSpeed,
    /// Milliseconds the sound reaches the ear after the game plays it; added to every input.
    pub audio_offset_ms: f32,
    /// Milliseconds to move the drawing of notes later (positive) or earlier.
    pub visual_offset_ms: f32,
    /// 0..=1.
    pub volume: f32,
    pub fullscreen: bool,
    pub judge_difficulty: u8,
    pub no_fail: bool,
    /// Pad buttons for each lane count: `pad_bindings[n - 4][lane]` lists the buttons of a lane.
    pub pad_bindings: Vec<Vec<Vec<String>>>,
    pub input_mode: InputMode,
    /// Extra audio offset per level (folder name → milliseconds), from "calibrate from last play".
    pub level_offsets: std::collections::BTreeMap<String, f32>,
    /// The four lane keys of each multiplayer keyboard layout: left letters, arrows, numpad.
    pub layout_keys: Vec<Vec<KeyCode>>,
    /// A pad's own 4-lane buttons, by the pad's name, for a player whose pad or mat differs
    /// from the shared mapping.
    pub pad_overrides: std::collections::BTreeMap<String, Vec<Vec<String>>>,
    /// How much of the stage is drawn behind the highway.
    pub stage: StageDetail,
    /// How opaque the highway is, 0.2 to 1: below 1 the stage shows through it.
    pub highway_opacity: f32,
    /// The packs closed in the song list, by name: they stay closed at the next start.
    pub folded_groups: std::collections::BTreeSet<String>,
    /// The solo player's mods. A seeded lane mod gets a new seed at every play.
    pub mods: Mods,
    /// Each pad's or mat's own input offset in milliseconds, by its name, set by calibrating
    /// with it. A pad without one takes the keyboard's, `audio_offset_ms`.
    pub pad_offsets: std::collections::BTreeMap<String, f32>,
    /// The lanes' colours: the standard palette, or one for a colour vision deficiency.
    pub note_palette: NotePalette,
    /// Notes and receptors take a shape per lane (bar, diamond, star, heart), so lanes differ
    /// by more than colour.
    pub lane_shapes: bool,
    /// Reduced flashing and motion: the LED walls glow instead of flashing, the lights sway
    /// slowly, and no bursts, pyro or confetti go off.
    pub calm: bool,
    /// The size of the menus and text, over the size that fits the window (1 is 1280×720's).
    pub ui_scale: f32,
    /// The menus' language: `en`, `ko`, or `system` to follow the system's locale.
    pub language: String,
}

/// How large the menus may be made, over the size that fits the window.
pub const UI_SCALES: std::ops::RangeInclusive<f32> = 0.75..=2.0;

/// The lanes' colours.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotePalette {
    #[default]
    Standard,
    /// Red–green, missing green cones: yellow, sky blue, orange, purple.
    Deuteranopia,
    /// Red–green, missing red cones: yellow, sky blue, white, blue.
    Protanopia,
    /// Blue–yellow: vermilion, cyan, pink, white.
    Tritanopia,
}

impl NotePalette {
    pub const ALL: [NotePalette; 4] = [
        NotePalette::Standard,
        NotePalette::Deuteranopia,
        NotePalette::Protanopia,
        NotePalette::Tritanopia,
    ];

    pub fn name(self) -> String {
        match self {
            NotePalette::Standard => t!("palette-standard"),
            NotePalette::Deuteranopia => t!("palette-deuteranopia"),
            NotePalette::Protanopia => t!("palette-protanopia"),
            NotePalette::Tritanopia => t!("palette-tritanopia"),
        }
    }

    /// The colour of lanes `from_edge` lanes in from either side: symmetric, so a chart's left
    /// and right hands mirror. The two outer places, all a 4-lane chart uses, differ most.
    pub fn lane_rgb(self, from_edge: u8) -> [u8; 3] {
        let colours: [[u8; 3]; 4] = match self {
            NotePalette::Standard => [
                [255, 92, 178],
                [110, 200, 255],
                [190, 130, 255],
                [255, 210, 90],
            ],
            NotePalette::Deuteranopia => [
                [240, 228, 66],
                [86, 180, 233],
                [230, 159, 0],
                [204, 121, 167],
            ],
            NotePalette::Protanopia => [
                [240, 228, 66],
                [86, 180, 233],
                [240, 240, 240],
                [40, 120, 220],
            ],
            NotePalette::Tritanopia => [
                [240, 100, 60],
                [0, 190, 200],
                [240, 140, 200],
                [235, 235, 235],
            ],
        };
        colours[usize::from(from_edge.min(3))]
    }
}

/// No offset is further from zero than this, in milliseconds: past it, the player hears the
/// song a beat away from the notes, and a value this far is a mistake in the file.
pub const MAX_OFFSET_MS: f32 = 500.0;

/// The highway's opacity out of the box: the stage shows through, the notes stay clearest.
pub const DEFAULT_HIGHWAY_OPACITY: f32 = 0.6;
/// Below this the highway's lanes no longer read against a busy stage.
pub const MIN_HIGHWAY_OPACITY: f32 = 0.2;

/// How much of the stage behind the highway is drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum StageDetail {
    /// A plain background.
    Off,
    /// The venue and the dancing idols.
    Low,
    /// Everything: the crowd, light sweeps, beat pulses, confetti and pyro.
    #[default]
    Full,
}

impl StageDetail {
    pub fn from_name(name: &str) -> Option<StageDetail> {
        match name {
            "off" => Some(StageDetail::Off),
            "low" => Some(StageDetail::Low),
            "full" => Some(StageDetail::Full),
            _ => None,
        }
    }
}

/// Where key presses get their time from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputMode {
    /// Raw events stamped on arrival where the platform allows, else frame-stamped.
    #[default]
    Precise,
    /// Always the time of the frame that saw the key (for comparison).
    FrameStamped,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            bindings: (MIN_LANES..=MAX_LANES).map(default_keys).collect(),
            scroll: ScrollSpeed::default(),
            audio_offset_ms: 0.0,
            visual_offset_ms: 0.0,
            volume: 0.8,
            fullscreen: false,
            judge_difficulty: JudgeDifficulty::default().0,
            no_fail: false,
            pad_bindings: (MIN_LANES..=MAX_LANES).map(default_pad_buttons).collect(),
            input_mode: InputMode::default(),
            level_offsets: Default::default(),
            layout_keys: KeyboardLayout::ALL
                .iter()
                .map(|l| l.default_keys())
                .collect(),
            pad_overrides: Default::default(),
            stage: StageDetail::default(),
            highway_opacity: DEFAULT_HIGHWAY_OPACITY,
            folded_groups: Default::default(),
            mods: Mods::default(),
            pad_offsets: Default::default(),
            note_palette: NotePalette::default(),
            lane_shapes: false,
            calm: false,
            ui_scale: 1.0,
            language: crate::i18n::SYSTEM_LANGUAGE.into(),
        }
    }
}

/// Pad defaults: the d-pad as a dance mat's arrows, face buttons and shoulders for more lanes.
pub fn default_pad_buttons(lanes: u8) -> Vec<Vec<String>> {
    let names: &[&[&str]] = match lanes {
        4 => &[
            &["DPadLeft", "West"],
            &["DPadDown", "South"],
            &["DPadUp", "North"],
            &["DPadRight", "East"],
        ],
        5 => &[
            &["DPadLeft"],
            &["DPadDown"],
            &["South"],
            &["DPadUp", "West"],
            &["DPadRight", "East"],
        ],
        6 => &[
            &["LeftTrigger"],
            &["DPadLeft"],
            &["DPadDown"],
            &["South"],
            &["East"],
            &["RightTrigger"],
        ],
        7 => &[
            &["LeftTrigger"],
            &["DPadLeft"],
            &["DPadDown"],
            &["North"],
            &["South"],
            &["East"],
            &["RightTrigger"],
        ],
        _ => &[
            &["LeftTrigger2"],
            &["LeftTrigger"],
            &["DPadLeft"],
            &["DPadDown"],
            &["South"],
            &["East"],
            &["RightTrigger"],
            &["RightTrigger2"],
        ],
    };
    names
        .iter()
        .map(|lane| lane.iter().map(|n| n.to_string()).collect())
        .collect()
}

/// Home-row defaults, centred on the index fingers.
pub fn default_keys(lanes: u8) -> Vec<KeyCode> {
    use KeyCode::*;
    match lanes {
        4 => vec![KeyD, KeyF, KeyJ, KeyK],
        5 => vec![KeyD, KeyF, Space, KeyJ, KeyK],
        6 => vec![KeyS, KeyD, KeyF, KeyJ, KeyK, KeyL],
        7 => vec![KeyS, KeyD, KeyF, Space, KeyJ, KeyK, KeyL],
        _ => vec![KeyA, KeyS, KeyD, KeyF, KeyJ, KeyK, KeyL, Semicolon],
    }
}

impl Settings {
    /// The keys of a layout as the player set them, or its defaults.
    pub fn keys_of_layout(&self, layout: KeyboardLayout) -> Vec<KeyCode> {
        self.layout_keys
            .get(layout.index())
            .filter(|keys| keys.len() == 4)
            .cloned()
            .unwrap_or_else(|| layout.default_keys())
    }

    /// The layout a key plays a lane of, if any.
    pub fn layout_of_key(&self, key: KeyCode) -> Option<(KeyboardLayout, usize)> {
        KeyboardLayout::ALL.into_iter().find_map(|layout| {
            self.keys_of_layout(layout)
                .iter()
                .position(|k| *k == key)
                .map(|lane| (layout, lane))
        })
    }

    /// Binds `key` to `lane` of `layout`, unless another player's layout has it: then says
    /// whose.
    pub fn set_layout_key(
        &mut self,
        layout: KeyboardLayout,
        lane: usize,
        key: KeyCode,
    ) -> Result<(), String> {
        if let Some((other, other_lane)) = self.layout_of_key(key)
            && other != layout
        {
            return Err(format!(
                "{key:?} already plays lane {} of {}: another player's key",
                other_lane + 1,
                other.name()
            ));
        }
        if KeyboardLayout::is_reserved(key) {
            return Err(format!("{key:?} joins, leaves or pauses: pick another key"));
        }
        while self.layout_keys.len() < KeyboardLayout::ALL.len() {
            let next = KeyboardLayout::ALL[self.layout_keys.len()];
            self.layout_keys.push(next.default_keys());
        }
        let mut keys = self.keys_of_layout(layout);
        // The lane that had the key gets this lane's old one.
        if let Some(other) = keys.iter().position(|k| *k == key) {
            keys[other] = keys[lane];
        }
        keys[lane] = key;
        self.layout_keys[layout.index()] = keys;
        Ok(())
    }

    /// The keys of an n-lane chart, falling back to the defaults if the file lacks them.
    pub fn keys_for(&self, lanes: u8) -> Vec<KeyCode> {
        lane_table(&self.bindings, default_keys, lanes)
    }

    pub fn pads_for(&self, lanes: u8) -> Vec<Vec<String>> {
        lane_table(&self.pad_bindings, default_pad_buttons, lanes)
    }

    /// The buttons of an n-lane chart for the pad named `name`: its own 4-lane mapping if it
    /// has one, else the shared one.
    pub fn pads_for_pad(&self, name: &str, lanes: u8) -> Vec<Vec<String>> {
        match self.pad_overrides.get(name) {
            Some(own) if lanes == 4 && own.len() == 4 => own.clone(),
            _ => self.pads_for(lanes),
        }
    }

    /// Binds a button of the pad named `name` to a lane of its own 4-lane mapping.
    pub fn set_pad_of(&mut self, name: &str, lane: usize, button: String) {
        let mut pads = self.pads_for_pad(name, 4);
        for buttons in pads.iter_mut() {
            buttons.retain(|b| *b != button);
        }
        pads[lane] = vec![button];
        self.pad_overrides.insert(name.to_string(), pads);
    }

    /// Binds a pad button to a lane (alone), taking it from any other lane that had it.
    pub fn set_pad(&mut self, lanes: u8, lane: usize, button: String) {
        let index = fill_lane_tables(&mut self.pad_bindings, default_pad_buttons, lanes);
        let mut pads = self.pads_for(lanes);
        for buttons in pads.iter_mut() {
            buttons.retain(|b| *b != button);
        }
        pads[lane] = vec![button];
        self.pad_bindings[index] = pads;
    }

    /// The audio offset for a level: the global one plus the level's own, in seconds.
    pub fn audio_offset_for(&self, level: &str) -> f64 {
        self.audio_offset() + self.level_offset(level)
    }

    /// A level's own extra offset, in seconds.
    fn level_offset(&self, level: &str) -> f64 {
        f64::from(self.level_offsets.get(level).copied().unwrap_or(0.0)) / 1000.0
    }

    /// The input offset of `device` in milliseconds: a pad's own, or the keyboard's.
    pub fn input_offset_ms(&self, device: &OffsetDevice) -> f32 {
        match device {
            OffsetDevice::Pad(name) => self
                .pad_offsets
                .get(name)
                .copied()
                .unwrap_or(self.audio_offset_ms),
            OffsetDevice::Keyboard => self.audio_offset_ms,
        }
    }

    /// Sets the input offset of `device`, as a calibration with it measured.
    pub fn set_input_offset_ms(&mut self, device: &OffsetDevice, ms: f32) {
        let ms = clamp_finite(ms, -MAX_OFFSET_MS, MAX_OFFSET_MS);
        match device {
            OffsetDevice::Keyboard => self.audio_offset_ms = ms,
            OffsetDevice::Pad(name) => {
                self.pad_offsets.insert(name.clone(), ms);
            }
        }
    }

    /// The offset a press of `device` on `level` is corrected by, in seconds.
    pub fn input_offset_for(&self, device: &OffsetDevice, level: &str) -> f64 {
        f64::from(self.input_offset_ms(device)) / 1000.0 + self.level_offset(level)
    }

    pub fn set_key(&mut self, lanes: u8, lane: usize, key: KeyCode) {
        let index = fill_lane_tables(&mut self.bindings, default_keys, lanes);
        let mut keys = self.keys_for(lanes);
        // A key can serve one lane only: the lane that had it gets this lane's old key.
        if let Some(other) = keys.iter().position(|k| *k == key) {
            keys[other] = keys[lane];
        }
        keys[lane] = key;
        self.bindings[index] = keys;
    }

    /// How the next play is judged, with the player's mods: a shuffle or random layout is
    /// drawn anew for each play chosen (a retry keeps it, to learn it).
    pub fn judge_settings(&self, rate: f64) -> JudgeSettings {
        JudgeSettings {
            difficulty: JudgeDifficulty(self.judge_difficulty.clamp(1, 9)),
            rate,
            no_fail: self.no_fail,
            life: crate::core::life::LifeRule::ByDifficulty,
            mods: fresh_layout(self.mods),
        }
    }

    pub fn audio_offset(&self) -> f64 {
        f64::from(self.audio_offset_ms) / 1000.0
    }

    pub fn visual_offset(&self) -> f64 {
        f64::from(self.visual_offset_ms) / 1000.0
    }

    /// Keeps values a hand-edited file may have pushed out of range within bounds.
    pub fn sanitized(mut self) -> Self {
        self.volume = if self.volume.is_finite() {
            self.volume.clamp(0.0, 1.0)
        } else {
            0.8
        };
        self.audio_offset_ms = clamp_finite(self.audio_offset_ms, -MAX_OFFSET_MS, MAX_OFFSET_MS);
        self.visual_offset_ms = clamp_finite(self.visual_offset_ms, -MAX_OFFSET_MS, MAX_OFFSET_MS);
        self.judge_difficulty = self.judge_difficulty.clamp(1, 9);
        self.level_offsets
            .retain(|_, ms| ms.is_finite() && ms.abs() <= MAX_OFFSET_MS);
        self.pad_offsets
            .retain(|_, ms| ms.is_finite() && ms.abs() <= MAX_OFFSET_MS);
        // A hand-edited file giving two players one key, or a layout the wrong number of keys,
        // gets the default layouts back.
        let mut seen = std::collections::HashSet::new();
        let layouts_ok = self.layout_keys.len() == KeyboardLayout::ALL.len()
            && self
                .layout_keys
                .iter()
                .all(|keys| keys.len() == 4 && keys.iter().all(|k| seen.insert(*k)));
        if !layouts_ok {
            self.layout_keys = KeyboardLayout::ALL
                .iter()
                .map(|l| l.default_keys())
                .collect();
        }
        self.scroll = match self.scroll {
            ScrollSpeed::Multiplier(x) => ScrollSpeed::Multiplier(clamp_finite(x, 0.25, 10.0)),
            ScrollSpeed::Constant(x) => ScrollSpeed::Constant(clamp_finite(x, 100.0, 3000.0)),
        };
        self.ui_scale = if self.ui_scale.is_finite() {
            self.ui_scale.clamp(*UI_SCALES.start(), *UI_SCALES.end())
        } else {
            1.0
        };
        if self.language != crate::i18n::SYSTEM_LANGUAGE
            && crate::i18n::Language::from_code(&self.language).is_none()
        {
            self.language = crate::i18n::SYSTEM_LANGUAGE.into();
        }
        // A mod line out of range (or not a number) leaves the player with no mods at all,
        // rather than a guess at which they meant.
        if self.mods.check().is_err() {
            self.mods = Mods::default();
        }
        self.highway_opacity = if self.highway_opacity.is_finite() {
            self.highway_opacity.clamp(MIN_HIGHWAY_OPACITY, 1.0)
        } else {
            DEFAULT_HIGHWAY_OPACITY
        };
        self
    }
}

/// The entry of a per-lane-count table for `lanes`, or the default when the file lacks it or it
/// has the wrong number of lanes.
fn lane_table<T: Clone>(tables: &[Vec<T>], default: fn(u8) -> Vec<T>, lanes: u8) -> Vec<T> {
    match tables.get(usize::from(lanes.saturating_sub(MIN_LANES))) {
        Some(entry) if entry.len() == usize::from(lanes) => entry.clone(),
        _ => default(lanes),
    }
}

/// Completes a per-lane-count table (a hand-edited file may lack some counts) and returns the
/// index of the table for `lanes`.
fn fill_lane_tables<T>(tables: &mut Vec<T>, default: fn(u8) -> T, lanes: u8) -> usize {
    while tables.len() < usize::from(MAX_LANES - MIN_LANES + 1) {
        tables.push(default(MIN_LANES + tables.len() as u8));
    }
    usize::from(lanes.saturating_sub(MIN_LANES))
}

/// `mods` with a new seed for a seeded lane mod, from the clock: no two plays share a layout.
pub fn fresh_layout(mut mods: Mods) -> Mods {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    mods.lanes = mods.lanes.reseeded(seed);
    mods
}

fn clamp_finite(value: f32, low: f32, high: f32) -> f32 {
    if value.is_finite() {
        value.clamp(low, high)
    } else {
        0.0f32.clamp(low, high)
    }
}

/// Where the settings live, and what went wrong reading them.
#[derive(Resource, Clone, Debug)]
pub struct SettingsFile {
    pub path: std::path::PathBuf,
    pub problems: Vec<String>,
    /// A change not yet written.
    pub unsaved: bool,
}

impl SettingsFile {
    pub fn new(path: std::path::PathBuf, problems: Vec<String>) -> Self {
        Self {
            path,
            problems,
            unsaved: false,
        }
    }

    pub fn save(&mut self, settings: &Settings) {
        match save::save_ron(&self.path, settings) {
            Ok(()) => self.unsaved = false,
            Err(e) => {
                let message = format!("could not save settings to {}: {e}", self.path.display());
                warn!("{message}");
                self.problems.push(message);
                // Not retried every frame: the next change tries again.
                self.unsaved = false;
            }
        }
    }
}

pub fn load(path: &std::path::Path) -> (Settings, Vec<String>) {
    let text = crate::core::user_file::read_text(
        path,
        crate::core::user_file::MAX_SAVE_BYTES,
        "the settings",
    );
    if let Ok(text) = text
        && let Ok(read) = read(path, &text)
    {
        return read;
    }
    // Missing, unreadable or past saving: the save module's way, with the defaults, the backup
    // and the file kept aside.
    let loaded = save::load_ron::<Settings>(path);
    let (clean, changed) = settle(path, loaded.value);
    let mut problems = loaded.problems;
    problems.extend(changed);
    (clean, problems)
}

/// Parses the text of the settings file at `path` and brings it into range, as `load` does;
/// for the fuzz harness.
pub fn parse(path: &std::path::Path, text: &str) -> Result<(Settings, Vec<String>), String> {
    read(path, text).map_err(|e| crate::core::diagnostic::from_ron_error(path, &e).to_string())
}

/// The settings in `text`, brought into range, and what was wrong with them. Mods this version
/// cannot read cost the player their mods, not their keys and offsets; anything else that does
/// not read is RON's error.
fn read(
    path: &std::path::Path,
    text: &str,
) -> Result<(Settings, Vec<String>), ron::error::SpannedError> {
    let (original, mut problems) = match ron::from_str::<Settings>(text) {
        Ok(original) => (original, Vec::new()),
        Err(error) => {
            let Some(kept) = without_unreadable_mods(text, &error) else {
                return Err(error);
            };
            let why = crate::core::diagnostic::from_ron_error(path, &error);
            let why = format!("{why}; the mods were left out, and the rest of the settings kept");
            (kept, vec![why])
        }
    };
    let (clean, changed) = settle(path, original);
    problems.extend(changed);
    Ok((clean, problems))
}

/// The settings in `text` read without their `mods` field, when that field alone kept them from
/// reading with `error` (a mod from a newer version, a typo). `None` when something else is
/// wrong with them.
fn without_unreadable_mods(text: &str, error: &ron::error::SpannedError) -> Option<Settings> {
    use crate::core::spans;
    let tree = spans::parse(text)?;
    let value = tree.field("mods")?;
    let start = spans::byte_at(text, tree.field_name_at("mods")?)?;
    let end = spans::byte_at(text, value.end)?.max(start);
    let at = crate::core::diagnostic::Position::new(error.span.start.line, error.span.start.col);
    if at < value.at || at > value.end {
        return None;
    }
    // The field and the comma after it, if there is one.
    let rest = &text[end..];
    let comma = rest.len() - rest.trim_start().len();
    let end = if rest.trim_start().starts_with(',') {
        end + comma + 1
    } else {
        end
    };
    ron::from_str(&format!("{}{}", &text[..start], &text[end..])).ok()
}

/// Settings brought into range, and a message naming what was out of it.
fn settle(path: &std::path::Path, original: Settings) -> (Settings, Option<String>) {
    let clean = original.clone().sanitized();
    // A hand-edited value out of range is brought back, and the player told which.
    let changed: Vec<&str> = [
        (clean.volume != original.volume, "volume"),
        (
            clean.audio_offset_ms != original.audio_offset_ms,
            "audio_offset_ms",
        ),
        (
            clean.visual_offset_ms != original.visual_offset_ms,
            "visual_offset_ms",
        ),
        (
            clean.judge_difficulty != original.judge_difficulty,
            "judge_difficulty",
        ),
        (
            clean.level_offsets.len() != original.level_offsets.len(),
            "level_offsets",
        ),
        (
            clean.pad_offsets.len() != original.pad_offsets.len(),
            "pad_offsets",
        ),
        (clean.scroll != original.scroll, "scroll"),
        (clean.mods != original.mods, "mods"),
        (clean.ui_scale != original.ui_scale, "ui_scale"),
        (clean.language != original.language, "language"),
        (
            clean.highway_opacity != original.highway_opacity,
            "highway_opacity",
        ),
        // An empty list is a file from before per-layout keys, filled with the defaults.
        (
            !original.layout_keys.is_empty() && clean.layout_keys != original.layout_keys,
            "layout_keys",
        ),
    ]
    .into_iter()
    .filter_map(|(differs, name)| differs.then_some(name))
    .collect();
    let message = (!changed.is_empty()).then(|| {
        format!(
            "{}: {} out of range; brought back into range",
            path.display(),
            changed.join(", ")
        )
    });
    (clean, message)
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(Update, save_when_changed)
        .add_systems(Last, save_on_exit);
}

/// At most this often while a slider is being dragged; the last change is always written.
const SAVE_INTERVAL_SECONDS: f32 = 0.5;

/// Writes the settings after a change, atomically, at most every half second.
fn save_when_changed(
    settings: Res<Settings>,
    mut file: ResMut<SettingsFile>,
    time: Res<Time<Real>>,
    mut since_save: Local<f32>,
) {
    *since_save += time.delta_secs();
    if settings.is_changed() && !settings.is_added() {
        file.unsaved = true;
    }
    if file.unsaved && *since_save >= SAVE_INTERVAL_SECONDS {
        file.save(&settings);
        *since_save = 0.0;
    }
}

fn save_on_exit(
    mut exits: MessageReader<AppExit>,
    settings: Res<Settings>,
    mut file: ResMut<SettingsFile>,
) {
    if exits.read().next().is_some() && file.unsaved {
        file.save(&settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_of_another_players_layout_is_refused() {
        let mut settings = Settings::default();
        let error = settings
            .set_layout_key(KeyboardLayout::Left, 0, KeyCode::ArrowLeft)
            .unwrap_err();
        assert!(error.contains("another player's key"), "{error}");
        assert!(
            settings
                .set_layout_key(KeyboardLayout::Left, 0, KeyCode::KeyZ)
                .is_ok()
        );
        assert_eq!(
            settings.keys_of_layout(KeyboardLayout::Left)[0],
            KeyCode::KeyZ
        );
        assert!(
            settings
                .set_layout_key(KeyboardLayout::Arrows, 1, KeyCode::KeyQ)
                .is_err()
        );
    }

    #[test]
    fn rebinding_a_key_in_use_swaps_the_two_lanes() {
        let mut settings = Settings::default();
        settings.set_key(4, 0, KeyCode::KeyJ);
        assert_eq!(
            settings.keys_for(4),
            vec![KeyCode::KeyJ, KeyCode::KeyF, KeyCode::KeyD, KeyCode::KeyK]
        );
        // Other lane counts keep their own keys.
        assert_eq!(settings.keys_for(6), default_keys(6));
    }

    #[test]
    fn a_pad_button_plays_one_lane_only() {
        let mut settings = Settings::default();
        settings.set_pad(4, 3, "South".into());
        let pads = settings.pads_for(4);
        assert_eq!(pads[3], vec!["South".to_string()]);
        assert_eq!(pads[1], vec!["DPadDown".to_string()]);
    }

    #[test]
    fn a_hand_edited_file_missing_lane_counts_gets_defaults() {
        let mut settings = Settings {
            bindings: vec![],
            pad_bindings: vec![],
            ..Settings::default()
        };
        assert_eq!(settings.keys_for(7), default_keys(7));
        settings.set_key(8, 7, KeyCode::KeyP);
        assert_eq!(settings.bindings.len(), 5);
        assert_eq!(settings.keys_for(8)[7], KeyCode::KeyP);
    }

    #[test]
    fn hand_edited_mods_a_play_cannot_have_are_reported() {
        let path = std::path::Path::new("settings.ron");
        let (settings, problems) =
            parse(path, "(mods: (lanes: Mirror, hidden: Some(3.0)))").unwrap();
        assert_eq!(
            settings.mods,
            Mods::default(),
            "no mods rather than a guess"
        );
        assert!(problems.iter().any(|p| p.contains("mods")), "{problems:?}");
        // A mod from a newer version costs the mods, and keeps the rest.
        let (settings, problems) =
            parse(path, "(volume: 0.3,\n mods: (lanes: Flip), no_fail: true)").unwrap();
        assert_eq!(settings.mods, Mods::default());
        assert_eq!((settings.volume, settings.no_fail), (0.3, true));
        let why = problems.join("\n");
        assert!(
            why.contains("settings.ron:2:")
                && why.contains("`Flip` is not a lane mod this version knows")
                && why.contains("the rest of the settings kept"),
            "{why}"
        );
        // Anything else wrong still refuses the file, with its position.
        let error = parse(path, "(volume: loud)").unwrap_err();
        assert!(error.contains("settings.ron:1:"), "{error}");
        let (settings, problems) =
            parse(path, r#"(pad_offsets: {"mat": 9000.0, "pad": 30.0})"#).unwrap();
        assert_eq!(
            settings.pad_offsets.len(),
            1,
            "the mat's offset is no offset"
        );
        assert!(
            problems.iter().any(|p| p.contains("pad_offsets")),
            "{problems:?}"
        );
        let (settings, problems) =
            parse(path, "(mods: (lanes: Mirror, sudden: Some(0.5)))").unwrap();
        assert_eq!(settings.mods.lanes, crate::core::mods::LaneMod::Mirror);
        assert!(problems.is_empty(), "{problems:?}");
    }

    /// `rgb` as a viewer with the palette's deficiency sees it: Machado, Oliveira and Fernandes
    /// (2009) at full severity, on linear RGB.
    fn seen_by(palette: NotePalette, rgb: [u8; 3]) -> [f32; 3] {
        let m: [[f32; 3]; 3] = match palette {
            NotePalette::Standard => [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            NotePalette::Protanopia => [
                [0.152286, 1.052583, -0.204868],
                [0.114503, 0.786281, 0.099216],
                [-0.003882, -0.048116, 1.051998],
            ],
            NotePalette::Deuteranopia => [
                [0.367322, 0.860646, -0.227968],
                [0.280085, 0.672501, 0.047413],
                [-0.011820, 0.042940, 0.968881],
            ],
            NotePalette::Tritanopia => [
                [1.255528, -0.076749, -0.178779],
                [-0.078411, 0.930809, 0.147602],
                [0.004733, 0.691367, 0.303900],
            ],
        };
        let linear = rgb.map(|c| (f32::from(c) / 255.0).powf(2.2));
        m.map(|row| (row[0] * linear[0] + row[1] * linear[1] + row[2] * linear[2]).clamp(0.0, 1.0))
    }

    #[test]
    fn each_palette_keeps_its_lanes_apart_for_the_eyes_it_is_for() {
        for palette in NotePalette::ALL {
            for a in 0..4u8 {
                for b in a + 1..4 {
                    let (x, y) = (
                        seen_by(palette, palette.lane_rgb(a)),
                        seen_by(palette, palette.lane_rgb(b)),
                    );
                    let distance = x
                        .iter()
                        .zip(&y)
                        .map(|(p, q)| (p - q).powi(2))
                        .sum::<f32>()
                        .sqrt();
                    assert!(
                        distance > 0.12,
                        "{palette:?}: places {a} and {b} look alike ({distance})"
                    );
                }
            }
        }
    }

    #[test]
    fn out_of_range_values_are_brought_back() {
        let settings = Settings {
            volume: 7.0,
            audio_offset_ms: f32::NAN,
            judge_difficulty: 40,
            scroll: ScrollSpeed::Multiplier(99.0),
            ..Settings::default()
        }
        .sanitized();
        assert_eq!(settings.volume, 1.0);
        assert_eq!(settings.audio_offset_ms, 0.0);
        assert_eq!(settings.judge_difficulty, 9);
        assert_eq!(settings.scroll, ScrollSpeed::Multiplier(10.0));
        for (written, kept) in [
            (f32::NAN, DEFAULT_HIGHWAY_OPACITY),
            (0.0, MIN_HIGHWAY_OPACITY),
            (3.0, 1.0),
            (0.45, 0.45),
        ] {
            let settings = Settings {
                highway_opacity: written,
                ..Settings::default()
            }
            .sanitized();
            assert_eq!(settings.highway_opacity, kept, "{written}");
        }
    }
}
