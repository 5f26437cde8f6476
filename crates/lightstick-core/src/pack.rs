//! Level packs (`.lspack`): levels shared as one zip, with their audio, song sheet and jacket,
//! and a manifest that names the pack, its levels and charts, and every file's size and hash.
//! Installing a pack checks all of that before anything goes into the player's levels.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::import::archive::{Staged, unpack};
use crate::level::load::{LEVEL_FILE_NAME, load_level};

/// The manifest's format version.
pub const PACK_FORMAT: u32 = 1;
/// The manifest's name inside the zip.
pub const MANIFEST: &str = "manifest.ron";
/// A pack's file extension.
pub const EXTENSION: &str = "lspack";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: u32,
    /// The pack's name, which is its folder among the player's levels.
    pub name: String,
    pub levels: Vec<PackedLevel>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackedLevel {
    /// The level's folder inside the pack.
    pub folder: String,
    pub title: String,
    pub artist: String,
    /// (difficulty, meter, lanes) of each chart.
    pub charts: Vec<(String, u32, u8)>,
    pub files: Vec<PackedFile>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackedFile {
    /// The file's name inside its level's folder.
    pub name: String,
    pub size: u64,
    /// FNV-1a of the bytes, in hex: a damaged or altered file is caught on install.
    pub hash: String,
}

fn hash_of(bytes: &[u8]) -> String {
    format!("{:016x}", crate::music::fnv1a(bytes))
}

/// A name that is one plain folder or file name: no separators, no `..`, nothing hidden.
fn plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', ':'])
        && !name.chars().any(char::is_control)
}

/// Writes the levels in `folders` into a pack at `out` named after the file. Each level must
/// load without errors; the pack holds every regular file of its folder.
///
/// `out` must end in `.lspack`; a file already there is replaced only with `force`, and a link
/// there is never written through. The pack is written beside `out` and moved into place once
/// it is whole and within the limits every archive is held to on install.
pub fn write_pack(folders: &[PathBuf], out: &Path, force: bool) -> Result<Manifest, String> {
    let name = pack_name(out)?;
    if folders.is_empty() {
        return Err("name at least one level to pack".into());
    }
    crate::user_file::may_replace(out, force)?;
    let partial = out.with_file_name(format!(
        ".{name}.{EXTENSION}.partial-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&partial);
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let written = write_zip(folders, name, file).and_then(|manifest| {
        check_limits(&partial)?;
        Ok(manifest)
    });
    match written {
        Ok(manifest) => {
            std::fs::rename(&partial, out).map_err(|e| {
                let _ = std::fs::remove_file(&partial);
                format!("cannot write {}: {e}", out.display())
            })?;
            Ok(manifest)
        }
        Err(why) => {
            let _ = std::fs::remove_file(&partial);
            Err(why)
        }
    }
}

/// The pack's name: the file name of `out` before `.lspack`, a plain name.
fn pack_name(out: &Path) -> Result<String, String> {
    let has_extension = out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case(EXTENSION));
    out.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|n| has_extension && plain_name(n))
        .ok_or_else(|| {
            format!(
                "{} is not a pack name: give NAME.{EXTENSION}",
                out.display()
            )
        })
}

/// Whether the pack at `path` unpacks within the limits that installing it checks, or why not:
/// one rule for writing and installing.
fn check_limits(path: &Path) -> Result<(), String> {
    use crate::import::archive::{MAX_RATIO, unpack_budget, within_ratio};
    let length = std::fs::metadata(path)
        .map_err(|e| format!("cannot read the pack back: {e}"))?
        .len();
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read the pack back: {e}"))?;
    let mut zip =
        zip::ZipArchive::new(file).map_err(|e| format!("cannot read the pack back: {e}"))?;
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let entry = zip
            .by_index_raw(index)
            .map_err(|e| format!("cannot read the pack back: {e}"))?;
        if !within_ratio(entry.size(), entry.compressed_size()) {
            return Err(format!(
                "`{}` would unpack to over {MAX_RATIO} times its packed size, which installing refuses as a zip bomb",
                String::from_utf8_lossy(entry.name_raw())
            ));
        }
        total = total.saturating_add(entry.size());
    }
    let budget = unpack_budget(length);
    if total > budget {
        return Err(format!(
            "the pack would unpack to {} MB; installing a pack of {} MB allows {} MB",
            total / 1_048_576,
            length / 1_048_576,
            budget / 1_048_576
        ));
    }
    Ok(())
}

