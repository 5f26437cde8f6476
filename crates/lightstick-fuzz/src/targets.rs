//! The core's parsers as fuzz targets, each seeded with the files the game ships or the saves
//! it writes. Each target does what the game does with such a file: decode it, parse and check
//! it, and then use what it got (judge a chart, record a play, evaluate a rule), because a
//! number that parses can still overflow later.

use std::path::{Path, PathBuf};

use lightstick_core::judge::{JudgeSettings, autoplay_inputs};
use lightstick_core::level::load::load_level_text;
use lightstick_core::merch::{PlayRecord, Progress, parse_catalog};
use lightstick_core::music::draft::{Density, draft};
use lightstick_core::music::sheet::parse_sheet_with_warnings;
use lightstick_core::profile::parse_profile;
use lightstick_core::records::ScoreBook;
use lightstick_core::replay::{ReplayFile, parse_replay};
use lightstick_core::score::PlayResult;
use lightstick_core::tour::{KnownLevel, parse_tour};
use lightstick_core::user_file::decode;

use crate::Target;

/// The names of every core target, in the order they run.
pub const CORE_TARGETS: [&str; 16] = [
    "level",
    "sheet",
    "catalog",
    "tour",
    "profile",
    "scores",
    "replay",
    "journal",
    "last-used",
    "audio",
    "simfile",
    "osu",
    "archive",
    "pack",
    "pack-write",
    "audio-stream",
];

