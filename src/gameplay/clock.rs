//! The song clock: song time follows the audio playback position, smoothed between the
//! position's updates so notes scroll without jitter, and converts the `Instant` of any input
//! to song time. With no audio device it runs on the wall clock instead.

use std::time::{Duration, Instant};

use bevy::prelude::*;

/// An error this large between the smoothed clock and the audio position snaps the clock back
/// to the audio; smaller errors are slewed away. osu!lazer snaps at about the same size.
pub const RESYNC_THRESHOLD: f64 = 0.033;
/// The share of a small error corrected at each new audio position.
const SLEW: f64 = 0.15;
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
    /// Counting up from a negative time to 0 on the wall clock before the music starts.
    LeadIn,
    /// The music was asked to play and the clock holds until it really does.
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

/// A reading of the audio instance: whether it is playing and where (song seconds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AudioReading {
    pub playing: bool,
    pub position: f64,
}

#[derive(Resource, Clone, Debug)]
pub struct SongClock {
    phase: ClockPhase,
    source: ClockSource,
    rate: f64,
    /// Song time `anchor_time` was current at `anchor_at`; it advances at `rate` from there.
    anchor_time: f64,
    anchor_at: Option<Instant>,
    /// The time shown while the clock stands still.
    held: f64,
    /// The song time of the current frame, never decreasing while running.
    frame_time: f64,
    last_audio_position: Option<f64>,
    /// Audio position when the wait for the audio began; it must move past this.
    waiting_from_position: f64,
    waiting_since: Option<Instant>,
    /// Times the clock snapped to the audio.
    pub resyncs: u32,
    /// Set when the clock gave up on the audio; reported once by the game.
    pub fell_back: bool,
}

impl SongClock {
    pub fn new(rate: f64, lead_in: f64) -> Self {
        Self {
            phase: ClockPhase::Loading,
            source: ClockSource::Audio,
            rate,
            anchor_time: -lead_in,
            anchor_at: None,
            held: -lead_in,
            frame_time: -lead_in,
            last_audio_position: None,
            waiting_from_position: 0.0,
            waiting_since: None,
            resyncs: 0,
            fell_back: false,
        }
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

    /// Song time of the current frame.
    pub fn now(&self) -> f64 {
        self.frame_time
    }

    fn anchor(&mut self, time: f64, at: Instant) {
        self.anchor_time = time;
        self.anchor_at = Some(at);
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

    /// The audio is loaded (or will never be): start counting in.
    pub fn begin(&mut self, now: Instant, source: ClockSource) {
        self.source = source;
        self.anchor(self.held, now);
        self.phase = ClockPhase::LeadIn;
    }

    /// Advances to the frame at `now`, following the audio when there is a reading.
    pub fn tick(&mut self, now: Instant, audio: Option<AudioReading>) -> ClockRequest {
        let mut request = ClockRequest::None;
        match self.phase {
            ClockPhase::Loading | ClockPhase::Paused => self.frame_time = self.held,
            ClockPhase::LeadIn => {
                let t = self.projected(now);
                if t >= 0.0 && self.source == ClockSource::Audio {
                    self.held = 0.0;
                    self.frame_time = 0.0;
                    self.wait_for_audio(now, 0.0);
                    request = ClockRequest::StartAudio;
                } else {
                    if t >= 0.0 {
                        self.phase = ClockPhase::Running;
                    }
                    self.frame_time = t;
                }
            }
            ClockPhase::WaitingForAudio => {
                match audio {
                    Some(reading)
                        if reading.playing && reading.position > self.waiting_from_position =>
                    {
                        self.anchor(reading.position, now);
                        self.last_audio_position = Some(reading.position);
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
                    self.last_audio_position = Some(reading.position);
                    let error = reading.position - self.projected(now);
                    if error.abs() > RESYNC_THRESHOLD {
                        self.anchor(reading.position, now);
                        self.resyncs += 1;
                    } else {
                        self.anchor_time += error * SLEW;
                    }
                }
                // Never backwards: a snap behind the shown time holds the picture instead.
                self.frame_time = self.frame_time.max(self.projected(now));
            }
        }
        request
    }

    fn wait_for_audio(&mut self, now: Instant, from_position: f64) {
        self.phase = ClockPhase::WaitingForAudio;
        self.waiting_since = Some(now);
        self.waiting_from_position = from_position;
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

    /// Resumes after a pause. With audio, the clock holds until the audio moves past
    /// `audio_position` (where it was paused).
    pub fn resume(&mut self, now: Instant, audio_position: Option<f64>) {
        if self.phase != ClockPhase::Paused {
            return;
        }
        match (self.source, audio_position) {
            (ClockSource::Audio, Some(position)) if self.held >= 0.0 => {
                self.wait_for_audio(now, position);
            }
            _ => {
                self.anchor(self.held, now);
                self.phase = if self.held < 0.0 {
                    ClockPhase::LeadIn
                } else {
                    ClockPhase::Running
                };
            }
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

    #[test]
    fn wall_clock_counts_in_then_runs() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 1.0);
        clock.begin(start, ClockSource::Wall);
        assert_eq!(clock.tick(start + ms(500), None), ClockRequest::None);
        assert!((clock.now() + 0.5).abs() < 1e-9);
        clock.tick(start + ms(1500), None);
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!((clock.now() - 0.5).abs() < 1e-9);
        // An input stamped between frames gets its own time.
        assert!((clock.time_at(start + ms(1250)) - 0.25).abs() < 1e-9);
    }

    #[test]
    fn chart_waits_for_the_audio_to_really_play() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.5);
        clock.begin(start, ClockSource::Audio);
        assert_eq!(clock.tick(start + ms(600), None), ClockRequest::StartAudio);
        assert_eq!(clock.phase(), ClockPhase::WaitingForAudio);
        // The backend takes a second to start: time stands at 0.
        let idle = AudioReading {
            playing: true,
            position: 0.0,
        };
        clock.tick(start + ms(1600), Some(idle));
        assert_eq!(clock.now(), 0.0);
        let playing = AudioReading {
            playing: true,
            position: 0.010,
        };
        clock.tick(start + ms(1700), Some(playing));
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!((clock.now() - 0.010).abs() < 1e-9);
        clock.tick(start + ms(1710), Some(playing));
        assert!((clock.now() - 0.020).abs() < 1e-9);
    }

    #[test]
    fn small_drift_is_slewed_and_large_drift_snaps_without_going_back() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0);
        clock.begin(start, ClockSource::Audio);
        clock.tick(start, None);
        clock.tick(
            start + ms(10),
            Some(AudioReading {
                playing: true,
                position: 0.001,
            }),
        );
        assert_eq!(clock.phase(), ClockPhase::Running);
        // The audio reports 10 ms behind the smoothed clock: corrected a little at a time.
        clock.tick(
            start + ms(110),
            Some(AudioReading {
                playing: true,
                position: 0.091,
            }),
        );
        let after = clock.now();
        assert!(after < 0.101 && after > 0.091, "{after}");
        assert_eq!(clock.resyncs, 0);
        // 100 ms behind: snap, but the shown time holds rather than running backwards.
        clock.tick(
            start + ms(120),
            Some(AudioReading {
                playing: true,
                position: 0.011,
            }),
        );
        assert_eq!(clock.resyncs, 1);
        assert!(clock.now() >= after);
    }

