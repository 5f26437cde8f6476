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
use crate::core::level::edit::ChartPlace;
use crate::core::level::load::fmt_time;
use crate::core::level::quantise::{SNAPS, Snap};
use crate::core::records::ScoreBook;
use crate::core::score::Grade;
use crate::gameplay::audio::{decode_level_audio, volume_to_decibels};
use crate::gameplay::record_mode::{RecordRun, RecordSetup};
use crate::gameplay::{PlayMode, PlayRequest, PlaySeat};
use crate::library::{LibraryEntry, Scores, SongLibrary, SongOrder};
use crate::lineup::{DIFFICULTY_NAMES, Lineup, Together};
use crate::screens::Screen;
use crate::settings::Settings;
use crate::song_browser::{Row, SongBrowser, TextFieldHasKeys};

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
            (load_chosen_level, choose_preview, play_preview)
                .chain()
                .run_if(in_state(Screen::SongSelect)),
        )
        .add_systems(OnExit(Screen::SongSelect), stop_preview);
}

/// How the chosen chart is launched: its rate, and the practice and recording set up for it.
/// Which song and chart are chosen is the [`SongBrowser`]'s.
#[derive(Resource, Debug)]
struct Selection {
    /// Playback rate for the next play; timing windows stay in real time.
    rate: f64,
    /// The next practice: from this measure, looping at the end of `practice_to` (0: no loop),
    /// waiting at each note or not.
    practice_from: u32,
    practice_to: u32,
    practice_wait: bool,
    /// The next recording: its snap, and whether it replaces the chosen chart or adds one.
    record_snap: Snap,
    record_replaces: bool,
}

impl Default for Selection {
    fn default() -> Self {
        Self {
            rate: 1.0,
            practice_from: 1,
            practice_to: 0,
            practice_wait: false,
            record_snap: Snap::default(),
            record_replaces: false,
        }
    }
}

/// What the list works out once and draws every frame.
#[derive(Default)]
struct Listed {
    /// Computed ratings by level file, chart and rate (in hundredths): a rating reads every
    /// note, so it is worked out once, not every frame.
    ratings: std::collections::HashMap<(std::path::PathBuf, usize, u32), f64>,
    /// The problems of the broken level on show, drawn as `validate` draws them.
    drawn: Option<DrawnProblems>,
}

/// Problems drawn for the screen, and the diagnostics they were drawn from.
struct DrawnProblems {
    of: Vec<crate::core::diagnostic::Diagnostic>,
    /// (is an error, the drawing).
    drawn: Vec<(bool, String)>,
}

impl Listed {
    /// `diagnostics` each with its source line and the spot underlined, as `validate` and the
    /// live-reload overlay show them: each file is read once, when the level is first shown.
    fn drawn(&mut self, diagnostics: &[crate::core::diagnostic::Diagnostic]) -> &[(bool, String)] {
        let stale = self
            .drawn
            .as_ref()
            .is_none_or(|problems| problems.of.as_slice() != diagnostics);
        if stale {
            let mut sources = std::collections::HashMap::new();
            let drawn = diagnostics
                .iter()
                .take(DRAWN_PROBLEMS)
                .map(|d| {
                    let source = sources.entry(d.file.clone()).or_insert_with(|| {
                        crate::core::user_file::read_text(
                            &d.file,
                            crate::core::level::MAX_LEVEL_BYTES,
                            "the file",
                        )
                        .ok()
                        .map(crate::core::explain::SourceFile::new)
                    });
                    let text = match source {
                        Some(source) => source.render(d),
                        None => crate::core::explain::render(d, None),
                    };
                    (d.is_error(), text)
                })
                .collect();
            self.drawn = Some(DrawnProblems {
                of: diagnostics.to_vec(),
                drawn,
            });
        }
        self.drawn
            .as_ref()
            .map_or(&[], |problems| problems.drawn.as_slice())
    }

    fn rating(&mut self, level: &Level, chart: usize, rate: f64) -> f64 {
        let key = (level.file.clone(), chart, (rate * 100.0).round() as u32);
        if self.ratings.len() > 4096 {
            self.ratings.clear();
        }
        *self
            .ratings
            .entry(key)
            .or_insert_with(|| crate::core::rating::rate_chart(&level.charts[chart], rate).value)
    }
}

#[derive(Resource, Default)]
struct Preview {
    /// The song previewed, and the audio it plays: a song sheet saved while it is previewed
    /// renders to new audio, and the preview follows it.
    for_song: Option<(usize, Option<std::path::PathBuf>)>,
    task: Option<Task<Result<StaticSoundData, String>>>,
    instance: Option<Handle<AudioInstance>>,
    frames_unanswered: u32,
    unavailable: bool,
}

