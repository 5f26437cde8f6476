//! The pure rhythm core: charts, timing, judging, scoring, levels, replays, saves and the song
//! synthesizer. Nothing here knows about windows, audio devices or the ECS; the game and the CLI
//! both run on it, and it builds (and benchmarks in release) without Bevy.

pub mod audio_file;
pub mod calibration;
pub mod chart;
pub mod diagnostic;
pub mod explain;
pub mod folders;
pub mod import;
pub mod journal;
pub mod judge;
pub mod judgement;
pub mod led_wall;
pub mod level;
pub mod life;
pub mod merch;
pub mod mods;
pub mod multiplayer;
pub mod music;
pub mod pack;
pub mod play;
pub mod practice;
pub mod profile;
pub mod profiles;
pub mod rating;
pub mod recording;
pub mod records;
pub mod replay;
pub mod save;
pub mod score;
pub mod spans;
pub mod stage;
pub mod tempo;
pub mod timing;
pub mod tour;
pub mod user_file;
