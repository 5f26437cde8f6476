//! Audio files on disk: reading a song's length for validation.

use std::path::Path;

use kira::sound::streaming::StreamingSoundData;

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
/// fuzz harness): that is a damaged file to report, never a crash.
pub fn guarded<T>(decode: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(decode)).unwrap_or_else(|payload| {
        Err(format!(
            "the file is damaged; the decoder gave up ({})",
            crate::diagnostic::panic_message(payload.as_ref())
        ))
    })
}

fn length_of<E: Send + 'static>(data: StreamingSoundData<E>) -> Result<f64, String> {
    let length = data.duration().as_secs_f64();
    if length > 0.0 {
        Ok(length)
    } else {
        Err("the file holds no sound".into())
    }
}
