//! The gameplay screen: the note highway with receptors, notes, holds and mines, the judgement
//! flash, combo, score, accuracy, life and progress, and the pause menu.

use bevy::prelude::*;
use bevy_egui::{EguiContexts, EguiPrimaryContextPass, egui};
use egui::{Align2, Color32, FontId, Pos2, Rect, Stroke, pos2, vec2};

use super::stage_view::{IdolOnStage, LightstickLook, OutfitLook, StageFrame, draw_stage};
use super::{ScreenUi, colors, root_ui};
use crate::core::chart::Chart;
use crate::core::chart::NoteKind;
use crate::core::judge::{Judge, LaneInput};
use crate::core::judgement::{HoldResult, JudgeEvent, Judgement};
use crate::core::level::format::{PROMPT_BEATS, Prompt, prompt_at};
use crate::core::merch::Shape;
use crate::core::multiplayer::PartSplit;
use crate::gameplay::audio::SongAudio;
use crate::gameplay::calibration::{CalibrationKind, click_times, measure};
use crate::gameplay::clock::{ClockPhase, ClockSource, SongClock};
use crate::gameplay::pause::Pause;
use crate::gameplay::session::PlaySession;
use crate::gameplay::{
    PlayCommand, PlayMode, PlayRequest, PlayState, Player, PlayerFeedback, PlayerSeat,
};
use crate::screens::Screen;
use crate::settings::{NotePalette, PIXELS_PER_BEAT, ScrollSpeed, Settings};

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        EguiPrimaryContextPass,
        play_ui.in_set(ScreenUi).run_if(in_state(Screen::Gameplay)),
    );
}

/// How a player tells the lanes apart: their colours, and with lane shapes on, their shapes.
#[derive(Clone, Copy, Debug)]
struct LaneLook {
    palette: NotePalette,
    shapes: bool,
}

impl LaneLook {
    fn of(settings: &Settings) -> LaneLook {
        LaneLook {
            palette: settings.note_palette,
            shapes: settings.lane_shapes,
        }
    }

    /// Symmetric lane colours, outside in (standard: pink, sky, violet, gold).
    fn color(self, lane: u8, lanes: u8) -> Color32 {
        let [r, g, b] = self.palette.lane_rgb(from_edge(lane, lanes));
        Color32::from_rgb(r, g, b)
    }

    /// The lane's own shape when lane shapes are on: outside in, a bar, a diamond, a star, a
    /// heart. `None`: the note skin's, or the plain bar.
    fn shape(self, lane: u8, lanes: u8) -> Option<Shape> {
        self.shapes.then(|| {
            [Shape::Round, Shape::Diamond, Shape::Star, Shape::Heart]
                [usize::from(from_edge(lane, lanes).min(3))]
        })
    }
}

/// How many lanes in from the nearer side `lane` is.
fn from_edge(lane: u8, lanes: u8) -> u8 {
    lane.min(lanes.saturating_sub(1).saturating_sub(lane))
}

pub fn judgement_color(judgement: Judgement) -> Color32 {
    match judgement {
        Judgement::Perfect => Color32::from_rgb(130, 240, 255),
        Judgement::Great => Color32::from_rgb(120, 240, 150),
        Judgement::Good => Color32::from_rgb(250, 220, 100),
        Judgement::Bad => Color32::from_rgb(255, 150, 80),
        Judgement::Miss => Color32::from_rgb(255, 80, 90),
    }
}

