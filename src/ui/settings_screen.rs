//! The settings screen, in tabs: keys (every lane count, the multiplayer layouts, pads), timing
//! (offsets, calibration, judge, no fail), display, audio and the profile's settings file.
//! Changes are saved as they are made.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};

use super::song_select::key_name;
use super::{ScreenUi, colors, root_ui};
use crate::core::chart::{MAX_LANES, MIN_LANES};
use std::sync::Arc;

use crate::bindings::KeyboardLayout;
use crate::core::judge::JudgeSettings;
use crate::gameplay::calibration::{CalibrationKind, calibration_level};
use crate::gameplay::{PlayMode, PlayRequest};
use crate::input::InputPrecision;
use crate::input::{Control, ControlMessage};
use crate::library::GamePaths;
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::{ScrollSpeed, Settings, SettingsFile};

pub(super) fn plugin(app: &mut App) {
    app.init_resource::<Rebinding>()
        .init_resource::<SettingsTab>()
        .init_resource::<PadRebinding>()
        .init_resource::<LayoutRebinding>()
        .add_systems(Update, capture_pad.run_if(in_state(Screen::Settings)))
        .add_systems(
            EguiPrimaryContextPass,
            settings_ui
                .in_set(ScreenUi)
                .run_if(in_state(Screen::Settings)),
        )
        .add_systems(Update, capture_key.run_if(in_state(Screen::Settings)));
}

/// The lane waiting for a key, as (lane count, lane), and a key pressed for it that another lane
/// already has, waiting for the player to swap the two or cancel.
#[derive(Resource, Default, Debug)]
struct Rebinding {
    waiting: Option<(u8, usize)>,
    taken: Option<TakenKey>,
}

/// A key pressed for `lane` of `lanes` that `other` lane already has.
#[derive(Debug, Clone, Copy)]
struct TakenKey {
    lanes: u8,
    lane: usize,
    key: KeyCode,
    other: usize,
}

/// The settings screen's tabs.
#[derive(Resource, Default, Debug, Clone, Copy, PartialEq, Eq)]
enum SettingsTab {
    #[default]
    Keys,
    Timing,
    Display,
    Audio,
    Profile,
}

impl SettingsTab {
    const ALL: [SettingsTab; 5] = [
        SettingsTab::Keys,
        SettingsTab::Timing,
        SettingsTab::Display,
        SettingsTab::Audio,
        SettingsTab::Profile,
    ];

    fn name(self) -> String {
        match self {
            SettingsTab::Keys => t!("settings-tab-keys"),
            SettingsTab::Timing => t!("settings-tab-timing"),
            SettingsTab::Display => t!("settings-tab-display"),
            SettingsTab::Audio => t!("settings-tab-audio"),
            SettingsTab::Profile => t!("settings-tab-profile"),
        }
    }
}

/// The pad lane waiting for a button: (lane count, lane) of the shared mapping, or a lane of
/// one pad's own mapping (by its name).
#[derive(Resource, Default, Debug)]
struct PadRebinding(Option<(u8, usize)>, Option<(String, usize)>);

/// The multiplayer layout lane waiting for a key, and why the last key was refused.
#[derive(Resource, Default, Debug)]
struct LayoutRebinding {
    waiting: Option<(KeyboardLayout, usize)>,
    refused: Option<String>,
}

/// Takes the next pad button pressed for the lane waiting for one.
fn capture_pad(
    mut controls: MessageReader<ControlMessage>,
    mut rebinding: ResMut<PadRebinding>,
    registry: Res<crate::input::PadRegistry>,
    mut settings: ResMut<Settings>,
) {
    for message in controls.read() {
        let (Control::Pad { pad, button }, true) = (&message.control, message.pressed) else {
            continue;
        };
        if let Some((lanes, lane)) = rebinding.0 {
            settings.set_pad(lanes, lane, button.clone());
            rebinding.0 = None;
        }
        // A pad's own mapping takes buttons from that pad only.
        if let Some((name, lane)) = rebinding.1.clone()
            && registry.name(*pad) == Some(name.as_str())
        {
            settings.set_pad_of(&name, lane, button.clone());
            rebinding.1 = None;
        }
    }
}

