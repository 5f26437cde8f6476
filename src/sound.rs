//! Sounds the game is done with: a stopped song or preview is kept until the mixer has let it
//! go, then released, so its decoded audio (tens of megabytes) is freed when the play or the
//! preview ends rather than whenever the next sound happens to start.

use std::time::Duration;

use bevy::prelude::*;
use bevy_kira_audio::prelude::{
    Audio, AudioControl, AudioInstance, AudioInstanceAssetsExt, AudioSource, AudioTween,
    PlaybackState,
};
use kira::Frame;
use kira::sound::static_sound::{StaticSoundData, StaticSoundSettings};

/// How long after a retired sound has stopped the mixer is nudged: it hands a stopped sound
/// back at the start of its next buffer, a few milliseconds later.
const SETTLE: Duration = Duration::from_millis(100);

/// Stopped sounds waiting to be freed.
#[derive(Resource, Default)]
pub struct RetiredSounds {
    waiting: Vec<Handle<AudioInstance>>,
    /// When a retired sound was last seen stopped: the mixer is nudged once it has settled.
    stopped_at: Option<Duration>,
    /// A single silent frame. kira frees what its mixer has finished with only when a sound is
    /// added, so playing this is how the game asks it to.
    nudge: Option<Handle<AudioSource>>,
    /// Nudges played, and when: the audio plugin keeps an instance until it is removed.
    nudges: Vec<(Handle<AudioInstance>, Duration)>,
}

impl RetiredSounds {
    /// Stops `instance` (fading over `fade`) and frees its audio once it has stopped.
    pub fn retire(
        &mut self,
        instance: Handle<AudioInstance>,
        instances: &mut Assets<AudioInstance>,
        fade: AudioTween,
    ) {
        if let Some(mut playing) = instances.get_mut(&instance) {
            playing.stop(fade);
            self.waiting.push(instance);
        }
    }
}

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<RetiredSounds>()
        .add_systems(Last, release_retired_sounds);
}

fn silent_frame() -> AudioSource {
    AudioSource {
        sound: StaticSoundData {
            sample_rate: 44_100,
            frames: vec![Frame::ZERO].into(),
            settings: StaticSoundSettings::default(),
            slice: None,
        },
    }
}

fn release_retired_sounds(
    mut retired: ResMut<RetiredSounds>,
    audio: Option<Res<Audio>>,
    sources: Option<ResMut<Assets<AudioSource>>>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    time: Res<Time<Real>>,
) {
    let (Some(audio), Some(mut sources), Some(mut instances)) = (audio, sources, instances) else {
        retired.waiting.clear();
        return;
    };
    let now = time.elapsed();
    let before = retired.waiting.len();
    // An instance missing from the assets was never started (no device): nothing holds it.
    retired.waiting.retain(|handle| {
        let stopped = instances.state(handle) == PlaybackState::Stopped;
        if stopped {
            instances.remove(handle);
        }
        !stopped
    });
    if retired.waiting.len() < before {
        retired.stopped_at = Some(now);
    }
    // A nudge is one frame long: a second is long past its end, device or not.
    retired.nudges.retain(|(handle, played)| {
        let done = now.saturating_sub(*played) > Duration::from_secs(1);
        if done {
            instances.remove(handle);
        }
        !done
    });
    if retired
        .stopped_at
        .is_none_or(|stopped| now.saturating_sub(stopped) < SETTLE)
    {
        return;
    }
    retired.stopped_at = None;
    let nudge = retired
        .nudge
        .get_or_insert_with(|| sources.add(silent_frame()))
        .clone();
    let nudged = audio
        .play(nudge)
        .with_volume(kira::Decibels::SILENCE)
        .handle();
    retired.nudges.push((nudged, now));
}

/// The stretch of `sound` from `start` to `end` seconds, as a sound of its own: a preview loops
/// fifteen seconds, and holding them alone costs a tenth of the whole song.
pub fn stretch(sound: &StaticSoundData, start: f64, end: f64) -> StaticSoundData {
    let frame_at = |seconds: f64| {
        ((seconds.max(0.0) * f64::from(sound.sample_rate)) as usize).min(sound.frames.len())
    };
    let (first, last) = (frame_at(start), frame_at(end));
    if last <= first {
        // Nothing to loop: the whole song is a better preview than a sound with no frames.
        return sound.clone();
    }
    StaticSoundData {
        sample_rate: sound.sample_rate,
        frames: sound.frames[first..last].into(),
        settings: sound.settings,
        slice: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting_sound(seconds: usize) -> StaticSoundData {
        StaticSoundData {
            sample_rate: 100,
            frames: (0..seconds * 100)
                .map(|i| Frame::from_mono(i as f32))
                .collect::<Vec<_>>()
                .into(),
            settings: StaticSoundSettings::default(),
            slice: None,
        }
    }

    #[test]
    fn a_stretch_holds_only_its_own_frames_from_its_start() {
        let preview = stretch(&counting_sound(10), 2.5, 4.0);
        assert_eq!(preview.frames.len(), 150);
        assert_eq!(preview.frames[0].left, 250.0);
        assert_eq!(preview.frames[149].left, 399.0);
    }

    #[test]
    fn a_stretch_past_the_end_is_cut_at_the_end_and_an_empty_one_keeps_the_song() {
        assert_eq!(stretch(&counting_sound(10), 9.0, 30.0).frames.len(), 100);
        assert_eq!(stretch(&counting_sound(10), 12.0, 30.0).frames.len(), 1000);
        assert_eq!(
            stretch(&counting_sound(10), f64::NAN, 1.0).frames.len(),
            100
        );
    }
}