#[allow(clippy::too_many_arguments)]
fn play_ui(
    mut contexts: EguiContexts,
    players: Query<PlayerView>,
    session: Option<Res<PlaySession>>,
    dancers: Query<(
        &Player,
        &crate::gameplay::stage::Dancer,
        Option<&crate::fans::Looks>,
    )>,
    crowd: Res<crate::gameplay::stage::Crowd>,
    stage_override: Option<Res<crate::gameplay::stage::StageOverride>>,
    tour: Option<Res<crate::tour::TourRun>>,
    clock: Option<Res<SongClock>>,
    settings: Res<Settings>,
    state: Res<PlayState>,
    pause: Res<State<Pause>>,
    request: Option<Res<PlayRequest>>,
    song: Res<SongAudio>,
    practice: Option<Res<crate::gameplay::practice::PracticeRun>>,
    mut commands: MessageWriter<PlayCommand>,
) -> Result {
    let ctx = contexts.ctx_mut()?;
    let (Some(clock), Some(request), Some(session)) = (clock, request, session) else {
        return Ok(());
    };
    let mut seated: Vec<SeatView> = players
        .iter()
        .filter_map(|(player, feedback, seat, looks, cover)| {
            Some(SeatView {
                index: player.index,
                judge: session.judge(player.seat())?,
                recorded: session.recorded(player.seat()),
                feedback,
                seat,
                left: session.has_left(player.seat()),
                looks,
                cover: cover.map(|c| c.0),
            })
        })
        .collect();
    seated.sort_by_key(|s| s.index);
    let group_life = session.is_group().then(|| session.life(0));
    // Keep drawing every frame: the notes move without any input.
    ctx.request_repaint();
    let detail = stage_override
        .as_ref()
        .and_then(|o| o.detail)
        .unwrap_or(settings.stage);
    // The window is cleared to the background colour; a full-screen fill on top would only
    // cost a software renderer another pass over every pixel.
    let background = Color32::TRANSPARENT;
    let mut root = root_ui(ctx, "gameplay");
    egui::CentralPanel::default()
        .frame(egui::Frame::new().fill(background))
        .show(&mut root, |ui| {
            let rect = ui.max_rect();
            let painter = ui.painter_at(rect);
            let rate = clock.rate();
            let shown_time =
                clock.heard_now(request.audio_offset(&settings) + request.visual_offset(&settings));
            // With the stage off, draw_stage draws only a calm backdrop.
            if !matches!(request.mode, PlayMode::Calibrate(_)) {
                let level = &request.level;
                let beat = level.timing.beat_at_time(shown_time);
                let mut idols: Vec<_> = dancers.iter().collect();
                idols.sort_by_key(|(p, ..)| p.index);
                let count = idols.len();
                let choreography = &level.choreography;
                let frame = StageFrame {
                    detail,
                    concept: &level.concept,
                    // The command line's venue, else a tour stage's, else the level's.
                    venue: stage_override
                        .as_ref()
                        .and_then(|o| o.venue)
                        .or(tour.as_ref().map(|t| t.stage.venue))
                        .unwrap_or(level.concept.venue),
                    time: shown_time,
                    beat,
                    bpm: level.timing.bpm_at_beat(beat),
                    bar_beats: 4.0,
                    section: level
                        .sections
                        .iter()
                        .rev()
                        .find(|(from, _)| *from <= beat)
                        .map(|(from, kind)| (*kind, *from)),
                    dancers: idols
                        .iter()
                        .enumerate()
                        .map(|(i, (_, dancer, looks))| {
                            // Alone, the idol dances beside the highway, which covers
                            // centre stage; formations place the dancers of several players.
                            let at = if count == 1 {
                                (-0.62, 0.1)
                            } else {
                                choreography.position(i, count, beat)
                            };
                            // On the group stage, the member whose line it is steps forward
                            // into a follow-spot.
                            let spotlight = session
                                .split()
                                .map_or(0.0, |split| split.forwardness(i as u8 + 1, beat));
                            let at = (
                                at.0 * (1.0 - 0.5 * spotlight),
                                (at.1 - 0.18 * spotlight).max(0.0),
                            );
                            let outfit =
                                looks
                                    .and_then(|l| l.outfit.as_ref())
                                    .map(|item| OutfitLook {
                                        colour: item.colour,
                                        print: item.shape,
                                    });
                            IdolOnStage {
                                dancer,
                                at,
                                facing: choreography.facing(beat),
                                outfit,
                                member: i,
                                spotlight,
                            }
                        })
                        .collect(),
                    crowd: &crowd,
                    lightsticks: idols
                        .iter()
                        .map(|(_, _, looks)| {
                            looks.and_then(|l| l.lightstick.as_ref()).map_or_else(
                                LightstickLook::default,
                                |item| LightstickLook {
                                    colour: item.colour,
                                    shape: item.shape,
                                },
                            )
                        })
                        .collect(),
                    calm: settings.calm,
                };
                draw_stage(&painter, rect, &frame);
            }
            if let PlayMode::Calibrate(kind) = request.mode {
                for player in &seated {
                    draw_calibration(&painter, rect, kind, player, shown_time);
                }
            } else {
                let count = seated.len().max(1);
                let compact = count > 1;
                let columns = highway_columns(rect, count);
                for (player, column) in seated.iter().zip(columns) {
                    let view = HighwayView {
                        column,
                        compact,
                        scroll: player.seat.map_or(settings.scroll, |s| s.scroll),
                        seat: player.seat,
                        split: session.split(),
                        whole: session
                            .whole_chart(usize::from(player.index))
                            .filter(|_| session.is_group()),
                        life: session.life(usize::from(player.index)),
                        left: player.left,
                        skin: player.looks.and_then(|l| l.note_skin.as_ref()),
                        opacity: player
                            .seat
                            .map_or(settings.highway_opacity, |s| s.highway_opacity),
                        look: LaneLook::of(&settings),
                        calm: settings.calm,
                    };
                    draw_highway(&painter, &view, player, player.feedback, shown_time, &clock);
                }
                if compact {
                    draw_standings(&painter, rect, &seated, group_life);
                }
            }
            // Song information and status along the top.
            let level = &request.level;
            let chart = &level.charts[request.chart];
            painter.text(
                rect.left_top() + vec2(20.0, 16.0),
                Align2::LEFT_TOP,
                format!("{} — {}", level.title, level.artist),
                super::fonts::display(ctx, 20.0),
                colors::TEXT,
            );
            let mut mode = match request.mode {
                PlayMode::Normal | PlayMode::Calibrate(_) => String::new(),
                PlayMode::Autoplay => format!("  ·  {}", t!("play-autoplay")),
                PlayMode::Replay(_) => format!("  ·  {}", t!("play-replay")),
            };
            if let Some(part) = request.part {
                mode.push_str(&format!("  ·  {}", super::phrases::group_part(part)));
            }
            let what = match (request.seats.len(), request.group) {
                (0, _) if request.judge.mods.label().is_empty() => {
                    format!("{} {}", chart.difficulty, chart.meter)
                }
                (0, _) => format!(
                    "{} {}  ·  {}",
                    chart.difficulty,
                    chart.meter,
                    super::mods_view::mods_summary(&request.judge.mods).unwrap_or_default()
                ),
                (n, true) => t!("play-group-members", count = n),
                (n, false) => t!("play-versus-players", count = n),
            };
            // A practice's panel runs down the right, clear of the standings.
            if let (Some(run), Some(player)) = (&practice, seated.first()) {
                super::practice_view::draw_practice(&painter, rect, run, player.judge, rate);
            }
            painter.text(
                rect.left_top() + vec2(20.0, 42.0),
                Align2::LEFT_TOP,
                format!("{what}{mode}"),
                FontId::proportional(16.0),
                colors::ACCENT,
            );
            // The input's precision is for Settings; during play only what a player must know.
            let mut status = Vec::new();
            if clock.source() == ClockSource::Wall {
                status.push(t!("play-no-sound"));
            }
            if rate != 1.0 {
                status.push(t!("play-rate", rate = format!("{rate:.2}")));
            }
            if !status.is_empty() {
                painter.text(
                    rect.left_bottom() + vec2(20.0, -16.0),
                    Align2::LEFT_BOTTOM,
                    status.join("  ·  "),
                    FontId::proportional(13.0),
                    colors::DIM,
                );
            }
            // A lesson's words for this moment of the song.
            let beat_now = level.timing.beat_at_time(shown_time);
            if let Some((prompt, alpha)) = shown_prompt(&level.prompts, beat_now) {
                let text = prompt.text_in(crate::i18n::language().code());
                draw_prompt(&painter, rect, text, alpha);
            }
            // Progress through the song.
            let length = chart.last_time().max(1.0);
            let progress = (clock.now() / length).clamp(0.0, 1.0) as f32;
            let bar =
                Rect::from_min_size(rect.left_top() + vec2(0.0, 0.0), vec2(rect.width(), 4.0));
            painter.rect_filled(bar, 0.0, colors::PANEL);
            painter.rect_filled(
                Rect::from_min_size(bar.min, vec2(bar.width() * progress, 4.0)),
                0.0,
                colors::ACCENT_2,
            );
            // The count-in and waits.
            let centre = rect.center();
            let message = match clock.phase() {
                ClockPhase::Loading => Some(match song.loading_progress() {
                    p if p > 0.0 && p < 1.0 => {
                        t!("play-rendering", percent = format!("{:.0}", p * 100.0))
                    }
                    _ => t!("common-loading"),
                }),
                ClockPhase::LeadIn if clock.now() < clock.start() => Some(
                    format!("{}", (clock.start() - clock.now()).ceil() as i64).replace('0', "Go"),
                ),
                ClockPhase::WaitingForAudio => Some(t!("play-starting-music")),
                _ => None,
            };
            if let Some(message) = message {
                painter.text(
                    centre - vec2(0.0, 120.0),
                    Align2::CENTER_CENTER,
                    message,
                    super::fonts::display(ctx, 44.0),
                    colors::TEXT,
                );
            }
            // A song sheet renders before its first play: a bar says how far along it is.
            if clock.phase() == ClockPhase::Loading {
                let done = song.loading_progress().clamp(0.0, 1.0);
                let bar = Rect::from_center_size(centre - vec2(0.0, 70.0), vec2(420.0, 10.0));
                painter.rect_filled(bar, 5.0, colors::PANEL);
                painter.rect_filled(
                    Rect::from_min_size(bar.min, vec2(bar.width() * done, bar.height())),
                    5.0,
                    colors::ACCENT,
                );
            }
            if state.done_at.is_some()
                && !matches!(request.mode, PlayMode::Calibrate(_))
                && let Some(player) = seated.first()
            {
                let score = player.judge.score();
                let group_failed = session.group_failed_at().is_some();
                let (text, color) = if score.failed() || group_failed {
                    (t!("results-failed"), colors::ERROR)
                } else if score.all_perfect() {
                    (
                        t!("results-all-perfect"),
                        judgement_color(Judgement::Perfect),
                    )
                } else if score.full_combo() {
                    (t!("results-full-combo"), colors::GOOD)
                } else {
                    (t!("play-cleared"), colors::ACCENT)
                };
                let since = state
                    .done_at
                    .map_or(0.0, |done| (clock.now() - done).max(0.0));
                let celebrating = (score.full_combo() || score.all_perfect())
                    && !(score.failed() || group_failed);
                if celebrating && !settings.calm {
                    draw_celebration(&painter, rect, since, score.all_perfect());
                }
                // The banner pops in and settles.
                let pop = 1.0 + 0.3 * (1.0 - (since / 0.25).min(1.0)) as f32;
                let size = (64.0 * pop).round();
                let banner = super::fonts::display(ctx, size);
                painter.text(
                    centre + vec2(3.0, 3.0),
                    Align2::CENTER_CENTER,
                    &text,
                    banner.clone(),
                    Color32::from_black_alpha(160),
                );
                painter.text(centre, Align2::CENTER_CENTER, text, banner, color);
            }
        });
    if pause.0 {
        let (resume, restart, quit) = ctx.input(|i| {
            (
                i.key_pressed(egui::Key::Enter),
                i.key_pressed(egui::Key::R),
                i.key_pressed(egui::Key::Q),
            )
        });
        if resume {
            commands.write(PlayCommand::Resume);
        } else if restart {
            commands.write(PlayCommand::Restart);
        } else if quit {
            commands.write(PlayCommand::Quit);
        }
        egui::Area::new("pause-dim".into())
            .order(egui::Order::Middle)
            .fixed_pos(Pos2::ZERO)
            .show(ctx, |ui| {
                ui.painter()
                    .rect_filled(ctx.viewport_rect(), 0.0, Color32::from_black_alpha(170));
            });
        egui::Window::new(t!("play-paused"))
            .collapsible(false)
            .resizable(false)
            .anchor(Align2::CENTER_CENTER, vec2(0.0, 0.0))
            .order(egui::Order::Foreground)
            .show(ctx, |ui| {
                ui.vertical_centered(|ui| {
                    for missing in &state.missing {
                        let name = seated
                            .iter()
                            .find(|p| p.index == *missing)
                            .and_then(|p| p.seat.map(|s| s.name.clone()))
                            .unwrap_or_else(|| format!("Player {}", missing + 1));
                        ui.colored_label(colors::ERROR, t!("play-unplugged", name = name.clone()));
                        if super::menu_button(ui, &t!("play-continue-without", name = name.clone()))
                            .clicked()
                            || ui.input(|i| i.key_pressed(egui::Key::C))
                        {
                            commands.write(PlayCommand::ContinueWithout(*missing));
                        }
                        ui.add_space(8.0);
                    }
                    if super::menu_button(ui, &t!("play-resume")).clicked() {
                        commands.write(PlayCommand::Resume);
                    }
                    if super::menu_button(ui, &t!("play-restart")).clicked() {
                        commands.write(PlayCommand::Restart);
                    }
                    if super::menu_button(ui, &t!("play-quit")).clicked() {
                        commands.write(PlayCommand::Quit);
                    }
                    ui.colored_label(colors::DIM, t!("play-esc-resumes"));
                });
            });
    }
    Ok(())
}