/// The core's targets, seeded from the repository at `repo` and `fuzz/corpus/<target>/`.
pub fn core_targets(repo: &Path) -> Vec<Target> {
    let corpus = |name: &str| -> Vec<Vec<u8>> {
        crate::files_in(&repo.join("fuzz/corpus").join(name))
            .into_iter()
            .map(|(_, bytes)| bytes)
            .collect()
    };
    let shipped = |pattern: &dyn Fn(&Path) -> bool| -> Vec<Vec<u8>> {
        let mut found = Vec::new();
        for folder in std::fs::read_dir(repo.join("levels"))
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(folder.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if pattern(&file.path()) {
                    found.extend(std::fs::read(file.path()).ok());
                }
            }
        }
        found
    };
    let with = |mut seeds: Vec<Vec<u8>>, more: Vec<Vec<u8>>| {
        seeds.extend(more);
        seeds
    };
    let named = |name: &'static str| move |p: &Path| p.file_name().is_some_and(|n| n == name);
    let read = |relative: &str| std::fs::read(repo.join(relative)).into_iter().collect();
    let known = vec![KnownLevel {
        slug: "neon-heartbeat".into(),
        title: "Neon Heartbeat".into(),
        difficulties: vec!["Easy".into(), "Hard".into()],
        meters: vec![2, 7],
    }];
    let level_file = PathBuf::from("fuzz/level/level.ron");
    let sheet = std::fs::read(repo.join("levels/neon-heartbeat/song.ron")).unwrap_or_default();
    vec![
        Target::new(
            "level",
            with(
                shipped(&named("level.ron")),
                // The test fixtures are small levels with one mistake each.
                crate::files_in(&repo.join("tests/fixtures/malformed"))
                    .into_iter()
                    .map(|(_, bytes)| bytes)
                    .chain(corpus("level"))
                    .collect(),
            ),
            move |bytes| {
                let Ok(text) = decode(&level_file, bytes.to_vec(), "the level file") else {
                    return;
                };
                let report = load_level_text(&level_file, &text, &|_| Ok(180.0));
                if let Some(level) = report.level {
                    for chart in &level.charts {
                        let _ = lightstick_core::play::play_solo(
                            chart,
                            JudgeSettings::default(),
                            autoplay_inputs(chart),
                        );
                        let _ = lightstick_core::rating::rate_chart(chart, 1.5);
                    }
                    let _ = level.split_for(3);
                    let _ = level.last_measure_of(
                        lightstick_core::level::position::StartPoint::Section(
                            lightstick_core::music::sheet::SectionKind::Chorus,
                        ),
                    );
                    let _ = level.measure_at_time(level.audio_length);
                    record_into(&level, &text);
                }
                // Record mode writes into any text it is handed, or says why it cannot.
                let block = lightstick_core::level::write::ChartBlock {
                    note: "fuzz",
                    difficulty: "Fuzz",
                    meter: 1,
                    lanes: 4,
                    notes: &[(0, 0.0, lightstick_core::chart::PlacedKind::Tap)],
                    sections: &[],
                };
                let _ = lightstick_core::level::edit::put_chart(
                    &text,
                    &lightstick_core::level::edit::ChartPlace::Added,
                    &block,
                );
                // The messages are formatted and drawn as the game and `validate` show them.
                let source = lightstick_core::explain::SourceFile::new(text.as_str());
                for diagnostic in &report.diagnostics {
                    let _ = diagnostic.to_string();
                    let _ = source.render(diagnostic);
                    let _ = source.for_editors(diagnostic);
                }
            },
        ),
        Target::new(
            "sheet",
            with(shipped(&named("song.ron")), corpus("sheet")),
            |bytes| {
                let path = Path::new("fuzz/song.ron");
                let Ok(text) = decode(path, bytes.to_vec(), "the song sheet") else {
                    return;
                };
                if let Ok((sheet, _)) = parse_sheet_with_warnings(path, &text) {
                    let _ = (sheet.length(), sheet.total_bars(), sheet.bpm_changes());
                    let _ = draft(&sheet, Density::Easy, 4);
                }
            },
        ),
        Target::new(
            "catalog",
            with(read("assets/merch/catalog.ron"), corpus("catalog")),
            |bytes| {
                let path = Path::new("fuzz/catalog.ron");
                let Ok(text) = decode(path, bytes.to_vec(), "the catalog") else {
                    return;
                };
                let (items, _) = parse_catalog(path, &text, &["neon-heartbeat".into()]);
                let progress = busy_progress();
                for item in &items {
                    if let Some(rule) = &item.unlock {
                        let _ = (rule.holds(&progress), rule.hint());
                    }
                }
            },
        ),
        Target::new(
            "tour",
            with(read("assets/tours/festival.ron"), corpus("tour")),
            move |bytes| {
                let path = Path::new("fuzz/tour.ron");
                let Ok(text) = decode(path, bytes.to_vec(), "the tour") else {
                    return;
                };
                let _ = parse_tour(path, &text, &known, &[]);
            },
        ),
        Target::new("profile", corpus("profile"), |bytes| {
            let Ok(text) = decode(Path::new("profile.ron"), bytes.to_vec(), "the profile") else {
                return;
            };
            if let Ok((mut profile, _)) = parse_profile(&text) {
                for _ in 0..2 {
                    profile.progress.record(&a_play());
                }
                let _ = ron::to_string(&profile);
            }
        }),
        Target::new("scores", corpus("scores"), |bytes| {
            let Ok(text) = decode(Path::new("scores.ron"), bytes.to_vec(), "the scores") else {
                return;
            };
            if let Ok(mut book) = ron::from_str::<ScoreBook>(&text) {
                for key in book.charts.keys().cloned().collect::<Vec<_>>() {
                    let (level, difficulty) = key.split_once('/').unwrap_or((&key, ""));
                    book.record(level, difficulty, a_play().result, u64::MAX);
                }
                let _ = book.record_once("fuzz", "song", "hard", a_play().result, 0);
            }
        }),
        Target::new("replay", corpus("replay"), |bytes| {
            let path = Path::new("fuzz/replay.ron");
            let Ok(text) = decode(path, bytes.to_vec(), "the replay") else {
                return;
            };
            if let Ok(file) = parse_replay(path, &text) {
                let settings = match &file {
                    ReplayFile::Full(replay) => replay.settings,
                    ReplayFile::EventsOnly(_) => JudgeSettings::default(),
                };
                let chart = replay_chart();
                if file.events().iter().all(|e| e.1 < chart.lanes) {
                    let _ = lightstick_core::play::play_solo(
                        &chart,
                        settings,
                        file.events().iter().map(|e| e.to_input()),
                    );
                }
            }
        }),
        Target::new(
            "last-used",
            with(vec![b"(profile: \"mina\")".to_vec()], corpus("last-used")),
            |bytes| {
                let path = Path::new("last-used.ron");
                if let Ok(text) = decode(path, bytes.to_vec(), "the last-used profile") {
                    let _ = lightstick_core::profiles::parse_last_used(&text);
                }
            },
        ),
        Target::new("audio", with(tiny_wavs(), corpus("audio")), |bytes| {
            let _ = lightstick_core::audio_file::probe_bytes(bytes.to_vec());
        }),
        Target::new(
            "simfile",
            with(import_fixtures(repo, &["sm", "ssc"]), corpus("simfile")),
            |bytes| {
                let text = String::from_utf8_lossy(bytes);
                let path = if text.contains("#NOTEDATA") {
                    Path::new("fuzz/song/song.ssc")
                } else {
                    Path::new("fuzz/song/song.sm")
                };
                if let Ok(song) = lightstick_core::import::sm::read(path, &text) {
                    imported_level_passes(&song);
                }
            },
        ),
        Target::new(
            "osu",
            with(import_fixtures(repo, &["osu"]), corpus("osu")),
            |bytes| {
                let path = Path::new("fuzz/song/map.osu");
                if let Ok(chart) = lightstick_core::import::osu::read(path, bytes) {
                    imported_level_passes(&chart.song);
                }
            },
        ),
        Target::new(
            "archive",
            with(seed_archives(repo), corpus("archive")),
            |bytes| {
                let scratch = Scratch::new();
                let archive = scratch.0.join("in.osz");
                let into = scratch.0.join("out");
                std::fs::create_dir_all(&into).expect("a scratch folder");
                std::fs::write(&archive, bytes).expect("a scratch file");
                let _ = lightstick_core::import::archive::unpack(&archive, &into);
                // Whatever the archive says, nothing lands beside the folder it unpacks into.
                let beside = scratch.names();
                assert_eq!(
                    beside.len(),
                    2,
                    "the archive wrote outside its folder: {beside:?}"
                );
            },
        ),
        Target::new("pack", with(seed_packs(repo), corpus("pack")), |bytes| {
            let scratch = Scratch::new();
            let file = scratch.0.join("in.lspack");
            let levels = scratch.0.join("levels");
            std::fs::write(&file, bytes).expect("a scratch file");
            if let Ok(installed) = lightstick_core::pack::install(&file, &levels) {
                // What a pack installs is levels that load, all inside its own folder.
                for level in &installed.levels {
                    let folder = &level.folder;
                    assert!(folder.starts_with(&levels), "installed outside: {folder:?}");
                    assert!(!lightstick_core::level::load_level(folder).has_errors());
                }
            }
            let beside = scratch.names();
            assert!(
                beside.len() <= 2,
                "the pack wrote outside its folder: {beside:?}"
            );
        }),
        Target::new(
            "pack-write",
            with(shipped(&named("level.ron")), corpus("pack-write")),
            move |bytes| {
                // A level folder of the input and the sheet its seeds play: whatever `pack`
                // agrees to write, installing agrees to install, under one rule.
                let scratch = Scratch::new();
                let level = scratch.0.join("mine");
                std::fs::create_dir_all(&level).expect("a scratch folder");
                std::fs::write(level.join("level.ron"), bytes).expect("a scratch file");
                std::fs::write(level.join("song.ron"), &sheet).expect("a scratch file");
                let pack = scratch.0.join("mine.lspack");
                if lightstick_core::pack::write_pack(std::slice::from_ref(&level), &pack, false)
                    .is_ok()
                {
                    let installed =
                        lightstick_core::pack::install(&pack, &scratch.0.join("levels"));
                    assert!(
                        installed.is_ok(),
                        "a pack that `pack` wrote is refused: {:?}",
                        installed.err()
                    );
                }
            },
        ),
        Target::new(
            "audio-stream",
            with(tiny_wavs(), corpus("audio-stream")),
            |bytes| {
                // The decoder `new-level` reads a song with, as a level maker's file reaches it.
                let scratch = Scratch::new();
                let file = scratch.0.join("song.wav");
                std::fs::write(&file, bytes).expect("a scratch file");
                if let Ok(start) = lightstick_core::audio_file::decode_start(&file, 2.0) {
                    let most = 2.0 * f64::from(start.sample_rate) + 1.0;
                    assert!(
                        start.samples.len() as f64 <= most,
                        "decoded past the stretch"
                    );
                    let _ = lightstick_core::tempo::estimate(&start.samples, start.sample_rate);
                }
            },
        ),
        Target::new("index", with(seed_index(), corpus("index")), |bytes| {
            // A damaged library index is rebuilt or bypassed, never a crash.
            let path = std::env::temp_dir().join(format!(
                "lightstick-fuzz-index-{}.sqlite",
                std::process::id()
            ));
            for suffix in ["-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
            if std::fs::write(&path, bytes).is_err() {
                return;
            }
            let mut index = lightstick_core::level::index::LibraryIndex::open(&path);
            let _ = index.take_problem();
            let levels = index.levels();
            let _ = index.put(&levels);
            let _ = index.put(&[index_level("fuzz")]);
            let _ = index.levels();
        }),
        Target::new("journal", corpus("journal"), |bytes| {
            let path = Path::new("pending-plays.ron");
            if let Ok(text) = decode(path, bytes.to_vec(), "the play journal") {
                let _ = lightstick_core::journal::parse_journal(path, &text);
            }
        }),
    ]
}

