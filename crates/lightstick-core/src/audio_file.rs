//! Audio files on disk: reading a song's length for validation, and decoding the start of a
//! song for its tempo, a stretch at a time, so a long or lying file costs no more than the
//! stretch it is read for.

use std::path::Path;

use kira::sound::streaming::StreamingSoundData;

/// The largest audio file a level maker can start a level from: an hour of CD-quality WAV.
pub const MAX_AUDIO_BYTES: u64 = 1024 * 1024 * 1024;
/// The longest song a level can have, in seconds.
pub const MAX_SONG_SECONDS: f64 = 3600.0;
/// How much of a song is decoded to find its tempo, first beat and preview.
pub const ANALYSED_SECONDS: f64 = 600.0;
/// Audio with more channels than this is refused before it is decoded.
const MAX_CHANNELS: usize = 32;

/// The length of an audio file in seconds, read from its header without decoding it.
pub fn probe_length(path: &Path) -> Result<f64, String> {
    length_of(guarded(|| {
        StreamingSoundData::from_file(path).map_err(|e| e.to_string())
    })?)
}

/// The length of the audio file whose bytes are `bytes`, as [`probe_length`] reads it.
pub fn probe_bytes(bytes: Vec<u8>) -> Result<f64, String> {
    length_of(guarded(|| {
        StreamingSoundData::from_cursor(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())
    })?)
}

/// Runs a third-party decoder on a file a user handed us. The decoders are not ours, and a
/// damaged header can make one panic (a WAV whose sizes overflow its arithmetic, found by the
/// fuzz harness): that is a damaged file to report, never a crash. The panic's own text is
/// kept off the terminal: the message returned says what happened, once.
pub fn guarded<T>(decode: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    quiet_panics::install();
    let _quiet = quiet_panics::Quiet::enter();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or_else(|payload| {
        Err(format!(
            "the file is damaged; the decoder gave up ({})",
            crate::diagnostic::panic_message(payload.as_ref())
        ))
    })
}

/// A panic hook that stays silent on a thread inside [`guarded`] and leaves every other panic
/// to the hook that was there before.
mod quiet_panics {
    use std::cell::Cell;
    use std::sync::Once;

    thread_local! {
        static DEPTH: Cell<usize> = const { Cell::new(0) };
    }

    pub fn install() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if DEPTH.with(Cell::get) == 0 {
                    previous(info);
                }
            }));
        });
    }

    /// Marks the current thread as inside a guarded decode while it lives.
    pub struct Quiet;

    impl Quiet {
        pub fn enter() -> Self {
            DEPTH.with(|d| d.set(d.get() + 1));
            Quiet
        }
    }

    impl Drop for Quiet {
        fn drop(&mut self) {
            DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
        }
    }
}

/// The start of a song, decoded to one channel.
#[derive(Clone, Debug)]
pub struct DecodedStart {
    /// At most [`ANALYSED_SECONDS`] of the song, as one channel.
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    /// The whole song's length in seconds.
    pub length: f64,
}

/// Decodes the first `max_seconds` of the audio at `path` to one channel, a packet at a time,
/// and finds the whole song's length. The file must be a regular file of at most
/// [`MAX_AUDIO_BYTES`]; a song longer than [`MAX_SONG_SECONDS`] is refused.
pub fn decode_start(path: &Path, max_seconds: f64) -> Result<DecodedStart, String> {
    let what = "the audio file";
    crate::user_file::check_regular(path, MAX_AUDIO_BYTES, what).map_err(|d| d.message)?;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {what}: {e}"))?;
    guarded(|| decode_stream(file, max_seconds))
}

