# Lightstick menus in English. Song titles, artists and names are never translated.

## Title screen
title-tagline = dance to the beat
title-play = Play
title-multiplayer = Local multiplayer
title-tour = Festival tour
title-collection = Collection & shop
title-settings = Settings
title-quit = Quit
title-keys = Enter: play   ·   M: multiplayer   ·   T: tour   ·   C: collection   ·   S: settings   ·   P: profile   ·   Esc: quit
title-playing-as = Playing as
title-new-profile = + New profile…
title-fan-points = ♥ { $points } fan points   ·   { $items } items
title-new-profile-name = New profile's name:
common-create = Create
common-cancel = Cancel

## Settings
settings-tab-keys = Keys
settings-tab-timing = Timing
settings-tab-display = Display
settings-tab-audio = Audio
settings-tab-profile = Profile
common-back-esc = ◀ Back (Esc)
settings-heading = Settings for { $name }
settings-keys-heading = Keys
settings-press-key = Press a key for lane { $lane } of { $lanes } (Esc cancels)
settings-click-lane = Click a lane, then press its key.
settings-lanes = { $lanes } lanes
settings-multiplayer-keyboards = Multiplayer keyboards
settings-press-layout-key = Press a key for lane { $lane } of { $layout } (Esc cancels)
settings-layouts-own-keys = Each layout is a player's: a key another layout has is refused.
settings-key-taken = { $key } is already lane { $lane }'s key in { $lanes } lanes.
settings-swap = Swap: lane { $lane } gets { $key }
settings-pads-heading = Gamepad and dance mat
settings-pads-hint = Click a lane, then press its button on the pad. Presses are stamped as they arrive.
settings-pad-own = { $name } (4 lanes)
settings-pad-shared = use the shared buttons
settings-timing-heading = Timing
settings-keyboard-offset = keyboard input offset (raise if you hit late)
settings-visual-offset = visual offset (raise to draw notes later)
settings-calibrate-input = Calibrate input offset (tap to clicks)
settings-calibrate-input-hint = Tap on the keyboard, pad or mat you play with: the offset measured is that device's.
settings-check-visual = Check visual offset (tap to a flash)
settings-judge = judge difficulty (4 is standard)
settings-no-fail = No fail: keep playing when the life bar empties
settings-song-offsets = Per-song audio offsets
common-remove = remove
settings-pad-offset = { $name }: its own offset
settings-pad-uses-keyboard = the keyboard's, { $ms } ms
settings-scroll-heading = Scroll speed
settings-scroll-multiplier = Multiplier (follows the tempo)
settings-scroll-constant = Constant (same speed at any tempo)
settings-window-heading = Window and stage
settings-fullscreen = Fullscreen
settings-stage = Stage behind the notes
settings-stage-off = off
settings-stage-low = low: venue and idols
settings-stage-full = full: crowd and effects too
settings-highway-opacity = highway opacity: lower shows more of the stage
settings-accessibility = Accessibility
settings-note-colours = Note colours
settings-lane-shapes = Shapes per lane: bar, diamond, star, heart (lanes differ by more than colour)
settings-calm = Reduce flashing and motion: the screens glow instead of flashing, no bursts or confetti
settings-ui-scale = Menu and text size
settings-ui-scale-hint = on top of the size that fits the window
settings-audio-heading = Audio
settings-volume = volume
settings-profile-heading = Profile: { $name }
settings-profile-own = These settings belong to this profile; another profile keeps its own.
settings-saved-in = Saved in { $path }
settings-reset = Reset all to defaults

## Settings: language and palettes
settings-language = Language
settings-language-system = System ({ $language })

## Note palettes
palette-standard = Standard
palette-deuteranopia = Deuteranopia (red–green)
palette-protanopia = Protanopia (red–green)
palette-tritanopia = Tritanopia (blue–yellow)

## Mods
mods-as-written = As written
mods-mirror = Mirror
mods-shuffle = Shuffle lanes
mods-random = Random notes
mods-heading = Mods
mods-hidden = Hidden
mods-hidden-hint = Notes fade out below the line, before they reach the receptors.
mods-sudden = Sudden
mods-sudden-hint = Notes appear only once they pass below the line.
play-lane-cover = lane cover { $percent } %  ·  Page Up / Page Down
mods-lane-cover = Lane cover
mods-lane-cover-hint = Covers the top of the highway. Page Up and Page Down, or the mouse wheel, move it during a solo play. It never changes a judgement or a record.
mods-as-written-hint = The chart as its author wrote it.
mods-mirror-hint = Left and right swap.
mods-shuffle-hint = The lanes change places, the same way for the whole song.
mods-random-hint = Every note lands on a lane of its own; chords and holds stay playable.
mods-hidden-at = Hidden { $percent } %
mods-sudden-at = Sudden { $percent } %
mods-summary = mods: { $mods }