/// Who plays: the lineup, and the profiles its seats play as.
#[derive(bevy::ecs::system::SystemParam)]
struct Seats<'w> {
    lineup: Res<'w, Lineup>,
    fans: Option<Res<'w, crate::fans::Fans>>,
    catalog: Option<Res<'w, crate::fans::MerchCatalog>>,
    paths: Option<Res<'w, crate::library::GamePaths>>,
    profiles: Res<'w, crate::fans::SeatProfiles>,
}

#[allow(clippy::too_many_arguments)]
fn song_select_ui(
    mut contexts: EguiContexts,
    library: Res<SongLibrary>,
    check: Res<crate::library::LibraryCheck>,
    scores: Res<Scores>,
    mut settings: ResMut<Settings>,
    seats: Seats,
    mut selection: ResMut<Selection>,
    mut browser: ResMut<SongBrowser>,
    mut text_field: ResMut<TextFieldHasKeys>,
    mut next: ResMut<NextState<Screen>>,
    mut notices: ResMut<crate::notice::Notices>,
    mut jackets: ResMut<super::jackets::Jackets>,
    mut import: ResMut<super::import_view::ImportPanel>,
    mut listed: Local<Listed>,
    replays: Res<crate::replays::ReplayBrowser>,
    mut commands: Commands,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let entries = &library.entries;
    let lineup = &seats.lineup;
    text_field.0 = ctx.text_edit_focused();
    let count = browser.rows().iter().filter(|r| r.song().is_some()).count();
    let (enter, slower, faster) = ctx.input(|i| {
        (
            i.key_pressed(egui::Key::Enter),
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
    let moved = std::mem::take(&mut browser.moved);
    let selected_level = entries.get(browser.song).and_then(|e| e.level.clone());
    let mut start: Option<(Arc<Level>, usize)> = None;
    // Shift+Enter practises the chart instead of playing it, Ctrl+Enter records one.
    let mut launch = ctx.input(|i| {
        if i.modifiers.shift {
            Launch::Practise
        } else if i.modifiers.command {
            Launch::Record
        } else {
            Launch::Play
        }
    });
    // Enter on a pack's heading opens or closes it instead; over the replays it does nothing.
    if enter
        && browser.pack.is_none()
        && replays.shown.is_none()
        && let Some(level) = &selected_level
    {
        start = Some((level.clone(), browser.chart));
    }

    let mut root = root_ui(ctx, "song-select");
    egui::Panel::top("song-select-top").show(&mut root, |ui| {
        ui.horizontal(|ui| {
            if ui.button(t!("common-back")).clicked() {
                next.set(Screen::Title);
            }
            ui.heading(t!("songs-heading"));
            if lineup.is_multiplayer() {
                let names: Vec<&str> = lineup.seats.iter().map(|s| s.name.as_str()).collect();
                let mode = match lineup.together {
                    Together::Versus => t!("together-versus"),
                    Together::Group => t!("together-group"),
                };
                if ui
                    .button(format!("{mode}: {}", names.join(", ")))
                    .on_hover_text(t!("songs-change-players"))
                    .clicked()
                {
                    next.set(Screen::Join);
                }
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                ui.colored_label(
                    colors::DIM,
                    egui::RichText::new(t!("songs-keys")).size(13.0),
                );
            });
        });
        ui.horizontal(|ui| {
            if browser.query.is_empty() {
                ui.colored_label(colors::DIM, t!("songs-search-hint"));
            } else {
                // The cursor is a plain bar: the fonts have no glyph for a thin block.
                let spacing = ui.spacing().item_spacing.x;
                ui.spacing_mut().item_spacing.x = 1.0;
                ui.colored_label(
                    colors::TEXT,
                    t!("songs-search", query = browser.query.clone()),
                );
                ui.colored_label(colors::ACCENT, "|");
                ui.spacing_mut().item_spacing.x = spacing;
            }
            ui.colored_label(
                colors::DIM,
                t!(
                    "songs-count",
                    shown = super::grouped(count),
                    total = super::grouped(entries.len())
                ),
            );
            if check.is_running() {
                ui.colored_label(
                    colors::ACCENT_2,
                    t!(
                        "songs-indexing",
                        done = super::grouped(check.done),
                        total = super::grouped(check.total)
                    ),
                );
            }
            egui::ComboBox::from_id_salt("song-order")
                .selected_text(t!("songs-sorted-by", order = browser.order.name()))
                .show_ui(ui, |ui| {
                    for order in SongOrder::ALL {
                        ui.selectable_value(&mut browser.order, order, order.name());
                    }
                });
            super::import_view::import_button(ui, &mut import);
        });
    });
    egui::Panel::left("song-list")
        .resizable(false)
        .exact_size(LIST_WIDTH)
        .show(&mut root, |ui| {
            let mut list = SongList {
                browser: &mut browser,
                entries,
                jackets: &mut jackets,
                book: &scores.book,
                toggled: None,
            };
            if let Some(chosen) = list.show(ui, moved) {
                start = Some(chosen);
            }
            // Kept in the settings, so a closed pack stays closed at the next start. Only a
            // click writes them: the settings are saved whenever they change.
            if let Some(pack) = list.toggled
                && !settings.folded_groups.remove(&pack)
            {
                settings.folded_groups.insert(pack);
            }
        });
    // What to do with the chosen chart stays in sight below the details, however they scroll.
    if let Some(level) = selected_level.as_ref().filter(|_| {
        entries
            .get(browser.song)
            .is_some_and(|e| !e.checking && e.summary.playable)
    }) {
        egui::Panel::bottom("song-actions").show(&mut root, |ui| {
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let button = |ui: &mut egui::Ui, text: &str, keys: &str| {
                    let response = ui
                        .add_sized(
                            [170.0, 40.0],
                            egui::Button::new(egui::RichText::new(text).size(20.0)),
                        )
                        .on_hover_text(keys);
                    super::note_button(ui, text, &response);
                    response.clicked()
                };
                if button(ui, &t!("songs-play"), "Enter") {
                    start = Some((level.clone(), browser.chart));
                }
                if button(ui, &t!("songs-practise"), &t!("songs-practise-hint")) {
                    start = Some((level.clone(), browser.chart));
                    launch = Launch::Practise;
                }
                if button(ui, &t!("songs-record"), &t!("songs-record-hint")) {
                    start = Some((level.clone(), browser.chart));
                    launch = Launch::Record;
                }
                if button(ui, &t!("songs-replays"), &t!("songs-replays-hint")) {
                    commands.write_message(crate::replays::OpenReplays {
                        level: level.clone(),
                        chart: browser.chart,
                    });
                }
            });
            ui.add_space(6.0);
        });
    }
    egui::CentralPanel::default().show(&mut root, |ui| {
        let Some(entry) = entries.get(browser.song) else {
            return;
        };
        let summary = &entry.summary;
        if entry.checking {
            ui.heading(egui::RichText::new(&summary.slug).color(colors::DIM));
            ui.label(t!("songs-checking"));
            return;
        }
        if !summary.playable {
            ui.heading(egui::RichText::new(&summary.slug).color(colors::ERROR));
            ui.label(t!(
                "songs-broken",
                file = summary.file.display().to_string()
            ));
            ui.add_space(8.0);
            let count = summary.diagnostics.len();
            egui::ScrollArea::both().auto_shrink(false).show(ui, |ui| {
                for (is_error, drawn) in listed.drawn(&summary.diagnostics) {
                    let color = if *is_error {
                        colors::ERROR
                    } else {
                        colors::DIM
                    };
                    ui.label(egui::RichText::new(drawn).monospace().color(color));
                    ui.add_space(6.0);
                }
                if count > DRAWN_PROBLEMS {
                    ui.colored_label(
                        colors::DIM,
                        t!("songs-more-problems", count = count - DRAWN_PROBLEMS),
                    );
                }
            });
            return;
        }
        let Some(level) = &entry.level else {
            ui.heading(egui::RichText::new(&summary.title).color(colors::TEXT));
            ui.colored_label(colors::DIM, t!("common-loading"));
            return;
        };
        preview_backdrop(ui, level, settings.calm);
        // The level's details scroll when a small window cannot show them all.
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
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
                    (t!("credit-composer"), &credits.composer),
                    (t!("credit-lyricist"), &credits.lyricist),
                    (t!("credit-arranger"), &credits.arranger),
                    (t!("credit-producer"), &credits.producer),
                    (t!("credit-choreographer"), &credits.choreographer),
                ] {
                    if !name.is_empty() {
                        lines.push(format!("{role}: {name}"));
                    }
                }
                ui.colored_label(colors::DIM, lines.join("   ·   "));
                let written: Vec<String> =
                    level.parts.iter().map(|p| p.members.to_string()).collect();
                ui.colored_label(
                    colors::DIM,
                    if written.is_empty() {
                        t!("songs-parts-by-section")
                    } else {
                        t!("songs-parts-written", members = written.join(", "))
                    },
                );
                if lineup.is_multiplayer() {
                    for seat in &lineup.seats {
                        let chart = seat_chart(level, seat.difficulty);
                        ui.colored_label(
                            colors::ACCENT_2,
                            format!(
                                "{}: {} {}",
                                seat.name,
                                level.charts[chart].difficulty,
                                level.charts[chart].meter
                            ),
                        );
                    }
                }
                ui.add_space(16.0);
                ui.horizontal(|ui| {
                    ui.heading(t!("songs-difficulty"));
                    ui.colored_label(
                        colors::DIM,
                        t!("songs-rating-at", rate = format!("{:.2}", selection.rate)),
                    );
                });
                for (index, chart) in level.charts.iter().enumerate() {
                    let chosen = index == browser.chart;
                    let record = scores.book.best(&level.slug, &chart.difficulty);
                    let best_text = match (record, record.and_then(|r| r.cleared())) {
                        (_, Some(best)) => t!(
                            "songs-best",
                            score = format!("{:>7}", best.score),
                            grade = best.grade.name(),
                            accuracy = format!("{:.2}", best.accuracy),
                            flag = if best.all_perfect {
                                "  AP"
                            } else if best.full_combo {
                                "  FC"
                            } else {
                                ""
                            }
                        ),
                        // A failed play is never a best.
                        (Some(record), None) => t!("songs-not-cleared", count = record.plays),
                        (None, _) => t!("songs-not-played"),
                    };
                    let rating = listed.rating(level, index, selection.rate);
                    let text = egui::RichText::new(t!(
                        "songs-chart-row",
                        difficulty = format!("{:<8}", chart.difficulty),
                        meter = format!("{:>2}", chart.meter),
                        rating = format!("{rating:>4.1}"),
                        lanes = chart.lanes,
                        notes = chart.notes.len(),
                        best = best_text
                    ))
                    .monospace()
                    .size(18.0);
                    let response = ui.add(egui::Button::selectable(chosen, text));
                    if response.clicked() {
                        browser.chart = index;
                    }
                    if response.double_clicked() {
                        start = Some((level.clone(), index));
                    }
                }
                ui.add_space(16.0);
                let keys: Vec<String> = settings
                    .keys_for(level.charts[browser.chart].lanes)
                    .iter()
                    .map(key_name)
                    .collect();
                if !lineup.is_multiplayer() {
                    ui.colored_label(
                        colors::DIM,
                        t!("songs-keys-of-chart", keys = keys.join(" ")),
                    );
                }
                ui.horizontal(|ui| {
                    ui.label(t!("songs-rate"));
                    ui.add(
                        egui::Slider::new(&mut selection.rate, 0.5..=2.0)
                            .step_by(0.05)
                            .prefix("×"),
                    );
                    ui.colored_label(colors::DIM, t!("songs-rate-hint"));
                });
                // Each seat picks its own mods on the join screen.
                if !lineup.is_multiplayer() {
                    super::mods_view::mods_row(ui, &mut settings.mods, "solo");
                }
                let measures = level.measure_count();
                ui.horizontal(|ui| {
                    ui.label(t!("songs-practice-from"));
                    ui.add(egui::DragValue::new(&mut selection.practice_from).range(1..=measures));
                    ui.label(t!("songs-loop-to"));
                    ui.add(
                        egui::DragValue::new(&mut selection.practice_to)
                            .range(0..=measures)
                            .custom_formatter(|m, _| {
                                if m == 0.0 {
                                    t!("songs-no-loop")
                                } else {
                                    format!("{m}")
                                }
                            }),
                    );
                    ui.checkbox(&mut selection.practice_wait, t!("songs-wait-mode"));
                });
                ui.horizontal(|ui| {
                    ui.label(t!("songs-record-at"));
                    egui::ComboBox::from_id_salt("record-snap")
                        .selected_text(selection.record_snap.name())
                        .show_ui(ui, |ui| {
                            for snap in SNAPS
                                .iter()
                                .filter_map(|n| Snap::parse(&n.to_string()).ok())
                            {
                                ui.selectable_value(&mut selection.record_snap, snap, snap.name());
                            }
                        });
                    ui.label(t!("songs-record-as"));
                    ui.radio_value(&mut selection.record_replaces, false, t!("songs-new-chart"));
                    let replaced = t!(
                        "songs-replace-chart",
                        difficulty = level.charts[browser.chart].difficulty.clone()
                    );
                    ui.radio_value(&mut selection.record_replaces, true, replaced);
                });
            });
    });

    if let Some((level, chart)) = start {
        let judge = settings.judge_settings(selection.rate);
        let request = if launch == Launch::Practise {
            practice_request(level, chart, judge, &selection, lineup.is_multiplayer())
        } else if launch == Launch::Record {
            record_request(level, chart, judge, &selection, lineup.is_multiplayer()).map(
                |(recording, request)| {
                    commands.insert_resource(recording);
                    request
                },
            )
        } else if lineup.seats.is_empty() {
            Ok(PlayRequest::solo(level, chart, judge, PlayMode::Normal))
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
                        mods: crate::settings::fresh_layout(seat.mods),
                        ..judge
                    },
                    scroll: seat.scroll,
                    highway_opacity: seat.highway_opacity,
                    device: seat.device.clone(),
                    profile: match (&seats.fans, &seats.catalog, &seats.paths) {
                        (Some(fans), Some(catalog), Some(paths)) => {
                            seats.profiles.for_seat(slot, fans, catalog, paths)
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

/// The list of songs on the left: the jump headings, the packs and the songs.
struct SongList<'a> {
    browser: &'a mut SongBrowser,
    entries: &'a [LibraryEntry],
    jackets: &'a mut super::jackets::Jackets,
    book: &'a ScoreBook,
    /// The pack whose heading was clicked, to open or close.
    toggled: Option<String>,
}

impl SongList<'_> {
    /// Draws the list, scrolled to the cursor when it `moved`; the chart a double click plays.
    fn show(&mut self, ui: &mut egui::Ui, mut moved: bool) -> Option<(Arc<Level>, usize)> {
        if self.entries.is_empty() {
            ui.colored_label(colors::ERROR, t!("songs-none"));
            ui.label(t!("songs-none-hint"));
            return None;
        }
        moved |= self.jump_bar(ui);
        if self.browser.rows().is_empty() {
            ui.colored_label(colors::DIM, t!("songs-no-match"));
        }
        let row_height = ROW_HEIGHT + ui.spacing().item_spacing.y;
        let mut scroll = egui::ScrollArea::vertical().auto_shrink(false);
        if moved && let Some(at) = self.browser.cursor_row() {
            // Only the rows in view are laid out, so the list is scrolled by its offset.
            let view = ui.available_height();
            scroll = scroll.vertical_scroll_offset((at as f32 * row_height - view / 2.0).max(0.0));
        }
        let mut start = None;
        let count = self.browser.rows().len();
        scroll.show_rows(ui, ROW_HEIGHT, count, |ui, range| {
            let rows = self.browser.rows()[range].to_vec();
            for row in rows {
                match row {
                    Row::Group {
                        name,
                        songs,
                        folded,
                    } => self.pack_heading(ui, name, songs, folded),
                    Row::Song { index } => {
                        if let Some(chosen) = self.song(ui, index) {
                            start = Some(chosen);
                        }
                    }
                }
            }
        });
        start
    }

    /// The jump headings: letters, tempo bands or grades, each going to its first row. Whether
    /// one was clicked.
    fn jump_bar(&mut self, ui: &mut egui::Ui) -> bool {
        let jumps = self.browser.jumps().to_vec();
        if jumps.len() < 2 {
            return false;
        }
        let at = self.browser.cursor_row().unwrap_or(0);
        let here = jumps.iter().rposition(|(_, row)| *row <= at).unwrap_or(0);
        let mut clicked = false;
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 2.0;
            for (place, (key, row)) in jumps.iter().enumerate() {
                if ui
                    .add(egui::Button::selectable(
                        place == here,
                        egui::RichText::new(key).size(14.0).monospace(),
                    ))
                    .on_hover_text(t!("songs-jump-hint"))
                    .clicked()
                {
                    self.browser.go_to_row(*row);
                    clicked = true;
                }
            }
        });
        clicked
    }

    /// A pack's heading, which opens or closes the pack when clicked.
    fn pack_heading(&mut self, ui: &mut egui::Ui, name: String, songs: usize, folded: bool) {
        let chosen = self.browser.pack.as_deref() == Some(name.as_str());
        let response =
            pack_row(ui, &name, songs, folded, chosen).on_hover_text(t!("songs-pack-hint"));
        if response.clicked() {
            self.toggled = Some(name.clone());
            self.browser.pack = Some(name);
        }
    }

    /// A song's row, chosen when clicked; the chart a double click plays.
    fn song(&mut self, ui: &mut egui::Ui, index: usize) -> Option<(Arc<Level>, usize)> {
        let entry = &self.entries[index];
        let chosen = index == self.browser.song && self.browser.pack.is_none();
        let jacket = entry
            .summary
            .jacket
            .as_ref()
            .and_then(|path| self.jackets.texture(ui.ctx(), path));
        let response = song_row(ui, entry, chosen, jacket, self.book);
        if response.clicked() {
            self.browser.choose(index);
        }
        if response.double_clicked() {
            return entry.level.clone().map(|level| (level, 0));
        }
        None
    }
}

