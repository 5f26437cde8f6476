//! Record mode in the window: the song plays and every lane press is taken down; the take is
//! quantised to a snap and played back on the highway; on Enter it is written into the level
//! file as a new chart or in place of one (the core's `recording`), after asking if the file
//! changed on disk since the take began. Nothing of it is scored or saved as a play.

use std::sync::Arc;

use bevy::prelude::*;

use super::clock::SongClock;
use super::pause::PausableSystems;
use super::{PlayCommand, PlayMode, PlayRequest, PlaySystems};
use crate::core::chart::Chart;
use crate::core::judge::{Action, JudgeSettings};
use crate::core::level::Level;
use crate::core::level::edit::ChartPlace;
use crate::core::level::load::MAX_LEVEL_BYTES;
use crate::core::level::quantise::{HOLD_AFTER, Press, Snap};
use crate::core::recording::{RecordedChart, new_chart_name};
use crate::input::LaneInputMessage;
use crate::notice::Notices;
use crate::screens::Screen;
use crate::settings::Settings;

/// How a recording is set up: from the song list or `lightstick record`.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordSetup {
    pub snap: Snap,
    /// A new chart, or the chart of this difficulty replaced.
    pub place: ChartPlace,
    /// Lanes of a new chart (a replaced one keeps its own).
    pub lanes: u8,
}

/// A recording under way.
#[derive(Resource, Debug, Clone)]
pub struct RecordRun {
    /// The level as it was read.
    pub level: Arc<Level>,
    /// The level file's text as the take began: if the file no longer reads the same when the
    /// chart is written, the level maker is asked first.
    pub source: String,
    pub place: ChartPlace,
    /// The recorded chart's difficulty name.
    pub name: String,
    pub lanes: u8,
    pub snap: Snap,
    /// The take: every press, in the order they came.
    pub presses: Vec<Press>,
    /// The take quantised, once it is played back.
    pub recorded: Option<RecordedChart>,
    /// The file changed on disk since the take began: its text now, while the maker decides.
    pub asking: Option<String>,
    /// What the last Enter did: written (where), or not written (why, drawn as `validate`
    /// draws it).
    pub outcome: Option<Result<String, String>>,
    judge: JudgeSettings,
}

impl RecordRun {
    /// A recording of `level` set up as `setup` says, and the play that takes it down.
    pub fn begin(
        level: Arc<Level>,
        setup: &RecordSetup,
        judge: JudgeSettings,
    ) -> Result<(RecordRun, PlayRequest), String> {
        let source = crate::core::user_file::read_existing_text(
            &level.file,
            MAX_LEVEL_BYTES,
            "the level file",
        )
        .map_err(|d| d.to_string())?;
        let (name, lanes) = match &setup.place {
            ChartPlace::Added => (new_chart_name(&level), setup.lanes),
            ChartPlace::Replacing(name) => {
                let chart = level
                    .chart(name)
                    .ok_or_else(|| format!("the level has no chart named `{name}` to replace"))?;
                (chart.difficulty.clone(), chart.lanes)
            }
        };
        let run = RecordRun {
            level,
            source,
            place: setup.place.clone(),
            name,
            lanes,
            snap: setup.snap,
            presses: Vec::new(),
            recorded: None,
            asking: None,
            outcome: None,
            judge: JudgeSettings {
                // Nothing is judged while taking; a play back never misses.
                no_fail: true,
                ..judge
            },
        };
        let request = run.take_request();
        Ok((run, request))
    }

    /// The play that takes the presses down: the song under an empty highway.
    pub fn take_request(&self) -> PlayRequest {
        let empty = Chart::from_beats(
            self.name.clone(),
            1,
            self.lanes,
            self.level.timing.clone(),
            [],
        );
        self.request_with(empty, PlayMode::Normal)
    }

    /// The play that shows the take: its chart, played by the game.
    pub fn review_request(&self) -> Option<PlayRequest> {
        let recorded = self.recorded.as_ref()?;
        Some(self.request_with(recorded.chart(&self.level), PlayMode::Autoplay))
    }

    fn request_with(&self, chart: Chart, mode: PlayMode) -> PlayRequest {
        let level = Level {
            charts: vec![chart],
            ..Level::clone(&self.level)
        };
        PlayRequest::solo(Arc::new(level), 0, self.judge, mode)
    }

    /// Quantises the take at the current snap.
    fn quantise(&mut self) {
        self.recorded = Some(RecordedChart::from_take(
            &self.level,
            &self.presses,
            self.snap,
            HOLD_AFTER,
            &self.name,
            self.lanes,
        ));
    }

