//! Song rendering: the time to render each shipped song sheet, the peak memory of the process
//! while rendering, and the time to find a render already in the cache.
//!
//! `cargo bench -p lightstick-core --bench render`: a release build of the core alone, without Bevy.

use std::path::Path;
use std::sync::atomic::AtomicU32;
use std::time::Instant;

use lightstick_core::music::sheet::read_sheet;
use lightstick_core::music::synth::{loudness, render};

/// The process's peak resident memory so far, from /proc (Linux).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let levels = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../levels");
    let mut sheets: Vec<_> = std::fs::read_dir(&levels)
        .expect("levels folder")
        .flatten()
        .map(|e| e.path().join("song.ron"))
        .filter(|p| p.is_file())
        .collect();
    sheets.sort();
    for path in &sheets {
        let sheet = read_sheet(path).expect("shipped sheets are valid");
        let start = Instant::now();
        let frames = render(&sheet);
        let took = start.elapsed().as_secs_f64();
        let length = frames.len() as f64 / 44_100.0;
        let peak = frames
            .iter()
            .flat_map(|f| f.iter())
            .fold(0.0f32, |p, s| p.max(s.abs()));
        println!(
            "render {}: {length:.1} s of audio in {took:.3} s ({:.0}x real time); {:.2} LUFS, peak {:.2} dBFS",
            path.parent()
                .and_then(|p| p.file_name())
                .map_or_else(String::new, |n| n.to_string_lossy().into()),
            length / took,
            loudness(&frames).unwrap_or(f64::NEG_INFINITY),
            20.0 * peak.log10()
        );
    }
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory while rendering: {mb:.0} MB");
    }
    // A cache hit: read the sheet, hash it, find its render in place.
    let dir = std::env::temp_dir().join(format!("lightstick-render-{}", std::process::id()));
    let target = dir.join("song.wav");
    let progress = AtomicU32::new(0);
    lightstick_core::music::ensure_rendered(&sheets[0], &target, &progress).unwrap();
    let start = Instant::now();
    for _ in 0..1000 {
        let text = std::fs::read_to_string(&sheets[0]).unwrap();
        std::hint::black_box(lightstick_core::music::cached_render(&text));
        lightstick_core::music::ensure_rendered(&sheets[0], &target, &progress).unwrap();
    }
    println!(
        "cache hit (read, hash, find): {:.1} µs",
        start.elapsed().as_secs_f64() * 1e6 / 1000.0
    );
    let _ = std::fs::remove_dir_all(&dir);
}