## Song list
common-back = ◀ Back
songs-heading = Choose a song
together-versus = Versus
together-group = Group stage
songs-change-players = change players
songs-keys = type to search · Up/Down song · Left/Right difficulty · Enter play · Shift+Enter practise · Ctrl+Enter record · Esc back
songs-search-hint = search: type a title, artist or pack
songs-search = search: { $query }
songs-count = { $shown } of { $total } songs
songs-indexing = indexing { $done } of { $total }
songs-sorted-by = sorted by { $order }
songs-play = ▶ Play
songs-practise = Practise
songs-practise-hint = Shift+Enter: never recorded
songs-record = Record
songs-record-hint = Ctrl+Enter: tap a chart along to the song
songs-replays = Replays…
songs-replays-hint = your saved plays of this chart, to watch
songs-checking = Checking this level… it can be chosen as soon as it is checked.
songs-broken = { $file } can't be played until these are fixed:
songs-more-problems = and { $count } more
common-loading = Loading…
credit-composer = Composer
credit-lyricist = Lyricist
credit-arranger = Arranger
credit-producer = Producer
credit-choreographer = Choreographer
songs-parts-by-section = Group stage: parts split by the song's sections
songs-parts-written = Group stage: parts written for { $members } members; other groups split by sections
songs-difficulty = Difficulty
songs-rating-at = meter · rating computed from the notes at ×{ $rate }
songs-best = best { $score }  { $grade }  { $accuracy }%{ $flag }
songs-not-cleared =
    not cleared yet ({ $count ->
        [one] 1 try
       *[other] { $count } tries
    })
songs-not-played = not played yet
songs-chart-row = { $difficulty } { $meter } · { $rating }   { $lanes } lanes   { $notes } notes   { $best }
songs-keys-of-chart = Keys: { $keys }
songs-rate = Rate
songs-rate-hint = [ and ] change it; timing windows stay the same
songs-practice-from = Practice (never recorded) from measure
songs-loop-to = loop to
songs-no-loop = no loop
songs-wait-mode = wait at each note
songs-record-at = Record a chart at
songs-record-as = as
songs-new-chart = a new chart
songs-replace-chart = { $difficulty } (replace it)
songs-none = No levels found.
songs-none-hint = Put level folders in levels/ or in your data folder's levels/.
songs-no-match = No song matches the search. Esc clears it.
songs-jump-hint = jump here (PgUp/PgDn: previous/next)
songs-pack-hint = open or close this pack (Enter, or Left and Right)
songs-pack-count =
    { $count ->
        [one] 1 song
       *[other] { $count } songs
    }
songs-row-checking = checking…
songs-row-broken = { $slug } (broken)

## Song order
order-folder = pack and folder
order-title = title
order-artist = artist
order-bpm = BPM
order-length = length
order-difficulty = difficulty
order-grade = best grade

## Devices
layout-left = Keyboard, left (A S D F)
layout-arrows = Keyboard, arrows
layout-numpad = Keyboard, numpad (4 2 8 6)
device-keyboard = the keyboard
device-pad = the pad “{ $name }”

## Join screen
join-choose-song = Choose a song ▶ (Enter)
join-two-or-more = Two players or more, then choose a song.
join-heading = Local multiplayer
join-versus = Versus: everyone plays the whole song
join-group = Group stage: each their lines, one life bar
join-seat = Seat { $seat }
join-free = free: press to join
join-guest = Guest
join-leave = leave: { $key }
join-pause-key = { $key }: next profile here, pause in play
join-scroll-speed = scroll speed
join-judge = judge
join-highway-opacity = highway opacity
join-leave-button = Leave
join-layouts = Keyboard layouts
join-layout-keys = { $layout }: lanes { $keys }, pause { $pause }, leave { $leave }
join-pads = Pads and dance mats: the d-pad and face buttons play, { $pause } pauses, { $leave } leaves.

## Replays
replays-heading = Replays · { $title } · { $difficulty }
common-close-esc = Close (Esc)
replays-none = No replays of this chart yet: every play you finish is saved as one.
replays-saves-nothing = Watching saves nothing: no score, no fan points.
replays-watch = ▶ Watch
replays-place =  line { $line }, column { $column }
replays-failed = { $score } · FAILED
replays-no-result = no result saved

## Time ago
ago-now = just now
ago-minutes =
    { $count ->
        [one] 1 minute ago
       *[other] { $count } minutes ago
    }