fn capture_key(
    keys: Res<ButtonInput<KeyCode>>,
    mut rebinding: ResMut<Rebinding>,
    mut layout_rebinding: ResMut<LayoutRebinding>,
    mut settings: ResMut<Settings>,
) {
    if let Some((layout, lane)) = layout_rebinding.waiting
        && let Some(key) = keys.get_just_pressed().next()
    {
        if *key == KeyCode::Escape {
            layout_rebinding.waiting = None;
            layout_rebinding.refused = None;
            return;
        }
        // Another player's key is refused, and the lane keeps waiting for one that is free.
        match settings.set_layout_key(layout, lane, *key) {
            Ok(()) => {
                layout_rebinding.waiting = None;
                layout_rebinding.refused = None;
            }
            Err(why) => layout_rebinding.refused = Some(why),
        }
        return;
    }
    if rebinding.taken.is_some() && keys.just_pressed(KeyCode::Escape) {
        rebinding.taken = None;
        return;
    }
    let Some((lanes, lane)) = rebinding.waiting else {
        return;
    };
    if let Some(&key) = keys.get_just_pressed().next() {
        rebinding.waiting = None;
        if key == KeyCode::Escape {
            return;
        }
        // A key another lane has is never swapped behind the player's back: they choose.
        let keys = settings.keys_for(lanes);
        match keys.iter().position(|k| *k == key) {
            Some(other) if other != lane => {
                rebinding.taken = Some(TakenKey {
                    lanes,
                    lane,
                    key,
                    other,
                });
            }
            _ => settings.set_key(lanes, lane, key),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn settings_ui(
    mut contexts: EguiContexts,
    mut settings: ResMut<Settings>,
    file: Res<SettingsFile>,
    precision: Res<InputPrecision>,
    mut rebinding: ResMut<Rebinding>,
    mut pad_rebinding: ResMut<PadRebinding>,
    mut layout_rebinding: ResMut<LayoutRebinding>,
    mut tab: ResMut<SettingsTab>,
    registry: Res<crate::input::PadRegistry>,
    mut next: ResMut<NextState<Screen>>,
    paths: Res<GamePaths>,
    mut notices: ResMut<Notices>,
    mut commands: Commands,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let choosing = rebinding.waiting.is_some()
        || rebinding.taken.is_some()
        || layout_rebinding.waiting.is_some();
    if !choosing && ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
        next.set(Screen::Title);
    }
    // Edit a copy so the settings are only marked changed (and saved) when something changed.
    let mut edited = settings.clone();
    let mut calibrate = None;
    let mut root = root_ui(ctx, "settings");
    egui::Panel::top("settings-tabs").show(&mut root, |ui| {
        ui.horizontal(|ui| {
            if super::menu_button(ui, &t!("common-back-esc")).clicked() {
                next.set(Screen::Title);
            }
            ui.heading(t!("settings-heading", name = paths.profile.name.clone()));
        });
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            for each in SettingsTab::ALL {
                let response = ui.add_sized(
                    [140.0, 36.0],
                    egui::Button::selectable(
                        *tab == each,
                        egui::RichText::new(each.name()).size(20.0),
                    ),
                );
                super::note_button(ui, &each.name(), &response);
                if response.clicked() {
                    *tab = each;
                }
            }
        });
        ui.add_space(4.0);
    });
    egui::CentralPanel::default().show(&mut root, |ui| {
        for problem in &file.problems {
            ui.colored_label(colors::ERROR, problem);
        }
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| {
                ui.spacing_mut().slider_width = 320.0;
                match *tab {
                    SettingsTab::Keys => keys_tab(
                        ui,
                        &mut edited,
                        &mut rebinding,
                        &mut pad_rebinding,
                        &mut layout_rebinding,
                        &registry,
                        &precision,
                    ),
                    SettingsTab::Timing => {
                        calibrate = timing_tab(ui, &mut edited, &registry);
                    }
                    SettingsTab::Display => display_tab(ui, &mut edited),
                    SettingsTab::Audio => audio_tab(ui, &mut edited),
                    SettingsTab::Profile => profile_tab(ui, &mut edited, &file, &paths),
                }
            });
    });
    if edited != *settings {
        *settings = edited.sanitized();
    }
    if let Some(kind) = calibrate {
        match calibration_level(&paths.data_dir) {
            Ok(level) => {
                let judge = JudgeSettings {
                    no_fail: true,
                    ..JudgeSettings::default()
                };
                commands.insert_resource(PlayRequest::solo(
                    Arc::new(level),
                    0,
                    judge,
                    PlayMode::Calibrate(kind),
                ));
                next.set(Screen::Gameplay);
            }
            Err(e) => notices.push(e),
        }
    }
    Ok(())
}

