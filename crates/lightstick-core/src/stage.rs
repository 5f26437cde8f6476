//! The stage's rules, without drawing: the idol's moves and poses and when they peak, the
//! choreography a level may write, the backdrop concept and the venues. The game draws what
//! these say.

use serde::{Deserialize, Serialize};

use crate::judgement::Judgement;

/// A dance move. Each lane of a chart is tied to one; a level's choreography can ask for any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    StepLeft,
    StepRight,
    ArmUp,
    ArmWave,
    Spin,
    Point,
    Clap,
    Jump,
    HeartHands,
    /// The miss: a stagger off balance.
    Stumble,
}

impl Move {
    pub const ALL: [Move; 10] = [
        Move::StepLeft,
        Move::StepRight,
        Move::ArmUp,
        Move::ArmWave,
        Move::Spin,
        Move::Point,
        Move::Clap,
        Move::Jump,
        Move::HeartHands,
        Move::Stumble,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Move::StepLeft => "step_left",
            Move::StepRight => "step_right",
            Move::ArmUp => "arm_up",
            Move::ArmWave => "arm_wave",
            Move::Spin => "spin",
            Move::Point => "point",
            Move::Clap => "clap",
            Move::Jump => "jump",
            Move::HeartHands => "heart_hands",
            Move::Stumble => "stumble",
        }
    }

    pub fn from_name(name: &str) -> Option<Move> {
        Move::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The move each lane of an n-lane chart dances, left to right: steps on the outside,
    /// arms inside, with a spin or a jump in the middle of odd counts.
    pub fn for_lane(lane: u8, lanes: u8) -> Move {
        let table: &[Move] = match lanes {
            4 => &[Move::StepLeft, Move::ArmWave, Move::ArmUp, Move::StepRight],
            5 => &[
                Move::StepLeft,
                Move::ArmWave,
                Move::Spin,
                Move::ArmUp,
                Move::StepRight,
            ],
            6 => &[
                Move::StepLeft,
                Move::Clap,
                Move::ArmWave,
                Move::ArmUp,
                Move::Point,
                Move::StepRight,
            ],
            7 => &[
                Move::StepLeft,
                Move::Clap,
                Move::ArmWave,
                Move::Jump,
                Move::ArmUp,
                Move::Point,
                Move::StepRight,
            ],
            _ => &[
                Move::StepLeft,
                Move::Clap,
                Move::ArmWave,
                Move::Spin,
                Move::Jump,
                Move::ArmUp,
                Move::Point,
                Move::StepRight,
            ],
        };
        table[(lane as usize).min(table.len() - 1)]
    }
}

/// A pose of the 2D idol: offsets and angles (radians) of the rig's parts. Poses blend
/// linearly, so any two can be mixed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Pose {
    /// Body shift sideways (stage units, about a body width) and up.
    pub shift_x: f32,
    pub lift: f32,
    /// How far the knees bend, 0 to 1.
    pub crouch: f32,
    /// Lean of the torso.
    pub lean: f32,
    pub head_tilt: f32,
    /// Upper arm angles from hanging down, outward positive, and forearm bends.
    pub left_arm: f32,
    pub right_arm: f32,
    pub left_elbow: f32,
    pub right_elbow: f32,
    /// Leg angles from straight down, outward positive.
    pub left_leg: f32,
    pub right_leg: f32,
    /// A turn about the vertical axis, 0 to 1 for a full spin (drawn as a squash of width).
    pub turn: f32,
}

impl Pose {
    pub fn lerp(self, other: Pose, t: f32) -> Pose {
        let m = |a: f32, b: f32| a + (b - a) * t;
        Pose {
            shift_x: m(self.shift_x, other.shift_x),
            lift: m(self.lift, other.lift),
            crouch: m(self.crouch, other.crouch),
            lean: m(self.lean, other.lean),
            head_tilt: m(self.head_tilt, other.head_tilt),
            left_arm: m(self.left_arm, other.left_arm),
            right_arm: m(self.right_arm, other.right_arm),
            left_elbow: m(self.left_elbow, other.left_elbow),
            right_elbow: m(self.right_elbow, other.right_elbow),
            left_leg: m(self.left_leg, other.left_leg),
            right_leg: m(self.right_leg, other.right_leg),
            turn: m(self.turn, other.turn),
        }
    }