ago-hours =
    { $count ->
        [one] 1 hour ago
       *[other] { $count } hours ago
    }
ago-days =
    { $count ->
        [one] 1 day ago
       *[other] { $count } days ago
    }
ago-months =
    { $count ->
        [one] 1 month ago
       *[other] { $count } months ago
    }
ago-years =
    { $count ->
        [one] 1 year ago
       *[other] { $count } years ago
    }

## Results
results-next-song = Next song ▶ (Enter)
results-back-to-tour = Back to the tour (Enter)
results-song-list = Song list (Enter)
results-retry = Retry (R)
results-retry-no-fail = Retry with no fail (N)
results-watch-replay = Watch replay (W)
results-replay-saved = replay saved: { $name }
results-no-fail-offer = Failed twice in a row: with no fail the song plays to the end, however empty the bar.
results-autoplay-not-saved = autoplay: not saved
results-replay-not-saved = replay: not saved
results-practice = practice from measure { $measure }: no best score, fan points or merch
results-histogram = Hit error: early to the left, late to the right
results-over-the-song = Hit error over the song
results-holds = Holds
results-let-go = Holds let go
results-mines-hit = Mines hit
results-max-combo = Max combo
results-mean-error = Mean error
results-spread = Spread (σ)
results-late = late
results-early = early
results-calibrate-from-play = Calibrate from this play
results-offset-all-songs = All songs on { $device }: offset { $ms } ms
results-offset-this-song = This song only: { $ms } ms more
results-input-offset-of = Input offset of { $device }
results-visual-offset = Visual offset
results-now-suggested = Now { $now } ms; suggested { $suggested } ms
results-apply = Apply
results-try-again = Try again (R)
results-back-to-settings = Back to settings
results-tour-stage = Festival tour · { $stage }
results-tour-song = song { $song } of { $total }
results-tour-next = Enter: next song ▶
results-stage-cleared = STAGE CLEARED!
results-unlocked = Unlocked: { $name }
results-tour-back = Enter: back to the tour
results-tour-song-failed = a song failed
results-tour-missed = missed: { $goals }
results-stage-not-cleared = Stage not cleared ({ $why })
results-fan-points = +{ $points } fan points
results-failed = FAILED
results-all-perfect = ALL PERFECT
results-full-combo = FULL COMBO
results-new-best = NEW BEST
results-left-the-play = left the play
results-score = Score
results-grade = Grade
results-hit-error = Hit error
results-mean-spread = mean { $mean } ms · σ { $spread } ms
results-earned = Earned
results-line-distribution = Line distribution
results-member-share = { $share } % of the notes · { $accuracy } %
results-group-accuracy = group accuracy { $accuracy }%
results-group-failed = the group's life bar ran out
results-group-cleared = the group cleared the song

## Advice and goals
advice-late = { $taps } taps, { $ms } ms late on average (spread { $spread } ms)
advice-early = { $taps } taps, { $ms } ms early on average (spread { $spread } ms)
advice-too-few = { $taps } taps so far: at least { $needed } are needed before a suggestion means anything
advice-scattered = { $taps } taps spread over { $spread } ms, too wide to trust: keep a steady rhythm, tap with one finger, and try again
goal-every-grade = every song at { $grade } or better
goal-accuracy = mean accuracy { $percent }% or more
goal-full-combos =
    { $count ->
        [one] a full combo on one song
       *[other] full combos on { $count } songs
    }
goal-total-score = { $points } points over the set
precision-raw = input: raw, thread-stamped
precision-frame = input: frame-limited

## Play
play-autoplay = AUTOPLAY
play-replay = REPLAY
play-group-members = Group stage · { $count } members
play-versus-players = Versus · { $count } players
play-no-sound = no sound: wall clock
play-rate = rate ×{ $rate }
play-rendering = Rendering the song… { $percent }%
play-starting-music = Starting the music…
play-cleared = CLEARED
play-paused = Paused
play-unplugged = { $name }'s controller is unplugged: plug it back in, or
play-continue-without = Continue without { $name } (C, or Select on a pad)
play-resume = Resume (Enter)
play-restart = Restart (R)
play-quit = Quit to song list (Q)
play-esc-resumes = Esc resumes
play-ms-early = { $ms } ms early
play-ms-late = { $ms } ms late
play-let-go = LET GO
play-mine = MINE!
play-life = life
play-group-standing = Group stage · life { $life }% · { $score }
play-ordinal =
    { $place ->
        [1] 1st
        [2] 2nd
        [3] 3rd
       *[other] { $place }th
    }