/// Keys for every lane count, the multiplayer keyboard layouts and the pads, and how precisely
/// this machine stamps presses.
fn keys_tab(
    ui: &mut egui::Ui,
    edited: &mut Settings,
    rebinding: &mut Rebinding,
    pad_rebinding: &mut PadRebinding,
    layout_rebinding: &mut LayoutRebinding,
    registry: &crate::input::PadRegistry,
    precision: &InputPrecision,
) {
    ui.heading(t!("settings-keys-heading"));
    let prompt = match (&rebinding.waiting, &rebinding.taken) {
        (Some((lanes, lane)), _) => Some(t!("settings-press-key", lane = lane + 1, lanes = *lanes)),
        _ => None,
    };
    match prompt {
        Some(prompt) => {
            ui.colored_label(colors::ACCENT, egui::RichText::new(prompt).size(20.0));
        }
        None => {
            ui.colored_label(colors::DIM, t!("settings-click-lane"));
        }
    }
    if let Some(taken) = rebinding.taken {
        taken_key(ui, edited, rebinding, taken);
    }
    for lanes in MIN_LANES..=MAX_LANES {
        ui.horizontal(|ui| {
            ui.label(t!("settings-lanes", lanes = lanes));
            for (lane, key) in edited.keys_for(lanes).iter().enumerate() {
                let waiting = rebinding.waiting == Some((lanes, lane));
                if binding_button(ui, &key_name(key), waiting, 64.0).clicked() {
                    rebinding.waiting = Some((lanes, lane));
                    rebinding.taken = None;
                }
            }
        });
    }
    ui.colored_label(colors::DIM, super::phrases::precision(*precision));
    ui.add_space(8.0);
    ui.heading(t!("settings-multiplayer-keyboards"));
    match layout_rebinding.waiting {
        Some((layout, lane)) => ui.colored_label(
            colors::ACCENT,
            t!(
                "settings-press-layout-key",
                lane = lane + 1,
                layout = layout.name()
            ),
        ),
        None => ui.colored_label(colors::DIM, t!("settings-layouts-own-keys")),
    };
    for layout in KeyboardLayout::ALL {
        ui.horizontal(|ui| {
            ui.label(layout.name());
            for (lane, key) in edited.keys_of_layout(layout).iter().enumerate() {
                let waiting = layout_rebinding.waiting == Some((layout, lane));
                if binding_button(ui, &key_name(key), waiting, 96.0).clicked() {
                    layout_rebinding.waiting = Some((layout, lane));
                    layout_rebinding.refused = None;
                }
            }
        });
    }
    if let Some(why) = &layout_rebinding.refused {
        ui.colored_label(colors::ERROR, why);
    }
    ui.add_space(8.0);
    pads(ui, edited, pad_rebinding, registry);
}

/// A key pressed for a lane that another lane has: it is named, and the player swaps the two
/// keys or keeps them as they were.
fn taken_key(ui: &mut egui::Ui, edited: &mut Settings, rebinding: &mut Rebinding, taken: TakenKey) {
    egui::Frame::new()
        .fill(colors::ACCENT.gamma_multiply(0.15))
        .corner_radius(6.0)
        .inner_margin(8.0)
        .show(ui, |ui| {
            ui.colored_label(
                colors::TEXT,
                t!(
                    "settings-key-taken",
                    key = key_name(&taken.key),
                    lane = taken.other + 1,
                    lanes = taken.lanes
                ),
            );
            ui.horizontal(|ui| {
                let swap = t!(
                    "settings-swap",
                    lane = taken.other + 1,
                    key = key_name(&edited.keys_for(taken.lanes)[taken.lane])
                );
                if ui.button(swap).clicked() {
                    edited.set_key(taken.lanes, taken.lane, taken.key);
                    rebinding.taken = None;
                }
                if ui.button(t!("common-cancel")).clicked() {
                    rebinding.taken = None;
                }
            });
        });
}