    #[test]
    fn rate_scales_song_time_against_real_time() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.5, 0.0);
        clock.begin(start, ClockSource::Wall);
        clock.tick(start + ms(1000), None);
        assert!((clock.now() - 1.5).abs() < 1e-9);
    }

    #[test]
    fn pause_holds_time_and_resume_waits_for_the_audio() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0);
        clock.begin(start, ClockSource::Audio);
        clock.tick(start, None);
        clock.tick(
            start + ms(100),
            Some(AudioReading {
                playing: true,
                position: 0.1,
            }),
        );
        clock.tick(
            start + ms(200),
            Some(AudioReading {
                playing: true,
                position: 0.2,
            }),
        );
        clock.pause();
        let paused_at = clock.now();
        clock.tick(start + ms(5000), None);
        assert_eq!(clock.now(), paused_at);
        assert_eq!(clock.time_at(start + ms(4000)), paused_at);
        clock.resume(start + ms(5000), Some(0.2));
        clock.tick(
            start + ms(5010),
            Some(AudioReading {
                playing: true,
                position: 0.2,
            }),
        );
        assert_eq!(clock.now(), paused_at);
        clock.tick(
            start + ms(5020),
            Some(AudioReading {
                playing: true,
                position: 0.21,
            }),
        );
        assert_eq!(clock.phase(), ClockPhase::Running);
        assert!(clock.now() >= paused_at);
    }

    #[test]
    fn gives_up_on_audio_that_never_starts() {
        let start = Instant::now();
        let mut clock = SongClock::new(1.0, 0.0);
        clock.begin(start, ClockSource::Audio);
        clock.tick(start, None);
        clock.tick(start + Duration::from_secs(7), None);
        assert_eq!(clock.source(), ClockSource::Wall);
        assert!(clock.fell_back);
        clock.tick(start + Duration::from_secs(8), None);
        assert!((clock.now() - 1.0).abs() < 1e-9);
    }
}