    /// The pose shown `dt` real seconds on from `self`, following `target`: each joint closes
    /// on it by an eased share (an exponential approach at [`FOLLOW_RATE`]), and none moves
    /// faster than [`MAX_JOINT_SPEED`], so a new move, a stumble cutting one short or a move
    /// replacing another never jumps between two frames.
    pub fn toward(self, target: Pose, dt: f32) -> Pose {
        let dt = if dt.is_finite() {
            dt.clamp(0.0, 0.1)
        } else {
            0.0
        };
        let share = 1.0 - (-FOLLOW_RATE * dt).exp();
        let most = MAX_JOINT_SPEED * dt;
        let f = |from: f32, to: f32| from + ((to - from) * share).clamp(-most, most);
        Pose {
            shift_x: f(self.shift_x, target.shift_x),
            lift: f(self.lift, target.lift),
            crouch: f(self.crouch, target.crouch),
            lean: f(self.lean, target.lean),
            head_tilt: f(self.head_tilt, target.head_tilt),
            left_arm: f(self.left_arm, target.left_arm),
            right_arm: f(self.right_arm, target.right_arm),
            left_elbow: f(self.left_elbow, target.left_elbow),
            right_elbow: f(self.right_elbow, target.right_elbow),
            left_leg: f(self.left_leg, target.left_leg),
            right_leg: f(self.right_leg, target.right_leg),
            turn: f(self.turn, target.turn),
        }
    }

    /// The largest change of any joint from `self` to `other`.
    pub fn largest_change(&self, other: &Pose) -> f32 {
        [
            self.shift_x - other.shift_x,
            self.lift - other.lift,
            self.crouch - other.crouch,
            self.lean - other.lean,
            self.head_tilt - other.head_tilt,
            self.left_arm - other.left_arm,
            self.right_arm - other.right_arm,
            self.left_elbow - other.left_elbow,
            self.right_elbow - other.right_elbow,
            self.left_leg - other.left_leg,
            self.right_leg - other.right_leg,
            self.turn - other.turn,
        ]
        .into_iter()
        .fold(0.0, |most, d| most.max(d.abs()))
    }

    /// Standing, arms relaxed.
    pub fn rest() -> Pose {
        Pose {
            left_arm: 0.15,
            right_arm: 0.15,
            left_elbow: 0.2,
            right_elbow: 0.2,
            left_leg: 0.08,
            right_leg: 0.08,
            ..Pose::default()
        }
    }

    /// The move at its peak.
    pub fn peak(of: Move) -> Pose {
        let rest = Pose::rest();
        match of {
            Move::StepLeft => Pose {
                shift_x: -0.35,
                lean: -0.15,
                left_leg: 0.45,
                right_leg: -0.05,
                left_arm: 0.9,
                ..rest
            },
            Move::StepRight => Pose {
                shift_x: 0.35,
                lean: 0.15,
                right_leg: 0.45,
                left_leg: -0.05,
                right_arm: 0.9,
                ..rest
            },
            Move::ArmUp => Pose {
                right_arm: 2.9,
                right_elbow: 0.0,
                left_arm: 0.5,
                lift: 0.05,
                head_tilt: 0.15,
                ..rest
            },
            Move::ArmWave => Pose {
                left_arm: 2.3,
                right_arm: 2.3,
                left_elbow: 0.9,
                right_elbow: -0.9,
                lean: 0.1,
                ..rest
            },
            Move::Spin => Pose {
                turn: 1.0,
                left_arm: 1.3,
                right_arm: 1.3,
                ..rest
            },
            Move::Point => Pose {
                right_arm: 2.0,
                right_elbow: 0.0,
                left_arm: 0.3,
                lean: 0.2,
                head_tilt: 0.25,
                shift_x: 0.1,
                ..rest
            },
            Move::Clap => Pose {
                left_arm: 1.4,
                right_arm: 1.4,
                left_elbow: 1.4,
                right_elbow: 1.4,
                crouch: 0.2,
                ..rest
            },
            Move::Jump => Pose {
                lift: 0.35,
                left_leg: 0.3,
                right_leg: 0.3,
                left_arm: 2.6,
                right_arm: 2.6,
                ..rest
            },
            Move::HeartHands => Pose {
                left_arm: 2.6,
                right_arm: 2.6,
                left_elbow: 1.8,
                right_elbow: 1.8,
                head_tilt: -0.2,
                ..rest
            },
            Move::Stumble => Pose {
                shift_x: -0.15,
                lean: -0.55,
                crouch: 0.45,
                left_arm: 1.2,
                right_arm: 0.6,
                left_elbow: 1.0,
                head_tilt: -0.4,
                left_leg: 0.3,
                right_leg: -0.2,
                ..rest
            },
        }
    }
}