/// What Enter (or a button) starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Launch {
    Play,
    Practise,
    Record,
}

/// A recording on `level` as the song list's record row sets it: a new chart with the lanes of
/// the chosen one, or the chosen one replaced.
fn record_request(
    level: Arc<Level>,
    chart: usize,
    judge: crate::core::judge::JudgeSettings,
    selection: &Selection,
    multiplayer: bool,
) -> Result<(RecordRun, PlayRequest), String> {
    if multiplayer {
        return Err(t!("notice-record-solo"));
    }
    let chosen = &level.charts[chart];
    let setup = RecordSetup {
        snap: selection.record_snap,
        place: if selection.record_replaces {
            ChartPlace::Replacing(chosen.difficulty.clone())
        } else {
            ChartPlace::Added
        },
        lanes: chosen.lanes,
    };
    RecordRun::begin(level, &setup, judge)
}

/// A practice of `chart` as the song list's practice row sets it: one player, never failing.
fn practice_request(
    level: Arc<Level>,
    chart: usize,
    judge: crate::core::judge::JudgeSettings,
    selection: &Selection,
    multiplayer: bool,
) -> Result<PlayRequest, String> {
    if multiplayer {
        return Err(t!("notice-practice-solo"));
    }
    let last = level.measure_count();
    let from = selection.practice_from.clamp(1, last);
    let to = (selection.practice_to > 0).then(|| selection.practice_to.clamp(from, last));
    let judge = crate::core::judge::JudgeSettings {
        no_fail: true,
        ..judge
    };
    Ok(PlayRequest {
        practice: Some(crate::core::practice::Practice::new(
            from,
            to,
            selection.practice_wait,
        )?),
        ..PlayRequest::solo(level, chart, judge, PlayMode::Normal)
    })
}

