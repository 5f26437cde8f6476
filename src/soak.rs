//! The soak: song after song in one process, cycling levels, modes and player counts, with the
//! memory in use after each. `lightstick soak --songs 100` plays them in the window, through the
//! whole game (loading, the play, the results); `--headless` judges them through the same
//! engine without one. A leak shows as memory that keeps growing from song to song.

use bevy::prelude::*;

use crate::gameplay::{PlayCommand, PlayRequest};
use crate::screens::Screen;

/// The memory the process holds (resident set), in kibibytes; `None` where the system does
/// not say.
pub fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// What one song of a soak plays, in the order they cycle: one player, versus for two, three
/// and four, and a group of three.
pub fn soak_shape(song: usize) -> (u8, bool) {
    match song % 5 {
        0 => (1, false),
        1 => (2, false),
        2 => (3, false),
        3 => (4, false),
        _ => (3, true),
    }
}

/// The memory reading after each song, and the verdict: the end within 5 % of the first song.
#[derive(Debug, Default)]
pub struct SoakLog {
    pub after_song_kib: Vec<u64>,
}

impl SoakLog {
    pub fn record(&mut self, song: usize, what: &str) {
        // The allocator keeps freed memory in per-thread arenas; handing it back first makes
        // the reading what is live, so only memory still held shows as growth.
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: malloc_trim only releases free memory of the allocator.
        unsafe {
            libc::malloc_trim(0);
        }
        let kib = resident_kib().unwrap_or(0);
        self.after_song_kib.push(kib);
        println!(
            "soak: song {song}: {what}: {:.1} MiB in use",
            kib as f64 / 1024.0
        );
    }

    /// Prints the summary; whether memory at the end is within 5 % of after the first song.
    pub fn summary(&self) -> bool {
        let (Some(first), Some(last)) = (self.after_song_kib.first(), self.after_song_kib.last())
        else {
            return false;
        };
        let change = (*last as f64 - *first as f64) / (*first).max(1) as f64 * 100.0;
        let peak = self.after_song_kib.iter().max().copied().unwrap_or(0);
        println!(
            "soak: {} songs; after the first {:.1} MiB, at the end {:.1} MiB ({change:+.1} %), peak {:.1} MiB",
            self.after_song_kib.len(),
            *first as f64 / 1024.0,
            *last as f64 / 1024.0,
            peak as f64 / 1024.0
        );
        change <= 5.0
    }
}

/// The plays of a soak in the window, cycled until `songs` have been played.
#[derive(Resource)]
pub struct SoakPlan {
    pub plays: Vec<(PlayRequest, String)>,
    pub songs: usize,
    /// Leave each play after this much song time (to the song list, as a player would) instead
    /// of playing it to the results.
    pub seconds_per_song: Option<f64>,
    pub played: usize,
    pub log: SoakLog,
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        (
            leave_the_play_early.run_if(in_state(Screen::Gameplay)),
            start_the_next_song,
        )
            .run_if(resource_exists::<SoakPlan>),
    );
}

fn leave_the_play_early(
    plan: Res<SoakPlan>,
    clock: Res<crate::gameplay::clock::SongClock>,
    mut commands: MessageWriter<PlayCommand>,
) {
    if plan.seconds_per_song.is_some_and(|s| clock.now() > s) {
        commands.write(PlayCommand::Quit);
    }
}

/// How long the soak stays in the menu after each song before reading the memory.
const SETTLE_IN_MENU: std::time::Duration = std::time::Duration::from_secs(1);

/// On the results (or the song list, after leaving early): the memory of the song just played,
/// then the next song, or the end.
#[allow(clippy::too_many_arguments)]
fn start_the_next_song(
    screen: Res<State<Screen>>,
    mut plan: ResMut<SoakPlan>,
    entities: Query<()>,
    sounds: Option<Res<Assets<bevy_kira_audio::AudioSource>>>,
    playing: Option<Res<Assets<bevy_kira_audio::AudioInstance>>>,
    mut next: ResMut<NextState<Screen>>,
    mut commands: Commands,
    mut exit: MessageWriter<AppExit>,
    time: Res<Time<Real>>,
    mut menu_since: Local<Option<std::time::Duration>>,
) {
    if !matches!(screen.get(), Screen::Results | Screen::SongSelect) {
        *menu_since = None;
        return;
    }
    // The reading is taken once the menu has settled, as a player would sit in it: the
    // finished song's audio and the renderer's buffers are let go over the first frames.
    let now = time.elapsed();
    if now.saturating_sub(*menu_since.get_or_insert(now)) < SETTLE_IN_MENU {
        return;
    }
    *menu_since = None;
    if plan.played > 0 {
        let index = (plan.played - 1) % plan.plays.len();
        // What the world holds, so growth can be traced to its kind.
        let what = format!(
            "{}; {} entities, {} sounds, {} playing",
            plan.plays[index].1,
            entities.iter().count(),
            sounds.map_or(0, |s| s.len()),
            playing.map_or(0, |p| p.len())
        );
        let song = plan.played;
        plan.log.record(song, &what);
    }
    if plan.played == plan.songs {
        let within = plan.log.summary();
        exit.write(if within {
            AppExit::Success
        } else {
            AppExit::error()
        });
        // Once is enough: the app leaves at the end of this frame.
        commands.remove_resource::<SoakPlan>();
        return;
    }
    let request = plan.plays[plan.played % plan.plays.len()].0.clone();
    commands.insert_resource(request);
    plan.played += 1;
    next.set(Screen::Gameplay);
}