/// How long a move takes to reach its peak, and to come back, in seconds.
pub const WIND_UP: f64 = 0.12;
pub const RECOVER: f64 = 0.35;

/// One performance of a move: it peaks at `peak` and holds there until `hold_until` (a held
/// note), reaching `amount` of the full pose. Better judgements dance crisper: fuller and with
/// a sharper snap into the peak.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Performance {
    pub dance: Move,
    pub peak: f64,
    pub hold_until: f64,
    pub amount: f32,
    /// 1 snaps into the peak; lower values ease in softly.
    pub crispness: f32,
}

impl Performance {
    /// The move for a hit judged `judgement` on a note at `note_time`, pressed at `pressed`:
    /// an early press winds up so the move peaks on the note's beat; a late one peaks as soon
    /// as it can, when the press lands. A miss stumbles.
    pub fn for_hit(
        lane_move: Move,
        judgement: Judgement,
        note_time: f64,
        pressed: f64,
        hold_end: Option<f64>,
    ) -> Performance {
        let (dance, amount, crispness) = match judgement {
            Judgement::Perfect => (lane_move, 1.0, 1.0),
            Judgement::Great => (lane_move, 0.9, 0.8),
            Judgement::Good => (lane_move, 0.7, 0.55),
            Judgement::Bad => (lane_move, 0.5, 0.35),
            Judgement::Miss => (Move::Stumble, 1.0, 0.6),
        };
        let peak = note_time.max(pressed);
        Performance {
            dance,
            peak,
            hold_until: hold_end.unwrap_or(peak).max(peak),
            amount,
            crispness,
        }
    }

    /// How far into the move the idol is at `time`, 0 (resting) to 1 (the peak).
    pub fn weight(&self, time: f64) -> f32 {
        let w = if time < self.peak - WIND_UP {
            0.0
        } else if time <= self.peak {
            let t = ((time - (self.peak - WIND_UP)) / WIND_UP) as f32;
            // Crisp moves snap in late and hard; soft ones ease in.
            let sharp = 1.0 + 2.0 * self.crispness;
            t.powf(sharp)
        } else if time <= self.hold_until {
            1.0
        } else {
            let t = ((time - self.hold_until) / RECOVER) as f32;
            (1.0 - t).max(0.0).powi(2)
        };
        w * self.amount
    }

    pub fn finished(&self, time: f64) -> bool {
        time > self.hold_until + RECOVER
    }
}

/// The fastest any joint of a shown pose moves, in radians (or pose units) per real second:
/// 30 is half a radian, about 29°, in a frame at 60 fps. Slower, and a crisp move at 2× rate
/// could not reach its peak on the beat.
pub const MAX_JOINT_SPEED: f32 = 30.0;
/// How fast a shown pose closes on where the dance puts it, per real second: 60 covers nine
/// tenths of the way in 38 ms, well inside a wind-up at 2× rate.
pub const FOLLOW_RATE: f32 = 60.0;