/// The problems of a broken level drawn at most: `lightstick validate` lists them all.
const DRAWN_PROBLEMS: usize = 30;

/// One row's height in the song list, its jacket's side and the list's width.
const ROW_HEIGHT: f32 = 60.0;
const JACKET_SIDE: f32 = 52.0;
const LIST_WIDTH: f32 = 520.0;

/// Behind the chosen song's details while its preview plays: a wash of its main colour and
/// its motif drifting slowly up in its three colours, a glimpse of its stage. Still when the
/// picture is calm.
fn preview_backdrop(ui: &egui::Ui, level: &Level, calm: bool) {
    use super::paint::{StageMesh, mix};
    let rect = ui.max_rect();
    let [main, second, accent] = level
        .concept
        .palette
        .map(|[r, g, b]| egui::Color32::from_rgb(r, g, b));
    let time = if calm {
        0.0
    } else {
        ui.input(|i| i.time) as f32
    };
    let mut mesh = StageMesh::new();
    mesh.shaded_rect(
        rect,
        mix(colors::BACKGROUND, main, 0.16),
        colors::BACKGROUND,
    );
    for i in 0..9 {
        let rise = (time * 0.025 + i as f32 / 9.0).rem_euclid(1.0);
        let x = rect.left() + rect.width() * (0.08 + 0.84 * ((i * 41 % 9) as f32 / 8.0));
        let y = rect.bottom() - rect.height() * rise;
        let colour = [main, second, accent][i % 3];
        // Faint, and faintest near the edges, so the details stay easy to read.
        let fade = (rise * (1.0 - rise) * 4.0).min(1.0);
        super::stage_view::draw_motif(
            &mut mesh,
            egui::pos2(x, y),
            16.0 + 10.0 * ((i % 3) as f32),
            level.concept.motif,
            mix(colors::BACKGROUND, colour, 0.22 * fade),
        );
    }
    mesh.finish(ui.painter());
    if !calm {
        ui.ctx().request_repaint();
    }
}