/// The pads' and dance mats' buttons: the shared mapping per lane count, and each connected
/// pad's own 4-lane mapping.
fn pads(
    ui: &mut egui::Ui,
    edited: &mut Settings,
    pad_rebinding: &mut PadRebinding,
    registry: &crate::input::PadRegistry,
) {
    ui.heading(t!("settings-pads-heading"));
    ui.colored_label(colors::DIM, t!("settings-pads-hint"));
    for lanes in MIN_LANES..=MAX_LANES {
        ui.horizontal(|ui| {
            ui.label(t!("settings-lanes", lanes = lanes));
            for (lane, buttons) in edited.pads_for(lanes).iter().enumerate() {
                let waiting = pad_rebinding.0 == Some((lanes, lane));
                if pad_button(ui, buttons, waiting).clicked() {
                    pad_rebinding.0 = Some((lanes, lane));
                }
            }
        });
    }
    let mut names: Vec<String> = registry.names().map(str::to_string).collect();
    names.extend(edited.pad_overrides.keys().cloned());
    names.sort();
    names.dedup();
    for name in names {
        ui.horizontal(|ui| {
            ui.label(t!("settings-pad-own", name = name.clone()));
            for (lane, buttons) in edited.pads_for_pad(&name, 4).iter().enumerate() {
                let waiting = pad_rebinding.1 == Some((name.clone(), lane));
                if pad_button(ui, buttons, waiting).clicked() {
                    pad_rebinding.1 = Some((name.clone(), lane));
                }
            }
            if edited.pad_overrides.contains_key(&name)
                && ui.button(t!("settings-pad-shared")).clicked()
            {
                edited.pad_overrides.remove(&name);
            }
        });
    }
}

/// Offsets, their calibration, the judge and no fail; the calibration asked for, if any.
fn timing_tab(
    ui: &mut egui::Ui,
    edited: &mut Settings,
    registry: &crate::input::PadRegistry,
) -> Option<CalibrationKind> {
    let mut calibrate = None;
    ui.heading(t!("settings-timing-heading"));
    ui.add(
        egui::Slider::new(&mut edited.audio_offset_ms, -300.0..=300.0)
            .step_by(1.0)
            .suffix(" ms")
            .text(t!("settings-keyboard-offset")),
    );
    pad_offsets(ui, edited, registry);
    ui.add(
        egui::Slider::new(&mut edited.visual_offset_ms, -300.0..=300.0)
            .step_by(1.0)
            .suffix(" ms")
            .text(t!("settings-visual-offset")),
    );
    ui.horizontal(|ui| {
        if ui
            .button(t!("settings-calibrate-input"))
            .on_hover_text(t!("settings-calibrate-input-hint"))
            .clicked()
        {
            calibrate = Some(CalibrationKind::Audio);
        }
        if ui.button(t!("settings-check-visual")).clicked() {
            calibrate = Some(CalibrationKind::Visual);
        }
    });
    ui.add_space(8.0);
    ui.add(
        egui::Slider::new(&mut edited.judge_difficulty, 1..=9)
            .prefix("J")
            .text(t!("settings-judge")),
    );
    ui.checkbox(&mut edited.no_fail, t!("settings-no-fail"));
    if !edited.level_offsets.is_empty() {
        ui.add_space(8.0);
        ui.collapsing(t!("settings-song-offsets"), |ui| {
            let mut remove = None;
            for (slug, ms) in &edited.level_offsets {
                ui.horizontal(|ui| {
                    ui.label(format!("{slug}: {ms:+.0} ms"));
                    if ui.small_button(t!("common-remove")).clicked() {
                        remove = Some(slug.clone());
                    }
                });
            }
            if let Some(slug) = remove {
                edited.level_offsets.remove(&slug);
            }
        });
    }
    calibrate
}

