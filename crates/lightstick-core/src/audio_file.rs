//! Audio files on disk: reading a song's length for validation.

use std::path::Path;

use kira::sound::streaming::StreamingSoundData;

/// The length of an audio file in seconds, read from its header without decoding it.
pub fn probe_length(path: &Path) -> Result<f64, String> {
    let data = StreamingSoundData::from_file(path).map_err(|e| e.to_string())?;
    let length = data.duration().as_secs_f64();
    if length > 0.0 {
        Ok(length)
    } else {
        Err("the file holds no sound".into())
    }
}