fn difficulty_color(name: &str) -> egui::Color32 {
    match name.to_ascii_lowercase().as_str() {
        "beginner" | "easy" => egui::Color32::from_rgb(110, 220, 140),
        "normal" | "medium" => colors::ACCENT_2,
        "hard" => egui::Color32::from_rgb(255, 184, 80),
        "expert" | "challenge" | "insane" => colors::ACCENT,
        _ => egui::Color32::from_rgb(186, 140, 255),
    }
}

fn grade_color(grade: Grade) -> egui::Color32 {
    match grade {
        Grade::SS | Grade::S => egui::Color32::from_rgb(255, 226, 110),
        Grade::F => colors::ERROR,
        _ => colors::TEXT,
    }
}

/// One line of text cut with an ellipsis to `width`.
fn one_line(
    painter: &egui::Painter,
    text: &str,
    size: f32,
    color: egui::Color32,
    width: f32,
) -> Arc<egui::Galley> {
    let mut job = egui::text::LayoutJob::simple_singleline(
        text.to_string(),
        egui::FontId::proportional(size),
        color,
    );
    job.wrap = egui::text::TextWrapping {
        max_width: width.max(1.0),
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    painter.layout_job(job)
}

/// A song's row: its jacket, title and artist, and a chip per chart with its meter and the
/// best grade on it. Broken levels show their first error, and unchecked ones say so.
/// A row of the song list: its place, its click, and a painter for it when it is in view, with
/// its background drawn: outlined in `accent` when `chosen`, lit when hovered.
fn list_row(
    ui: &mut egui::Ui,
    chosen: bool,
    accent: egui::Color32,
) -> (egui::Rect, egui::Response, Option<egui::Painter>) {
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), ROW_HEIGHT),
        egui::Sense::click(),
    );
    if !ui.is_rect_visible(rect) {
        return (rect, response, None);
    }
    let painter = ui.painter_at(rect);
    if chosen {
        painter.rect(
            rect.shrink(1.0),
            8.0,
            accent.gamma_multiply(0.2),
            egui::Stroke::new(1.5, accent),
            egui::StrokeKind::Inside,
        );
    } else if response.hovered() {
        painter.rect_filled(rect.shrink(1.0), 8.0, colors::PANEL);
    }
    (rect, response, Some(painter))
}