/// Each pad's or mat's own input offset: the ones connected now and the ones set before. A pad
/// without its own takes the keyboard's.
fn pad_offsets(ui: &mut egui::Ui, edited: &mut Settings, registry: &crate::input::PadRegistry) {
    let mut names: Vec<String> = registry.names().map(str::to_string).collect();
    names.extend(edited.pad_offsets.keys().cloned());
    names.sort();
    names.dedup();
    for name in names {
        ui.horizontal(|ui| {
            let keyboard = edited.audio_offset_ms;
            let mut own = edited.pad_offsets.get(&name).copied();
            let mut has_own = own.is_some();
            ui.checkbox(&mut has_own, t!("settings-pad-offset", name = name.clone()));
            match (has_own, own.as_mut()) {
                (true, Some(ms)) => {
                    ui.add(
                        egui::Slider::new(ms, -300.0..=300.0)
                            .step_by(1.0)
                            .suffix(" ms"),
                    );
                }
                (true, None) => own = Some(keyboard),
                (false, _) => {
                    own = None;
                    ui.colored_label(
                        colors::DIM,
                        t!("settings-pad-uses-keyboard", ms = format!("{keyboard:+.0}")),
                    );
                }
            }
            match own {
                Some(ms) => edited.pad_offsets.insert(name.clone(), ms),
                None => edited.pad_offsets.remove(&name),
            };
        });
    }
}

/// The scroll speed, the window and the stage behind the notes.
fn display_tab(ui: &mut egui::Ui, edited: &mut Settings) {
    language_choice(ui, edited);
    ui.heading(t!("settings-scroll-heading"));
    ui.horizontal(|ui| {
        let constant = matches!(edited.scroll, ScrollSpeed::Constant(_));
        if ui
            .radio(!constant, t!("settings-scroll-multiplier"))
            .clicked()
            && constant
        {
            edited.scroll = ScrollSpeed::Multiplier(3.0);
        }
        if ui.radio(constant, t!("settings-scroll-constant")).clicked() && !constant {
            edited.scroll = ScrollSpeed::Constant(700.0);
        }
    });
    match &mut edited.scroll {
        ScrollSpeed::Multiplier(x) => {
            ui.add(egui::Slider::new(x, 0.25..=10.0).step_by(0.25).prefix("×"));
        }
        ScrollSpeed::Constant(speed) => {
            ui.add(
                egui::Slider::new(speed, 100.0..=3000.0)
                    .step_by(10.0)
                    .suffix(" px/s"),
            );
        }
    }
    ui.add_space(12.0);
    ui.heading(t!("settings-window-heading"));
    ui.checkbox(&mut edited.fullscreen, t!("settings-fullscreen"));
    ui.horizontal(|ui| {
        ui.label(t!("settings-stage"));
        for (detail, label) in [
            (crate::settings::StageDetail::Off, t!("settings-stage-off")),
            (crate::settings::StageDetail::Low, t!("settings-stage-low")),
            (
                crate::settings::StageDetail::Full,
                t!("settings-stage-full"),
            ),
        ] {
            ui.radio_value(&mut edited.stage, detail, label);
        }
    });
    let mut opacity = edited.highway_opacity * 100.0;
    ui.add(
        egui::Slider::new(
            &mut opacity,
            crate::settings::MIN_HIGHWAY_OPACITY * 100.0..=100.0,
        )
        .suffix(" %")
        .text(t!("settings-highway-opacity")),
    );
    edited.highway_opacity = opacity / 100.0;
    accessibility(ui, edited);
}

/// The menus' language: the system's, or one chosen.
fn language_choice(ui: &mut egui::Ui, edited: &mut Settings) {
    use crate::i18n::{Language, SYSTEM_LANGUAGE};
    let name_of = |setting: &str| match Language::from_code(setting) {
        Some(language) => language.native_name().to_string(),
        None => t!(
            "settings-language-system",
            language = Language::of_system().native_name()
        ),
    };
    ui.horizontal(|ui| {
        ui.label(t!("settings-language"));
        egui::ComboBox::from_id_salt("language")
            .selected_text(name_of(&edited.language))
            .show_ui(ui, |ui| {
                let choices =
                    std::iter::once(SYSTEM_LANGUAGE).chain(Language::ALL.iter().map(|l| l.code()));
                for code in choices {
                    let chosen = edited.language == code;
                    if ui.selectable_label(chosen, name_of(code)).clicked() {
                        edited.language = code.to_string();
                    }
                }
            });
    });
    ui.add_space(8.0);
}

