//! The song's audio in a play: decoded off the main thread, started paused so the count-in can
//! release it, and read back for the song clock. Without an audio device nothing plays.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use bevy_kira_audio::prelude::{
    Audio, AudioControl, AudioInstance, AudioSource, AudioTween, PlaybackState,
};
use kira::Decibels;
use kira::sound::static_sound::StaticSoundData;

use super::clock::AudioReading;
use crate::core::level::Level;

/// How many frames a play command may go unanswered before the audio counts as unavailable:
/// kira queues commands forever when it has no device.
const FRAMES_BEFORE_NO_DEVICE: u32 = 10;
/// The thread cpal feeds the sound device from, under kira, on Linux.
const AUDIO_OUTPUT_THREAD: &str = "cpal_alsa_out";
/// The output latency the game asks the sound server for, in milliseconds. PulseAudio (and
/// PipeWire's PulseAudio server) otherwise give an ALSA client a buffer of about two seconds,
/// which its renderer fills in bursts on a busy machine: the reported position then stands
/// still for up to two seconds while the music plays on (docs/timing.md).
pub const REQUESTED_LATENCY_MS: u32 = 40;
/// The variable PulseAudio's client library reads a stream's target latency from.
const LATENCY_VARIABLE: &str = "PULSE_LATENCY_MSEC";

/// Asks the sound server for a low-latency stream, unless the player's environment already
/// chose one. Must run before any other thread starts.
pub fn request_low_latency() {
    if std::env::var_os(LATENCY_VARIABLE).is_none() {
        // SAFETY: called at the start of `run_game`, before the game starts any thread, so
        // nothing reads the environment while it changes.
        unsafe { std::env::set_var(LATENCY_VARIABLE, REQUESTED_LATENCY_MS.to_string()) }
    }
}

/// Real seconds of audio the output may hold beyond the position kira reports: the latency
/// asked of the sound server, and as much again for the ALSA plugin's own buffer between
/// kira and the server. While the position stands still, the music plays on this long.
pub fn output_buffer() -> f64 {
    let asked = std::env::var(LATENCY_VARIABLE)
        .ok()
        .and_then(|ms| ms.trim().parse::<f64>().ok())
        .filter(|ms| ms.is_finite() && *ms > 0.0)
        .unwrap_or(f64::from(REQUESTED_LATENCY_MS));
    2.0 * asked / 1000.0
}

#[derive(Default)]
pub enum SongAudioState {
    /// No audio plugin in this app (headless runs and tests).
    #[default]
    NotUsed,
    Decoding(Task<Result<StaticSoundData, String>>),
    /// Play was asked for; waiting for the instance to appear.
    Starting {
        frames: u32,
    },
    Ready,
    Unavailable(String),
}

#[derive(Resource, Default)]
pub struct SongAudio {
    pub state: SongAudioState,
    pub instance: Option<Handle<AudioInstance>>,
    /// The decoded song, removed when the play ends.
    pub source: Option<Handle<AudioSource>>,
    /// Thousandths of the song sheet rendered, while it renders.
    pub progress: Arc<AtomicU32>,
}

/// Decodes a level's audio, rendering its song sheet first when the render is not cached yet.
/// Runs on a task-pool thread.
pub fn decode_level_audio(
    audio: &Path,
    sheet: Option<&Path>,
    progress: &AtomicU32,
) -> Result<StaticSoundData, String> {
    if let Some(sheet) = sheet {
        crate::music::ensure_rendered(sheet, audio, progress).map_err(|d| d.to_string())?;
    }
    crate::core::audio_file::guarded(|| {
        StaticSoundData::from_file(audio).map_err(|e| e.to_string())
    })
}

/// Volume 0..=1 as kira's decibels, silent at 0.
pub fn volume_to_decibels(volume: f32) -> Decibels {
    if volume <= 0.001 {
        Decibels::SILENCE
    } else {
        Decibels(20.0 * volume.log10())
    }
}

impl SongAudio {
    /// Starts rendering (if needed) and decoding the level's audio, if the app plays audio.
    pub fn load(level: &Level, has_audio: bool) -> Self {
        if !has_audio {
            return Self::default();
        }
        let progress = Arc::new(AtomicU32::new(0));
        let (audio, sheet, shared) = (level.audio.clone(), level.sheet.clone(), progress.clone());
        let task = AsyncComputeTaskPool::get()
            .spawn(async move { decode_level_audio(&audio, sheet.as_deref(), &shared) });
        Self {
            state: SongAudioState::Decoding(task),
            instance: None,
            source: None,
            progress,
        }
    }

    /// How much of the song sheet is rendered, 0..=1, while loading.
    pub fn loading_progress(&self) -> f32 {
        self.progress.load(Ordering::Relaxed) as f32 / 1000.0
    }

