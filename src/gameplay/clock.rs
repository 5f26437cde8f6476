//! The song clock: song time follows the audio playback position, smoothed between the
//! position's updates so notes scroll without jitter, and converts the `Instant` of any input
//! to song time. With no audio device it runs on the wall clock instead.
//!
//! kira reports the position of the audio it has rendered, which moves in steps of one output
//! buffer. Each new position, with the instant it was read, is one snapshot; the clock is a line
//! through them, pulled towards each new snapshot by a gain that starts at 1/2 and settles at
//! [`MIN_GAIN`], so it converges quickly after a start, seek or rate change and then stays smooth.

use std::time::{Duration, Instant};

use bevy::prelude::*;

/// An error this large between the clock and the audio position snaps the clock to the audio;
/// smaller errors are filtered away. osu!lazer snaps at about the same size.
pub const RESYNC_THRESHOLD: f64 = 0.033;
/// The smallest share of an error corrected at each new audio position. Small, because the
/// positions themselves jump by a buffer; the audio and system clocks drift by parts per million.
pub const MIN_GAIN: f64 = 0.02;
/// The audio position moves every output buffer, which on a busy machine can be 70 ms apart.
/// The clock follows wall time while it stands still for at least this long, and for as long
/// as the output can keep playing what it was given ([`SongClock::set_output_buffer`]).
pub const STALL_AFTER: Duration = Duration::from_millis(150);
/// The most the clock rides through a still position, whatever the output says it holds.
pub const MAX_RIDE_THROUGH: f64 = 2.5;
/// How long to wait for the audio to really start before giving up on it.
const AUDIO_START_TIMEOUT: Duration = Duration::from_secs(6);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockSource {
    Audio,
    /// No audio device (or the audio never started): real time drives the song.
    Wall,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockPhase {
    /// Waiting for the song's audio to load.
    Loading,
    /// Counting up on the wall clock to where the music starts (0, or a later start point).
    LeadIn,
    /// The music was asked to play (or seeked) and the clock holds until it really does.
    WaitingForAudio,
    Running,
    Paused,
}

/// What the clock asks of the audio after a tick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockRequest {
    None,
    StartAudio,
}

/// A snapshot of the audio: whether it is playing, where (song seconds), and when it was read.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AudioReading {
    pub playing: bool,
    pub position: f64,
    pub at: Instant,
}

#[derive(Resource, Clone, Debug)]
pub struct SongClock {
    phase: ClockPhase,
    source: ClockSource,
    rate: f64,
    /// Song time the music starts at: 0, or a measure a practice starts from.
    start: f64,
    /// Song time `anchor_time` was current at `anchor_at`; it advances at `rate` from there.
    anchor_time: f64,
    anchor_at: Option<Instant>,
    /// The time shown while the clock stands still.
    held: f64,
    /// The song time of the current frame, never decreasing while running.
    frame_time: f64,
    last_audio_position: Option<f64>,
    /// Snapshots taken in since the clock last snapped; sets the filter's gain.
    snapshots: u32,
    /// The audio must report a position in this range before the clock runs again.
    waiting_for: (f64, f64),
    waiting_since: Option<Instant>,
    /// The error (audio minus clock, seconds) at the latest snapshot, before correcting it.
    pub last_error: f64,
    /// Times the clock snapped to the audio.
    pub resyncs: u32,
    /// Set when the clock gave up on the audio; reported once by the game.
    pub fell_back: bool,
    /// When the audio position last moved.
    moved_at: Option<Instant>,
    /// Set when the music stalled and came back: how long (real seconds) it was silent, past
    /// what the output had to play. Reported once by the game.
    pub stalled_for: Option<f64>,
    /// Real seconds of audio the output holds beyond the position kira reports: while the
    /// position stands still, the device goes on playing that much.
    output_buffer: f64,
    /// The clock runs on the wall clock because the music played to its end, not for want of
    /// a device: it follows the music again if it plays again.
    music_ended: bool,
}