/// The prompt showing at `beat` and how visible it is: it fades in over half a beat, and out
/// over the half beat before the next prompt or its own end.
fn shown_prompt(prompts: &[Prompt], beat: f64) -> Option<(&Prompt, f32)> {
    let prompt = prompt_at(prompts, beat)?;
    let end = prompts
        .iter()
        .find(|p| p.beat > prompt.beat)
        .map_or(prompt.beat + PROMPT_BEATS, |next| {
            next.beat.min(prompt.beat + PROMPT_BEATS)
        });
    let alpha = ((beat - prompt.beat) / 0.5)
        .min((end - beat) / 0.5)
        .clamp(0.0, 1.0);
    Some((prompt, alpha as f32))
}

/// A lesson's words in a panel on the stage left of the highway, clear of the notes coming in
/// and of the score on the right.
fn draw_prompt(painter: &egui::Painter, rect: Rect, text: &str, alpha: f32) {
    let galley = painter.layout(
        text.to_string(),
        FontId::proportional(21.0),
        colors::TEXT.gamma_multiply(alpha),
        (rect.width() * 0.3).min(400.0),
    );
    let panel = Rect::from_min_size(
        pos2(rect.left() + 20.0, rect.top() + 84.0),
        galley.size() + vec2(36.0, 24.0),
    );
    painter.rect(
        panel,
        12.0,
        colors::PANEL.gamma_multiply(0.94 * alpha),
        Stroke::new(2.0, colors::ACCENT.gamma_multiply(alpha)),
        egui::StrokeKind::Inside,
    );
    painter.galley(panel.min + vec2(18.0, 12.0), galley, colors::TEXT);
}

