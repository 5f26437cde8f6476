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
    let manifest =
        pack::write_pack(&[shipped("neon-heartbeat"), shipped("block-party")], &file).unwrap();
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
