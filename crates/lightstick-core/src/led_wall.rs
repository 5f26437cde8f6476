//! What a venue's LED wall shows: a look per section of the song, as a music video changes its
//! look from verse to chorus, each lit cell by cell in time with the beat. Rules only; the game
//! draws the cells.

use crate::music::sheet::SectionKind;

/// The wall's look for a stretch of the song.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LedLook {
    /// Intro and outro: the wall breathes slowly in the main colour.
    Glow,
    /// Verse: a bright column sweeps across the wall once a bar.
    Scan,
    /// Pre-chorus: the wall fills from the bottom up over each bar, building to the chorus.
    Rise,
    /// Chorus: the whole wall flashes on every beat in a checker of the main and second
    /// colours, with the song's motif large in the middle in the accent.
    Flash,
    /// Bridge: a slow diagonal wave in the second colour.
    Wave,
    /// Dance break: cells strobe at random every half beat.
    Strobe,
}

impl LedLook {
    /// The look of a section; a song without sections changes look every four bars.
    pub fn of(section: Option<SectionKind>, beat: f64, bar_beats: f64) -> LedLook {
        match section {
            Some(SectionKind::Intro | SectionKind::Outro) => LedLook::Glow,
            Some(SectionKind::Verse) => LedLook::Scan,
            Some(SectionKind::PreChorus) => LedLook::Rise,
            Some(SectionKind::Chorus | SectionKind::PostChorus) => LedLook::Flash,
            Some(SectionKind::Bridge) => LedLook::Wave,
            Some(SectionKind::DanceBreak) => LedLook::Strobe,
            None => {
                let phrase = (beat / (bar_beats.max(1.0) * 4.0)).floor().max(0.0) as u64;
                [LedLook::Scan, LedLook::Wave, LedLook::Rise, LedLook::Flash][(phrase % 4) as usize]
            }
        }
    }

    /// The look a player who asked for a calm picture sees instead: the slow breathing glow or
    /// the slow wave, never a flash, a strobe or a sweep. Both change a cell's brightness by a
    /// few hundredths a frame, far from a flash.
    pub fn calm(self) -> LedLook {
        match self {
            LedLook::Glow | LedLook::Scan | LedLook::Rise => LedLook::Glow,
            LedLook::Flash | LedLook::Wave | LedLook::Strobe => LedLook::Wave,
        }
    }

    /// Whether the look shows the song's motif large over the cells.
    pub fn shows_motif(self) -> bool {
        matches!(self, LedLook::Flash | LedLook::Glow)
    }