/// Where and how one player's highway is drawn.
struct HighwayView<'a> {
    /// The player's part of the screen: all of it alone, a column each with several players.
    column: Rect,
    /// Several players: the score, accuracy and life go above the highway.
    compact: bool,
    scroll: ScrollSpeed,
    seat: Option<&'a PlayerSeat>,
    /// On the group stage: who sings which line, and the whole chart, for drawing the
    /// others' notes dimmed.
    split: Option<&'a PartSplit>,
    whole: Option<&'a Chart>,
    /// The life bar the player plays under: the group's shared one, or their own.
    life: f64,
    /// Left out of the play after their pad went.
    left: bool,
    /// The player's equipped note skin.
    skin: Option<&'a crate::core::merch::Item>,
    /// How opaque the highway is: below 1 the stage shows through.
    opacity: f32,
    /// The lanes' colours and shapes.
    look: LaneLook,
    /// Reduced flashing and motion: hits glow softly instead of bursting.
    calm: bool,
}

/// Each player's part of the screen. Alone, all of it. Together, the highways stand to the
/// left and right of a free middle, a share of the width where the stage and the idols dance:
/// the first half of the players on the left, the rest on the right.
fn highway_columns(rect: Rect, count: usize) -> Vec<Rect> {
    if count <= 1 {
        return vec![rect];
    }
    const FREE_MIDDLE: f32 = 0.26;
    let side = rect.width() * (1.0 - FREE_MIDDLE) / 2.0;
    let left = count.div_ceil(2);
    let right = count - left;
    let mut columns = Vec::with_capacity(count);
    for (start, players) in [(rect.left(), left), (rect.right() - side, right)] {
        let width = side / players.max(1) as f32;
        for i in 0..players {
            columns.push(Rect::from_min_size(
                pos2(start + width * i as f32, rect.top()),
                vec2(width, rect.height()),
            ));
        }
    }
    columns
}

/// Confetti in the show's colours and a glow, for a full combo (and gold, for all perfect):
/// `since` seconds after the last note.
fn draw_celebration(painter: &egui::Painter, rect: Rect, since: f64, all_perfect: bool) {
    let palette: [Color32; 4] = if all_perfect {
        [
            judgement_color(Judgement::Perfect),
            Color32::from_rgb(255, 236, 150),
            Color32::WHITE,
            colors::ACCENT,
        ]
    } else {
        [
            colors::ACCENT,
            colors::ACCENT_2,
            colors::GOOD,
            Color32::WHITE,
        ]
    };
    let t = since as f32;
    let glow = (1.0 - (t / 2.5)).clamp(0.0, 1.0);
    if glow > 0.0 {
        painter.circle_filled(
            rect.center(),
            rect.height() * (0.25 + 0.1 * t.min(1.0)),
            palette[0].gamma_multiply(0.12 * glow),
        );
    }
    // Each piece falls from above the window at its own speed, swaying; the same pieces every
    // frame, so nothing flickers.
    for i in 0..90u32 {
        let seed = i.wrapping_mul(2_654_435_761);
        let unit = |shift: u32| ((seed >> shift) & 0xff) as f32 / 255.0;
        let speed = 180.0 + 220.0 * unit(0);
        let x = rect.left() + rect.width() * unit(8) + 30.0 * (t * 3.0 + unit(16) * 6.0).sin();
        let y = rect.top() - 40.0 + (t * speed - 300.0 * unit(24)).max(-40.0);
        if y > rect.bottom() + 20.0 {
            continue;
        }
        let color = palette[(i % 4) as usize];
        let tilt = (t * 4.0 + unit(16) * 6.0).cos();
        let piece = Rect::from_center_size(pos2(x, y), vec2(10.0 * tilt.abs() + 2.0, 6.0));
        painter.rect_filled(piece, 1.0, color);
    }
}

/// How long a hit's burst lasts at its receptor, in song seconds.
const BURST_SECONDS: f32 = 0.25;

/// The lane cover: an opaque screen over the top `share` of the highway's `visible` height,
/// edged in the lanes' colours so the player sees where notes come out, with its share while
/// alone.
fn draw_lane_cover(
    painter: &egui::Painter,
    highway: Rect,
    (visible, share): (f32, f32),
    lanes: u8,
    view: &HighwayView,
) {
    let compact = view.compact;
    let height = visible * share;
    if height <= 0.5 {
        return;
    }
    let cover = Rect::from_min_size(highway.min, vec2(highway.width(), height));
    painter.rect_filled(cover, 0.0, Color32::from_rgb(24, 14, 48));
    let lane_width = highway.width() / f32::from(lanes);
    for lane in 0..lanes {
        let x = highway.left() + lane_width * f32::from(lane);
        painter.line_segment(
            [
                pos2(x + 3.0, cover.bottom()),
                pos2(x + lane_width - 3.0, cover.bottom()),
            ],
            Stroke::new(3.0, view.look.color(lane, lanes)),
        );
    }
    if !compact && height > 30.0 {
        painter.text(
            pos2(cover.center().x, cover.bottom() - 16.0),
            Align2::CENTER_CENTER,
            t!("play-lane-cover", percent = format!("{:.0}", share * 100.0)),
            FontId::proportional(14.0),
            colors::DIM,
        );
    }
}

/// A lane's colour turned halfway toward the note skin's, so lanes stay apart in any skin.
fn skinned(lane: Color32, skin: &crate::core::merch::Item) -> Color32 {
    let [r, g, b] = skin.colour;
    let mix = |a: u8, b: u8| ((u16::from(a) + u16::from(b)) / 2) as u8;
    Color32::from_rgb(mix(lane.r(), r), mix(lane.g(), g), mix(lane.b(), b))
}