play-calibrate-audio = Tap any lane key on every click you hear. Don't look for a cue: listen.
play-calibrate-visual = Tap any lane key each time the light flashes. The sound is off.

## Collection and shop
rarity-common = Common
rarity-rare = Rare
rarity-super-rare = Super rare
rarity-ultra = Ultra
collection-heading = { $name }'s collection
collection-owned-count = { $owned } of { $total } items
collection-fan-points = ♥ { $points } fan points
collection-shop = Shop
collection-worn-now = Worn now:
collection-default = default
collection-shop-heading = Shop: spend the fan points you earn by playing
collection-buy-heading = Buy this item?
collection-buy-question = { $item } for { $price } fan points?
collection-balance = You have { $have }; you will have { $left }.
collection-bought = { $item } is yours!
collection-buy = Buy (Enter)
common-cancel-esc = Cancel (Esc)
collection-collected = ✔ collected
collection-not-collected = Not collected yet
collection-member = member: { $member }
collection-how-to-get = How to get it
collection-buy-for = Buy for ♥ { $price }
collection-need-more = You need { $points } more fan points.
collection-take-off = Take off
collection-wear = Wear this
collection-owned = In your collection.
collection-now-wearing = Now wearing { $item }
collection-took-off = Took off { $item }
wear-lightstick = The crowd waves this lightstick on stage.
wear-outfit = Your idol wears this on stage.
wear-note-skin = Your notes take this look.
wear-poster = It hangs behind the menus.
wear-photocard = It shows on your card in multiplayer results.

## Merch categories
category-lightsticks = Lightsticks
category-photocards = Photocards
category-albums = Albums
category-outfits = Outfits
category-posters = Posters
category-banners = Slogan banners
category-note-skins = Note skins

## Festival tour
tour-heading = Festival tour
tour-intro = Play a stage's whole set list and meet its goals to clear it. Each clear opens the next stage and unlocks merch.
tour-cleared = ✔ cleared
tour-open = open
tour-locked = 🔒 locked
tour-stage = Stage { $number }: { $name }
tour-set-list = Set list
tour-goals-finish = Goals: finish every song
tour-goals = Goals: finish every song, { $goals }
tour-play-again = Play again ▶
tour-play = Play this stage ▶
tour-clear-to-open = Clear { $stage } to open this stage.
tour-rewards = Rewards
tour-locked-item = { $item } (locked)

## Import
import-button = Import charts…
import-button-hint = StepMania .sm/.ssc and osu!mania .osu/.osz, or drop them on the window
import-heading = Import charts
import-what = A StepMania or osu!mania chart, a song folder, a pack, a whole Songs/ folder or .osz archives. Or drop them on the window.
import-go = Import
import-where = Each song becomes a level in your data folder's levels/.
import-new-level = New level from audio…: a song of your own, its tempo and first beat found for you.
import-make-level = Make a level
import-progress = Importing { $path }: { $done } of { $total } songs

## Live reload
reload-errors = The level you saved has errors. The last good version plays on.

## Record mode
record-new-chart = new chart `{ $name }`
record-replacing = in place of `{ $name }`
record-heading = RECORD · { $into } · { $lanes } lanes
record-snap = snap { $snap } · not scored, nothing saved until you write it
record-presses = REC  { $count } presses
record-how = Tap the lanes along with the song; hold a key for a hold.
record-take-keys = Enter stop and play back · Backspace start again · Esc menu
record-playback =
    ▶ PLAYBACK  { $notes } notes ({ $holds ->
        [one] 1 hold
       *[other] { $holds } holds
    }) at { $snap } · meter { $meter }
record-file-changed =
    The level file changed on disk since the take began.
    Enter: write the chart into it as it is now · Backspace: don't write
record-not-written = Not written: the level would not validate.
record-review-keys = [ ] snap · Enter write it · Backspace record again · Esc menu

## Practice
practice-looping = measures { $from }–{ $to }, looping
practice-from = from measure { $from }
practice-heading = PRACTICE · { $range } · not recorded
practice-rate = rate { $rate }×
practice-rate-waiting = rate { $rate }× · wait mode
practice-pass = pass { $pass } · { $accuracy } % · mean { $mean } ms · spread { $spread } ms
practice-past-pass = pass { $pass } · { $accuracy } % · mean { $mean } ms · spread { $spread } ms · { $rate }×
practice-wait = WAIT · press lane { $lane }
practice-keys = - = rate   [ ] measure   Shift+[ ] section   Backspace again   \ loop to here   F2 wait

## Lesson
title-how-to-play = How to play

## Song list: chart summary
songs-chart-hover = { $difficulty } { $meter } · { $notes } notes

