//! The song list: every level with its artist, tempo, charts and best scores, a preview of its
//! music, and broken levels greyed out with their errors.

use std::sync::Arc;
use std::sync::atomic::AtomicU32;

use bevy::prelude::*;
use bevy::tasks::{AsyncComputeTaskPool, Task, block_on, futures_lite::future};
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use bevy_kira_audio::prelude::{Audio, AudioControl, AudioInstance, AudioSource, AudioTween};
use kira::sound::static_sound::StaticSoundData;

use super::{ScreenUi, colors, root_ui};
use crate::core::level::Level;
use crate::core::level::load::fmt_time;
use crate::gameplay::audio::{decode_level_audio, volume_to_decibels};
use crate::gameplay::{PlayMode, PlayRequest, PlaySeat};
use crate::library::{Scores, SongLibrary, SongOrder};
use crate::lineup::{DIFFICULTY_NAMES, Lineup, Together};
use crate::screens::Screen;
use crate::settings::Settings;

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Selection>()
        .init_resource::<Preview>()
        .add_systems(
            EguiPrimaryContextPass,
            song_select_ui
                .in_set(ScreenUi)
                .run_if(in_state(Screen::SongSelect)),
        )
        .add_systems(
            Update,
            (choose_preview, play_preview)
                .chain()
                .run_if(in_state(Screen::SongSelect)),
        )
        .add_systems(OnExit(Screen::SongSelect), stop_preview);
}

#[derive(Resource, Debug)]
struct Selection {
    song: usize,
    chart: usize,
    /// Playback rate for the next play; timing windows stay in real time.
    rate: f64,
    /// What the player has typed to search the list.
    query: String,
    order: SongOrder,
}

impl Default for Selection {
    fn default() -> Self {
        Self {
            song: 0,
            chart: 0,
            rate: 1.0,
            query: String::new(),
            order: SongOrder::default(),
        }
    }
}

/// The songs the list shows, for the search and order they were worked out for.
#[derive(Default)]
struct Listed {
    songs: Vec<usize>,
    /// `None` until the first listing.
    for_query: Option<String>,
    order: SongOrder,
}

#[derive(Resource, Default)]
struct Preview {
    for_song: Option<usize>,
    task: Option<Task<Result<StaticSoundData, String>>>,
    instance: Option<Handle<AudioInstance>>,
    frames_unanswered: u32,
    unavailable: bool,
}

