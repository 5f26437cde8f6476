//! Importing StepMania and osu!mania charts: every fixture imports, validates and autoplays to
//! 100 %, its notes land where the source format puts them, the report names everything left
//! out, and nothing is ever written outside the output folder.

use std::path::{Path, PathBuf};

use lightstick_core::chart::{Chart, NoteKind};
use lightstick_core::import::{self, Outcome, Overwrite, Source, Summary};
use lightstick_core::judge::{Judge, JudgeSettings, autoplay_inputs};
use lightstick_core::level::{Level, load_level};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import")
}

/// A copy of the fixture folder `name`, with the audio and images its charts name.
fn song_folder(root: &Path, name: &str, audio: &str, seconds: u32) -> PathBuf {
    let folder = root.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(fixtures().join(name)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), folder.join(entry.file_name())).unwrap();
    }
    write_wav(&folder.join(audio), seconds);
    for image in ["banner.png", "jacket.png", "bg.jpg"] {
        std::fs::write(folder.join(image), b"image").unwrap();
    }
    folder
}

fn write_wav(path: &Path, seconds: u32) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut writer = hound::WavWriter::create(path, spec).unwrap();
    for _ in 0..8000 * seconds {
        writer.write_sample(0i16).unwrap();
    }
    writer.finalize().unwrap();
}

fn import_into(path: &Path, out: &Path) -> Vec<Outcome> {
    let sources = import::find_sources(path);
    import::import_all(&sources, out, Overwrite::Never, &|_| {})
}

fn only_level(outcomes: &[Outcome]) -> (Level, String) {
    let levels: Vec<_> = outcomes.iter().flat_map(|o| o.levels.iter()).collect();
    for o in outcomes {
        assert!(o.failures.is_empty(), "{:?}", o.failures);
    }
    assert_eq!(levels.len(), 1, "one level from the song");
    let report = load_level(&levels[0].folder);
    assert!(!report.has_errors(), "{:?}", report.diagnostics);
    (report.level.unwrap(), levels[0].report.clone())
}

fn autoplays_perfectly(chart: &Chart) {
    let mut judge = Judge::new(chart.clone(), JudgeSettings::default());
    for input in autoplay_inputs(chart) {
        judge.input(input);
    }
    judge.finish();
    let result = judge.score().result();
    assert!(
        result.all_perfect && (result.accuracy - 100.0).abs() < 1e-9,
        "chart {} autoplays to {} %",
        chart.difficulty,
        result.accuracy
    );
}

/// StepMania's time of `beat`, worked out here from the simfile's own numbers: beat 0 at
/// -OFFSET, each BPM for its stretch, every stop before the beat, every delay up to it.
fn stepmania_time(
    beat: f64,
    offset: f64,
    bpms: &[(f64, f64)],
    stops: &[(f64, f64)],
    delays: &[(f64, f64)],
) -> f64 {
    let mut time = -offset;
    for (i, &(from, bpm)) in bpms.iter().enumerate() {
        let to = bpms.get(i + 1).map_or(f64::INFINITY, |b| b.0);
        if beat > from {
            time += (beat.min(to) - from) * 60.0 / bpm;
        }
    }
    time += stops
        .iter()
        .filter(|s| s.0 < beat)
        .map(|s| s.1)
        .sum::<f64>();
    time += delays
        .iter()
        .filter(|d| d.0 <= beat)
        .map(|d| d.1)
        .sum::<f64>();
    time
}

fn times(chart: &Chart) -> Vec<(u8, f64)> {
    chart.notes.iter().map(|n| (n.lane, n.time)).collect()
}

fn assert_times(chart: &Chart, expected: &[(u8, f64)]) {
    let got = times(chart);
    assert_eq!(
        got.len(),
        expected.len(),
        "notes of {}: {got:?}",
        chart.difficulty
    );
    for (g, e) in got.iter().zip(expected) {
        assert_eq!(g.0, e.0, "lane, in {}", chart.difficulty);
        assert!(
            (g.1 - e.1).abs() < 0.001,
            "{}: lane {} at {} s, expected {} s",
            chart.difficulty,
            g.0,
            g.1,
            e.1
        );
    }
}