/// A pack's heading, drawn like a song's row and aligned with the titles: an arrow that says
/// whether it is open, its name and how many songs it holds.
fn pack_row(
    ui: &mut egui::Ui,
    name: &str,
    songs: usize,
    folded: bool,
    chosen: bool,
) -> egui::Response {
    let (rect, response, painter) = list_row(ui, chosen, colors::ACCENT_2);
    let Some(painter) = painter else {
        return response;
    };
    let arrow = if folded { "▶" } else { "▼" };
    let left = egui::pos2(rect.left() + 4.0 + JACKET_SIDE / 2.0, rect.center().y);
    painter.text(
        left,
        egui::Align2::CENTER_CENTER,
        arrow,
        egui::FontId::proportional(18.0),
        colors::ACCENT_2,
    );
    let name_at = egui::pos2(rect.left() + JACKET_SIDE + 14.0, rect.center().y);
    let drawn = painter.text(
        name_at,
        egui::Align2::LEFT_CENTER,
        name,
        egui::FontId::proportional(20.0),
        colors::ACCENT_2,
    );
    painter.text(
        egui::pos2(drawn.right() + 10.0, rect.center().y),
        egui::Align2::LEFT_CENTER,
        if songs == 1 {
            t!("songs-pack-count", count = 1)
        } else {
            t!("songs-pack-count", count = songs)
        },
        egui::FontId::proportional(15.0),
        colors::DIM,
    );
    response
}