/// Note colours for colour vision, shapes per lane, a calm picture, and the menus' size.
fn accessibility(ui: &mut egui::Ui, edited: &mut Settings) {
    use crate::settings::NotePalette;
    ui.add_space(8.0);
    ui.heading(t!("settings-accessibility"));
    ui.horizontal(|ui| {
        ui.label(t!("settings-note-colours"));
        let before = edited.note_palette;
        egui::ComboBox::from_id_salt("note-palette")
            .selected_text(edited.note_palette.name())
            .show_ui(ui, |ui| {
                for palette in NotePalette::ALL {
                    ui.selectable_value(&mut edited.note_palette, palette, palette.name());
                }
            });
        // A palette for colour vision comes with shapes: colour alone is not enough.
        if edited.note_palette != before && edited.note_palette != NotePalette::Standard {
            edited.lane_shapes = true;
        }
    });
    ui.checkbox(&mut edited.lane_shapes, t!("settings-lane-shapes"));
    ui.checkbox(&mut edited.calm, t!("settings-calm"));
    ui.horizontal(|ui| {
        ui.label(t!("settings-ui-scale"));
        egui::ComboBox::from_id_salt("ui-scale")
            .selected_text(format!("{:.0} %", edited.ui_scale * 100.0))
            .show_ui(ui, |ui| {
                for scale in [0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0] {
                    ui.selectable_value(
                        &mut edited.ui_scale,
                        scale,
                        format!("{:.0} %", scale * 100.0),
                    );
                }
            });
        ui.colored_label(colors::DIM, t!("settings-ui-scale-hint"));
    });
}

/// The volume of the music and the game's sounds.
fn audio_tab(ui: &mut egui::Ui, edited: &mut Settings) {
    ui.heading(t!("settings-audio-heading"));
    let mut volume = edited.volume * 100.0;
    ui.add(
        egui::Slider::new(&mut volume, 0.0..=100.0)
            .suffix(" %")
            .text(t!("settings-volume")),
    );
    edited.volume = volume / 100.0;
}

/// Where this profile's settings are kept, and going back to the defaults.
fn profile_tab(ui: &mut egui::Ui, edited: &mut Settings, file: &SettingsFile, paths: &GamePaths) {
    ui.heading(t!(
        "settings-profile-heading",
        name = paths.profile.name.clone()
    ));
    ui.colored_label(colors::DIM, t!("settings-profile-own"));
    ui.colored_label(
        colors::DIM,
        t!("settings-saved-in", path = file.path.display().to_string()),
    );
    ui.add_space(12.0);
    if ui.button(t!("settings-reset")).clicked() {
        *edited = Settings::default();
    }
}

/// A lane's key as a button; "…" while it waits for the next key.
fn binding_button(ui: &mut egui::Ui, key: &str, waiting: bool, width: f32) -> egui::Response {
    let text = if waiting { "…" } else { key };
    let button = egui::Button::new(egui::RichText::new(text).monospace())
        .selected(waiting)
        .fill(colors::PANEL)
        .stroke(egui::Stroke::new(1.0, colors::DIM));
    ui.add_sized([width, 32.0], button)
}

/// A lane's pad buttons as a button; "…" while it waits for the next press.
fn pad_button(ui: &mut egui::Ui, buttons: &[String], waiting: bool) -> egui::Response {
    let text = if waiting {
        "…".to_string()
    } else {
        buttons.join(" / ")
    };
    let button = egui::Button::new(egui::RichText::new(text).small())
        .selected(waiting)
        .fill(colors::PANEL)
        .stroke(egui::Stroke::new(1.0, colors::DIM));
    ui.add_sized([110.0, 30.0], button)
}