#[test]
fn a_stepmania_sm_imports_with_its_timing_holds_rolls_and_mines() {
    let root = tempfile::tempdir().unwrap();
    let song = song_folder(root.path(), "sm-song", "song.wav", 30);
    let out = root.path().join("out");
    let (level, report) = only_level(&import_into(&song, &out));
    assert_eq!(level.title, "Test Pattern");
    assert_eq!(level.subtitle, "(Extended Mix)");
    assert_eq!(level.artist, "테스트 그룹");
    assert_eq!(level.translit.artist, "Test Group");
    assert_eq!((level.preview.start, level.preview.length), (4.0, 8.0));
    assert!(level.jacket.is_some(), "the banner is the jacket");
    let names = level.difficulty_names();
    assert_eq!(names, ["Hard", "Challenge (Double)"]);

    let bpms = [(0.0, 120.0), (8.0, 180.0), (16.0, 90.0)];
    let stops = [(12.0, 0.5)];
    let at = |beat: f64| stepmania_time(beat, -0.25, &bpms, &stops, &[]);
    let hard = level.chart("Hard").unwrap();
    assert_eq!(hard.lanes, 4);
    assert_eq!(hard.meter, 9);
    // Measure 1 quarters; measure 2 a hold and a mine; measure 3 a tap, a keysounded tap
    // (lift and fake left out); measure 4 a roll over the stop; a 12-row measure; and a 7-row
    // measure, whose rows StepMania rounds to its 48ths of a beat.
    let mut expected: Vec<(u8, f64)> = vec![(0, at(0.0)), (1, at(1.0)), (2, at(2.0)), (3, at(3.0))];
    expected.extend([(0, at(4.0)), (1, at(7.0))]);
    expected.extend([(0, at(8.0)), (3, at(11.0))]);
    expected.push((0, at(12.0)));
    for row in 0..12 {
        expected.push(((row % 4) as u8, at(16.0 + row as f64 * 4.0 / 12.0)));
    }
    for (row, lane) in [0u8, 1, 2, 3, 2, 1, 0].into_iter().enumerate() {
        let beat = 20.0 + row as f64 * 4.0 / 7.0;
        expected.push((lane, at((beat * 48.0).round() / 48.0)));
    }
    expected.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    assert_times(hard, &expected);
    let kinds: Vec<_> = hard.notes.iter().map(|n| n.kind).collect();
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, NoteKind::Hold { end_beat, .. } if *end_beat == 6.0))
    );
    assert!(
        kinds
            .iter()
            .any(|k| matches!(k, NoteKind::Roll { end_beat, .. } if *end_beat == 15.0))
    );
    assert!(kinds.iter().any(|k| matches!(k, NoteKind::Mine)));
    let double = level.chart("Challenge (Double)").unwrap();
    assert_eq!(double.lanes, 8);
    assert_eq!(double.notes.len(), 8);

    for line in [
        "lifts",
        "fake notes",
        "keysounds are left out",
        "attacks (#ATTACKS)",
        "keysounds (#KEYSOUNDS)",
        "background changes",
        "pump-single",
    ] {
        assert!(report.contains(line), "the report names {line}:\n{report}");
    }
    let written = std::fs::read_to_string(level.file.clone()).unwrap();
    assert!(written.contains("// From dance-single Hard"), "{written}");
    assert!(written.contains("measures: ["), "{written}");
    for chart in &level.charts {
        autoplays_perfectly(chart);
    }
    assert!(
        level
            .file
            .parent()
            .unwrap()
            .join("import-report.txt")
            .is_file()
    );
    assert!(level.audio.is_file());
}

#[test]
fn a_stepmania_ssc_imports_delays_and_per_chart_timing_and_refuses_warps() {
    let root = tempfile::tempdir().unwrap();
    let song = song_folder(root.path(), "ssc-song", "song.wav", 30);
    let out = root.path().join("out");
    let (level, report) = only_level(&import_into(&song, &out));
    assert_eq!(level.difficulty_names(), ["Medium", "Hard"]);
    let bpms = [(0.0, 150.0), (4.0, 100.0)];
    let stops = [(6.0, 0.25)];
    let delays = [(8.0, 0.4)];
    let song_at = |beat: f64| stepmania_time(beat, -0.1, &bpms, &stops, &delays);
    let medium = level.chart("Medium").unwrap();
    let mut expected: Vec<(u8, f64)> = (0..4).map(|i| (i as u8, song_at(i as f64))).collect();
    expected.extend([(0, song_at(4.0)), (1, song_at(6.0))]);
    expected.extend([(2, song_at(8.0)), (3, song_at(10.0))]);
    expected.extend([(0, song_at(12.0)), (1, song_at(12.0))]);
    assert_times(medium, &expected);

    // The chart with its own offset: its notes keep their own times in the song's map. Its
    // beat-1 row is a #FAKES segment; the note it places inside the song's stop is left out.
    let own_at = |beat: f64| stepmania_time(beat, -0.15, &bpms, &stops, &delays);
    let hard = level.chart("Hard").unwrap();
    let song_stop = (song_at(6.0), song_at(6.0) + 0.25);
    let mut expected: Vec<(u8, f64)> = (0..4).map(|lane| (lane, own_at(0.0))).collect();
    for beat in [3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0] {
        let lane = if beat < 4.0 {
            0
        } else {
            ((beat - 4.0) as u8) % 4
        };
        let t = own_at(beat);
        if !(t > song_stop.0 + 0.001 && t < song_stop.1 - 0.001) {
            expected.push((lane, t));
        }
    }
    expected.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    assert_times(hard, &expected);
    for line in [
        "Warped",
        "warps",
        "scroll changes (#SCROLLS)",
        "own timing differs",
        "inside a stop",
    ] {
        assert!(report.contains(line), "the report names {line}:\n{report}");
    }
    for chart in &level.charts {
        autoplays_perfectly(chart);
    }
}

