//! Threads that must not wait behind the render threads: the raw input thread, and the audio
//! output thread that feeds the sound server. Raising them needs the right to (root, or
//! `CAP_SYS_NICE`); without it they run at normal priority, and nothing else changes.
//!
//! A nice level rather than a real-time class: cpal leaves real time off for ALSA's PulseAudio
//! plugin on purpose (priority inversion against the server, and SIGXCPU when a real-time
//! thread spins), while a nice level only moves the thread ahead of the game's own workers.

/// The nice level asked for: well ahead of normal (0), short of the sound server's own (-11 in
/// PulseAudio, which runs at its own high priority or real time).
const RAISED_NICE: i32 = -15;

/// Raises the calling thread; whether the system allowed it.
pub fn raise_current_thread() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid takes no arguments and cannot fail.
        raise_thread(unsafe { libc::gettid() })
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// Raises every thread of this process whose name is `name`; how many it raised.
pub fn raise_threads_named(name: &str) -> usize {
    #[cfg(target_os = "linux")]
    {
        let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
            return 0;
        };
        tasks
            .flatten()
            .filter(|task| {
                std::fs::read_to_string(task.path().join("comm")).is_ok_and(|n| n.trim() == name)
            })
            .filter_map(|task| task.file_name().to_str()?.parse::<i32>().ok())
            .filter(|tid| raise_thread(*tid))
            .count()
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = name;
        0
    }
}

#[cfg(target_os = "linux")]
fn raise_thread(tid: i32) -> bool {
    // SAFETY: setpriority only reads its arguments; a refusal is an error code.
    unsafe { libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, RAISED_NICE) == 0 }
}