fn decode_stream(file: std::fs::File, max_seconds: f64) -> Result<DecodedStart, String> {
    use symphonia::core::codecs::CodecParameters;
    use symphonia::core::formats::TrackType;
    use symphonia::core::formats::probe::Hint;
    use symphonia::core::io::MediaSourceStream;

    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut reader = symphonia::default::get_probe()
        .probe(
            &Hint::default(),
            stream,
            Default::default(),
            Default::default(),
        )
        .map_err(|e| format!("not audio that can be read: {e}"))?;
    let track = reader
        .default_track(TrackType::Audio)
        .ok_or("the file holds no audio track")?;
    let Some(CodecParameters::Audio(params)) = track.codec_params.as_ref() else {
        return Err("the file holds no audio track".into());
    };
    let sample_rate = params
        .sample_rate
        .filter(|r| (1000..=384_000).contains(r))
        .ok_or("the audio has no usable sample rate")?;
    if params
        .channels
        .as_ref()
        .is_some_and(|c| c.count() > MAX_CHANNELS)
    {
        return Err(format!("the audio has more than {MAX_CHANNELS} channels"));
    }
    let declared = track.num_frames.map(|n| n as f64 / f64::from(sample_rate));
    if let Some(length) = declared
        && length > MAX_SONG_SECONDS
    {
        return Err(too_long(length));
    }
    let track_id = track.id;
    let time_base = track.time_base;
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(params, &Default::default())
        .map_err(|e| format!("the audio's codec cannot be read: {e}"))?;
    let wanted = (max_seconds.max(0.0) * f64::from(sample_rate)) as usize;
    let mut samples: Vec<f32> = Vec::new();
    let mut interleaved: Vec<f32> = Vec::new();
    // Past the stretch wanted, packets are only counted, to find the length of a file whose
    // header does not say it.
    let mut frames_after: f64 = 0.0;
    loop {
        let packet = match reader.next_packet() {
            Ok(Some(packet)) => packet,
            Ok(None) => break,
            Err(symphonia::core::errors::Error::IoError(e))
                if e.kind() == std::io::ErrorKind::UnexpectedEof =>
            {
                break;
            }
            Err(e) => return Err(format!("the audio is damaged: {e}")),
        };
        if packet.track_id != track_id {
            continue;
        }
        if samples.len() >= wanted {
            if declared.is_some() {
                break;
            }
            frames_after += match time_base {
                Some(base) => {
                    packet.dur.get() as f64 * f64::from(base.numer.get())
                        / f64::from(base.denom.get())
                        * f64::from(sample_rate)
                }
                None => packet.dur.get() as f64,
            };
            if (samples.len() as f64 + frames_after) / f64::from(sample_rate) > MAX_SONG_SECONDS {
                return Err(too_long(MAX_SONG_SECONDS));
            }
            continue;
        }
        let buffer = match decoder.decode(&packet) {
            Ok(buffer) => buffer,
            // A damaged packet is skipped, as a player skips it.
            Err(symphonia::core::errors::Error::DecodeError(_)) => continue,
            Err(e) => return Err(format!("the audio cannot be decoded: {e}")),
        };
        let channels = buffer.num_planes().max(1);
        if channels > MAX_CHANNELS {
            return Err(format!("the audio has more than {MAX_CHANNELS} channels"));
        }
        buffer.copy_to_vec_interleaved(&mut interleaved);
        let take = (wanted - samples.len()).min(interleaved.len() / channels);
        samples.extend(
            interleaved
                .chunks_exact(channels)
                .take(take)
                .map(|frame| frame.iter().sum::<f32>() / channels as f32),
        );
    }
    if samples.is_empty() {
        return Err("the file holds no sound".into());
    }
    let length = declared.unwrap_or((samples.len() as f64 + frames_after) / f64::from(sample_rate));
    Ok(DecodedStart {
        samples,
        sample_rate,
        length,
    })
}

fn too_long(seconds: f64) -> String {
    format!(
        "the song lasts {:.0} minutes or more; a level's song lasts at most {:.0} minutes",
        seconds / 60.0,
        MAX_SONG_SECONDS / 60.0
    )
}

fn length_of<E: Send + 'static>(data: StreamingSoundData<E>) -> Result<f64, String> {
    let length = data.duration().as_secs_f64();
    if length > 0.0 {
        Ok(length)
    } else {
        Err("the file holds no sound".into())
    }
}