impl SongClock {
    /// A clock that counts in for `lead_in` song seconds before the music starts at `start`.
    pub fn new(rate: f64, start: f64, lead_in: f64) -> Self {
        Self {
            phase: ClockPhase::Loading,
            source: ClockSource::Audio,
            rate,
            start,
            anchor_time: start - lead_in,
            anchor_at: None,
            held: start - lead_in,
            frame_time: start - lead_in,
            last_audio_position: None,
            snapshots: 0,
            waiting_for: (0.0, f64::INFINITY),
            waiting_since: None,
            last_error: 0.0,
            resyncs: 0,
            fell_back: false,
            moved_at: None,
            stalled_for: None,
            output_buffer: 0.0,
            music_ended: false,
        }
    }

    /// Tells the clock how much audio the output holds beyond the reported position, in real
    /// seconds: the position kira reports is what it has rendered, and a sound server with a
    /// deep buffer plays on from it while the renderer is starved and the position stands
    /// still.
    pub fn set_output_buffer(&mut self, seconds: f64) {
        self.output_buffer = if seconds.is_finite() {
            seconds.clamp(0.0, MAX_RIDE_THROUGH)
        } else {
            0.0
        };
    }

    /// How long the position may stand still while the music still plays: the output's
    /// buffer, and never less than [`STALL_AFTER`].
    fn ride_through(&self) -> f64 {
        self.output_buffer.max(STALL_AFTER.as_secs_f64())
    }

    pub fn phase(&self) -> ClockPhase {
        self.phase
    }

    pub fn source(&self) -> ClockSource {
        self.source
    }

    pub fn rate(&self) -> f64 {
        self.rate
    }

    /// Song time the music starts at.
    pub fn start(&self) -> f64 {
        self.start
    }

    /// Song time of the current frame.
    pub fn now(&self) -> f64 {
        self.frame_time
    }

    fn anchor(&mut self, time: f64, at: Instant) {
        self.anchor_time = time;
        self.anchor_at = Some(at);
        self.snapshots = 0;
    }

    fn projected(&self, at: Instant) -> f64 {
        match self.anchor_at {
            Some(anchor) => self.anchor_time + signed_seconds(at, anchor) * self.rate,
            None => self.anchor_time,
        }
    }

    /// Song time at `instant`: what the judge uses for an input stamped then. While the clock
    /// stands still, every instant maps to the held time.
    pub fn time_at(&self, instant: Instant) -> f64 {
        match self.phase {
            ClockPhase::LeadIn | ClockPhase::Running => self.projected(instant),
            ClockPhase::Loading | ClockPhase::WaitingForAudio | ClockPhase::Paused => self.held,
        }
    }

    /// Song time of an input at `instant` as the player heard it: the audio offset (output
    /// latency, in real seconds) is taken off in real time, so at 1.5× it is worth 1.5× as much
    /// song time, never a scaled-down or scaled-up number of milliseconds.
    pub fn heard_time_at(&self, instant: Instant, audio_offset: f64) -> f64 {
        self.time_at(instant) - audio_offset * self.rate
    }

    /// The song time of the current frame as heard (or seen) `offset` real seconds later.
    pub fn heard_now(&self, offset: f64) -> f64 {
        self.frame_time - offset * self.rate
    }

    /// The audio is loaded (or will never be): start counting in.
    pub fn begin(&mut self, now: Instant, source: ClockSource) {
        self.source = source;
        self.anchor(self.held, now);
        self.phase = ClockPhase::LeadIn;
    }

    /// The music played to its end (kira stopped it): the clock runs on from the frame's time on
    /// the wall clock, so the outro and the results come however close the last note is to the
    /// song's end. A stall is not an end: a starved sound still reports that it plays. Whether
    /// the clock left the music for the wall clock now.
    pub fn music_ended(&mut self, now: Instant) -> bool {
        if self.phase != ClockPhase::Running || self.source != ClockSource::Audio {
            return false;
        }
        self.source = ClockSource::Wall;
        self.music_ended = true;
        self.anchor(self.frame_time, now);
        true
    }

