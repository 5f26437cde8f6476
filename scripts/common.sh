# Shared by scripts/play and scripts/test: installs the Debian/Ubuntu packages that are missing.

# The libraries Bevy, winit and kira build against.
BUILD_PACKAGES=(pkg-config libasound2-dev libudev-dev libwayland-dev libxkbcommon-dev)
# Fonts found at run time, never committed: the text face (Inter, OFL), the display face for
# titles (Comfortaa, OFL), and the fallbacks for Hangul, kana and kanji.
FONT_PACKAGES=(fonts-inter fonts-comfortaa fonts-nanum fonts-droid-fallback)

ensure_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "Installing missing packages: ${missing[*]}" >&2
    local sudo=()
    [ "$(id -u)" -ne 0 ] && sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Starts Xvfb on a free display (the server picks it, so a stale lock from an earlier run cannot
# get in the way), and sets DISPLAY and XVFB_PID.
start_xvfb() {
    local display_file
    display_file=$(mktemp)
    Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$display_file" >/dev/null 2>&1 &
    XVFB_PID=$!
    for _ in $(seq 100); do [ -s "$display_file" ] && break; sleep 0.1; done
    export DISPLAY=":$(head -n 1 "$display_file")"
    rm -f "$display_file"
}

# Starts PulseAudio with a null sink when none is running: with no sound card it plays in real
# time, which is what timing needs. Sets XDG_RUNTIME_DIR.
start_pulseaudio() {
    export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/lightstick-runtime-$(id -u)}"
    mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
    if ! pactl info >/dev/null 2>&1; then
        pulseaudio --start --exit-idle-time=-1 >/dev/null 2>&1 || true
    fi
}