#[test]
fn an_osu_mania_set_becomes_one_level_with_a_chart_per_difficulty() {
    let root = tempfile::tempdir().unwrap();
    let song = song_folder(root.path(), "osu-song", "audio.wav", 20);
    let out = root.path().join("out");
    let (level, report) = only_level(&import_into(&song, &out));
    assert_eq!(level.title, "オス・ソング");
    assert_eq!(level.translit.title, "Osu Song");
    assert_eq!(level.preview.start, 3.0);
    assert!(level.jacket.is_some());
    let seven = level.chart("7K Hard").unwrap();
    let four = level.chart("4K Easy").unwrap();
    assert_eq!((seven.lanes, four.lanes), (7, 4));
    // osu! times are milliseconds in the file.
    let ms = |t: f64| t / 1000.0;
    assert_times(
        seven,
        &[
            (3, ms(800.0)),
            (0, ms(1000.0)),
            (1, ms(1500.0)),
            (2, ms(2000.0)),
            (3, ms(2250.0)),
            (4, ms(3000.0)),
            (5, ms(3125.0)),
            (6, ms(3333.0)),
            (0, ms(5250.0)),
            (1, ms(5650.0)),
            (2, ms(6050.0)),
        ],
    );
    let hold = seven
        .notes
        .iter()
        .find(|n| n.lane == 1 && n.is_long())
        .unwrap();
    assert!((hold.end_time() - ms(6450.0)).abs() < 0.001);
    assert_times(
        four,
        &[
            (0, ms(1000.0)),
            (1, ms(2000.0)),
            (2, ms(3000.0)),
            (3, ms(5250.0)),
        ],
    );
    for line in ["scroll velocity", "OD 8", "HP 8", "keysounds", "no meter"] {
        assert!(report.contains(line), "the report names {line}:\n{report}");
    }
    for chart in &level.charts {
        autoplays_perfectly(chart);
    }
}

#[test]
fn a_folder_with_a_broken_song_imports_the_others_and_names_the_broken_file() {
    let root = tempfile::tempdir().unwrap();
    let pack = root.path().join("Pack");
    std::fs::create_dir_all(&pack).unwrap();
    song_folder(&pack, "sm-song", "song.wav", 30);
    song_folder(&pack, "osu-song", "audio.wav", 20);
    song_folder(&pack, "broken-song", "unused.wav", 1);
    let out = root.path().join("out");
    let outcomes = import_into(&pack, &out);
    let summary = Summary::of(&outcomes);
    assert_eq!(summary.songs, 2);
    assert_eq!(summary.charts, 4);
    assert_eq!(summary.failures, 1);
    let failure = outcomes.iter().flat_map(|o| &o.failures).next().unwrap();
    assert!(failure.file.ends_with("broken.sm"), "{failure}");
    assert!(failure.to_string().contains("#BPMS"), "{failure}");
}

#[test]
fn importing_again_updates_in_place_and_a_hand_written_level_is_left_alone() {
    let root = tempfile::tempdir().unwrap();
    let song = song_folder(root.path(), "sm-song", "song.wav", 30);
    let out = root.path().join("out");
    let (first, _) = only_level(&import_into(&song, &out));
    let outcomes = import_into(&song, &out);
    let (second, _) = only_level(&outcomes);
    assert!(outcomes[0].levels[0].updated);
    assert_eq!(first.file, second.file);
    let folders: Vec<_> = std::fs::read_dir(&out).unwrap().collect();
    assert_eq!(folders.len(), 1, "no duplicate, no staging folder left");

    // A level written by hand in the same folder is not replaced without --force.
    let hand = std::fs::read_to_string(&first.file)
        .unwrap()
        .lines()
        .skip(3)
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&first.file, &hand).unwrap();
    let outcomes = import_into(&song, &out);
    assert_eq!(Summary::of(&outcomes).failures, 1);
    assert!(outcomes[0].failures[0].to_string().contains("--force"));
    assert_eq!(std::fs::read_to_string(&first.file).unwrap(), hand);
    let forced = import::import_all(
        &[Source::Simfile(song.join("song.sm"))],
        &out,
        Overwrite::HandWritten,
        &|_| {},
    );
    assert_eq!(Summary::of(&forced).songs, 1);
}