fn draw_highway(
    painter: &egui::Painter,
    view: &HighwayView,
    player: &SeatView,
    feedback: &PlayerFeedback,
    shown_time: f64,
    clock: &SongClock,
) {
    let rect = view.column;
    let chart = player.judge.chart();
    let lanes = chart.lanes;
    let lane_width = if view.compact {
        (rect.width() * 0.8 / f32::from(lanes)).min(64.0)
    } else {
        (rect.width() * 0.45 / f32::from(lanes)).min(96.0)
    };
    let width = lane_width * f32::from(lanes);
    let left = rect.center().x - width / 2.0;
    let receptor_y = rect.bottom() - 120.0;
    let top = rect.top() + if view.compact { 150.0 } else { 70.0 };
    let highway = Rect::from_min_max(pos2(left, top), pos2(left + width, rect.bottom()));
    // Glass: the stage shows through at the player's opacity, with a bright edge so the
    // highway still reads over any stage. No tint per lane: a full-height tint would be one
    // more pass over the whole highway for a software renderer.
    // Square corners in a player's column: rounding is many small triangles, four times over.
    let highway_corner = if view.compact { 0.0 } else { 6.0 };
    let opacity = view.opacity.clamp(0.0, 1.0);
    painter.rect_filled(
        highway,
        highway_corner,
        Color32::from_rgb(18, 12, 40).gamma_multiply(opacity),
    );
    for lane in 1..lanes {
        let x = left + lane_width * f32::from(lane);
        painter.line_segment(
            [pos2(x, top), pos2(x, rect.bottom())],
            Stroke::new(1.0, Color32::WHITE.gamma_multiply(0.10)),
        );
    }
    painter.rect_stroke(
        highway,
        highway_corner,
        Stroke::new(1.5, Color32::WHITE.gamma_multiply(0.35)),
        egui::StrokeKind::Outside,
    );
    let shown_beat = chart.timing.beat_at_time(shown_time);
    let distance = |beat: f64, time: f64| -> f32 {
        match view.scroll {
            ScrollSpeed::Multiplier(x) => ((beat - shown_beat) as f32) * PIXELS_PER_BEAT * x,
            ScrollSpeed::Constant(speed) => {
                ((time - shown_time) as f32) * speed / clock.rate() as f32
            }
        }
    };
    let lane_x = |lane: u8| left + lane_width * (f32::from(lane) + 0.5);

    let corner = if view.compact { 0.0 } else { 7.0 };
    // Receptors, lit while their key is down.
    let mut receptor_shapes = Vec::new();
    for lane in 0..lanes {
        let color = view.look.color(lane, lanes);
        let centre = pos2(lane_x(lane), receptor_y);
        let down = player.judge.is_key_down(lane);
        let since_press = feedback
            .lane_pressed_at
            .get(lane as usize)
            .map_or(f64::INFINITY, |t| shown_time - t);
        let flash = (1.0 - (since_press / 0.15).clamp(0.0, 1.0)) as f32;
        if down || flash > 0.0 {
            let beam = Rect::from_min_max(
                pos2(centre.x - lane_width / 2.0 + 2.0, receptor_y - 160.0),
                pos2(centre.x + lane_width / 2.0 - 2.0, receptor_y),
            );
            painter.rect_filled(beam, 0.0, color.gamma_multiply(0.10 + 0.15 * flash));
        }
        let fill = if down {
            color.gamma_multiply(0.7)
        } else if view.compact {
            Color32::TRANSPARENT
        } else {
            Color32::from_black_alpha(90)
        };
        let receptor = Rect::from_center_size(centre, vec2(lane_width - 10.0, 22.0));
        // The receptor's glow, brighter while pressed; square in a player's column.
        painter.rect_filled(
            receptor.expand(5.0),
            if view.compact { 0.0 } else { corner + 4.0 },
            color.gamma_multiply(if down { 0.45 } else { 0.12 }),
        );
        painter.rect_filled(receptor, corner + 1.0, fill);
        painter.rect_stroke(
            receptor,
            corner + 1.0,
            Stroke::new(3.0, color),
            egui::StrokeKind::Middle,
        );
        // With lane shapes, the receptor shows its lane's shape, faint, where notes land.
        if let Some(shape) = view.look.shape(lane, lanes) {
            receptor_shapes.push((centre, shape, color.gamma_multiply(0.45)));
        }
    }
    let mut shapes_mesh = super::paint::StageMesh::new();
    for (centre, shape, color) in receptor_shapes {
        super::merch_art::draw_note(
            &mut shapes_mesh,
            centre,
            (lane_width - 12.0).min(56.0) * 0.8,
            shape,
            color,
        );
    }
    shapes_mesh.finish(painter);

    // A burst at the receptor on every hit, in the judgement's colour: a ring that grows and
    // fades, and rays thrown out from it. Plain polygons in one mesh, not egui's anti-aliased
    // circles, which cost a software renderer many thin triangles each.
    let mut bursts = super::paint::StageMesh::new();
    for lane in 0..lanes {
        let Some(Some((judgement, at))) = feedback.lane_hit.get(lane as usize) else {
            continue;
        };
        let age = (shown_time - at) as f32;
        if !(0.0..BURST_SECONDS).contains(&age) {
            continue;
        }
        let grown = age / BURST_SECONDS;
        let fade = 1.0 - grown;
        let color = judgement_color(*judgement);
        let centre = pos2(lane_x(lane), receptor_y);
        if view.calm {
            // A soft glow that fades where it is: no ring thrown out, no rays.
            bursts.disc(centre, lane_width * 0.4, color.gamma_multiply(0.2 * fade));
            continue;
        }
        let radius = lane_width * (0.3 + 0.5 * grown);
        bursts.disc(centre, radius * 0.8, color.gamma_multiply(0.25 * fade));
        bursts.ring(centre, radius, 3.0 * fade + 1.0, color.gamma_multiply(fade));
        if !view.compact {
            for ray in 0..6 {
                let angle = std::f32::consts::TAU * ray as f32 / 6.0 + 0.4;
                let dir = vec2(angle.cos(), angle.sin());
                bursts.line(
                    centre + dir * radius * 1.05,
                    centre + dir * radius * 1.45,
                    2.0,
                    color.gamma_multiply(fade),
                );
            }
        }
    }
    bursts.finish(painter);

    // Notes, from just behind the receptors to the top of the highway, drawn inside it.
    // Alone, notes are clipped to the highway; in a column they are simply not drawn past its
    // top, since each clip rectangle is a separate draw for the renderer.
    let clipped = painter.with_clip_rect(highway);
    let notes_painter = if view.compact { painter } else { &clipped };
    // Skinned notes are gathered into one mesh, drawn after the others.
    let mut skin_mesh = super::paint::StageMesh::new();
    let visible_height = receptor_y - top;
    let mods = player.judge.settings().mods;
    let first = chart.notes.partition_point(|n| n.time < shown_time - 30.0);
    for (index, note) in chart.notes.iter().enumerate().skip(first) {
        let head = distance(note.beat, note.time);
        if view.compact && head > visible_height - 10.0 && head <= visible_height + 40.0 {
            continue;
        }
        if head > visible_height + 40.0 {
            // Notes are in time order; with a constant speed nothing later is visible. With
            // a multiplier a stop could bring later notes closer, so only stop well past view.
            if matches!(view.scroll, ScrollSpeed::Constant(_)) || head > visible_height * 4.0 {
                break;
            }
            continue;
        }
        let holding = player.judge.is_holding(index);
        let dropped = player.judge.is_done(index) && !holding;
        if dropped {
            // A hold let go or missed keeps its body, dimmed, until its tail has passed.
            if let NoteKind::Hold { end_beat, end_time } | NoteKind::Roll { end_beat, end_time } =
                note.kind
            {
                let tail = distance(end_beat, end_time);
                if tail > 0.0 {
                    let x = lane_x(note.lane);
                    let body = Rect::from_min_max(
                        pos2(x - lane_width * 0.26, (receptor_y - tail).max(top)),
                        pos2(x + lane_width * 0.26, receptor_y - head.max(0.0)),
                    );
                    notes_painter.rect_filled(
                        body,
                        corner.min(4.0),
                        Color32::from_gray(70).gamma_multiply(0.6),
                    );
                }
            }
            continue;
        }
        // Hidden and sudden fade a note by how high it is on the highway; judging never sees it.
        let sight = mods.note_alpha(if holding { 0.0 } else { head } / visible_height);
        if sight <= 0.0 {
            continue;
        }
        let mut faded = notes_painter.clone();
        faded.multiply_opacity(sight);
        let notes_painter = &faded;
        let x = lane_x(note.lane);
        let color = view.look.color(note.lane, lanes);
        let head_y = receptor_y - if holding { 0.0 } else { head };
        // A shaped note: the lane's own shape, else the skin's.
        let shaped = view
            .look
            .shape(note.lane, lanes)
            .or(view.skin.map(|skin| skin.shape))
            .map(|shape| {
                let tint = view.skin.map_or(color, |skin| skinned(color, skin));
                (shape, tint.gamma_multiply(sight))
            });
        match note.kind {
            NoteKind::Tap if shaped.is_some() => {
                let (shape, tint) = shaped.expect("matched above");
                super::merch_art::draw_note(
                    &mut skin_mesh,
                    pos2(x, head_y),
                    (lane_width - 12.0).min(56.0),
                    shape,
                    tint,
                );
            }
            NoteKind::Tap => {
                let r = Rect::from_center_size(pos2(x, head_y), vec2(lane_width - 12.0, 18.0));
                // A glow around the note in its lane's colour; alone, where there is room.
                if !view.compact {
                    notes_painter.rect_filled(
                        r.expand(4.0),
                        corner + 3.0,
                        color.gamma_multiply(0.3),
                    );
                }
                notes_painter.rect_filled(r, corner, color);
                // Every rounded outline is dozens of thin triangles for a software renderer;
                // four players' columns go without.
                if !view.compact {
                    notes_painter.rect_stroke(
                        r,
                        7.0,
                        Stroke::new(2.0, Color32::WHITE.gamma_multiply(0.7)),
                        egui::StrokeKind::Inside,
                    );
                }
            }
            NoteKind::Hold { end_beat, end_time } | NoteKind::Roll { end_beat, end_time } => {
                let tail_y = receptor_y - distance(end_beat, end_time).max(0.0);
                let body = Rect::from_min_max(
                    pos2(x - lane_width * 0.28, tail_y.max(top)),
                    pos2(x + lane_width * 0.28, head_y),
                );
                // Bright while held, lit from within; before it is reached, the lane's colour.
                let body_color = if holding {
                    super::paint::mix(color, Color32::WHITE, 0.35)
                } else {
                    color.gamma_multiply(0.75)
                };
                if holding {
                    notes_painter.rect_filled(
                        body.expand2(vec2(5.0, 0.0)),
                        corner.min(4.0),
                        color.gamma_multiply(0.35),
                    );
                }
                notes_painter.rect_filled(body, corner.min(4.0), body_color);
                let core = Rect::from_min_max(
                    pos2(x - lane_width * 0.06, body.min.y),
                    pos2(x + lane_width * 0.06, body.max.y),
                );
                notes_painter.rect_filled(
                    core,
                    0.0,
                    Color32::WHITE.gamma_multiply(if holding { 0.7 } else { 0.3 }),
                );
                // A roll's body is striped, so it reads as "tap, tap, tap" and not "hold".
                if matches!(note.kind, NoteKind::Roll { .. }) {
                    let mut y = body.max.y - 10.0;
                    while y > body.min.y {
                        let band = Rect::from_min_max(
                            pos2(body.min.x, (y - 4.0).max(body.min.y)),
                            pos2(body.max.x, y),
                        );
                        notes_painter.rect_filled(band, 0.0, Color32::WHITE.gamma_multiply(0.35));
                        y -= 14.0;
                    }
                }
                match shaped {
                    Some((shape, tint)) => super::merch_art::draw_note(
                        &mut skin_mesh,
                        pos2(x, head_y),
                        (lane_width - 12.0).min(56.0),
                        shape,
                        tint,
                    ),
                    None => {
                        let r =
                            Rect::from_center_size(pos2(x, head_y), vec2(lane_width - 12.0, 18.0));
                        notes_painter.rect_filled(r, corner, color);
                    }
                }
            }
            NoteKind::Mine => {
                let centre = pos2(x, head_y);
                notes_painter.circle_filled(centre, 11.0, Color32::from_rgb(60, 10, 20));
                notes_painter.circle_stroke(centre, 11.0, Stroke::new(3.0, colors::ERROR));
                let d = 6.0;
                notes_painter.line_segment(
                    [centre + vec2(-d, -d), centre + vec2(d, d)],
                    Stroke::new(3.0, colors::ERROR),
                );
                notes_painter.line_segment(
                    [centre + vec2(-d, d), centre + vec2(d, -d)],
                    Stroke::new(3.0, colors::ERROR),
                );
            }
        }
    }
    skin_mesh.finish(notes_painter);
    if let Some(cover) = player.cover {
        draw_lane_cover(painter, highway, (visible_height, cover), lanes, view);
    }

    // On the group stage: the others' notes, ghosted, and the highway dimmed while someone
    // else has the line.
    if let (Some(split), Some(whole)) = (view.split, view.whole) {
        let member = player.index + 1;
        let first = whole.notes.partition_point(|n| n.time < shown_time - 1.0);
        for note in whole.notes.iter().skip(first) {
            if split.plays(member, note.beat) || note.is_mine() {
                continue;
            }
            let head = distance(note.beat, note.time);
            if head > visible_height + 40.0 {
                break;
            }
            if head < -12.0 {
                continue;
            }
            let r = Rect::from_center_size(
                pos2(lane_x(note.lane), receptor_y - head),
                vec2(lane_width - 12.0, 18.0),
            );
            notes_painter.rect_stroke(
                r,
                7.0,
                Stroke::new(1.5, Color32::WHITE.gamma_multiply(0.18)),
                egui::StrokeKind::Inside,
            );
        }
        let shown_beat_now = whole.timing.beat_at_time(shown_time);
        if let Some(line) = split.line_at(shown_beat_now)
            && !line.who.includes(member)
        {
            painter.rect_filled(highway, 6.0, Color32::from_black_alpha(120));
            painter.text(
                pos2(highway.center().x, top + 24.0),
                Align2::CENTER_CENTER,
                format!("{}: member {}", line.name, line.who.label()),
                FontId::proportional(15.0),
                colors::DIM,
            );
        }
    }
    if view.left {
        painter.rect_filled(highway, 6.0, Color32::from_black_alpha(190));
        painter.text(
            highway.center(),
            Align2::CENTER_CENTER,
            t!("results-left-the-play"),
            FontId::proportional(20.0),
            colors::DIM,
        );
    }

    // Judgement flash and combo; smaller in a column, where four players' worth of large
    // glyphs would cost a software renderer a good part of its frame.
    let text_scale = if view.compact { 0.65 } else { 1.0 };
    let score = player.judge.score();
    let middle = pos2(highway.center().x, receptor_y - 260.0);
    // On a layer of their own above the notes, so a passing note never covers them.
    let painter = &painter.clone().with_layer_id(egui::LayerId::new(
        egui::Order::Middle,
        egui::Id::new("highway-text"),
    ));
    if let Some((event, at)) = feedback.last {
        let age = (shown_time - at) as f32;
        if (0.0..0.7).contains(&age) || age < 0.0 {
            let alpha = 1.0 - (age.max(0.0) / 0.7);
            let grow = 1.0 + 0.25 * (1.0 - (age.max(0.0) / 0.12).min(1.0));
            let (text, color, detail) = match event {
                JudgeEvent::Hit {
                    judgement, offset, ..
                } => (
                    judgement.name().to_uppercase(),
                    judgement_color(judgement),
                    offset.filter(|_| judgement != Judgement::Perfect).map(|o| {
                        let ms = o * 1000.0;
                        let ms_text = format!("{:.0}", ms.abs());
                        if ms < 0.0 {
                            t!("play-ms-early", ms = ms_text)
                        } else {
                            t!("play-ms-late", ms = ms_text)
                        }
                    }),
                ),
                JudgeEvent::Hold {
                    result: HoldResult::Held,
                    ..
                } => ("OK".into(), colors::GOOD, None),
                JudgeEvent::Hold {
                    result: HoldResult::LetGo,
                    ..
                } => (t!("play-let-go"), colors::ERROR, None),
                JudgeEvent::Hold {
                    result: HoldResult::Missed,
                    ..
                } => (String::new(), colors::DIM, None),
                JudgeEvent::Mine { .. } => (t!("play-mine"), colors::ERROR, None),
            };
            // Whole pixels: egui keeps every glyph of every size it has drawn, so a size
            // that eases smoothly filled its font atlas anew on every judgement.
            let font = super::fonts::display(painter.ctx(), (text_scale * 40.0 * grow).round());
            painter.text(
                middle + vec2(2.0, 2.0),
                Align2::CENTER_CENTER,
                &text,
                font.clone(),
                Color32::from_black_alpha((170.0 * alpha) as u8),
            );
            painter.text(
                middle,
                Align2::CENTER_CENTER,
                text,
                font,
                color.gamma_multiply(alpha),
            );
            if let Some(detail) = detail {
                painter.text(
                    middle + vec2(0.0, 34.0),
                    Align2::CENTER_CENTER,
                    detail,
                    FontId::proportional(16.0),
                    colors::DIM.gamma_multiply(alpha),
                );
            }
        }
    }
    if score.combo() >= 2 {
        // The count pops on each hit that adds to it.
        let since_hit = feedback
            .last
            .map_or(1.0, |(_, at)| (shown_time - at).max(0.0) as f32);
        let pop = 1.0 + 0.2 * (1.0 - (since_hit / 0.1).min(1.0));
        let font = FontId::proportional((text_scale * 30.0 * pop).round());
        let combo = format!("{} combo", score.combo());
        painter.text(
            middle + vec2(2.0, 82.0),
            Align2::CENTER_CENTER,
            &combo,
            font.clone(),
            Color32::from_black_alpha(150),
        );
        painter.text(
            middle + vec2(0.0, 80.0),
            Align2::CENTER_CENTER,
            combo,
            font,
            colors::TEXT,
        );
    }

    // Hit-error bar under the receptors: recent hits as ticks, early to the left.
    let error_bar_y = receptor_y + 40.0;
    let half = width / 2.0;
    let windows = player.judge.windows();
    painter.line_segment(
        [
            pos2(highway.center().x - half, error_bar_y),
            pos2(highway.center().x + half, error_bar_y),
        ],
        Stroke::new(1.0, colors::DIM),
    );
    let shown_ticks = if view.compact { 12 } else { 40 };
    let skip = feedback.recent_offsets.len().saturating_sub(shown_ticks);
    for (time, offset) in feedback.recent_offsets.iter().skip(skip) {
        let age = (shown_time - time) as f32;
        let alpha = (1.0 - age / 4.0).clamp(0.0, 1.0);
        if alpha <= 0.0 {
            continue;
        }
        let x = highway.center().x + (*offset / windows.bad).clamp(-1.0, 1.0) as f32 * half;
        let judgement = windows.judge(*offset).unwrap_or(Judgement::Miss);
        painter.line_segment(
            [pos2(x, error_bar_y - 8.0), pos2(x, error_bar_y + 8.0)],
            Stroke::new(2.0, judgement_color(judgement).gamma_multiply(alpha)),
        );
    }
    painter.line_segment(
        [
            pos2(highway.center().x, error_bar_y - 10.0),
            pos2(highway.center().x, error_bar_y + 10.0),
        ],
        Stroke::new(2.0, Color32::WHITE),
    );

    // A chart with nothing on it (record mode's take) has no score to show.
    if chart.notes.is_empty() {
        return;
    }
    let life = view.life as f32;
    let life_color = if life < 0.25 {
        colors::ERROR
    } else {
        colors::GOOD
    };
    if view.compact {
        // Above the highway: name, score, accuracy and life.
        let x = highway.center().x;
        let name = view.seat.map_or_else(
            || format!("Player {}", player.index + 1),
            |s| s.name.clone(),
        );
        painter.text(
            pos2(x, rect.top() + 66.0),
            Align2::CENTER_TOP,
            format!("{name} · {} {}", chart.difficulty, chart.meter),
            FontId::proportional(16.0),
            colors::ACCENT,
        );
        painter.text(
            pos2(x, rect.top() + 86.0),
            Align2::CENTER_TOP,
            format!(
                "{:07}  {:.2}%",
                score.score(),
                score.running_accuracy() * 100.0
            ),
            FontId::monospace(18.0),
            colors::TEXT,
        );
        let bar = Rect::from_center_size(pos2(x, rect.top() + 124.0), vec2(width, 10.0));
        painter.rect_filled(bar, 3.0, colors::PANEL);
        painter.rect_filled(
            Rect::from_min_size(bar.min, vec2(bar.width() * life, bar.height())),
            3.0,
            life_color,
        );
        return;
    }
    // Score, accuracy and life to the right of the highway.
    let panel_x = highway.right() + 30.0;
    painter.text(
        pos2(panel_x, top + 10.0),
        Align2::LEFT_TOP,
        format!("{:07}", score.score()),
        FontId::monospace(34.0),
        colors::TEXT,
    );
    painter.text(
        pos2(panel_x, top + 52.0),
        Align2::LEFT_TOP,
        format!("{:.2}%", score.running_accuracy() * 100.0),
        FontId::proportional(22.0),
        colors::ACCENT_2,
    );
    let life_rect = Rect::from_min_size(pos2(panel_x, top + 90.0), vec2(220.0, 16.0));
    painter.rect_filled(life_rect, 4.0, colors::PANEL);
    painter.rect_filled(
        Rect::from_min_size(life_rect.min, vec2(life_rect.width() * life, 16.0)),
        4.0,
        life_color,
    );
    painter.text(
        life_rect.right_center() + vec2(8.0, 0.0),
        Align2::LEFT_CENTER,
        t!("play-life"),
        FontId::proportional(14.0),
        colors::DIM,
    );
    let counts = score.counts();
    for (i, judgement) in Judgement::ALL.iter().enumerate() {
        painter.text(
            pos2(panel_x, top + 124.0 + 22.0 * i as f32),
            Align2::LEFT_TOP,
            format!("{:<8}{:>5}", judgement.name(), counts.of(*judgement)),
            FontId::monospace(16.0),
            judgement_color(*judgement),
        );
    }
}