/// The idle bounce: a dip on every beat, `beat` counting from the song's start.
pub fn bounce(beat: f64) -> f32 {
    let phase = beat.rem_euclid(1.0) as f32;
    // Down on the beat, up between: a soft bob a dancer keeps while waiting.
    (phase * std::f32::consts::TAU).cos() * 0.5 + 0.5
}

/// The idol's pose at `time`: the idle bounce, with the latest performance blended over it.
pub fn pose_at(time: f64, beat: f64, performing: Option<&Performance>) -> Pose {
    let dip = bounce(beat);
    let idle = Pose {
        crouch: 0.12 * dip,
        lift: -0.02 * dip,
        left_arm: 0.2 + 0.1 * dip,
        right_arm: 0.2 + 0.1 * dip,
        ..Pose::rest()
    };
    match performing {
        Some(performance) => idle.lerp(Pose::peak(performance.dance), performance.weight(time)),
        None => idle,
    }
}

/// Where a dancer faces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Facing {
    #[default]
    Front,
    Left,
    Right,
    Back,
}

/// Stage themes in the spirit of the big K-pop stages (all names are fictional).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Venue {
    /// A convention-hall fan-fest: truss lights, booth banners, a packed floor.
    #[default]
    FanFestHall,
    /// An awards-show stage: a towering LED wall, mirrored stairs, spotlights.
    AwardsStage,
    /// An open-air festival showcase: dusk sky, side screens, a sea of lightsticks.
    FestivalShowcase,
}

impl Venue {
    pub const ALL: [Venue; 3] = [
        Venue::FanFestHall,
        Venue::AwardsStage,
        Venue::FestivalShowcase,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Venue::FanFestHall => "Starlight Fan-Fest Hall",
            Venue::AwardsStage => "Crystal Crown Awards",
            Venue::FestivalShowcase => "Summer Wave Festival",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Venue::FanFestHall => "fan_fest_hall",
            Venue::AwardsStage => "awards_stage",
            Venue::FestivalShowcase => "festival_showcase",
        }
    }

    pub fn from_name(name: &str) -> Option<Venue> {
        Venue::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Shapes a backdrop's motifs are drawn with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Motif {
    #[default]
    Stars,
    Hearts,
    Circles,
    Bars,
    Diamonds,
}

/// What happens on the big moments of the song.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Burst {
    #[default]
    Confetti,
    Pyro,
    None,
}

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// A level's visual concept: its colours, motifs and what the music sets off.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Concept {
    pub venue: Venue,
    /// Main, second and accent colours.
    pub palette: [Rgb; 3],
    pub motif: Motif,
    pub burst: Burst,
}

impl Default for Concept {
    fn default() -> Self {
        Concept {
            venue: Venue::default(),
            palette: [[255, 92, 178], [110, 200, 255], [255, 210, 90]],
            motif: Motif::default(),
            burst: Burst::default(),
        }
    }
}

/// Reads `"#rrggbb"` or `"#rgb"`.
pub fn parse_colour(text: &str) -> Option<Rgb> {
    let hex = text.trim().strip_prefix('#')?;
    let digits: Vec<u8> = hex
        .chars()
        .map(|c| c.to_digit(16).map(|d| d as u8))
        .collect::<Option<Vec<u8>>>()?;
    match digits.as_slice() {
        [r, g, b] => Some([r * 17, g * 17, b * 17]),
        [r1, r2, g1, g2, b1, b2] => Some([r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2]),
        _ => None,
    }
}

/// A choreographed move at a beat.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CuedMove {
    pub beat: f64,
    pub dance: Move,
}

/// Where each dancer stands from a beat on: x from -1 (stage left edge) to 1, depth from 0
/// (front) to 1 (back).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Formation {
    pub beat: f64,
    pub positions: Vec<(f32, f32)>,
}

/// A level's choreography: cued moves, formations and facings, all optional.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Choreography {
    pub moves: Vec<CuedMove>,
    pub formations: Vec<Formation>,
    pub facings: Vec<(f64, Facing)>,
}