/// Every file under `root`, for checking nothing was written outside a folder.
fn all_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn a_hostile_zip_and_a_hostile_sm_write_nothing_outside_the_output_folder() {
    use std::io::Write;
    let root = tempfile::tempdir().unwrap();
    let inbox = root.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // A zip-slip archive, a zip bomb, and a damaged archive.
    let slip = inbox.join("slip.osz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&slip).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("../../escaped.osu", options).unwrap();
    zip.write_all(b"osu file format v14").unwrap();
    zip.finish().unwrap();
    let bomb = inbox.join("bomb.osz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("huge.osu", deflate).unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..64 {
        zip.write_all(&zeros).unwrap();
    }
    zip.finish().unwrap();
    std::fs::write(inbox.join("damaged.osz"), b"PK\x03\x04 not really").unwrap();
    // A simfile with hostile numbers and a tag that never ends.
    std::fs::write(
        inbox.join("hostile.sm"),
        "#TITLE:../../etc;\n#MUSIC:../../../outside.wav;\n#OFFSET:1e308;\n#BPMS:0=-5,1e300=inf;\n#NOTES:dance-single:::99999999999:0:\n1000\n,\n".to_string()
            + &"1111\n".repeat(10_000)
            + "#TITLE:never ends",
    )
    .unwrap();
    let out = root.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let before: Vec<PathBuf> = all_files(root.path());
    let outcomes = import_into(&inbox, &out);
    let summary = Summary::of(&outcomes);
    assert_eq!(summary.songs, 0);
    assert_eq!(summary.failures, 4, "{outcomes:#?}");
    let messages: Vec<String> = outcomes
        .iter()
        .flat_map(|o| o.failures.iter().map(|f| f.to_string()))
        .collect();
    let joined = messages.join("\n");
    assert!(joined.contains("outside the folder"), "{joined}");
    assert!(joined.contains("zip bomb"), "{joined}");
    assert!(joined.contains("not a zip archive"), "{joined}");
    assert!(joined.contains("hostile.sm"), "{joined}");
    assert_eq!(all_files(root.path()), before, "nothing new anywhere");
}

fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../levels")
        .join(name)
}

#[test]
fn a_pack_installs_into_its_own_folder_and_a_damaged_pack_installs_nothing() {
    use lightstick_core::pack;
    let root = tempfile::tempdir().unwrap();
    let file = root.path().join("starter.lspack");
    let manifest = pack::write_pack(
        &[shipped("neon-heartbeat"), shipped("block-party")],
        &file,
        false,
    )
    .unwrap();
    assert_eq!(manifest.name, "starter");
    assert_eq!(manifest.levels.len(), 2);
    assert!(
        manifest.levels[0]
            .files
            .iter()
            .any(|f| f.name == "song.ron")
    );

    let levels = root.path().join("levels");
    let outcomes = import_into(&file, &levels);
    assert_eq!(Summary::of(&outcomes).songs, 2);
    let found = lightstick_core::level::level_folders(std::slice::from_ref(&levels));
    assert_eq!(found.len(), 2, "{found:?}");
    for folder in &found {
        assert!(folder.starts_with(levels.join("starter")));
        assert!(!load_level(folder).has_errors());
        assert_eq!(
            lightstick_core::level::load::group_of(folder, std::slice::from_ref(&levels))
                .as_deref(),
            Some("starter")
        );
    }
    // Installing again replaces the pack in place.
    let again = import_into(&file, &levels);
    assert!(again[0].levels.iter().all(|l| l.updated));
    assert_eq!(
        lightstick_core::level::level_folders(std::slice::from_ref(&levels)).len(),
        2
    );

    // A pack whose file does not match its manifest is refused, and nothing changes.
    let bytes = std::fs::read(&file).unwrap();
    let mut reader = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let damaged = root.path().join("damaged.lspack");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&damaged).unwrap());
    for i in 0..reader.len() {
        use std::io::{Read, Write};
        let mut entry = reader.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name.ends_with("song.ron") {
            content.extend_from_slice(b"\n// changed");
        }
        writer
            .start_file(
                name.replace("starter", "x"),
                zip::write::SimpleFileOptions::default(),
            )
            .unwrap();
        writer.write_all(&content).unwrap();
    }
    writer.finish().unwrap();
    let before = all_files(root.path());
    let outcomes = import_into(&damaged, &levels);
    let failure = outcomes[0].failures[0].to_string();
    assert!(failure.contains("does not match the manifest"), "{failure}");
    let mut after = all_files(root.path());
    after.retain(|p| p != &damaged);
    let mut before = before;
    before.retain(|p| p != &damaged);
    assert_eq!(after, before);
}