/// What the play screen reads of each player's entity.
type PlayerView = (
    &'static Player,
    &'static PlayerFeedback,
    Option<&'static PlayerSeat>,
    Option<&'static crate::fans::Looks>,
    Option<&'static crate::gameplay::lane_cover::LaneCover>,
);

/// A player as the play screen draws them: their seat's judge and inputs in the session, what
/// the screen shows of their judgements, who they are, and what they wear.
struct SeatView<'a> {
    index: u8,
    judge: &'a Judge,
    recorded: &'a [LaneInput],
    feedback: &'a PlayerFeedback,
    seat: Option<&'a PlayerSeat>,
    /// Left out of the play after their pad went.
    left: bool,
    looks: Option<&'a crate::fans::Looks>,
    /// How much of the highway the player's lane cover hides, if they have one.
    cover: Option<f32>,
}

/// Versus: the live standings along the top. Group stage: the shared life bar and whose line
/// it is.
fn draw_standings(
    painter: &egui::Painter,
    rect: Rect,
    seated: &[SeatView],
    group_life: Option<f64>,
) {
    let name = |p: &SeatView| {
        p.seat
            .map_or_else(|| format!("Player {}", p.index + 1), |s| s.name.clone())
    };
    let text = match group_life {
        Some(life) => {
            let total: u64 = seated
                .iter()
                .map(|p| u64::from(p.judge.score().score()))
                .sum();
            t!(
                "play-group-standing",
                life = format!("{:.0}", life * 100.0),
                score = format!("{:07}", total / seated.len().max(1) as u64)
            )
        }
        None => {
            let mut order: Vec<_> = seated.iter().collect();
            order.sort_by(|a, b| {
                let (sa, sb) = (a.judge.score(), b.judge.score());
                sb.score()
                    .cmp(&sa.score())
                    .then(sb.running_accuracy().total_cmp(&sa.running_accuracy()))
                    .then(sb.max_combo().cmp(&sa.max_combo()))
            });
            order
                .iter()
                .enumerate()
                .map(|(place, entry)| format!("{} {}", ordinal(place + 1), name(entry)))
                .collect::<Vec<_>>()
                .join("   ")
        }
    };
    painter.text(
        pos2(rect.center().x, rect.top() + 40.0),
        Align2::CENTER_TOP,
        text,
        FontId::proportional(16.0),
        colors::ACCENT_2,
    );
}