/// How a file goes into a pack: deflated, unless it shrinks so far that the pack would unpack
/// to more than [`crate::import::archive::MAX_RATIO`] times its size (a long silence, a
/// repetitive text); then it is stored as it is.
fn method_for(bytes: &[u8]) -> zip::CompressionMethod {
    use std::io::Write as _;
    let mut encoder =
        flate2::write::DeflateEncoder::new(std::io::sink(), flate2::Compression::default());
    let compressed = encoder
        .write_all(bytes)
        .and_then(|()| encoder.try_finish())
        .map(|()| encoder.total_out());
    match compressed {
        Ok(compressed)
            if compressed.saturating_mul(crate::import::archive::MAX_RATIO)
                >= bytes.len() as u64 =>
        {
            zip::CompressionMethod::Deflated
        }
        _ => zip::CompressionMethod::Stored,
    }
}

fn write_zip(folders: &[PathBuf], name: String, file: std::fs::File) -> Result<Manifest, String> {
    let mut manifest = Manifest {
        format: PACK_FORMAT,
        name,
        levels: Vec::new(),
    };
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for folder in folders {
        let report = load_level(folder);
        let level = match (&report.level, report.has_errors()) {
            (Some(level), false) => level,
            _ => {
                let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
                return Err(format!(
                    "{} has errors and cannot be shared:\n{}",
                    folder.display(),
                    errors.join("\n")
                ));
            }
        };
        let folder_name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| plain_name(n))
            .ok_or_else(|| format!("{} has no folder name", folder.display()))?;
        if manifest.levels.iter().any(|l| l.folder == folder_name) {
            return Err(format!("two levels are in folders named `{folder_name}`"));
        }
        let mut files = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let file_name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !plain_name(&file_name) {
                continue;
            }
            let bytes =
                std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            zip.start_file(
                format!("{folder_name}/{file_name}"),
                options.compression_method(method_for(&bytes)),
            )
            .map_err(|e| format!("cannot write the pack: {e}"))?;
            zip.write_all(&bytes)
                .map_err(|e| format!("cannot write the pack: {e}"))?;
            files.push(PackedFile {
                name: file_name,
                size: bytes.len() as u64,
                hash: hash_of(&bytes),
            });
        }
        manifest.levels.push(PackedLevel {
            folder: folder_name,
            title: level.title.clone(),
            artist: level.artist.clone(),
            charts: level
                .charts
                .iter()
                .map(|c| (c.difficulty.clone(), c.meter, c.lanes))
                .collect(),
            files,
        });
    }
    let text = ron::ser::to_string_pretty(&manifest, ron::ser::PrettyConfig::default())
        .map_err(|e| format!("cannot write the manifest: {e}"))?;
    zip.start_file(MANIFEST, options)
        .map_err(|e| format!("cannot write the pack: {e}"))?;
    zip.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write the pack: {e}"))?;
    zip.finish()
        .map_err(|e| format!("cannot write the pack: {e}"))?;
    Ok(manifest)
}

/// A pack installed: where its levels went.
#[derive(Clone, Debug)]
pub struct Installed {
    pub name: String,
    pub folder: PathBuf,
    pub levels: Vec<InstalledLevel>,
    /// Whether an earlier install of the pack was replaced.
    pub updated: bool,
}

/// One level a pack installed, as its check found it.
#[derive(Clone, Debug)]
pub struct InstalledLevel {
    pub folder: PathBuf,
    pub title: String,
    pub charts: usize,
}