/// A level as the library index keeps it, found nowhere on disk.
fn index_level(name: &str) -> lightstick_core::level::cache::CachedLevel {
    lightstick_core::level::cache::CachedLevel {
        stamps: Vec::new(),
        summary: lightstick_core::level::cache::LevelSummary::unchecked(Path::new(name)),
    }
}

/// A whole library index of two levels, as a seed.
fn seed_index() -> Vec<Vec<u8>> {
    let path = std::env::temp_dir().join(format!(
        "lightstick-fuzz-seed-{}.sqlite",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    {
        let mut index = lightstick_core::level::index::LibraryIndex::open(&path);
        let _ = index.put(&[index_level("one"), index_level("two")]);
    }
    let seed = std::fs::read(&path).unwrap_or_default();
    let _ = std::fs::remove_file(&path);
    vec![seed]
}

/// The importer's test charts with one of `extensions`, as seeds.
fn import_fixtures(repo: &Path, extensions: &[&str]) -> Vec<Vec<u8>> {
    let root = repo.join("crates/lightstick-core/tests/fixtures/import");
    let mut seeds = Vec::new();
    for folder in std::fs::read_dir(root).into_iter().flatten().flatten() {
        for (path, bytes) in crate::files_in(&folder.path()) {
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if extensions.iter().any(|e| e.eq_ignore_ascii_case(ext)) {
                seeds.push(bytes);
            }
        }
    }
    seeds
}

/// An imported song becomes a level that passes every check of the level loader: an import
/// never writes a level the game would refuse.
fn imported_level_passes(song: &lightstick_core::import::ImportedSong) {
    let Some((text, _)) = lightstick_core::import::level_source(song, "song.ogg", None, 600.0)
    else {
        return;
    };
    let file = Path::new("fuzz/imported/level.ron");
    let report = load_level_text(file, &text, &|_| Ok(600.0));
    // The harness has no audio on disk; everything else must pass.
    let errors: Vec<String> = report
        .errors()
        .filter(|d| !d.message.starts_with("the audio file"))
        .map(|d| d.to_string())
        .collect();
    assert!(
        errors.is_empty(),
        "the imported level does not load:\n{}\n{text}",
        errors.join("\n")
    );
    if let Some(level) = report.level {
        for chart in &level.charts {
            let _ = lightstick_core::play::play_solo(
                chart,
                JudgeSettings::default(),
                autoplay_inputs(chart),
            );
        }
    }
}

/// A folder of its own for one fuzz input, removed afterwards.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "lightstick-fuzz-archive-{}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("a scratch folder");
        Self(path)
    }
}