#[allow(clippy::too_many_arguments)]
fn song_select_ui(
    mut contexts: EguiContexts,
    library: Res<SongLibrary>,
    scores: Res<Scores>,
    settings: Res<Settings>,
    lineup: Res<Lineup>,
    fans: Option<Res<crate::fans::Fans>>,
    catalog: Option<Res<crate::fans::MerchCatalog>>,
    paths: Option<Res<crate::library::GamePaths>>,
    seat_profiles: Res<crate::fans::SeatProfiles>,
    mut selection: ResMut<Selection>,
    mut next: ResMut<NextState<Screen>>,
    mut notices: ResMut<crate::notice::Notices>,
    mut jackets: ResMut<super::jackets::Jackets>,
    mut listed: Local<Listed>,
    mut commands: Commands,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let entries = &library.entries;
    // Typing searches the list, unless a text field has the keys.
    let typing = ctx.memory(|m| m.focused().is_none());
    let (typed, erase) = ctx.input(|i| {
        let typed: String = i
            .events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect::<String>()
            .chars()
            .filter(|c| !matches!(c, '[' | ']'))
            .collect();
        (typed, i.key_pressed(egui::Key::Backspace))
    });
    if typing {
        selection.query.push_str(&typed);
        if erase {
            selection.query.pop();
        }
    }
    // Searching and sorting thousands of songs is done when something changes, not each frame.
    if library.is_changed()
        || listed.for_query.as_deref() != Some(selection.query.as_str())
        || listed.order != selection.order
    {
        *listed = Listed {
            songs: library.shown(&selection.query, selection.order),
            for_query: Some(selection.query.clone()),
            order: selection.order,
        };
    }
    let shown = &listed.songs;
    let count = shown.len();
    let (up, down, left, right, enter, escape, slower, faster) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::ArrowUp),
            i.key_pressed(egui::Key::ArrowDown),
            i.key_pressed(egui::Key::ArrowLeft),
            i.key_pressed(egui::Key::ArrowRight),
            i.key_pressed(egui::Key::Enter),
            i.key_pressed(egui::Key::Escape),
            i.key_pressed(egui::Key::OpenBracket),
            i.key_pressed(egui::Key::CloseBracket),
        )
    });
    if slower {
        selection.rate = ((selection.rate - 0.05) * 20.0).round() / 20.0;
    }
    if faster {
        selection.rate = ((selection.rate + 0.05) * 20.0).round() / 20.0;
    }
    selection.rate = selection.rate.clamp(0.5, 2.0);
    // Esc clears a search first, and leaves the list after.
    let back = escape && selection.query.is_empty();
    if escape {
        selection.query.clear();
    }
    if count > 0 {
        let at = shown.iter().position(|i| *i == selection.song);
        let moved = match (at, up, down) {
            (Some(at), true, _) => Some(shown[(at + count - 1) % count]),
            (Some(at), _, true) => Some(shown[(at + 1) % count]),
            (None, _, _) => Some(shown[0]),
            _ => None,
        };
        if let Some(song) = moved
            && song != selection.song
        {
            selection.song = song;
            selection.chart = 0;
        }
    }
    let selected_level = entries.get(selection.song).and_then(|e| e.level.clone());
    if let Some(level) = &selected_level {
        let charts = level.charts.len();
        if left {
            selection.chart = (selection.chart + charts - 1) % charts;
        }
        if right {
            selection.chart = (selection.chart + 1) % charts;
        }
        selection.chart = selection.chart.min(charts - 1);
    }
    let mut start: Option<(Arc<Level>, usize)> = None;
    if enter && let Some(level) = &selected_level {
        start = Some((level.clone(), selection.chart));
    }
    if back {
        next.set(if lineup.is_multiplayer() {
            Screen::Join
        } else {
            Screen::Title
        });
    }

    let mut root = root_ui(ctx, "song-select");
    egui::Panel::top("song-select-top").show(&mut root, |ui| {
        ui.horizontal(|ui| {
            if ui.button("◀ Back").clicked() {
                next.set(Screen::Title);
            }
            ui.heading("Choose a song");
            if lineup.is_multiplayer() {
                let names: Vec<&str> = lineup.seats.iter().map(|s| s.name.as_str()).collect();
                let mode = match lineup.together {
                    Together::Versus => "Versus",
                    Together::Group => "Group stage",
                };
                if ui
                    .button(format!("{mode}: {}", names.join(", ")))
                    .on_hover_text("change players")
                    .clicked()
                {
                    next.set(Screen::Join);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.colored_label(
                    colors::DIM,
                    "Type to search   Up/Down: song   Left/Right: difficulty   Enter: play   Esc: back",
                );
            });
        });
        ui.horizontal(|ui| {
            let search = if selection.query.is_empty() {
                egui::RichText::new("search: type a title, artist or pack").color(colors::DIM)
            } else {
                egui::RichText::new(format!("search: {}▏", selection.query)).color(colors::TEXT)
            };
            ui.label(search);
            ui.colored_label(colors::DIM, format!("{count} of {} songs", entries.len()));
            egui::ComboBox::from_id_salt("song-order")
                .selected_text(format!("sorted by {}", selection.order.name()))
                .show_ui(ui, |ui| {
                    for order in SongOrder::ALL {
                        ui.selectable_value(&mut selection.order, order, order.name());
                    }
                });
        });
    });
    egui::Panel::left("song-list")
        .resizable(false)
        .exact_size(440.0)
        .show(&mut root, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                if entries.is_empty() {
                    ui.colored_label(colors::ERROR, "No levels found.");
                    ui.label("Put level folders in levels/ or in your data folder's levels/.");
                } else if shown.is_empty() {
                    ui.colored_label(colors::DIM, "No song matches the search. Esc clears it.");
                }
                let grouped = selection.order == SongOrder::Folder;
                for (place, &index) in shown.iter().enumerate() {
                    let entry = &entries[index];
                    let first_of_group =
                        place == 0 || entries[shown[place - 1]].group != entry.group;
                    if grouped
                        && first_of_group
                        && let Some(group) = &entry.group
                    {
                        ui.add_space(6.0);
                        ui.label(
                            egui::RichText::new(group)
                                .size(15.0)
                                .strong()
                                .color(colors::ACCENT_2),
                        );
                    }
                    let chosen = index == selection.song;
                    let response = match &entry.level {
                        Some(level) => {
                            let text =
                                egui::RichText::new(format!("{}\n{}", level.title, level.artist))
                                    .size(19.0)
                                    .color(if chosen { colors::TEXT } else { colors::DIM });
                            ui.add_sized(
                                [ui.available_width(), 58.0],
                                egui::Button::selectable(chosen, text),
                            )
                        }
                        None => {
                            let first = entry
                                .report
                                .errors()
                                .next()
                                .map(|d| format!("{} {}", d.location(), d.message))
                                .unwrap_or_default();
                            let text = egui::RichText::new(format!(
                                "{} (broken)\n{}",
                                entry.report.slug,
                                truncate(&first, 60)
                            ))
                            .size(15.0)
                            .color(colors::ERROR.gamma_multiply(0.7));
                            let all: Vec<String> = entry
                                .report
                                .diagnostics
                                .iter()
                                .map(|d| d.to_string())
                                .collect();
                            ui.add_sized(
                                [ui.available_width(), 58.0],
                                egui::Button::selectable(chosen, text),
                            )
                            .on_hover_text(all.join("\n"))
                        }
                    };
                    if response.clicked() {
                        if selection.song != index {
                            selection.chart = 0;
                        }
                        selection.song = index;
                    }
                    if response.double_clicked()
                        && let Some(level) = &entry.level
                    {
                        start = Some((level.clone(), 0));
                    }
                    if chosen && (up || down) {
                        response.scroll_to_me(None);
                    }
                }
            });
        });
    egui::CentralPanel::default().show(&mut root, |ui| {
        let Some(entry) = entries.get(selection.song) else {
            return;
        };
        let Some(level) = &entry.level else {
            ui.heading(egui::RichText::new(&entry.report.slug).color(colors::ERROR));
            ui.label(format!(
                "{} can't be played until these are fixed:",
                entry.report.file.display()
            ));
            ui.add_space(8.0);
            egui::ScrollArea::vertical().show(ui, |ui| {
                for d in &entry.report.diagnostics {
                    let color = if d.is_error() {
                        colors::ERROR
                    } else {
                        colors::DIM
                    };
                    ui.colored_label(color, d.to_string());
                }
            });
            return;
        };
        ui.horizontal(|ui| {
            if let Some(path) = &level.jacket
                && let Some(texture) = jackets.texture(ui.ctx(), path)
            {
                ui.add(
                    egui::Image::new((texture, egui::vec2(132.0, 132.0)))
                        .maintain_aspect_ratio(true)
                        .corner_radius(8.0),
                );
                ui.add_space(8.0);
            }
            ui.vertical(|ui| {
                ui.label(
                    egui::RichText::new(&level.title)
                        .size(40.0)
                        .strong()
                        .color(colors::TEXT),
                );
                if !level.subtitle.is_empty() {
                    ui.label(
                        egui::RichText::new(&level.subtitle)
                            .size(20.0)
                            .color(colors::DIM),
                    );
                }
                ui.label(
                    egui::RichText::new(&level.artist)
                        .size(24.0)
                        .color(colors::ACCENT),
                );
            });
        });
        let (low, high) = level.timing.bpm_range();
        let bpm = if (high - low).abs() < 0.5 {
            format!("{low:.0} BPM")
        } else {
            format!("{low:.0}–{high:.0} BPM")
        };
        ui.label(format!("{bpm}   ·   {}", fmt_time(level.audio_length)));
        let credits = &level.credits;
        let mut lines = Vec::new();
        for (role, name) in [
            ("Composer", &credits.composer),
            ("Lyricist", &credits.lyricist),
            ("Arranger", &credits.arranger),
            ("Producer", &credits.producer),
            ("Choreographer", &credits.choreographer),
        ] {
            if !name.is_empty() {
                lines.push(format!("{role}: {name}"));
            }
        }
        ui.colored_label(colors::DIM, lines.join("   ·   "));
        let written: Vec<String> = level.parts.iter().map(|p| p.members.to_string()).collect();
        ui.colored_label(
            colors::DIM,
            if written.is_empty() {
                "Group stage: parts split by the song's sections".to_string()
            } else {
                format!(
                    "Group stage: parts written for {} members; other groups split by sections",
                    written.join(", ")
                )
            },
        );
        if lineup.is_multiplayer() {
            for seat in &lineup.seats {
                let chart = seat_chart(level, seat.difficulty);
                ui.colored_label(
                    colors::ACCENT_2,
                    format!(
                        "{}: {} {}",
                        seat.name, level.charts[chart].difficulty, level.charts[chart].meter
                    ),
                );
            }
        }
        ui.add_space(16.0);
        ui.heading("Difficulty");
        for (index, chart) in level.charts.iter().enumerate() {
            let chosen = index == selection.chart;
            let best = scores.book.best(&level.slug, &chart.difficulty);
            let best_text = match best {
                Some(record) => format!(
                    "best {:>7}  {}  {:.2}%{}",
                    record.best.score,
                    record.best.grade.name(),
                    record.best.accuracy,
                    if record.best.all_perfect {
                        "  AP"
                    } else if record.best.full_combo {
                        "  FC"
                    } else {
                        ""
                    }
                ),
                None => "not played yet".into(),
            };
            let text = egui::RichText::new(format!(
                "{:<8} {:>2}   {} lanes   {} notes      {best_text}",
                chart.difficulty,
                chart.meter,
                chart.lanes,
                chart.notes.len()
            ))
            .monospace()
            .size(18.0);
            let response = ui.add(egui::Button::selectable(chosen, text));
            if response.clicked() {
                selection.chart = index;
            }
            if response.double_clicked() {
                start = Some((level.clone(), index));
            }
        }
        ui.add_space(16.0);
        let keys: Vec<String> = settings
            .keys_for(level.charts[selection.chart].lanes)
            .iter()
            .map(key_name)
            .collect();
        if !lineup.is_multiplayer() {
            ui.colored_label(colors::DIM, format!("Keys: {}", keys.join(" ")));
        }
        ui.horizontal(|ui| {
            ui.label("Rate");
            ui.add(
                egui::Slider::new(&mut selection.rate, 0.5..=2.0)
                    .step_by(0.05)
                    .prefix("×"),
            );
            ui.colored_label(
                colors::DIM,
                "[ and ] change it; timing windows stay the same",
            );
        });
        ui.add_space(8.0);
        if super::menu_button(ui, "▶ Play").clicked() {
            start = Some((level.clone(), selection.chart));
        }
    });

    if let Some((level, chart)) = start {
        let judge = settings.judge_settings(selection.rate);
        let request = if lineup.seats.is_empty() {
            Ok(PlayRequest {
                level,
                chart,
                judge,
                mode: PlayMode::Normal,
                seats: Vec::new(),
                group: false,
            })
        } else {
            let seats: Vec<PlaySeat> = lineup
                .seats
                .iter()
                .enumerate()
                .map(|(slot, seat)| PlaySeat {
                    name: seat.name.clone(),
                    chart: seat_chart(&level, seat.difficulty),
                    judge: crate::core::judge::JudgeSettings {
                        difficulty: crate::core::judge::JudgeDifficulty(seat.judge.clamp(1, 9)),
                        ..judge
                    },
                    scroll: seat.scroll,
                    device: seat.device.clone(),
                    profile: match (&fans, &catalog, &paths) {
                        (Some(fans), Some(catalog), Some(paths)) => {
                            seat_profiles.for_seat(slot, fans, catalog, paths)
                        }
                        _ => None,
                    },
                })
                .collect();
            PlayRequest::for_seats(
                level,
                seats,
                judge,
                PlayMode::Normal,
                lineup.together == Together::Group,
            )
        };
        match request {
            Ok(request) => {
                commands.insert_resource(request);
                next.set(Screen::Gameplay);
            }
            Err(why) => notices.push(why),
        }
    }
    Ok(())
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