impl Choreography {
    /// The cued move a hit on a note at `beat` dances instead of its lane's, if one is cued
    /// within a quarter beat.
    pub fn cue_near(&self, beat: f64) -> Option<Move> {
        self.moves
            .iter()
            .find(|m| (m.beat - beat).abs() <= 0.25 + 1e-9)
            .map(|m| m.dance)
    }

    /// Where dancer `index` of `count` stands at `beat`: the latest formation that places
    /// them, else evenly across the stage.
    pub fn position(&self, index: usize, count: usize, beat: f64) -> (f32, f32) {
        self.formations
            .iter()
            .rev()
            .find(|f| f.beat <= beat + 1e-9 && f.positions.len() > index)
            .map_or_else(|| default_position(index, count), |f| f.positions[index])
    }

    pub fn facing(&self, beat: f64) -> Facing {
        self.facings
            .iter()
            .rev()
            .find(|(b, _)| *b <= beat + 1e-9)
            .map_or(Facing::Front, |(_, f)| *f)
    }
}

/// Dancers spread evenly along the front of the stage.
pub fn default_position(index: usize, count: usize) -> (f32, f32) {
    if count <= 1 {
        return (0.0, 0.2);
    }
    let x = -0.6 + 1.2 * index as f32 / (count - 1) as f32;
    (x, 0.2 + 0.1 * (index % 2) as f32)
}

/// Songs at this tempo or slower are ballads (Paper Lanterns, at 90): the crowd sways its
/// lightsticks instead of pumping them on the beat.
pub const BALLAD_BPM: f64 = 92.0;

/// How one lightstick in the crowd moves at `beat` of a song at `bpm`: (sideways, −1 to 1; up,
/// 0 to 1). In a dance track it pumps up on every beat and rocks a little, each fan a hair off
/// their neighbour (`phase`, in beats); in a ballad it sways from side to side over two beats,
/// all together like a slow wave, and is not pumped.
pub fn crowd_wave(beat: f64, bpm: f64, phase: f32) -> (f32, f32) {
    let at = beat as f32 + phase;
    if bpm <= BALLAD_BPM {
        ((at * std::f32::consts::PI).sin(), 0.0)
    } else {
        let pump = (1.0 - at.rem_euclid(1.0)).powi(3);
        (0.35 * (at * std::f32::consts::PI).sin(), pump)
    }
}

/// Combo counts the crowd cheers at.
pub const CHEER_MILESTONES: [u32; 6] = [50, 100, 200, 300, 500, 1000];

/// Secondary motion: hair and a skirt's hem swing after the body, trailing the way it moves,
/// then overshoot and settle when it stops, as hair and cloth do. A damped spring whose rest
/// is set by the body's sideways speed; `swing` is -1 to 1 (negative trails to the left).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FollowThrough {
    swing: f32,
    speed: f32,
    last_body: Option<f32>,
}

/// The spring's stiffness (1/s²) and damping (1/s): about 2 swings a second, damped lightly
/// enough to overshoot once.
const SWING_STIFFNESS: f32 = 180.0;
const SWING_DAMPING: f32 = 9.0;
/// How far the hair trails per unit of the body's sideways speed (body widths a second).
const SWING_GAIN: f32 = 0.15;

impl FollowThrough {
    /// Moves on by `dt` seconds with the body in `pose`.
    pub fn step(&mut self, pose: &Pose, dt: f32) {
        let dt = dt.clamp(0.0, 0.05);
        let body = pose.shift_x + pose.lean * 0.8 + pose.head_tilt * 0.3;
        let velocity = match self.last_body {
            Some(last) if dt > 0.0 => (body - last) / dt,
            _ => 0.0,
        };
        self.last_body = Some(body);
        let rest = (-velocity * SWING_GAIN).clamp(-1.0, 1.0);
        // Small steps keep the spring stable whatever the frame rate.
        let steps = (dt / 0.004).ceil().max(1.0);
        let h = dt / steps;
        for _ in 0..steps as u32 {
            let accel = SWING_STIFFNESS * (rest - self.swing) - SWING_DAMPING * self.speed;
            self.speed += accel * h;
            self.swing += self.speed * h;
        }
        self.swing = self.swing.clamp(-1.0, 1.0);
    }

