//! Music theory the sheets are written in: keys and their scales, chord names and their notes.

/// Pitch classes of a key such as `"A minor"`; a minor key also allows its raised seventh, as
/// harmonic minor's dominant chord needs it.
pub fn key_scale(key: &str) -> Option<Vec<i32>> {
    let (tonic, mode) = key.trim().split_once(' ')?;
    let root = parse_chord(tonic)?.first().copied()? - 60;
    let steps: &[i32] = match mode.trim() {
        "major" => &[0, 2, 4, 5, 7, 9, 11],
        "minor" => &[0, 2, 3, 5, 7, 8, 10, 11],
        _ => return None,
    };
    Some(steps.iter().map(|s| (root + s).rem_euclid(12)).collect())
}

pub fn note_name(pitch_class: i32) -> &'static str {
    [
        "C", "C#", "D", "Eb", "E", "F", "F#", "G", "G#", "A", "Bb", "B",
    ][pitch_class.rem_euclid(12) as usize]
}

pub fn parse_chord(name: &str) -> Option<Vec<i32>> {
    let mut chars = name.chars().peekable();
    let letter = chars.next()?;
    let mut root = match letter {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        _ => return None,
    };
    match chars.peek() {
        Some('#') => {
            root += 1;
            chars.next();
        }
        Some('b') => {
            root -= 1;
            chars.next();
        }
        _ => {}
    }
    let rest: String = chars.collect();
    // Intervals above the root, lowest first.
    let intervals: &[i32] = match rest.as_str() {
        "" => &[0, 4, 7],
        "m" => &[0, 3, 7],
        "dim" => &[0, 3, 6],
        "sus2" => &[0, 2, 7],
        "sus4" => &[0, 5, 7],
        "6" => &[0, 4, 7, 9],
        "m6" => &[0, 3, 7, 9],
        "7" => &[0, 4, 7, 10],
        "maj7" => &[0, 4, 7, 11],
        "m7" => &[0, 3, 7, 10],
        "add9" => &[0, 4, 7, 14],
        "madd9" => &[0, 3, 7, 14],
        "9" => &[0, 4, 7, 10, 14],
        "m9" => &[0, 3, 7, 10, 14],
        _ => return None,
    };
    Some(intervals.iter().map(|i| 60 + root + i).collect())
}