    /// Moves loading along. Returns `Some(Ok(()))` once the instance exists (paused at 0),
    /// `Some(Err(why))` if the audio cannot play, `None` while still waiting.
    pub fn poll(
        &mut self,
        audio: &Audio,
        sources: &mut Assets<AudioSource>,
        instances: &Assets<AudioInstance>,
        rate: f64,
        volume: f32,
    ) -> Option<Result<(), String>> {
        match &mut self.state {
            SongAudioState::NotUsed => Some(Err(t!("audio-not-used"))),
            SongAudioState::Decoding(task) => {
                let result = block_on(future::poll_once(task))?;
                match result {
                    Ok(sound) => {
                        let source = sources.add(AudioSource { sound });
                        self.source = Some(source.clone());
                        self.instance =
                            Some(new_instance(audio, source, Begin::Paused, rate, volume));
                        self.state = SongAudioState::Starting { frames: 0 };
                        None
                    }
                    Err(why) => {
                        self.state = SongAudioState::Unavailable(why.clone());
                        Some(Err(why))
                    }
                }
            }
            SongAudioState::Starting { frames } => {
                let exists = self
                    .instance
                    .as_ref()
                    .is_some_and(|h| instances.get(h).is_some());
                if exists {
                    self.state = SongAudioState::Ready;
                    // The output thread exists now that a sound plays: it must be woken ahead
                    // of the render threads, or the music starves on a busy machine.
                    let raised = crate::priority::raise_threads_named(AUDIO_OUTPUT_THREAD);
                    debug!("raised {raised} audio output thread(s)");
                    Some(Ok(()))
                } else if *frames >= FRAMES_BEFORE_NO_DEVICE {
                    let why = t!("audio-no-device");
                    self.state = SongAudioState::Unavailable(why.clone());
                    Some(Err(why))
                } else {
                    *frames += 1;
                    None
                }
            }
            SongAudioState::Ready => Some(Ok(())),
            SongAudioState::Unavailable(why) => Some(Err(why.clone())),
        }
    }

    /// After the song played to its end, plays it again from `position` on a fresh instance, so
    /// a practice that goes back hears it: kira does not resume a stopped sound. The instance
    /// starts playing when the mixer takes the command, as a paused one could not be resumed
    /// before it exists. Whether it played it again.
    pub fn play_again_if_ended(
        &mut self,
        audio: &Audio,
        instances: &Assets<AudioInstance>,
        position: f64,
        rate: f64,
        volume: f32,
    ) -> bool {
        let Some(source) = self.source.clone() else {
            return false;
        };
        if !self.has_ended(instances) {
            return false;
        }
        self.instance = Some(new_instance(
            audio,
            source,
            Begin::PlayingFrom(position.max(0.0)),
            rate,
            volume,
        ));
        true
    }

    /// Whether the song has played to its end (or was stopped): it will play no more.
    pub fn has_ended(&self, instances: &Assets<AudioInstance>) -> bool {
        self.instance
            .as_ref()
            .and_then(|handle| instances.get(handle))
            .is_some_and(|instance| matches!(instance.state(), PlaybackState::Stopped))
    }

    /// The audio's position now, stamped with the instant it was read.
    pub fn reading(&self, instances: &Assets<AudioInstance>) -> Option<AudioReading> {
        let instance = instances.get(self.instance.as_ref()?)?;
        let state = instance.state();
        let at = std::time::Instant::now();
        match state {
            PlaybackState::Playing { position } => Some(AudioReading {
                playing: true,
                position,
                at,
            }),
            other => other.position().map(|position| AudioReading {
                playing: false,
                position,
                at,
            }),
        }
    }

    pub fn with_instance(
        &self,
        instances: &mut Assets<AudioInstance>,
        action: impl FnOnce(&mut AudioInstance),
    ) {
        if let Some(handle) = &self.instance
            && let Some(mut instance) = instances.get_mut(handle)
        {
            action(&mut instance);
        }
    }

    /// Starts the music at song time `position`: 0, or where a practice starts.
    pub fn play_from(&self, position: f64, instances: &mut Assets<AudioInstance>) {
        self.with_instance(instances, |i| {
            if position > 0.0 {
                i.seek_to(position);
            }
            i.resume(AudioTween::default());
        });
    }

    /// Sends the music to song time `position`.
    pub fn seek(&self, position: f64, instances: &mut Assets<AudioInstance>) {
        self.with_instance(instances, |i| {
            i.seek_to(position.max(0.0));
        });
    }

    /// Plays on at `rate`.
    pub fn set_rate(&self, rate: f64, instances: &mut Assets<AudioInstance>) {
        self.with_instance(instances, |i| {
            i.set_playback_rate(rate, AudioTween::default());
        });
    }

    pub fn resume(&self, instances: &mut Assets<AudioInstance>) {
        self.with_instance(instances, |i| i.resume(AudioTween::default()));
    }

    pub fn pause(&self, instances: &mut Assets<AudioInstance>) {
        self.with_instance(instances, |i| i.pause(AudioTween::default()));
    }

    /// Stops this song and lets its decoded audio go: a whole song is tens of megabytes.
    pub fn let_go(
        self,
        instances: Option<&mut Assets<AudioInstance>>,
        sources: Option<&mut Assets<AudioSource>>,
        retired: &mut crate::sound::RetiredSounds,
    ) {
        if let (Some(instance), Some(instances)) = (self.instance, instances) {
            retired.retire(instance, instances, AudioTween::default());
        }
        if let (Some(source), Some(sources)) = (self.source, sources) {
            sources.remove(&source);
        }
    }

    pub fn stop(&self, instances: &mut Assets<AudioInstance>) {
        self.with_instance(instances, |i| i.stop(AudioTween::default()));
    }
}

/// How a new instance of the song begins.
enum Begin {
    /// Paused, to start when the clock says.
    Paused,
    /// Playing from this position as soon as the mixer takes it.
    PlayingFrom(f64),
}

/// An instance of `source` at `rate` and `volume`.
fn new_instance(
    audio: &Audio,
    source: Handle<AudioSource>,
    begin: Begin,
    rate: f64,
    volume: f32,
) -> Handle<AudioInstance> {
    let mut command = audio.play(source);
    match begin {
        Begin::Paused => command.paused(),
        Begin::PlayingFrom(position) => command.start_from(position),
    };
    command
        .with_playback_rate(rate)
        .with_volume(volume_to_decibels(volume))
        .handle()
}