impl Scratch {
    /// What the scratch folder holds, by name: what an input wrote beside its own folder.
    fn names(&self) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(&self.0)
            .expect("the scratch folder")
            .flatten()
            .map(|e| e.file_name())
            .collect()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A pack of one shipped level, as the seed of the pack target.
fn seed_packs(repo: &Path) -> Vec<Vec<u8>> {
    let scratch = Scratch::new();
    let file = scratch.0.join("seed.lspack");
    match lightstick_core::pack::write_pack(&[repo.join("levels/neon-heartbeat")], &file, false) {
        Ok(_) => std::fs::read(&file).into_iter().collect(),
        Err(_) => Vec::new(),
    }
}

/// Zips of the osu! test set, stored and deflated, as seeds for the archive target.
fn seed_archives(repo: &Path) -> Vec<Vec<u8>> {
    use std::io::Write;
    let folder = repo.join("crates/lightstick-core/tests/fixtures/import/osu-song");
    [
        zip::CompressionMethod::Stored,
        zip::CompressionMethod::Deflated,
    ]
    .into_iter()
    .map(|method| {
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut bytes);
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        for (path, content) in crate::files_in(&folder) {
            let name = path
                .file_name()
                .map_or("x".into(), |n| n.to_string_lossy().into_owned());
            zip.start_file(format!("set/{name}"), options)
                .expect("a zip entry");
            zip.write_all(&content).expect("zip bytes");
        }
        zip.finish().expect("a zip");
        bytes.into_inner()
    })
    .collect()
}