pub fn ordinal(place: usize) -> String {
    t!("play-ordinal", place = place)
}

/// The calibration plays: instructions, a flash on each beat for the visual check, and what the
/// taps say so far.
fn draw_calibration(
    painter: &egui::Painter,
    rect: Rect,
    kind: CalibrationKind,
    player: &SeatView,
    shown_time: f64,
) {
    let centre = rect.center();
    let instructions = match kind {
        CalibrationKind::Audio => {
            t!("play-calibrate-audio")
        }
        CalibrationKind::Visual => {
            t!("play-calibrate-visual")
        }
    };
    painter.text(
        centre - vec2(0.0, 200.0),
        Align2::CENTER_CENTER,
        instructions,
        FontId::proportional(24.0),
        colors::TEXT,
    );
    if kind == CalibrationKind::Visual {
        let since = click_times()
            .iter()
            .filter(|b| **b <= shown_time)
            .map(|b| shown_time - b)
            .fold(f64::INFINITY, f64::min);
        let glow = (1.0 - since / 0.12).clamp(0.0, 1.0) as f32;
        painter.circle_filled(centre, 90.0, colors::PANEL);
        painter.circle_filled(centre, 90.0, colors::ACCENT.gamma_multiply(glow));
    }
    let (outcome, _) = measure(player.recorded, player.judge.settings().rate);
    painter.text(
        centre + vec2(0.0, 160.0),
        Align2::CENTER_CENTER,
        super::phrases::calibration_advice(&outcome),
        FontId::proportional(20.0),
        colors::DIM,
    );
}