    /// The music that ended plays again (a practice went back): the clock follows it again from
    /// the next seek.
    pub fn music_plays_again(&mut self) {
        if self.music_ended {
            self.music_ended = false;
            self.source = ClockSource::Audio;
        }
    }

    /// Advances to the frame at `now`, following the audio when there is a reading.
    pub fn tick(&mut self, now: Instant, audio: Option<AudioReading>) -> ClockRequest {
        let mut request = ClockRequest::None;
        match self.phase {
            ClockPhase::Loading | ClockPhase::Paused => self.frame_time = self.held,
            ClockPhase::LeadIn => {
                let t = self.projected(now);
                if t >= self.start && self.source == ClockSource::Audio {
                    self.held = self.start;
                    self.frame_time = self.start;
                    self.wait_for_audio(now, (self.start, f64::INFINITY));
                    request = ClockRequest::StartAudio;
                } else {
                    if t >= self.start {
                        self.phase = ClockPhase::Running;
                    }
                    self.frame_time = t;
                }
            }
            ClockPhase::WaitingForAudio => {
                let (low, high) = self.waiting_for;
                match audio {
                    Some(reading)
                        if reading.playing && reading.position > low && reading.position < high =>
                    {
                        self.anchor(reading.position, reading.at);
                        self.last_audio_position = Some(reading.position);
                        self.moved_at = Some(reading.at);
                        self.phase = ClockPhase::Running;
                    }
                    _ => {
                        let waited = self.waiting_since.map_or(Duration::ZERO, |s| now - s);
                        if waited > AUDIO_START_TIMEOUT {
                            self.source = ClockSource::Wall;
                            self.fell_back = true;
                            self.anchor(self.held, now);
                            self.phase = ClockPhase::Running;
                        }
                    }
                }
                self.frame_time = self.held.max(self.time_at(now));
            }
            ClockPhase::Running => {
                if self.source == ClockSource::Audio
                    && let Some(reading) = audio
                    && reading.playing
                    && self.last_audio_position != Some(reading.position)
                {
                    self.take_snapshot(reading);
                }
                let mut projected = self.projected(now);
                let ride_through = self.ride_through();
                if self.source == ClockSource::Audio
                    && let (Some(position), Some(moved_at)) =
                        (self.last_audio_position, self.moved_at)
                    && now.saturating_duration_since(moved_at).as_secs_f64() > ride_through
                {
                    // The position stood still for longer than the output could play on: the
                    // music really stopped, and the notes go no further ahead of it.
                    projected = projected.min(position + ride_through * self.rate);
                }
                // Never backwards: a snap behind the shown time holds the picture instead.
                self.frame_time = self.frame_time.max(projected);
            }
        }
        request
    }

    fn take_snapshot(&mut self, reading: AudioReading) {
        if let (Some(moved_at), Some(last)) = (self.moved_at, self.last_audio_position) {
            // Real time passed, less the music played in it: how far the music fell behind.
            // Only the part the output could not play on from its buffer was silent.
            let passed = reading.at.saturating_duration_since(moved_at).as_secs_f64();
            let lost = passed - (reading.position - last) / self.rate;
            if lost > self.ride_through() {
                self.stalled_for = Some(lost - self.output_buffer);
            }
        }
        self.moved_at = Some(reading.at);
        self.last_audio_position = Some(reading.position);
        let error = reading.position - self.projected(reading.at);
        self.last_error = error;
        if error.abs() > RESYNC_THRESHOLD {
            self.anchor(reading.position, reading.at);
            self.resyncs += 1;
            return;
        }
        self.snapshots += 1;
        let gain = (1.0 / (f64::from(self.snapshots) + 1.0)).max(MIN_GAIN);
        self.anchor_time += error * gain;
    }

    fn wait_for_audio(&mut self, now: Instant, range: (f64, f64)) {
        self.phase = ClockPhase::WaitingForAudio;
        self.waiting_since = Some(now);
        self.waiting_for = range;
    }