/// Small WAV files of the kinds a level maker hands over: mono and stereo, 16-bit and float.
fn tiny_wavs() -> Vec<Vec<u8>> {
    [
        (1, 16, hound::SampleFormat::Int),
        (2, 32, hound::SampleFormat::Float),
    ]
    .into_iter()
    .map(|(channels, bits, format)| {
        let spec = hound::WavSpec {
            channels,
            sample_rate: 44_100,
            bits_per_sample: bits,
            sample_format: format,
        };
        let mut bytes = std::io::Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut bytes, spec).expect("a WAV header");
        for i in 0..400 * u32::from(channels) {
            let sample = (i as f32 * 0.05).sin();
            match format {
                hound::SampleFormat::Int => writer.write_sample((sample * 8000.0) as i16),
                hound::SampleFormat::Float => writer.write_sample(sample),
            }
            .expect("a sample");
        }
        writer.finalize().expect("a WAV");
        bytes.into_inner()
    })
    .collect()
}

/// Progress with every count near its edge, for rules to be evaluated against.
fn busy_progress() -> Progress {
    let mut progress = Progress {
        plays: u32::MAX,
        streak: u32::MAX,
        best_streak: u32::MAX,
        fan_points_earned: u64::MAX,
        fan_points: u64::MAX,
        ..Progress::default()
    };
    progress.record(&a_play());
    progress
}

fn a_play() -> PlayRecord {
    PlayRecord {
        level: "neon-heartbeat".into(),
        difficulty: "Hard".into(),
        meter: u32::MAX,
        result: PlayResult {
            score: u32::MAX,
            ..PlayResult::default()
        },
        versus_win: true,
        group_clear: true,
        part_of_chart: false,
        notes_to_hit: usize::MAX,
    }
}

/// A 4-lane chart of taps, holds and mines for replays to be judged on.
fn replay_chart() -> lightstick_core::chart::Chart {
    use lightstick_core::chart::{Chart, PlacedKind};
    use lightstick_core::timing::TimingMap;
    let notes = (0..64u32).map(|i| {
        let kind = match i % 4 {
            0 | 1 => PlacedKind::Tap,
            2 => PlacedKind::Hold {
                end_beat: f64::from(i) * 0.5 + 1.0,
            },
            _ => PlacedKind::Mine,
        };
        ((i % 4) as u8, f64::from(i) * 0.5, kind)
    });
    Chart::from_beats("Fuzz", 5, 4, TimingMap::constant(0.0, 120.0), notes)
}

/// Records a take of `level`'s first chart (every note pressed on time) and writes it into
/// `text` as a new chart and in place of the first: what is written must read back with it.
fn record_into(level: &lightstick_core::level::Level, text: &str) {
    use lightstick_core::level::edit::ChartPlace;
    use lightstick_core::level::quantise::{HOLD_AFTER, Press, Snap};
    use lightstick_core::recording::{RecordedChart, new_chart_name};
    let Some(first) = level.charts.first() else {
        return;
    };
    let take: Vec<Press> = first
        .notes
        .iter()
        .map(|n| Press {
            lane: n.lane,
            at: n.time,
            released: Some(n.end_time() + 0.05),
        })
        .collect();
    let name = new_chart_name(level);
    let probe = |_: &Path| Ok(180.0);
    for (place, name) in [
        (ChartPlace::Added, name.as_str()),
        (
            ChartPlace::Replacing(first.difficulty.clone()),
            first.difficulty.as_str(),
        ),
    ] {
        let recorded =
            RecordedChart::from_take(level, &take, Snap::default(), HOLD_AFTER, name, first.lanes);
        if let Ok(written) = recorded.written_into(level, text, &place, &probe) {
            let report = load_level_text(&level.file, &written, &probe);
            let reread = report.level.expect("a written level validates");
            assert!(reread.chart(name).is_some(), "the recorded chart is in it");
        }
    }
}