#[test]
fn an_osz_archive_imports_like_its_folder_and_leaves_no_staging_behind() {
    use std::io::Write;
    let root = tempfile::tempdir().unwrap();
    let folder = song_folder(root.path(), "osu-song", "audio.wav", 20);
    let osz = root.path().join("set.osz");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&osz).unwrap());
    for entry in std::fs::read_dir(&folder).unwrap().flatten() {
        zip.start_file(
            entry.file_name().to_string_lossy(),
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&std::fs::read(entry.path()).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let out = root.path().join("out");
    let (level, _) = only_level(&import_into(&osz, &out));
    assert_eq!(level.charts.len(), 2);
    let left: Vec<_> = std::fs::read_dir(&out).unwrap().flatten().collect();
    assert_eq!(left.len(), 1, "only the level folder is left in the output");
}

/// A folder holding one osu!mania beatmap with `metadata` lines, `difficulty` lines, timing
/// points and hit objects as written, and `seconds` of silent audio.
fn osu_folder(
    root: &Path,
    name: &str,
    metadata: &str,
    difficulty: &str,
    timing_points: &str,
    hit_objects: &str,
    seconds: u32,
) -> PathBuf {
    let folder = root.join(name);
    std::fs::create_dir_all(&folder).unwrap();
    write_wav(&folder.join("audio.wav"), seconds);
    let text = format!(
        "osu file format v14\n\n[General]\nAudioFilename: audio.wav\nMode: 3\n\n[Metadata]\n{metadata}\n\n[Difficulty]\n{difficulty}\n\n[TimingPoints]\n{timing_points}\n\n[HitObjects]\n{hit_objects}\n"
    );
    std::fs::write(folder.join(format!("{name}.osu")), text).unwrap();
    folder
}

const OSU_METADATA: &str = "Title:Timing\nArtist:Fixture\nCreator:Mapper\nVersion:4K";
const OSU_4K: &str = "HPDrainRate:5\nCircleSize:4\nOverallDifficulty:5\nSliderMultiplier:1.4";

/// The x of a note in `lane` of a 4-key beatmap, as osu! writes it.
fn x_of(lane: u8) -> u32 {
    u32::from(lane) * 128 + 64
}

#[test]
fn osu_timing_points_a_beat_apart_import_with_every_note_at_its_millisecond() {
    // Each case: the uninherited timing points (time, beat length in ms), all 4/4.
    let cases: [&[(f64, f64)]; 4] = [
        &[(0.0, 500.0), (500.0, 500.0)],
        &[(0.0, 500.0), (2000.0, 500.0), (2500.0, 500.0)],
        &[(0.0, 500.0), (6000.0, 500.0), (6500.0, 500.0)],
        &[(1000.0, 400.0), (1400.0, 300.0), (1700.0, 600.0)],
    ];
    for points in cases {
        let root = tempfile::tempdir().unwrap();
        let timing: Vec<String> = points
            .iter()
            .map(|(t, len)| format!("{t},{len},4,2,0,60,1,0"))
            .collect();
        // A note on every timing point, and one between each and the next.
        let mut notes: Vec<(u8, f64)> = Vec::new();
        for (i, (t, len)) in points.iter().enumerate() {
            notes.push(((i % 4) as u8, *t));
            notes.push((((i + 1) % 4) as u8, t + len / 2.0));
        }
        notes.push((3, points.last().unwrap().0 + 4000.0));
        let objects: Vec<String> = notes
            .iter()
            .map(|(lane, t)| format!("{},192,{t},1,0,0:0:0:0:", x_of(*lane)))
            .collect();
        let song = osu_folder(
            root.path(),
            "timing",
            OSU_METADATA,
            OSU_4K,
            &timing.join("\n"),
            &objects.join("\n"),
            12,
        );
        let (level, _) = only_level(&import_into(&song, &root.path().join("out")));
        let chart = &level.charts[0];
        let mut expected: Vec<(u8, f64)> = notes.iter().map(|(l, t)| (*l, t / 1000.0)).collect();
        expected.sort_by(|a, b| a.1.total_cmp(&b.1));
        assert_times(chart, &expected);
        autoplays_perfectly(chart);
    }
}

#[test]
fn osu_sliders_and_spinners_become_holds_to_their_end_as_osu_plays_them() {
    let root = tempfile::tempdir().unwrap();
    let slider_multiplier = 1.4;
    let beat_length = 500.0;
    // From 2000 ms the slider velocity is doubled: an inherited point of -100/2.
    let timing = "0,500,4,2,0,60,1,0\n2000,-50,4,2,0,60,0,0";
    // (lane, start, slides, length in osu! pixels, slider velocity in force)
    let sliders = [(0u8, 1000.0, 2.0, 140.0, 1.0), (2, 3000.0, 1.0, 70.0, 2.0)];
    let mut objects: Vec<String> = sliders
        .iter()
        .map(|(lane, start, slides, length, _)| {
            let x = x_of(*lane);
            format!("{x},192,{start},2,0,L|{x}:100,{slides},{length}")
        })
        .collect();
    // A spinner at the middle of the playfield (lane 2 of 4), to 5000 ms, and a tap.
    objects.push("256,192,4000,8,0,5000".into());
    objects.push(format!("{},192,6000,1,0,0:0:0:0:", x_of(1)));
    let song = osu_folder(
        root.path(),
        "sliders",
        OSU_METADATA,
        OSU_4K,
        timing,
        &objects.join("\n"),
        10,
    );
    let (level, report) = only_level(&import_into(&song, &root.path().join("out")));
    let chart = &level.charts[0];
    let holds: Vec<(u8, f64, f64)> = chart
        .notes
        .iter()
        .filter(|n| n.is_long())
        .map(|n| (n.lane, n.time, n.end_time()))
        .collect();
    let mut expected: Vec<(u8, f64, f64)> = sliders
        .iter()
        .map(|(lane, start, slides, length, sv)| {
            let end = start + slides * length / (slider_multiplier * 100.0 * sv) * beat_length;
            (*lane, start / 1000.0, end / 1000.0)
        })
        .collect();
    expected.push((2, 4.0, 5.0));
    assert_eq!(holds.len(), expected.len(), "{holds:?}");
    for (got, want) in holds.iter().zip(&expected) {
        assert_eq!(got.0, want.0);
        assert!((got.1 - want.1).abs() < 0.001, "{got:?} {want:?}");
        assert!((got.2 - want.2).abs() < 0.001, "{got:?} {want:?}");
    }
    assert_eq!(chart.notes.len(), 4);
    assert!(report.contains("2 sliders and 1 spinners"), "{report}");
    autoplays_perfectly(chart);

    // A beatmap whose only object is a slider is a chart with one hold.
    let lone = osu_folder(
        root.path(),
        "lone",
        "Title:Lone\nArtist:Fixture\nVersion:4K",
        OSU_4K,
        "0,500,4,2,0,60,1,0",
        "64,192,1000,2,0,L|64:100,1,70",
        4,
    );
    let (level, _) = only_level(&import_into(&lone, &root.path().join("out-lone")));
    let hold = &level.charts[0].notes[0];
    assert!((hold.end_time() - (1.0 + 70.0 / 140.0 * 0.5)).abs() < 0.001);
}

#[test]
fn an_osu_title_keeps_every_colon_after_the_first() {
    let root = tempfile::tempdir().unwrap();
    let song = osu_folder(
        root.path(),
        "colon",
        "Title:Re:End of a Dream\nTitleUnicode:Re:End of a Dream (夢)\nArtist:Fixture\nVersion:Hard: 4K",
        OSU_4K,
        "0,500,4,2,0,60,1,0",
        "64,192,1000,1,0,0:0:0:0:",
        4,
    );
    let outcomes = import_into(&song, &root.path().join("out"));
    let (level, _) = only_level(&outcomes);
    assert_eq!(level.title, "Re:End of a Dream (夢)");
    assert_eq!(level.translit.title, "Re:End of a Dream");
    assert_eq!(level.charts[0].difficulty, "Hard: 4K");
    let folder = &outcomes[0].levels[0].folder;
    assert!(
        folder.ends_with("fixture-re-end-of-a-dream"),
        "{}",
        folder.display()
    );
}

#[test]
fn an_osu_key_count_that_is_no_whole_number_is_refused_by_file_and_value() {
    for (value, expected) in [
        ("four", "`four`"),
        ("4.5", "`4.5`"),
        ("1e300", "1e300"),
        ("1000000", "1000000"),
    ] {
        let root = tempfile::tempdir().unwrap();
        let song = osu_folder(
            root.path(),
            "keys",
            OSU_METADATA,
            &format!("CircleSize:{value}\nSliderMultiplier:1.4"),
            "0,500,4,2,0,60,1,0",
            "64,192,1000,1,0,0:0:0:0:",
            4,
        );
        let outcomes = import_into(&song, &root.path().join("out"));
        assert_eq!(Summary::of(&outcomes).songs, 0, "CircleSize {value}");
        let failure = outcomes[0].failures[0].to_string();
        assert!(failure.contains("keys.osu"), "{failure}");
        assert!(failure.contains(expected), "{failure}");
    }
}

#[test]
fn a_slider_with_too_many_control_points_is_refused_before_it_is_worked_out() {
    let root = tempfile::tempdir().unwrap();
    let points: Vec<String> = (0..100_000)
        .map(|i| format!("{}:{}", i % 512, i % 384))
        .collect();
    let song = osu_folder(
        root.path(),
        "curvy",
        OSU_METADATA,
        OSU_4K,
        "0,500,4,2,0,60,1,0",
        &format!("64,192,1000,2,0,B|{},1,140", points.join("|")),
        4,
    );
    let outcomes = import_into(&song, &root.path().join("out"));
    let failure = outcomes[0].failures[0].to_string();
    assert!(failure.contains("curvy.osu:"), "{failure}");
    assert!(failure.contains("100000 control points"), "{failure}");
}

/// Each imported level's folder name and the first line of its level, sorted.
fn imported_folders(out: &Path) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = std::fs::read_dir(out)
        .unwrap()
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path().join("level.ron")).unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                text.lines().next().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn two_songs_of_one_name_get_a_folder_each_the_same_every_run() {
    let root = tempfile::tempdir().unwrap();
    let pack = root.path().join("Pack");
    std::fs::create_dir_all(&pack).unwrap();
    // Two songs with the same artist and title, in folders of their own.
    for name in ["First", "Second"] {
        let folder = song_folder(&pack, "sm-song", "song.wav", 30);
        std::fs::rename(&folder, pack.join(name)).unwrap();
    }
    let mut runs = Vec::new();
    for run in 0..4 {
        let out = root.path().join(format!("out-{run}"));
        let outcomes = import_into(&pack, &out);
        let summary = Summary::of(&outcomes);
        assert_eq!((summary.songs, summary.failures), (2, 0), "{outcomes:#?}");
        let folders = imported_folders(&out);
        assert_eq!(folders.len(), 2, "{folders:?}");
        assert_ne!(folders[0].1, folders[1].1, "each folder holds its own song");
        // Importing again into the same folder finds each song's folder.
        let again = import_into(&pack, &out);
        assert!(again.iter().flat_map(|o| &o.levels).all(|l| l.updated));
        assert_eq!(imported_folders(&out), folders);
        runs.push(folders);
    }
    assert!(runs.windows(2).all(|w| w[0] == w[1]), "{runs:#?}");
    assert_eq!(runs[0][0].0, "test-group-test-pattern");
    assert_eq!(runs[0][1].0, "test-group-test-pattern-2");
}