    pub fn pause(&mut self) {
        if matches!(
            self.phase,
            ClockPhase::Running | ClockPhase::LeadIn | ClockPhase::WaitingForAudio
        ) {
            self.held = self.frame_time;
            self.phase = ClockPhase::Paused;
        }
    }

    /// Stops the clock at song time `time`, at or just behind the frame's: wait mode stops it
    /// exactly on a note, so the press that goes on is judged at the note's own time.
    pub fn pause_at(&mut self, time: f64) {
        self.pause();
        if self.phase == ClockPhase::Paused {
            self.held = time.min(self.frame_time);
            self.frame_time = self.held;
        }
    }

    /// Resumes after a pause. With audio, the clock holds until the audio moves past
    /// `audio_position` (where it was paused).
    pub fn resume(&mut self, now: Instant, audio_position: Option<f64>) {
        if self.phase != ClockPhase::Paused {
            return;
        }
        match (self.source, audio_position) {
            (ClockSource::Audio, Some(position)) if self.held >= self.start => {
                self.wait_for_audio(now, (position, f64::INFINITY));
            }
            _ => {
                self.anchor(self.held, now);
                self.phase = if self.held < self.start {
                    ClockPhase::LeadIn
                } else {
                    ClockPhase::Running
                };
            }
        }
    }

    /// The audio was sent to `position`: the clock jumps there (even backwards) and, with audio,
    /// holds until the audio reports a position just after it. Stale readings from before the
    /// seek fall outside that range and are ignored.
    pub fn seek(&mut self, now: Instant, position: f64) {
        self.held = position;
        self.frame_time = position;
        self.last_audio_position = None;
        match self.source {
            ClockSource::Audio if position >= 0.0 => {
                self.wait_for_audio(now, (position, position + 1.0))
            }
            _ => {
                self.anchor(position, now);
                self.phase = if position < 0.0 {
                    ClockPhase::LeadIn
                } else {
                    ClockPhase::Running
                };
            }
        }
    }

    /// The playback rate changed at `now`: song time goes on from where it is at the new rate,
    /// and the next snapshots pull it onto the audio quickly.
    pub fn set_rate(&mut self, now: Instant, rate: f64) {
        let current = self.projected(now);
        self.rate = rate;
        if matches!(self.phase, ClockPhase::Running | ClockPhase::LeadIn) {
            self.anchor(current, now);
        }
    }
}