merch-hint-or-price = { $hint }, or { $price } fan points in the shop
merch-price = { $price } fan points in the shop
merch-clear = Clear { $level }
merch-clear-with-grade = Clear { $level } with { $grade } or better
merch-full-combo = Full combo { $level }
merch-all-perfect = All perfect on { $level }
merch-plays = { $count ->
    [one] Finish a play
   *[other] Finish { $count } plays
}
merch-streak = Clear { $count } songs in a row
merch-fan-points-earned = Earn { $points } fan points
merch-versus-wins = { $count ->
    [one] Win a versus play
   *[other] Win { $count } versus plays
}
merch-group-clears = { $count ->
    [one] Clear a group stage
   *[other] Clear { $count } group stages
}
merch-tour-stage = Clear { $stage } on the festival tour
merch-and = {", and "}
merch-or = {", or "}
merch-count-of = { $count } of: { $hints }
merch-on-a-chart-of = { $level } on a chart of { $meter } or more
merch-on-chart = { $level } on { $difficulty }
merch-on-chart-or-harder = { $level } on { $difficulty } or harder

notice-level-broken = { $level } can no longer be played: see its errors in the list
notice-level-reloaded = reloaded { $level }
notice-level-reloaded-errors = reloaded { $level }: { $count ->
    [one] { $count } error
   *[other] { $count } errors
}
notice-level-removed = a level was removed from the song list
notice-cannot-watch-levels = the song list cannot follow edits to levels ({ $reason }); reopen it to see changes
notice-raw-keyboard-unavailable = precise keyboard input is not available ({ $reason }): key presses are timed by frame
notice-raw-keyboard-stopped = precise keyboard input stopped ({ $reason }): key presses are now timed by frame
notice-no-gamepads = gamepads and dance mats are not available: { $reason }
notice-reloaded-rendering = reloaded { $level }: the song is rendering again and switches when it is ready
notice-reloaded = reloaded { $level }: the notes ahead are the new ones
notice-reload-errors = { $level } has { $count ->
    [one] { $count } error
   *[other] { $count } errors
}: the last good version plays on
notice-render-cannot-play = the song sheet's new render cannot play ({ $reason }): the last one plays on
notice-new-render-plays = the new render of the song plays from here
notice-play-not-saved = could not save the play ({ $file }): { $reason }
notice-chart-not-written = the chart was not written
notice-chart-would-have-errors = the chart was not written: the level would have errors
notice-chart-written = wrote the { $difficulty } chart ({ $notes } notes at { $snap }, meter { $meter }) into { $file }
notice-nothing-to-play = nothing to play: pick a song first
notice-no-audio = { $reason }: playing on the wall clock, without sound
notice-audio-did-not-start = the audio did not start: playing on the wall clock
notice-new-level-busy = a new level is being made; try again when it is done
notice-new-level = new level in { $folder }: { $bpm } BPM, first beat at { $offset } s; write its Easy chart and play it to check the offset
notice-new-level-two-tempos = new level in { $folder }: { $bpm } BPM (or { $other }), first beat at { $offset } s; write its Easy chart and play it to check the offset
notice-drop-during-play = finish the song first: drop it again on the song list to import it
notice-import-busy = an import is running; { $path } waits until it is done: drop it again then
notice-nothing-to-import = nothing to import in { $path }: Lightstick imports .sm, .ssc, .osu and .osz files
notice-imported = imported { $songs ->
    [one] { $songs } song
   *[other] { $songs } songs
}, { $charts ->
    [one] { $charts } chart
   *[other] { $charts } charts
} ({ $warnings ->
    [one] { $warnings } warning
   *[other] { $warnings } warnings
}, { $failed } failed); the reports are in each level's import-report.txt
notice-record-solo = record mode is for one player: leave the lineup to record
notice-practice-solo = practice is for one player: leave the lineup to practise
notice-multiplayer-four-lanes = multiplayer plays 4-lane charts; { $player }'s { $difficulty } chart has { $lanes } lanes
audio-not-used = no audio in this run
audio-no-device = no audio device
group-part = member { $member }'s lines of a group of { $members }
join-how-to-join = Press a lane key of your keyboard layout, or any button on your pad, to join.   G: versus or group   ·   Enter: choose a song   ·   Esc: back
tour-set-list-over = the set list is over
tour-level-missing = the level `{ $level }` is not in the song list
tour-chart-missing = `{ $level }` has no { $difficulty } chart
calibration-title = Offset calibration
notice-jacket-unreadable = { $file }: the jacket cannot be read: { $reason }
reload-more-errors = and { $count } more