#[test]
fn importing_again_keeps_the_players_own_files_in_the_level_folder() {
    let root = tempfile::tempdir().unwrap();
    let song = song_folder(root.path(), "sm-song", "song.wav", 30);
    let out = root.path().join("out");
    let (level, _) = only_level(&import_into(&song, &out));
    let folder = level.file.parent().unwrap().to_path_buf();
    std::fs::write(folder.join("notes.txt"), "my notes").unwrap();
    std::fs::write(folder.join("my-jacket.png"), "mine").unwrap();
    only_level(&import_into(&song, &out));
    // The audio changes name in the source: the old copy, which the import wrote, goes.
    std::fs::rename(song.join("song.wav"), song.join("renamed.wav")).unwrap();
    let sm = std::fs::read_to_string(song.join("song.sm")).unwrap();
    std::fs::write(song.join("song.sm"), sm.replace("song.wav", "renamed.wav")).unwrap();
    let forced = import::import_all(
        &import::find_sources(&song),
        &out,
        Overwrite::HandWritten,
        &|_| {},
    );
    only_level(&forced);
    assert_eq!(
        std::fs::read_to_string(folder.join("notes.txt")).unwrap(),
        "my notes"
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("my-jacket.png")).unwrap(),
        "mine"
    );
    assert!(folder.join("renamed.wav").is_file());
    assert!(
        !folder.join("song.wav").exists(),
        "the earlier import's audio goes"
    );
}