fn signed_seconds(at: Instant, since: Instant) -> f64 {
    if at >= since {
        (at - since).as_secs_f64()
    } else {
        -(since - at).as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn playing(position: f64, at: Instant) -> Option<AudioReading> {
        Some(AudioReading {
            playing: true,
            position,
            at,
        })
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Within a few microseconds: for clocks anchored on a first reading just after zero.
    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-5
    }

    /// A clock already running on the audio, anchored at song time 0 at `start`.
    fn running(start: Instant, rate: f64) -> SongClock {
        let mut clock = SongClock::new(rate, 0.0, 0.0);
        clock.begin(start, ClockSource::Audio);
        clock.tick(start, None);
        clock.tick(start, playing(1e-6, start));
        assert_eq!(clock.phase(), ClockPhase::Running);
        clock
    }

    #[test]
    fn wall_clock_counts_in_then_runs() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0, 1.0);
        clock.begin(start, ClockSource::Wall);
        assert_eq!(clock.tick(start + ms(500), None), ClockRequest::None);
        assert!(close(clock.now(), -0.5));
        clock.tick(start + ms(1500), None);
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!(close(clock.now(), 0.5));
        // An input stamped between frames gets its own time, not the frame's.
        assert!(close(clock.time_at(start + ms(1250)), 0.25));
    }

    #[test]
    fn a_play_from_a_later_point_counts_in_to_it_and_starts_the_music_there() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 30.0, 1.0);
        clock.begin(start, ClockSource::Audio);
        assert_eq!(clock.tick(start + ms(500), None), ClockRequest::None);
        assert!(close(clock.now(), 29.5));
        assert_eq!(clock.tick(start + ms(1100), None), ClockRequest::StartAudio);
        assert!(close(clock.now(), 30.0));
        // A reading from before the music was sent there is not taken.
        clock.tick(start + ms(1200), playing(0.0, start + ms(1200)));
        assert_eq!(clock.phase(), ClockPhase::WaitingForAudio);
        clock.tick(start + ms(1300), playing(30.01, start + ms(1300)));
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!(near(clock.now(), 30.01));
    }

    #[test]
    fn chart_waits_for_the_audio_to_really_play() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0, 0.5);
        clock.begin(start, ClockSource::Audio);
        assert_eq!(clock.tick(start + ms(600), None), ClockRequest::StartAudio);
        assert_eq!(clock.phase(), ClockPhase::WaitingForAudio);
        // The backend takes a second to start: time stands at 0.
        clock.tick(start + ms(1600), playing(0.0, start + ms(1600)));
        assert_eq!(clock.now(), 0.0);
        assert_eq!(clock.time_at(start + ms(1500)), 0.0);
        clock.tick(start + ms(1700), playing(0.010, start + ms(1700)));
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!(close(clock.now(), 0.010));
        clock.tick(start + ms(1710), None);
        assert!(close(clock.now(), 0.020));
    }

    #[test]
    fn snapshots_are_filtered_and_large_drift_snaps_without_going_back() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        // Settle the filter on many exact snapshots.
        for i in 1..=100 {
            let at = start + ms(10 * i);
            clock.tick(at, playing(i as f64 * 0.010, at));
        }
        assert!(near(clock.time_at(start + ms(1000)), 1.0));
        // One snapshot 9 ms off moves the clock by only a small share of it.
        let at = start + ms(1010);
        clock.tick(at, playing(1.001, at));
        let moved = 1.010 - clock.time_at(at);
        assert!(moved > 0.0 && moved <= 0.010 * MIN_GAIN + 1e-5, "{moved}");
        assert_eq!(clock.resyncs, 0);
        // 100 ms behind: snap, but the shown time holds rather than running backwards.
        let shown = clock.now();
        let at = start + ms(1020);
        clock.tick(at, playing(0.920, at));
        assert_eq!(clock.resyncs, 1);
        assert!(clock.now() >= shown);
        assert!(near(clock.time_at(at), 0.920));
    }

    #[test]
    fn the_filter_converges_after_a_start_biased_by_a_buffer() {
        // The first snapshot is 20 ms late (read just before a buffer boundary); later ones
        // straddle the truth. The clock must end within a millisecond of it.
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0, 0.0);
        clock.begin(start, ClockSource::Audio);
        clock.tick(start, None);
        clock.tick(start, playing(0.020, start + ms(20)));
        for i in 1..400u64 {
            let at = start + ms(20 + 23 * i);
            let truth = (20 + 23 * i) as f64 / 1000.0;
            // Positions come quantised to 23 ms buffers, read somewhere inside the buffer.
            let jitter = if i % 2 == 0 { 0.008 } else { -0.008 };
            clock.tick(at, playing(truth + jitter, at));
        }
        let at = start + ms(20 + 23 * 400);
        let truth = (20 + 23 * 400) as f64 / 1000.0;
        assert!(
            (clock.time_at(at) - truth).abs() < 0.001,
            "{}",
            clock.time_at(at) - truth
        );
    }

    #[test]
    fn rate_scales_song_time_and_offsets_stay_in_real_time() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.5, 0.0, 0.0);
        clock.begin(start, ClockSource::Wall);
        clock.tick(start + ms(1000), None);
        assert!(close(clock.now(), 1.5));
        // 20 ms of output latency is 30 ms of song at 1.5×.
        assert!(close(
            clock.heard_time_at(start + ms(1000), 0.020),
            1.5 - 0.030
        ));
        assert!(close(
            clock.heard_time_at(start + ms(500), -0.010),
            0.75 + 0.015
        ));
    }

    #[test]
    fn a_rate_change_goes_on_from_the_current_time() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        clock.tick(start + ms(1000), playing(1.0, start + ms(1000)));
        clock.set_rate(start + ms(1000), 2.0);
        assert!(near(clock.time_at(start + ms(1000)), 1.0));
        assert!(near(clock.time_at(start + ms(1500)), 2.0));
        // The audio at the new rate agrees, and the clock stays on it.
        clock.tick(start + ms(1600), playing(2.2, start + ms(1600)));
        assert!(near(clock.time_at(start + ms(1600)), 2.2));
    }

    #[test]
    fn pause_holds_time_and_resume_waits_for_the_audio() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        clock.tick(start + ms(100), playing(0.1, start + ms(100)));
        clock.tick(start + ms(200), playing(0.2, start + ms(200)));
        clock.pause();
        let paused_at = clock.now();
        clock.tick(start + ms(5000), None);
        assert_eq!(clock.now(), paused_at);
        // Inputs during the pause all map to the paused time.
        assert_eq!(clock.time_at(start + ms(4000)), paused_at);
        clock.resume(start + ms(5000), Some(0.2));
        clock.tick(start + ms(5010), playing(0.2, start + ms(5010)));
        assert_eq!(clock.now(), paused_at);
        clock.tick(start + ms(5020), playing(0.21, start + ms(5020)));
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!(close(clock.time_at(start + ms(5120)), 0.31));
    }

    #[test]
    fn seeking_back_ignores_stale_positions_and_lands_on_the_new_one() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        clock.tick(start + ms(30_000), playing(30.0, start + ms(30_000)));
        clock.seek(start + ms(30_000), 10.0);
        assert_eq!(clock.now(), 10.0);
        // The audio has not seeked yet: its old position is ignored.
        clock.tick(start + ms(30_010), playing(30.01, start + ms(30_010)));
        assert_eq!(clock.phase(), ClockPhase::WaitingForAudio);
        assert_eq!(clock.now(), 10.0);
        clock.tick(start + ms(30_030), playing(10.005, start + ms(30_030)));
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!(close(clock.time_at(start + ms(31_030)), 11.005));
    }

    #[test]
    fn seeking_on_the_wall_clock_is_immediate() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0, 0.0);
        clock.begin(start, ClockSource::Wall);
        clock.tick(start + ms(5000), None);
        clock.seek(start + ms(5000), 1.0);
        assert!(close(clock.time_at(start + ms(5500)), 1.5));
    }

    #[test]
    fn after_the_music_ends_the_clock_runs_on() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        for step in 1..=100 {
            let at = start + ms(step * 10);
            clock.tick(at, playing(step as f64 / 100.0, at));
        }
        // The song is 1 s long: kira stops it, and its position is gone.
        let end = start + ms(1010);
        assert!(clock.music_ended(end), "the clock leaves the music");
        for frame in 1..=100 {
            let at = end + ms(frame * 10);
            clock.tick(at, None);
        }
        // On from the last frame's 1.0 s, without a jump.
        assert!(
            near(clock.now(), 2.0),
            "the outro's seconds pass: {}",
            clock.now()
        );
        assert_eq!(clock.source(), ClockSource::Wall);
        assert_eq!(clock.stalled_for, None, "an end is not a stall");
        // A practice goes back to 0.5 s and the song plays again: the clock waits for it.
        let back = end + ms(1100);
        clock.music_plays_again();
        clock.seek(back, 0.5);
        assert_eq!(clock.phase(), ClockPhase::WaitingForAudio);
        let heard = back + ms(50);
        clock.tick(heard, playing(0.52, heard));
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert_eq!(clock.source(), ClockSource::Audio);
    }

    #[test]
    fn without_a_device_the_clock_never_waits_for_music() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0, 0.0);
        clock.begin(start, ClockSource::Wall);
        clock.music_plays_again();
        clock.seek(start + ms(100), 0.5);
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert_eq!(clock.source(), ClockSource::Wall);
    }

    #[test]
    fn when_the_music_stalls_the_clock_waits_for_it_and_says_how_long() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        // The audio moves a 10 ms buffer at a time up to 1.0 s...
        for step in 1..=100 {
            let at = start + ms(step * 10);
            clock.tick(at, playing(step as f64 / 100.0, at));
        }
        assert_eq!(clock.stalled_for, None);
        // ...then stands still there for 300 ms of real time.
        for frame in 1..=60 {
            let at = start + ms(1000 + frame * 5);
            clock.tick(at, playing(1.0, at));
        }
        assert!(
            clock.now() <= 1.0 + STALL_AFTER.as_secs_f64() + 1e-6,
            "the notes ran on without the music: {}",
            clock.now()
        );
        assert_eq!(clock.stalled_for, None, "still stalled");
        // The music comes back, 300 ms late.
        let back = start + ms(1305);
        clock.tick(back, playing(1.005, back));
        let stalled = clock.stalled_for.expect("the stall is reported");
        assert!((stalled - 0.300).abs() < 0.005, "{stalled}");
        assert!(clock.now() < 1.16, "{}", clock.now());
    }

    #[test]
    fn the_clock_rides_through_a_position_reported_in_bursts() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        // The output holds 2 s of audio, and its renderer is starved on a busy machine: the
        // position stands still for 1.9 s at a time while the device plays on from its buffer,
        // then the renderer catches up in a burst and reports where the music really is.
        clock.set_output_buffer(2.0);
        let mut shown = vec![clock.now()];
        let mut reported = 0.0;
        for frame in 1..=600 {
            let at = start + ms(frame * 16);
            let real = (frame * 16) as f64 / 1000.0;
            // Up to 0.5 s the renderer keeps up; after that it reports at 0.5, 2.4 and 4.3 s.
            if real <= 0.5
                || [2.4, 4.3, 6.2, 8.1]
                    .iter()
                    .any(|b| (real - b).abs() < 0.009)
            {
                reported = real;
            }
            clock.tick(at, playing(reported, at));
            shown.push(clock.now());
        }
        assert_eq!(clock.stalled_for, None, "the music never stopped");
        // The notes move on every frame, by a frame's time, through every burst.
        for pair in shown.windows(2).skip(1) {
            let step = pair[1] - pair[0];
            assert!(
                (step - 0.016).abs() < 0.004,
                "a frame moved {step}: {pair:?}"
            );
        }
        assert!((clock.now() - 9.6).abs() < 0.01, "{}", clock.now());

        // With no buffer to play on from, the same still position is a stall: the notes wait.
        let mut stopped = running(start, 1.0);
        for frame in 1..=150 {
            let at = start + ms(frame * 16);
            let real = (frame.min(31) * 16) as f64 / 1000.0;
            stopped.tick(at, playing(real, at));
        }
        let most = 0.496 + STALL_AFTER.as_secs_f64() + 0.016;
        assert!(stopped.now() <= most, "{}", stopped.now());
    }

    #[test]
    fn slow_frames_are_not_a_stall() {
        let start = Instant::now();
        let mut clock = running(start, 1.0);
        // 5.6 frames a second on a loaded machine: each frame sees the music 178 ms on.
        for frame in 1..=30 {
            let at = start + ms(frame * 178);
            clock.tick(at, playing(frame as f64 * 0.178, at));
        }
        assert_eq!(clock.stalled_for, None);
        assert!(near(clock.now(), 30.0 * 0.178), "{}", clock.now());
    }

    #[test]
    fn gives_up_on_audio_that_never_starts() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0, 0.0);
        clock.begin(start, ClockSource::Audio);
        clock.tick(start, None);
        clock.tick(start + Duration::from_secs(7), None);
        assert_eq!(clock.source(), ClockSource::Wall);
        assert!(clock.fell_back);
        clock.tick(start + Duration::from_secs(8), None);
        assert!(close(clock.now(), 1.0));
    }
}