/// A key's name as a player reads it: `D`, `Space`, `;`.
pub fn key_name(key: &KeyCode) -> String {
    let debug = format!("{key:?}");
    if let Some(letter) = debug.strip_prefix("Key") {
        return letter.to_string();
    }
    if let Some(digit) = debug.strip_prefix("Digit") {
        return digit.to_string();
    }
    match key {
        KeyCode::Semicolon => ";".into(),
        KeyCode::Comma => ",".into(),
        KeyCode::Period => ".".into(),
        KeyCode::Slash => "/".into(),
        KeyCode::Quote => "'".into(),
        KeyCode::BracketLeft => "[".into(),
        KeyCode::BracketRight => "]".into(),
        _ => debug,
    }
}

/// When another song is selected: stops the old preview and decodes the new one's stretch.
fn choose_preview(
    selection: Res<Selection>,
    library: Res<SongLibrary>,
    audio: Option<Res<Audio>>,
    mut preview: ResMut<Preview>,
    mut instances: ResMut<Assets<AudioInstance>>,
    mut retired: ResMut<crate::sound::RetiredSounds>,
) {
    if audio.is_none() || preview.unavailable || preview.for_song == Some(selection.song) {
        return;
    }
    stop_instance(&mut preview, &mut instances, &mut retired);
    preview.for_song = Some(selection.song);
    let level = library
        .entries
        .get(selection.song)
        .and_then(|e| e.level.clone());
    preview.task = level.map(|level| {
        let (audio, sheet) = (level.audio.clone(), level.sheet.clone());
        let start = level.preview.start.min(level.audio_length - 1.0).max(0.0);
        let end = (start + level.preview.length).min(level.audio_length);
        AsyncComputeTaskPool::get().spawn(async move {
            decode_level_audio(&audio, sheet.as_deref(), &AtomicU32::new(0))
                .map(|song| crate::sound::stretch(&song, start, end))
        })
    });
}

