//! `lightstick validate` draws each problem as a compiler does: the `file:line:column` line,
//! the source line with the spot underlined, and help where it can give it. Each broken level
//! here is one mistake made to a good level, and its exact output is kept in
//! `tests/snapshots/`. After a deliberate change, `LIGHTSTICK_BLESS=1 cargo test --test
//! diagnostics` writes them again; read the diff before committing it.

mod common;

use std::path::Path;

/// A good level, which each case breaks in one place.
const GOOD: &str = r#"(
    format: 1,
    title: "Snapshot",
    artist: "Lightstick",
    audio: "song.wav",
    preview: (start: 1.0, length: 4.0),
    timing: (offset: 0.0, bpms: [(beat: 0.0, bpm: 120.0)]),
    charts: [
        (
            difficulty: "Normal",
            meter: 3,
            lanes: 4,
            measures: [
                [],
                ["1000", "0100", "0010", "0001"],
            ],
            notes: [
                (beat: 8.0, lane: 0),
                (beat: 9.0, lane: 2, kind: Hold(length: 1.0)),
            ],
        ),
    ],
)"#;

/// Each case: its name, and the text it replaces in the good level with what.
const CASES: &[(&str, &str, &str)] = &[
    ("misspelt-field", "meter: 3", "meterr: 3"),
    ("misspelt-note-kind", "kind: Hold(", "kind: Holdd("),
    ("missing-title", "    title: \"Snapshot\",\n", ""),
    ("row-too-long", "\"0100\"", "\"01000\""),
    ("row-unknown-character", "\"0010\"", "\"00X0\""),
    (
        "lane-out-of-range",
        "(beat: 8.0, lane: 0)",
        "(beat: 8.0, lane: 7)",
    ),
    ("negative-tempo", "bpm: 120.0", "bpm: -120.0"),
    ("missing-comma", "lanes: 4,\n", "lanes: 4\n"),
    ("unclosed-list", "[],\n", "[,\n"),
    ("audio-missing", "\"song.wav\"", "\"nope.ogg\""),
    (
        "hold-of-no-length",
        "Hold(length: 1.0)",
        "Hold(length: 0.0)",
    ),
    (
        "negative-beat",
        "(beat: 8.0, lane: 0)",
        "(beat: -2.0, lane: 0)",
    ),
    ("future-format", "format: 1", "format: 9"),
    ("text-for-a-number", "meter: 3", "meter: \"three\""),
    ("lift-in-a-row", "\"0001\"", "\"000L\""),
    ("too-many-lanes", "lanes: 4", "lanes: 12"),
];

fn output_for(root: &Path, name: &str, format: &str) -> String {
    let folder = root.join(name);
    let output = common::run_cli(&["validate", folder.to_str().unwrap(), "--format", format]);
    assert!(!output.status.success(), "{name} validated");
    // The temporary folder differs each run; the snapshots name it FIXTURE.
    String::from_utf8_lossy(&output.stdout).replace(root.to_str().unwrap(), "FIXTURE")
}

#[test]
fn every_broken_level_is_drawn_with_its_line_and_the_spot_underlined() {
    let dir = tempfile::tempdir().unwrap();
    let bless = std::env::var_os("LIGHTSTICK_BLESS").is_some();
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut failures = Vec::new();
    for (name, good, broken) in CASES {
        assert!(
            GOOD.contains(good),
            "{name}: the good level has no `{good}`"
        );
        common::write_level(dir.path(), name, &GOOD.replacen(good, broken, 1), Some(6.0));
        let text = output_for(dir.path(), name, "human");
        let snapshot = snapshots.join(format!("{name}.txt"));
        if bless {
            std::fs::create_dir_all(&snapshots).unwrap();
            std::fs::write(&snapshot, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&snapshot).unwrap_or_default();
        if text != expected {
            failures.push(format!(
                "{name}:\n--- expected\n{expected}\n--- got\n{text}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn editors_get_every_problem_as_json_with_its_span_and_code() {
    let dir = tempfile::tempdir().unwrap();
    common::write_level(
        dir.path(),
        "two-mistakes",
        &GOOD.replacen("kind: Hold(", "kind: Holdd(", 1).replacen(
            "audio: \"song.wav\"",
            "audio: \"song.wav\", jackett: \"x.png\"",
            1,
        ),
        Some(6.0),
    );
    let json = output_for(dir.path(), "two-mistakes", "json");
    let problems: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let problems = problems.as_array().unwrap();
    assert!(!problems.is_empty(), "{json}");
    for problem in problems {
        for field in [
            "file",
            "line",
            "column",
            "end_line",
            "end_column",
            "severity",
            "code",
            "message",
        ] {
            assert!(problem.get(field).is_some(), "{field} missing: {problem}");
        }
        assert!(
            problem["file"]
                .as_str()
                .unwrap()
                .ends_with("two-mistakes/level.ron")
        );
    }
    let first = &problems[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["code"], "unknown-field");
    assert_eq!(first["help"], "did you mean `jacket`?");
    assert_eq!(first["line"], 5);
    // The span covers the misspelt name.
    assert_eq!(
        first["end_column"].as_u64().unwrap() - first["column"].as_u64().unwrap(),
        "jackett".len() as u64
    );
}