    /// Writes the take into the level file: into the text read as the take began, or, once
    /// the maker has said yes, into the file as it is now. Never a file that would not
    /// validate.
    fn write(&mut self, confirmed: bool) -> Option<Result<String, String>> {
        let recorded = self.recorded.as_ref()?;
        let file = self.level.file.clone();
        let on_disk = match crate::core::user_file::read_existing_text(
            &file,
            MAX_LEVEL_BYTES,
            "the level file",
        ) {
            Ok(text) => text,
            Err(why) => return Some(Err(why.to_string())),
        };
        if on_disk != self.source && !confirmed {
            self.asking = Some(on_disk);
            return None;
        }
        self.asking = None;
        let written = recorded
            .written_into(
                &self.level,
                &on_disk,
                &self.place,
                &crate::core::audio_file::probe_length,
            )
            .map_err(|why| match why {
                crate::core::recording::RecordError::Invalid(errors) => {
                    let source = crate::core::explain::SourceFile::new(on_disk.as_str());
                    let drawn: Vec<String> = errors.iter().map(|d| source.render(d)).collect();
                    drawn.join("\n")
                }
                other => other.to_string(),
            });
        Some(written.and_then(|text| {
            crate::core::save::write_atomic(&file, &text)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            // A second write of this take goes into what was just written.
            self.source = text;
            if self.place == ChartPlace::Added {
                self.place = ChartPlace::Replacing(self.name.clone());
            }
            Ok(t!(
                "notice-chart-written",
                difficulty = recorded.difficulty.clone(),
                notes = recorded.notes.len(),
                snap = recorded.snap.name(),
                meter = recorded.meter,
                file = file.display().to_string()
            ))
        }))
    }
}

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        OnEnter(Screen::Gameplay),
        keep_the_file_still
            .after(super::live_reload::watch_the_level)
            .run_if(resource_exists::<RecordRun>),
    )
    .add_systems(OnExit(Screen::Gameplay), |mut commands: Commands| {
        commands.remove_resource::<RecordRun>();
    })
    .add_systems(
        Update,
        (take_presses, record_keys)
            .chain()
            .after(PlaySystems::Judge)
            .before(PlaySystems::Finish)
            .in_set(PausableSystems)
            .run_if(in_state(Screen::Gameplay))
            .run_if(resource_exists::<RecordRun>),
    );
}

/// A recording writes the level file itself: its own write must not reload the play.
fn keep_the_file_still(mut live: ResMut<super::live_reload::LiveReload>) {
    *live = default();
}

/// Takes down every lane press and release at its own song time, as the judge would.
fn take_presses(
    mut inputs: MessageReader<LaneInputMessage>,
    mut run: ResMut<RecordRun>,
    clock: Res<SongClock>,
    settings: Res<Settings>,
    request: Res<PlayRequest>,
    pads: Option<Res<crate::input::PadRegistry>>,
) {
    if run.recorded.is_some() {
        inputs.clear();
        return;
    }
    for message in inputs.read() {
        let device = super::session::device_of(message, pads.as_deref());
        let at = clock.heard_time_at(message.at, request.input_offset(&settings, &device));
        match message.action {
            Action::Press => run.presses.push(Press {
                lane: message.lane,
                at,
                released: None,
            }),
            Action::Release => {
                if let Some(press) = run
                    .presses
                    .iter_mut()
                    .rev()
                    .find(|p| p.lane == message.lane)
                    .filter(|p| p.released.is_none())
                {
                    press.released = Some(at);
                }
            }
        }
    }
}

/// The keys of the phase the recording is in as the frame begins: the Enter that ends a take
/// plays it back, and only a later Enter writes it.
fn record_keys(
    keys: Res<ButtonInput<KeyCode>>,
    mut run: ResMut<RecordRun>,
    clock: Res<SongClock>,
    mut request: ResMut<PlayRequest>,
    mut commands: MessageWriter<PlayCommand>,
    mut notices: ResMut<Notices>,
) {
    if run.recorded.is_none() {
        end_the_take(&keys, &mut run, &clock, &mut request, &mut commands);
    } else {
        review_keys(&keys, &mut run, &mut request, &mut commands, &mut notices);
    }
}

/// The take ends at the end of the song, or on Enter, and is played back; Backspace starts
/// it again.
fn end_the_take(
    keys: &ButtonInput<KeyCode>,
    run: &mut RecordRun,
    clock: &SongClock,
    request: &mut PlayRequest,
    commands: &mut MessageWriter<PlayCommand>,
) {
    if keys.just_pressed(KeyCode::Backspace) {
        run.presses.clear();
        commands.write(PlayCommand::Restart);
        return;
    }
    let song_over = clock.now() > run.level.audio_length + 0.3;
    if !(song_over || keys.just_pressed(KeyCode::Enter)) {
        return;
    }
    run.quantise();
    if let Some(review) = run.review_request() {
        *request = review;
        commands.write(PlayCommand::Restart);
    }
}

/// While the take plays back: the snap keys quantise it again, Enter writes it, Backspace
/// records it again.
fn review_keys(
    keys: &ButtonInput<KeyCode>,
    run: &mut RecordRun,
    request: &mut PlayRequest,
    commands: &mut MessageWriter<PlayCommand>,
    notices: &mut Notices,
) {
    let snap_steps = i32::from(keys.just_pressed(KeyCode::BracketRight))
        - i32::from(keys.just_pressed(KeyCode::BracketLeft));
    if snap_steps != 0 {
        run.snap = run.snap.stepped(snap_steps);
        run.quantise();
        run.outcome = None;
        if let Some(review) = run.review_request() {
            *request = review;
            commands.write(PlayCommand::Restart);
        }
    }
    if keys.just_pressed(KeyCode::Backspace) {
        if run.asking.take().is_some() {
            notices.push(t!("notice-chart-not-written"));
            return;
        }
        run.presses.clear();
        run.recorded = None;
        run.outcome = None;
        *request = run.take_request();
        commands.write(PlayCommand::Restart);
    }
    if keys.just_pressed(KeyCode::Enter) {
        let confirmed = run.asking.is_some();
        if let Some(outcome) = run.write(confirmed) {
            match &outcome {
                Ok(message) => notices.push(message.clone()),
                Err(_) => notices.push(t!("notice-chart-would-have-errors")),
            }
            run.outcome = Some(outcome);
        }
    }
}