    /// How one cell of a `cols` × `rows` wall is lit at `beat`: which palette colour (0 main,
    /// 1 second, 2 accent) and how brightly, 0 to 1. Row 0 is the top.
    pub fn cell(
        self,
        col: usize,
        row: usize,
        cols: usize,
        rows: usize,
        beat: f64,
        bar_beats: f64,
    ) -> (usize, f32) {
        let bar = bar_beats.max(1.0);
        let in_beat = beat.rem_euclid(1.0) as f32;
        let in_bar = (beat.rem_euclid(bar) / bar) as f32;
        let pulse = (1.0 - in_beat).powi(2);
        let (x, y) = (
            col as f32 / cols.max(1) as f32,
            row as f32 / rows.max(1) as f32,
        );
        match self {
            LedLook::Glow => {
                let breath = ((beat as f32 / bar as f32) * std::f32::consts::PI)
                    .sin()
                    .abs();
                let centre = 1.0 - ((x - 0.5).abs() * 1.6).min(1.0);
                (0, 0.12 + 0.3 * breath * centre)
            }
            LedLook::Scan => {
                let sweep = in_bar * (cols as f32 + 2.0) - 1.0;
                let near = (1.0 - (col as f32 - sweep).abs() / 1.5).max(0.0);
                let colour = if row.is_multiple_of(2) { 0 } else { 1 };
                (colour, 0.1 + 0.8 * near)
            }
            LedLook::Rise => {
                let from_bottom = 1.0 - (row as f32 + 1.0) / rows.max(1) as f32;
                let lit = from_bottom <= in_bar;
                let colour = if (col + row).is_multiple_of(3) { 2 } else { 0 };
                (colour, if lit { 0.35 + 0.5 * pulse } else { 0.06 })
            }
            LedLook::Flash => {
                let colour = if (col + row).is_multiple_of(2) { 0 } else { 1 };
                let odd_beat = beat.rem_euclid(2.0) >= 1.0;
                let on = (col + row).is_multiple_of(2) != odd_beat;
                (colour, if on { 0.3 + 0.7 * pulse } else { 0.12 })
            }
            LedLook::Wave => {
                let phase = (x + y) * 4.0 - beat as f32 * 0.5;
                (
                    1,
                    0.1 + 0.35 * (phase * std::f32::consts::PI).sin().max(0.0),
                )
            }
            LedLook::Strobe => {
                let step = (beat * 2.0).floor() as i64;
                let hash = (col as i64 * 73 + row as i64 * 151 + step * 199).rem_euclid(7);
                let colour = (hash % 3) as usize;
                (colour, if hash < 2 { 0.4 + 0.6 * pulse } else { 0.05 })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(look: LedLook, beat: f64) -> Vec<(usize, f32)> {
        (0..4)
            .flat_map(|row| (0..8).map(move |col| look.cell(col, row, 8, 4, beat, 4.0)))
            .collect()
    }

    fn mean(cells: &[(usize, f32)]) -> f32 {
        cells.iter().map(|(_, b)| b).sum::<f32>() / cells.len() as f32
    }

    #[test]
    fn every_section_kind_has_a_look_and_looks_differ() {
        let looks: Vec<LedLook> = SectionKind::ALL
            .iter()
            .map(|k| LedLook::of(Some(*k), 8.0, 4.0))
            .collect();
        assert_eq!(looks[3], LedLook::Flash, "the chorus flashes");
        assert_ne!(
            looks[1], looks[3],
            "the verse does not look like the chorus"
        );
        let mut distinct = looks.clone();
        distinct.dedup();
        distinct.sort_by_key(|l| *l as u8);
        distinct.dedup();
        assert_eq!(distinct.len(), 6);
        // A song with no sections still changes look every four bars.
        assert_ne!(LedLook::of(None, 0.0, 4.0), LedLook::of(None, 16.0, 4.0));
    }

    #[test]
    fn the_chorus_wall_is_brightest_on_the_beat() {
        let on = mean(&lit(LedLook::Flash, 12.0));
        let off = mean(&lit(LedLook::Flash, 12.8));
        assert!(on > off + 0.2, "on the beat {on}, late in it {off}");
    }

    #[test]
    fn the_verse_scan_crosses_the_wall_once_a_bar() {
        let brightest = |beat: f64| {
            (0..8)
                .max_by(|a, b| {
                    let at = |c| LedLook::Scan.cell(c, 0, 8, 4, beat, 4.0).1;
                    at(*a).total_cmp(&at(*b))
                })
                .unwrap()
        };
        assert!(brightest(0.4) < 2);
        assert!(brightest(2.0) > 2 && brightest(2.0) < 6);
        assert!(brightest(3.6) > 5);
    }

    #[test]
    fn the_pre_chorus_fills_from_the_bottom() {
        let early: Vec<f32> = (0..4)
            .map(|row| LedLook::Rise.cell(1, row, 8, 4, 1.2, 4.0).1)
            .collect();
        assert!(early[3] > early[0], "{early:?}");
        let late = mean(&lit(LedLook::Rise, 3.95));
        assert!(late > mean(&lit(LedLook::Rise, 0.05)));
    }

    #[test]
    fn a_calm_wall_never_flashes_even_at_a_fast_tempo() {
        // 200 BPM, sampled at 60 frames a second for 8 s: a flash is a cell jumping in
        // brightness from one frame to the next.
        let beats_per_frame = 200.0 / 60.0 / 60.0;
        for kind in SectionKind::ALL {
            let look = LedLook::of(Some(kind), 0.0, 4.0).calm();
            let mut before = lit(look, 0.0);
            for frame in 1..480 {
                let now = lit(look, f64::from(frame) * beats_per_frame);
                let jump = before
                    .iter()
                    .zip(&now)
                    .map(|((_, a), (_, b))| (a - b).abs())
                    .fold(0.0f32, f32::max);
                assert!(
                    jump < 0.05,
                    "{kind:?} calm as {look:?} jumps {jump} at frame {frame}"
                );
                before = now;
            }
        }
        // Uncalmed, the chorus does flash.
        let flash = LedLook::Flash;
        let jump = (mean(&lit(flash, 0.99)) - mean(&lit(flash, 1.0))).abs();
        assert!(jump > 0.1, "{jump}");
    }

    #[test]
    fn brightness_stays_between_zero_and_one() {
        for look in [
            LedLook::Glow,
            LedLook::Scan,
            LedLook::Rise,
            LedLook::Flash,
            LedLook::Wave,
            LedLook::Strobe,
        ] {
            for step in 0..64 {
                for (colour, b) in lit(look, step as f64 * 0.37) {
                    assert!(colour < 3);
                    assert!((0.0..=1.0).contains(&b), "{look:?}: {b}");
                }
            }
        }
    }
}