/// Plays the selected song's preview stretch on a loop once it is decoded.
fn play_preview(
    settings: Res<Settings>,
    mut preview: ResMut<Preview>,
    audio: Option<Res<Audio>>,
    mut sources: ResMut<Assets<AudioSource>>,
    instances: Res<Assets<AudioInstance>>,
) {
    let Some(audio) = audio else {
        return;
    };
    if preview.unavailable {
        return;
    }
    if let Some(task) = preview.task.as_mut()
        && let Some(result) = block_on(future::poll_once(task))
    {
        preview.task = None;
        if let Ok(sound) = result {
            let source = sources.add(AudioSource { sound });
            preview.instance = Some(
                audio
                    .play(source)
                    .looped()
                    .with_volume(volume_to_decibels(settings.volume * 0.8))
                    .fade_in(AudioTween::linear(std::time::Duration::from_millis(600)))
                    .handle(),
            );
            preview.frames_unanswered = 0;
        }
    }
    // kira keeps commands queued forever without a device: stop asking after a few frames.
    if let Some(handle) = &preview.instance
        && instances.get(handle).is_none()
    {
        preview.frames_unanswered += 1;
        if preview.frames_unanswered > 10 {
            preview.unavailable = true;
            preview.instance = None;
        }
    }
}

fn stop_instance(
    preview: &mut Preview,
    instances: &mut Assets<AudioInstance>,
    retired: &mut crate::sound::RetiredSounds,
) {
    if let Some(handle) = preview.instance.take() {
        retired.retire(
            handle,
            instances,
            AudioTween::linear(std::time::Duration::from_millis(200)),
        );
    }
    preview.task = None;
}

fn stop_preview(
    mut preview: ResMut<Preview>,
    instances: Option<ResMut<Assets<AudioInstance>>>,
    mut retired: ResMut<crate::sound::RetiredSounds>,
) {
    if let Some(mut instances) = instances {
        stop_instance(&mut preview, &mut instances, &mut retired);
    }
    preview.for_song = None;
}

/// The chart a seat plays: the one named like its difficulty, else the nearest in the list.
fn seat_chart(level: &Level, difficulty: usize) -> usize {
    let name = DIFFICULTY_NAMES[difficulty.min(DIFFICULTY_NAMES.len() - 1)];
    level
        .charts
        .iter()
        .position(|c| c.difficulty.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| difficulty.min(level.charts.len().saturating_sub(1)))
}