fn song_row(
    ui: &mut egui::Ui,
    entry: &LibraryEntry,
    chosen: bool,
    jacket: Option<egui::TextureId>,
    book: &ScoreBook,
) -> egui::Response {
    let (rect, response, painter) = list_row(ui, chosen, colors::ACCENT);
    let Some(painter) = painter else {
        return response;
    };
    let summary = &entry.summary;
    let art = egui::Rect::from_min_size(
        rect.left_top() + egui::vec2(4.0, (ROW_HEIGHT - JACKET_SIDE) / 2.0),
        egui::vec2(JACKET_SIDE, JACKET_SIDE),
    );
    match jacket {
        Some(texture) => {
            egui::Image::new((texture, art.size()))
                .corner_radius(6.0)
                .paint_at(ui, art);
        }
        None if summary.playable && summary.look.is_some() => {
            let look = summary.look.expect("matched above");
            let initial = entry.jump_key(SongOrder::Title, None);
            super::jackets::draw_generated(&painter, art, &look, &initial);
        }
        None => {
            // A level not read yet, or broken, gets a tile of its own colour and initial.
            let hue = summary
                .slug
                .bytes()
                .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
            let tile = egui::ecolor::Hsva::new((hue % 360) as f32 / 360.0, 0.55, 0.45, 1.0);
            painter.rect_filled(art, 6.0, egui::Color32::from(tile));
            let initial = entry.jump_key(SongOrder::Title, None);
            painter.text(
                art.center(),
                egui::Align2::CENTER_CENTER,
                if summary.playable {
                    initial
                } else {
                    "!".into()
                },
                egui::FontId::proportional(26.0),
                colors::TEXT,
            );
        }
    }
    let text_left = art.right() + 10.0;
    let chips = if summary.playable {
        summary.charts.len().min(5)
    } else {
        0
    };
    let chip = egui::vec2(30.0, 40.0);
    let chips_left = rect.right() - 6.0 - chips as f32 * (chip.x + 4.0);
    let text_width = chips_left - text_left - 8.0;
    let (title, title_color, second, second_color) = if entry.checking {
        (
            summary.slug.clone(),
            colors::DIM,
            t!("songs-row-checking"),
            colors::DIM,
        )
    } else if !summary.playable {
        let first = summary
            .errors()
            .next()
            .map(|d| format!("{} {}", d.location(), d.message))
            .unwrap_or_default();
        (
            t!("songs-row-broken", slug = summary.slug.clone()),
            colors::ERROR.gamma_multiply(0.8),
            first,
            colors::ERROR.gamma_multiply(0.6),
        )
    } else {
        (
            summary.title.clone(),
            if chosen {
                colors::TEXT
            } else {
                colors::TEXT.gamma_multiply(0.85)
            },
            summary.artist.clone(),
            if chosen { colors::ACCENT } else { colors::DIM },
        )
    };
    let title = one_line(&painter, &title, 19.0, title_color, text_width);
    painter.galley(
        rect.left_top() + egui::vec2(text_left - rect.left(), 8.0),
        title,
        title_color,
    );
    let second = one_line(&painter, &second, 14.0, second_color, text_width);
    painter.galley(
        rect.left_top() + egui::vec2(text_left - rect.left(), 34.0),
        second,
        second_color,
    );
    for (place, chart) in summary.charts.iter().take(chips).enumerate() {
        let min = egui::pos2(
            chips_left + place as f32 * (chip.x + 4.0),
            rect.center().y - chip.y / 2.0,
        );
        let area = egui::Rect::from_min_size(min, chip);
        let color = difficulty_color(&chart.difficulty);
        painter.rect(
            area,
            5.0,
            color.gamma_multiply(0.18),
            egui::Stroke::new(1.0, color.gamma_multiply(0.8)),
            egui::StrokeKind::Inside,
        );
        painter.text(
            area.center_top() + egui::vec2(0.0, 3.0),
            egui::Align2::CENTER_TOP,
            chart.meter.to_string(),
            egui::FontId::proportional(16.0),
            color,
        );
        if let Some(best) = book
            .best(&summary.slug, &chart.difficulty)
            .and_then(|r| r.cleared())
        {
            let grade = best.grade;
            painter.text(
                area.center_bottom() - egui::vec2(0.0, 3.0),
                egui::Align2::CENTER_BOTTOM,
                grade.name(),
                egui::FontId::proportional(12.0),
                grade_color(grade),
            );
        }
    }
    let mut response = response;
    if !summary.playable {
        let all: Vec<String> = summary.diagnostics.iter().map(|d| d.to_string()).collect();
        response = response.on_hover_text(all.join("\n"));
    } else {
        let charts: Vec<String> = summary
            .charts
            .iter()
            .map(|c| {
                t!(
                    "songs-chart-hover",
                    difficulty = c.difficulty.clone(),
                    meter = c.meter,
                    notes = c.notes
                )
            })
            .collect();
        response = response.on_hover_text(charts.join("\n"));
    }
    response
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

/// Reads the chosen level in full, notes and all, the first time it is chosen: the list itself
/// only needs the summaries.
fn load_chosen_level(
    browser: Res<SongBrowser>,
    mut library: ResMut<SongLibrary>,
    mut notices: ResMut<crate::notice::Notices>,
) {
    let Some(entry) = library.entries.get(browser.song) else {
        return;
    };
    if entry.level.is_some() || entry.checking || !entry.summary.playable {
        return;
    }
    let report = crate::core::level::load_level(entry.summary.folder());
    // Filling in a level changes nothing the list shows, so the list is not worked out again.
    let library = library.bypass_change_detection();
    let entry = &mut library.entries[browser.song];
    entry.summary = crate::core::level::cache::LevelSummary::of(&report);
    match report.level {
        Some(level) => library.keep_loaded(browser.song, Arc::new(level)),
        // The folder changed since it was checked: it shows broken, with its errors, until
        // the next check.
        None => notices.push(t!(
            "notice-level-broken",
            level = entry.summary.slug.clone()
        )),
    }
}

/// When another song is selected: stops the old preview and decodes the new one's stretch.
fn choose_preview(
    browser: Res<SongBrowser>,
    library: Res<SongLibrary>,
    audio: Option<Res<Audio>>,
    mut preview: ResMut<Preview>,
    mut instances: ResMut<Assets<AudioInstance>>,
    mut retired: ResMut<crate::sound::RetiredSounds>,
) {
    let entry = library.entries.get(browser.song);
    let level = entry.and_then(|e| e.level.clone());
    let wanted = (browser.song, level.as_ref().map(|l| l.audio.clone()));
    if audio.is_none() || preview.unavailable || preview.for_song.as_ref() == Some(&wanted) {
        return;
    }
    if entry.is_some_and(|e| e.level.is_none() && e.checking) {
        // Its preview starts once the check has loaded it.
        return;
    }
    // The same song with new audio (its sheet was saved) plays on until the new render is
    // ready; another song's preview stops now.
    let same_song = preview
        .for_song
        .as_ref()
        .is_some_and(|(song, _)| *song == browser.song);
    if same_song {
        preview.task = None;
    } else {
        stop_instance(&mut preview, &mut instances, &mut retired);
    }
    preview.for_song = Some(wanted);
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
    mut instances: ResMut<Assets<AudioInstance>>,
    mut retired: ResMut<crate::sound::RetiredSounds>,
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
            // A new render of the song previewed takes over from the old one.
            stop_instance(&mut preview, &mut instances, &mut retired);
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