/// The CRC-32 that zip archives carry, for the hand-made archive below.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// An `.osz` whose `entries` central-directory entries all point at one deflated stream of a
/// MiB of zeros: each entry is honest about its size and within the ratio allowed a small
/// file, and together they would unpack to `entries` MiB from an archive of a few hundred KB.
fn overlapping_archive(path: &Path, entries: usize, declared_size: Option<u32>) {
    use std::io::Write;
    let zeros = vec![0u8; 1024 * 1024];
    let mut single = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut single);
    let deflate = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("a0000.osu", deflate).unwrap();
    zip.write_all(&zeros).unwrap();
    zip.finish().unwrap();
    let bytes = single.into_inner();
    let find = |signature: &[u8; 4]| {
        bytes
            .windows(4)
            .rposition(|w| w == signature)
            .expect("a zip record")
    };
    let central = find(b"PK\x01\x02");
    let end = find(b"PK\x05\x06");
    let record = &bytes[central..end];
    assert_eq!(
        u32::from_le_bytes(record[16..20].try_into().unwrap()),
        crc32(&zeros)
    );
    let mut out = bytes[..central].to_vec();
    if let Some(size) = declared_size {
        // The local header's uncompressed size, 22 bytes in.
        out[22..26].copy_from_slice(&size.to_le_bytes());
    }
    let directory_start = out.len() as u32;
    for i in 0..entries {
        let mut copy = record.to_vec();
        if let Some(size) = declared_size {
            copy[24..28].copy_from_slice(&size.to_le_bytes());
        }
        // The name starts 46 bytes into the record: a0000.osu, a0001.osu, …
        copy[47..51].copy_from_slice(format!("{i:04}").as_bytes());
        out.extend_from_slice(&copy);
    }
    let directory_size = out.len() as u32 - directory_start;
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries as u16).to_le_bytes());
    out.extend_from_slice(&(entries as u16).to_le_bytes());
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory_start.to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    std::fs::write(path, out).unwrap();
}