    pub fn swing(&self) -> f32 {
        self.swing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crowd_pumps_on_the_beat_and_sways_in_ballads() {
        // A dance track: up on every beat, down between.
        let (_, on) = crowd_wave(8.0, 128.0, 0.0);
        let (_, between) = crowd_wave(8.5, 128.0, 0.0);
        assert!(on > 0.99 && between < 0.2, "{on} {between}");
        // A ballad: never pumped, swaying from one side to the other over two beats.
        for k in 0..16 {
            assert_eq!(crowd_wave(k as f64 / 4.0, 72.0, 0.0).1, 0.0);
        }
        let (left, _) = crowd_wave(1.5, 72.0, 0.0);
        let (right, _) = crowd_wave(2.5, 72.0, 0.0);
        assert!(left < -0.99 && right > 0.99, "{left} {right}");
    }

    #[test]
    fn a_shown_pose_never_jumps_between_frames_and_keeps_the_beat() {
        use crate::judgement::Judgement;
        let moves = [
            Move::StepLeft,
            Move::ArmUp,
            Move::Spin,
            Move::Jump,
            Move::Point,
            Move::StepRight,
        ];
        // 200 BPM, a hit every eighth at 1× and every quarter at 2× (a move every 150 ms of
        // real time either way, as fast as anyone dances); every fifth a miss that stumbles.
        for (rate, every) in [(1.0f64, 0.5), (2.0, 1.0)] {
            let frame = 1.0 / 60.0;
            let mut shown = pose_at(0.0, 0.0, None);
            let mut performing: Option<Performance> = None;
            let mut next_hit = 0.5;
            let mut hits = 0;
            let mut real = 0.0;
            let mut reached_peaks = 0;
            let mut peaks = 0;
            while real < 8.0 {
                real += frame;
                let song = real * rate;
                if song >= next_hit {
                    let judgement = if hits % 5 == 4 {
                        Judgement::Miss
                    } else {
                        Judgement::Perfect
                    };
                    performing = Some(Performance::for_hit(
                        moves[hits % moves.len()],
                        judgement,
                        next_hit + 0.05,
                        next_hit,
                        None,
                    ));
                    hits += 1;
                    next_hit += 60.0 / 200.0 * every;
                }
                let beat = song * 200.0 / 60.0;
                let target = pose_at(song, beat, performing.as_ref());
                let next = shown.toward(target, frame as f32);
                let step = next.largest_change(&shown);
                assert!(
                    step <= MAX_JOINT_SPEED / 60.0 + 1e-4,
                    "at {rate}×, {real:.3} s: a joint moved {step} in a frame"
                );
                shown = next;
                if let Some(p) = &performing
                    && (song - p.peak).abs() < frame * rate / 2.0
                {
                    peaks += 1;
                    let peak = pose_at(song, beat, Some(p));
                    let rest = pose_at(song, beat, None);
                    let travel = peak.largest_change(&rest);
                    if travel < 1e-3 || shown.largest_change(&peak) <= 0.5 * travel {
                        reached_peaks += 1;
                    }
                }
            }
            // On the beat, the shown pose is at least halfway to each move's peak.
            assert!(
                reached_peaks * 10 >= peaks * 8,
                "at {rate}×, {reached_peaks} of {peaks} moves reached their peak on the beat"
            );
        }
    }

    #[test]
    fn an_early_hit_winds_up_to_peak_on_the_beat() {
        // The note is on the beat at 10 s; the press comes 30 ms early.
        let p = Performance::for_hit(Move::ArmUp, Judgement::Perfect, 10.0, 9.97, None);
        assert_eq!(p.peak, 10.0);
        assert!((p.weight(10.0) - 1.0).abs() < 1e-6);
        assert!(p.weight(9.97) < p.weight(10.0));
        assert!(p.weight(10.05) < 1.0);
        // Sampled around the beat, the most is exactly on it.
        let best = (-40..=40)
            .map(|ms| 10.0 + f64::from(ms) / 1000.0)
            .max_by(|a, b| p.weight(*a).total_cmp(&p.weight(*b)))
            .unwrap();
        assert!((best - 10.0).abs() < 1e-9, "peaks at {best}");
    }

    #[test]
    fn a_late_hit_peaks_when_it_lands_and_a_miss_stumbles() {
        let late = Performance::for_hit(Move::StepLeft, Judgement::Good, 10.0, 10.06, None);
        assert_eq!(late.peak, 10.06);
        assert!(late.amount < 1.0, "a Good is less crisp than a Perfect");
        let miss = Performance::for_hit(Move::StepLeft, Judgement::Miss, 10.0, 10.18, None);
        assert_eq!(miss.dance, Move::Stumble);
    }

    #[test]
    fn a_hold_sustains_the_pose_until_its_tail() {
        let p = Performance::for_hit(Move::ArmWave, Judgement::Perfect, 4.0, 4.0, Some(6.0));
        assert!((p.weight(5.5) - 1.0).abs() < 1e-6);
        assert!(p.weight(6.2) < 1.0);
        assert!(p.finished(6.0 + RECOVER + 0.01));
    }

    #[test]
    fn the_idle_bounce_dips_on_every_beat() {
        assert!((bounce(3.0) - 1.0).abs() < 1e-6);
        assert!(bounce(3.5) < 0.01);
        let on = pose_at(0.0, 2.0, None);
        let off = pose_at(0.0, 2.5, None);
        assert!(on.crouch > off.crouch);
    }

    #[test]
    fn lanes_have_moves_and_moves_have_names() {
        assert_eq!(Move::for_lane(0, 4), Move::StepLeft);
        assert_eq!(Move::for_lane(3, 4), Move::StepRight);
        for m in Move::ALL {
            assert_eq!(Move::from_name(m.name()), Some(m));
        }
        assert_eq!(parse_colour("#ff5ca8"), Some([255, 92, 168]));
        assert_eq!(parse_colour("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_colour("ff5ca8"), None);
        assert_eq!(parse_colour("#ff5cz8"), None);
    }

    #[test]
    fn choreography_cues_formations_and_facings() {
        let choreo = Choreography {
            moves: vec![CuedMove {
                beat: 64.0,
                dance: Move::Point,
            }],
            formations: vec![Formation {
                beat: 32.0,
                positions: vec![(-0.5, 0.0), (0.5, 0.0)],
            }],
            facings: vec![(16.0, Facing::Left)],
        };
        assert_eq!(choreo.cue_near(64.2), Some(Move::Point));
        assert_eq!(choreo.cue_near(65.0), None);
        assert_eq!(choreo.position(1, 2, 40.0), (0.5, 0.0));
        assert_eq!(choreo.position(1, 2, 8.0), default_position(1, 2));
        assert_eq!(choreo.facing(20.0), Facing::Left);
        assert_eq!(choreo.facing(0.0), Facing::Front);
    }

    #[test]
    fn hair_trails_a_move_then_overshoots_and_settles() {
        let mut hair = FollowThrough::default();
        let mut pose = Pose::default();
        let dt = 1.0 / 60.0;
        hair.step(&pose, dt);
        // The body steps right for a quarter of a second...
        for _ in 0..15 {
            pose.shift_x += 0.8 * dt / 0.25;
            hair.step(&pose, dt);
        }
        assert!(
            hair.swing() < -0.1,
            "the hair trails left: {}",
            hair.swing()
        );
        // ...and stops: the hair swings on past the middle, then comes to rest.
        let mut overshoot = 0.0f32;
        for _ in 0..30 {
            hair.step(&pose, dt);
            overshoot = overshoot.max(hair.swing());
        }
        assert!(overshoot > 0.02, "no overshoot: {overshoot}");
        for _ in 0..90 {
            hair.step(&pose, dt);
        }
        assert!(
            hair.swing().abs() < 0.01,
            "still swinging: {}",
            hair.swing()
        );
    }
}
