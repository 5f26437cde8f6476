//! The game's own parsers as fuzz targets, beside the core's: included by `examples/fuzz.rs`
//! (the long runs) and by `tests/fuzz.rs` (the short pass in CI), so both fuzz the same.

use std::path::Path;

use lightstick_fuzz::Target;

/// Every target: the core's, then the settings file, whose key codes are the window's.
pub fn all_targets(repo: &Path) -> Vec<Target> {
    let mut targets = lightstick_fuzz::targets::core_targets(repo);
    let mut seeds: Vec<Vec<u8>> = lightstick_fuzz::files_in(&repo.join("fuzz/corpus/settings"))
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    seeds.push(
        ron::ser::to_string_pretty(
            &lightstick::settings::Settings::default(),
            ron::ser::PrettyConfig::new(),
        )
        .expect("the default settings serialise")
        .into_bytes(),
    );
    targets.push(Target::new("settings", seeds, |bytes| {
        let path = Path::new("settings.ron");
        if let Ok(text) = lightstick::core::user_file::decode(path, bytes.to_vec(), "the settings")
        {
            let _ = lightstick::settings::parse(path, &text);
        }
    }));
    targets
}