/// Installs the pack at `path` into `levels/<pack name>/`: unpacked safely into a staging folder
/// inside `levels`, every file checked against the manifest and every level loaded, and only
/// then moved into place, replacing an earlier install of the same pack.
pub fn install(path: &Path, levels: &Path) -> Result<Installed, Diagnostic> {
    let refuse = |why: String| Diagnostic::error(path, None, why);
    std::fs::create_dir_all(levels)
        .map_err(|e| refuse(format!("cannot make {}: {e}", levels.display())))?;
    let staged = Staged::new_in(levels).map_err(&refuse)?;
    unpack(path, staged.path()).map_err(&refuse)?;
    let manifest_path = staged.path().join(MANIFEST);
    let text =
        crate::user_file::read_existing_text(&manifest_path, 1024 * 1024, "the pack's manifest")
            .map_err(|d| refuse(format!("{MANIFEST}: {}", d.message)))?;
    let manifest: Manifest = ron::from_str(&text).map_err(|e| {
        refuse(format!(
            "{MANIFEST}:{}:{}: {}",
            e.span.start.line, e.span.start.col, e.code
        ))
    })?;
    if manifest.format != PACK_FORMAT {
        return Err(refuse(format!(
            "the pack is format {}; this build reads format {PACK_FORMAT}",
            manifest.format
        )));
    }
    if !plain_name(&manifest.name) {
        return Err(refuse(format!(
            "the pack's name `{}` is not a plain folder name",
            manifest.name
        )));
    }
    if manifest.levels.is_empty() {
        return Err(refuse("the pack holds no levels".into()));
    }
    let mut level_folders = Vec::new();
    for level in &manifest.levels {
        if !plain_name(&level.folder) {
            return Err(refuse(format!(
                "the level folder `{}` is not a plain folder name",
                level.folder
            )));
        }
        let folder = staged.path().join(&level.folder);
        for file in &level.files {
            if !plain_name(&file.name) {
                return Err(refuse(format!(
                    "the file `{}` is not a plain name",
                    file.name
                )));
            }
            let bytes = std::fs::read(folder.join(&file.name)).map_err(|_| {
                refuse(format!(
                    "{}/{} is in the manifest but not in the pack",
                    level.folder, file.name
                ))
            })?;
            if bytes.len() as u64 != file.size || hash_of(&bytes) != file.hash {
                return Err(refuse(format!(
                    "{}/{} is damaged: it does not match the manifest",
                    level.folder, file.name
                )));
            }
        }
        let report = load_level(&folder.join(LEVEL_FILE_NAME));
        if report.has_errors() {
            let errors: Vec<String> = report.errors().map(|d| d.to_string()).collect();
            return Err(refuse(format!(
                "the level `{}` in the pack has errors: {}",
                level.folder,
                errors.join("; ")
            )));
        }
        let (title, charts) = report
            .level
            .as_ref()
            .map_or((String::new(), 0), |l| (l.title.clone(), l.charts.len()));
        level_folders.push((level.folder.clone(), title, charts));
    }
    std::fs::remove_file(&manifest_path).ok();
    // Only the manifest's levels are kept; anything else the zip held goes with the staging.
    let keep = Staged::new_in(levels).map_err(&refuse)?;
    for (folder, _, _) in &level_folders {
        std::fs::rename(staged.path().join(folder), keep.path().join(folder))
            .map_err(|e| refuse(format!("cannot install `{folder}`: {e}")))?;
    }
    std::fs::write(keep.path().join(MANIFEST), &text)
        .map_err(|e| refuse(format!("cannot install the pack: {e}")))?;
    let target = levels.join(&manifest.name);
    let updated = target.exists();
    if updated {
        if !target.join(MANIFEST).is_file() {
            return Err(refuse(format!(
                "{} is there already and is not an installed pack; it is left alone",
                target.display()
            )));
        }
        std::fs::remove_dir_all(&target)
            .map_err(|e| refuse(format!("cannot update {}: {e}", target.display())))?;
    }
    keep.keep_as(&target).map_err(&refuse)?;
    Ok(Installed {
        levels: level_folders
            .into_iter()
            .map(|(folder, title, charts)| InstalledLevel {
                folder: target.join(folder),
                title,
                charts,
            })
            .collect(),
        folder: target,
        name: manifest.name,
        updated,
    })
}