#[test]
fn an_archive_whose_entries_share_one_stream_stops_at_its_budget() {
    let root = tempfile::tempdir().unwrap();
    // Honest sizes are refused before a byte is written; a size that lies is caught as the
    // entry is unpacked, past its declared size.
    for (declared, expected) in [(None, "zip bomb"), (Some(1000), "declared")] {
        let osz = root.path().join("overlap.osz");
        overlapping_archive(&osz, 2000, declared);
        let archive_size = std::fs::metadata(&osz).unwrap().len();
        assert!(import::archive::unpack_budget(archive_size) < 100 * 1024 * 1024);
        let out = root.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let outcomes = import_into(&osz, &out);
        let failure = outcomes[0].failures[0].to_string();
        assert!(failure.contains("overlap.osz"), "{failure}");
        assert!(failure.contains(expected), "{declared:?}: {failure}");
        assert!(all_files(&out).is_empty(), "{:?}", all_files(&out));
    }
}

#[test]
fn absolute_entry_names_are_refused() {
    use std::io::Write;
    for name in [
        "/tmp/evil.osu",
        "C:\\evil.osu",
        "\\\\server\\share\\evil.osu",
        "c:evil.osu",
    ] {
        let root = tempfile::tempdir().unwrap();
        let osz = root.path().join("absolute.osz");
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&osz).unwrap());
        zip.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(b"osu file format v14").unwrap();
        zip.finish().unwrap();
        let out = root.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        let outcomes = import_into(&osz, &out);
        let failure = outcomes[0].failures[0].to_string();
        assert!(failure.contains("absolute path"), "{name}: {failure}");
        assert!(all_files(&out).is_empty());
    }
}

/// A simfile of `entries` entries of `tag`, one a beat, and one chart of quarter notes.
fn simfile_with(tag: &str, entry: impl Fn(usize) -> String, entries: usize) -> String {
    let list: Vec<String> = (0..entries).map(entry).collect();
    format!(
        "#TITLE:Many;\n#ARTIST:Fixture;\n#MUSIC:song.wav;\n#OFFSET:0;\n#BPMS:0=120;\n#{tag}:{};\n#NOTES:dance-single::Hard:5::\n1000\n0100\n0010\n0001\n;\n",
        list.join(",")
    )
}

#[test]
fn many_fakes_stops_and_delays_are_read_in_one_pass() {
    // Each of these took seconds to minutes when every entry was checked against every other;
    // their times are in the closing figures of the import, not asserted here.
    let cases = [
        simfile_with(
            "FAKES",
            |i| format!("{}=0.0625", 4.0 + i as f64 / 8.0),
            100_000,
        ),
        simfile_with(
            "STOPS",
            |i| format!("{}=0.001", 4.0 + i as f64 / 8.0),
            100_000,
        ),
        simfile_with(
            "DELAYS",
            |i| format!("{}=0.001", 4.0 + (i / 2) as f64 / 8.0),
            100_000,
        ),
    ];
    for text in cases {
        let root = tempfile::tempdir().unwrap();
        let folder = root.path().join("many");
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("song.sm"), &text).unwrap();
        write_wav(&folder.join("song.wav"), 4);
        let (level, _) = only_level(&import_into(&folder, &root.path().join("out")));
        assert_eq!(
            level.charts[0].notes.len(),
            4,
            "the notes before the entries"
        );
        let written = std::fs::read_to_string(&level.file).unwrap();
        if text.contains("#DELAYS") {
            // Two delays on each beat add up to one.
            assert!(written.contains("seconds: 0.002"), "{}", &written[..2000]);
            assert!(!written.contains("seconds: 0.001"));
        }
    }
}
