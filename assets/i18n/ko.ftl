# Lightstick 메뉴 (한국어). 곡 제목, 아티스트, 이름은 번역하지 않습니다.

## Title screen
title-tagline = 비트에 맞춰 춤춰요
title-play = 플레이
title-multiplayer = 로컬 멀티플레이
title-tour = 페스티벌 투어
title-collection = 컬렉션 & 숍
title-settings = 설정
title-quit = 종료
title-keys = Enter: 플레이   ·   M: 멀티플레이   ·   T: 투어   ·   C: 컬렉션   ·   S: 설정   ·   P: 프로필   ·   Esc: 종료
title-playing-as = 플레이어
title-new-profile = + 새 프로필…
title-fan-points = ♥ 팬 포인트 { $points }   ·   아이템 { $items }개
title-new-profile-name = 새 프로필 이름:
common-create = 만들기
common-cancel = 취소

## Settings
settings-tab-keys = 키
settings-tab-timing = 타이밍
settings-tab-display = 화면
settings-tab-audio = 오디오
settings-tab-profile = 프로필
common-back-esc = ◀ 뒤로 (Esc)
settings-heading = { $name }의 설정
settings-keys-heading = 키 설정
settings-press-key = { $lanes }레인 중 { $lane }번 레인에 쓸 키를 누르세요 (Esc 취소)
settings-click-lane = 레인을 클릭한 다음 키를 누르세요.
settings-lanes = { $lanes }레인
settings-multiplayer-keyboards = 멀티플레이 키보드
settings-press-layout-key = { $layout }의 { $lane }번 레인에 쓸 키를 누르세요 (Esc 취소)
settings-layouts-own-keys = 배열마다 한 명의 플레이어 것이에요. 다른 배열이 쓰는 키는 쓸 수 없어요.
settings-key-taken = { $key } 키는 이미 { $lanes }레인의 { $lane }번 레인 키예요.
settings-swap = 바꾸기: { $lane }번 레인은 { $key }
settings-pads-heading = 게임패드와 댄스 매트
settings-pads-hint = 레인을 클릭한 다음 패드의 버튼을 누르세요. 입력은 도착하는 순간의 시각으로 기록돼요.
settings-pad-own = { $name } (4레인)
settings-pad-shared = 공용 버튼 쓰기
settings-timing-heading = 타이밍
settings-keyboard-offset = 키보드 입력 오프셋 (늦게 치면 올리세요)
settings-visual-offset = 화면 오프셋 (올리면 노트를 늦게 그려요)
settings-calibrate-input = 입력 오프셋 보정 (클릭에 맞춰 탭)
settings-calibrate-input-hint = 플레이할 키보드, 패드, 매트로 탭하세요. 측정한 오프셋은 그 기기의 것이 돼요.
settings-check-visual = 화면 오프셋 확인 (빛에 맞춰 탭)
settings-judge = 판정 난이도 (4가 기본)
settings-no-fail = 노 페일: 라이프가 바닥나도 계속 플레이
settings-song-offsets = 곡별 오디오 오프셋
common-remove = 삭제
settings-pad-offset = { $name }: 전용 오프셋
settings-pad-uses-keyboard = 키보드와 같게, { $ms } ms
settings-scroll-heading = 스크롤 속도
settings-scroll-multiplier = 배속 (템포를 따라감)
settings-scroll-constant = 고정 (템포와 상관없이 같은 속도)
settings-window-heading = 창과 무대
settings-fullscreen = 전체 화면
settings-stage = 노트 뒤의 무대
settings-stage-off = 끄기
settings-stage-low = 낮음: 공연장과 아이돌
settings-stage-full = 전체: 관객과 효과까지
settings-highway-opacity = 하이웨이 불투명도: 낮추면 무대가 더 보여요
settings-accessibility = 접근성
settings-note-colours = 노트 색
settings-lane-shapes = 레인별 모양: 막대, 다이아몬드, 별, 하트 (색만으로 구분하지 않아요)
settings-calm = 깜빡임과 움직임 줄이기: 화면이 번쩍이지 않고 은은하게, 폭죽과 꽃가루 없음
settings-ui-scale = 메뉴와 글자 크기
settings-ui-scale-hint = 창 크기에 맞춘 크기에 더해서
settings-audio-heading = 오디오
settings-volume = 음량
settings-profile-heading = 프로필: { $name }
settings-profile-own = 이 설정은 이 프로필의 것이에요. 다른 프로필은 자기 설정을 따로 가져요.
settings-saved-in = 저장 위치: { $path }
settings-reset = 모두 기본값으로

## Settings: language and palettes
settings-language = 언어 (Language)
settings-language-system = 시스템 ({ $language })

## Note palettes
palette-standard = 기본
palette-deuteranopia = 제2색맹 (적록)
palette-protanopia = 제1색맹 (적록)
palette-tritanopia = 제3색맹 (청황)

## Mods
mods-as-written = 원래대로
mods-mirror = 미러
mods-shuffle = 레인 셔플
mods-random = 랜덤 노트
mods-heading = 모드
mods-hidden = 히든
mods-hidden-hint = 노트가 선 아래로 내려오면 판정선에 닿기 전에 사라져요.
mods-sudden = 서든
mods-sudden-hint = 노트가 선 아래로 내려와야 보여요.
play-lane-cover = 레인 커버 { $percent } %  ·  Page Up / Page Down
mods-lane-cover = 레인 커버
mods-lane-cover-hint = 하이웨이 위쪽을 가려요. 솔로 플레이 중에 Page Up, Page Down이나 마우스 휠로 움직여요. 판정과 기록은 바뀌지 않아요.
mods-as-written-hint = 만든 사람이 쓴 그대로의 채보.
mods-mirror-hint = 왼쪽과 오른쪽이 바뀌어요.
mods-shuffle-hint = 레인끼리 자리를 바꿔요. 곡 내내 같은 방식으로.
mods-random-hint = 노트마다 제각각 레인에 떨어져요. 동시 노트와 롱노트는 칠 수 있게 유지돼요.
mods-hidden-at = 히든 { $percent } %
mods-sudden-at = 서든 { $percent } %
mods-summary = 모드: { $mods }

## Song list
common-back = ◀ 뒤로
songs-heading = 곡 고르기
together-versus = 대결
together-group = 그룹 무대
songs-change-players = 플레이어 바꾸기
songs-keys = 입력해서 검색 · 위/아래 곡 · 왼쪽/오른쪽 난이도 · Enter 플레이 · Shift+Enter 연습 · Ctrl+Enter 녹화 · Esc 뒤로
songs-search-hint = 검색: 제목, 아티스트, 팩 이름을 입력하세요
songs-search = 검색: { $query }
songs-count = { $total }곡 중 { $shown }곡
songs-indexing = 색인 중 { $done } / { $total }
songs-sorted-by = 정렬: { $order }
songs-play = ▶ 플레이
songs-practise = 연습
songs-practise-hint = Shift+Enter: 기록되지 않아요
songs-record = 녹화
songs-record-hint = Ctrl+Enter: 곡에 맞춰 탭해서 채보 만들기
songs-replays = 리플레이…
songs-replays-hint = 이 채보의 저장된 플레이 보기
songs-checking = 이 레벨을 확인하는 중… 확인이 끝나면 고를 수 있어요.
songs-broken = { $file } 파일은 아래 문제를 고쳐야 플레이할 수 있어요:
songs-more-problems = 외 { $count }개 더
common-loading = 불러오는 중…
credit-composer = 작곡
credit-lyricist = 작사
credit-arranger = 편곡
credit-producer = 프로듀서
credit-choreographer = 안무
songs-parts-by-section = 그룹 무대: 곡의 구간으로 파트를 나눠요
songs-parts-written = 그룹 무대: { $members }명용 파트가 있어요. 다른 인원은 구간으로 나눠요
songs-difficulty = 난이도
songs-rating-at = 레벨 · ×{ $rate } 노트로 계산한 레이팅
songs-best = 최고 { $score }  { $grade }  { $accuracy }%{ $flag }
songs-not-cleared = 아직 클리어 못 함 ({ $count }번 도전)
songs-not-played = 아직 안 해 봄
songs-chart-row = { $difficulty } { $meter } · { $rating }   { $lanes }레인   노트 { $notes }개   { $best }
songs-keys-of-chart = 키: { $keys }
songs-rate = 속도
songs-rate-hint = [ 와 ]로 바꿔요. 판정 범위는 그대로예요
songs-practice-from = 연습 (기록 안 됨) 시작 마디
songs-loop-to = 반복 끝 마디
songs-no-loop = 반복 없음
songs-wait-mode = 노트마다 기다리기
songs-record-at = 채보 녹화 단위
songs-record-as = 저장
songs-new-chart = 새 채보로
songs-replace-chart = { $difficulty } (덮어쓰기)
songs-none = 레벨이 없어요.
songs-none-hint = 레벨 폴더를 levels/ 또는 데이터 폴더의 levels/에 넣으세요.
songs-no-match = 검색에 맞는 곡이 없어요. Esc로 지워요.
songs-jump-hint = 여기로 이동 (PgUp/PgDn: 이전/다음)
songs-pack-hint = 팩 열기/닫기 (Enter, 또는 왼쪽과 오른쪽)
songs-pack-count = { $count }곡
songs-row-checking = 확인 중…
songs-row-broken = { $slug } (망가짐)

## Song order
order-folder = 팩과 폴더
order-title = 제목
order-artist = 아티스트
order-bpm = BPM
order-length = 길이
order-difficulty = 난이도
order-grade = 최고 등급

## Devices
layout-left = 키보드 왼쪽 (A S D F)
layout-arrows = 키보드 방향키
layout-numpad = 키보드 숫자패드 (4 2 8 6)
device-keyboard = 키보드
device-pad = 패드 “{ $name }”

## Join screen
join-choose-song = 곡 고르기 ▶ (Enter)
join-two-or-more = 두 명 이상 모이면 곡을 고르세요.
join-heading = 로컬 멀티플레이
join-versus = 대결: 모두 곡 전체를 플레이
join-group = 그룹 무대: 각자 자기 파트, 라이프는 하나
join-seat = { $seat }번 자리
join-free = 빈자리: 눌러서 참가
join-guest = 게스트
join-leave = 나가기: { $key }
join-pause-key = { $key }: 여기선 다음 프로필, 플레이 중엔 일시정지
join-scroll-speed = 스크롤 속도
join-judge = 판정
join-highway-opacity = 하이웨이 불투명도
join-leave-button = 나가기
join-layouts = 키보드 배열
join-layout-keys = { $layout }: 레인 { $keys }, 일시정지 { $pause }, 나가기 { $leave }
join-pads = 패드와 댄스 매트: 십자키와 버튼으로 플레이, { $pause } 일시정지, { $leave } 나가기.

## Replays
replays-heading = 리플레이 · { $title } · { $difficulty }
common-close-esc = 닫기 (Esc)
replays-none = 이 채보의 리플레이가 아직 없어요. 끝까지 한 플레이는 모두 리플레이로 저장돼요.
replays-saves-nothing = 보기만 해서는 아무것도 저장되지 않아요. 점수도 팬 포인트도 없어요.
replays-watch = ▶ 보기
replays-place =  { $line }행 { $column }열
replays-failed = { $score } · 실패
replays-no-result = 결과가 저장되지 않음

## Time ago
ago-now = 방금
ago-minutes = { $count }분 전
ago-hours = { $count }시간 전
ago-days = { $count }일 전
ago-months = { $count }개월 전
ago-years = { $count }년 전

## Results
results-next-song = 다음 곡 ▶ (Enter)
results-back-to-tour = 투어로 돌아가기 (Enter)
results-song-list = 곡 목록 (Enter)
results-retry = 다시 하기 (R)
results-retry-no-fail = 노 페일로 다시 하기 (N)
results-watch-replay = 리플레이 보기 (W)
results-replay-saved = 리플레이 저장됨: { $name }
results-no-fail-offer = 두 번 연속 실패했어요. 노 페일이면 라이프가 바닥나도 곡이 끝까지 이어져요.
results-autoplay-not-saved = 오토플레이: 저장 안 됨
results-replay-not-saved = 리플레이: 저장 안 됨
results-practice = { $measure }마디부터 연습: 최고 기록, 팬 포인트, 굿즈 없음
results-histogram = 타이밍 오차: 왼쪽은 빠름, 오른쪽은 늦음
results-over-the-song = 곡 전체의 타이밍 오차
results-holds = 롱노트
results-let-go = 놓친 롱노트
results-mines-hit = 밟은 지뢰
results-max-combo = 최대 콤보
results-mean-error = 평균 오차
results-spread = 편차 (σ)
results-late = 늦음
results-early = 빠름
results-calibrate-from-play = 이 플레이로 보정하기
results-offset-all-songs = { $device }의 모든 곡: 오프셋 { $ms } ms
results-offset-this-song = 이 곡만: { $ms } ms 더
results-input-offset-of = { $device }의 입력 오프셋
results-visual-offset = 화면 오프셋
results-now-suggested = 지금 { $now } ms, 추천 { $suggested } ms
results-apply = 적용
results-try-again = 다시 해 보기 (R)
results-back-to-settings = 설정으로 돌아가기
results-tour-stage = 페스티벌 투어 · { $stage }
results-tour-song = { $total }곡 중 { $song }번째
results-tour-next = Enter: 다음 곡 ▶
results-stage-cleared = 스테이지 클리어!
results-unlocked = 잠금 해제: { $name }
results-tour-back = Enter: 투어로 돌아가기
results-tour-song-failed = 실패한 곡이 있어요
results-tour-missed = 못 이룬 목표: { $goals }
results-stage-not-cleared = 스테이지 실패 ({ $why })
results-fan-points = 팬 포인트 +{ $points }
results-failed = 실패
results-all-perfect = 올 퍼펙트
results-full-combo = 풀 콤보
results-new-best = 최고 기록
results-left-the-play = 플레이에서 나감
results-score = 점수
results-grade = 등급
results-hit-error = 타이밍 오차
results-mean-spread = 평균 { $mean } ms · σ { $spread } ms
results-earned = 획득
results-line-distribution = 라인 분배
results-member-share = 노트의 { $share } % · 정확도 { $accuracy } %
results-group-accuracy = 그룹 정확도 { $accuracy }%
results-group-failed = 그룹 라이프가 바닥났어요
results-group-cleared = 그룹이 곡을 클리어했어요

## Advice and goals
advice-late = { $taps }번 탭, 평균 { $ms } ms 늦음 (편차 { $spread } ms)
advice-early = { $taps }번 탭, 평균 { $ms } ms 빠름 (편차 { $spread } ms)
advice-too-few = 지금까지 { $taps }번 탭: 추천하려면 적어도 { $needed }번이 필요해요
advice-scattered = { $taps }번 탭이 { $spread } ms에 걸쳐 흩어져서 믿기 어려워요. 일정한 리듬으로, 한 손가락으로 다시 해 보세요
goal-every-grade = 모든 곡 { $grade } 이상
goal-accuracy = 평균 정확도 { $percent }% 이상
goal-full-combos = { $count }곡 풀 콤보
goal-total-score = 세트 합계 { $points }점
precision-raw = 입력: 원시 입력, 스레드에서 시각 기록
precision-frame = 입력: 프레임 단위

## Play
play-autoplay = 오토플레이
play-replay = 리플레이
play-group-members = 그룹 무대 · { $count }명
play-versus-players = 대결 · { $count }명
play-no-sound = 소리 없음: 시스템 시계로 진행
play-rate = 속도 ×{ $rate }
play-rendering = 곡을 만드는 중… { $percent }%
play-starting-music = 음악을 시작하는 중…
play-cleared = 클리어
play-paused = 일시정지
play-unplugged = { $name }의 컨트롤러가 빠졌어요. 다시 꽂거나,
play-continue-without = { $name } 없이 계속하기 (C, 또는 패드의 Select)
play-resume = 계속하기 (Enter)
play-restart = 처음부터 (R)
play-quit = 곡 목록으로 나가기 (Q)
play-esc-resumes = Esc로 계속해요
play-ms-early = { $ms } ms 빠름
play-ms-late = { $ms } ms 늦음
play-let-go = 놓침
play-mine = 지뢰!
play-life = 라이프
play-group-standing = 그룹 무대 · 라이프 { $life }% · { $score }
play-ordinal = { $place }위
play-calibrate-audio = 들리는 클릭마다 아무 레인 키나 탭하세요. 눈으로 보지 말고 귀로 들으세요.
play-calibrate-visual = 빛이 번쩍일 때마다 아무 레인 키나 탭하세요. 소리는 꺼져 있어요.

## Collection and shop
rarity-common = 일반
rarity-rare = 레어
rarity-super-rare = 슈퍼 레어
rarity-ultra = 울트라
collection-heading = { $name }의 컬렉션
collection-owned-count = 아이템 { $total }개 중 { $owned }개
collection-fan-points = ♥ 팬 포인트 { $points }
collection-shop = 숍
collection-worn-now = 지금 착용:
collection-default = 기본
collection-shop-heading = 숍: 플레이로 모은 팬 포인트를 써요
collection-buy-heading = 이 아이템을 살까요?
collection-buy-question = { $item }, 팬 포인트 { $price }?
collection-balance = 지금 { $have }, 사고 나면 { $left }.
collection-bought = { $item }, 이제 내 거예요!
collection-buy = 사기 (Enter)
common-cancel-esc = 취소 (Esc)
collection-collected = ✔ 모음
collection-not-collected = 아직 못 모음
collection-member = 멤버: { $member }
collection-how-to-get = 얻는 방법
collection-buy-for = ♥ { $price }에 사기
collection-need-more = 팬 포인트가 { $points } 더 필요해요.
collection-take-off = 벗기
collection-wear = 착용하기
collection-owned = 컬렉션에 있어요.
collection-now-wearing = { $item } 착용 중
collection-took-off = { $item } 벗음
wear-lightstick = 관객이 무대에서 이 응원봉을 흔들어요.
wear-outfit = 아이돌이 무대에서 이 옷을 입어요.
wear-note-skin = 노트가 이 모양이 돼요.
wear-poster = 메뉴 뒤에 걸려요.
wear-photocard = 멀티플레이 결과의 내 카드에 보여요.

## Merch categories
category-lightsticks = 응원봉
category-photocards = 포토카드
category-albums = 앨범
category-outfits = 의상
category-posters = 포스터
category-banners = 슬로건
category-note-skins = 노트 스킨

## Festival tour
tour-heading = 페스티벌 투어
tour-intro = 스테이지의 세트 리스트를 모두 플레이하고 목표를 이루면 클리어예요. 클리어할 때마다 다음 스테이지가 열리고 굿즈가 풀려요.
tour-cleared = ✔ 클리어
tour-open = 열림
tour-locked = 🔒 잠김
tour-stage = 스테이지 { $number }: { $name }
tour-set-list = 세트 리스트
tour-goals-finish = 목표: 모든 곡 완주
tour-goals = 목표: 모든 곡 완주, { $goals }
tour-play-again = 다시 하기 ▶
tour-play = 이 스테이지 하기 ▶
tour-clear-to-open = { $stage }를 클리어하면 열려요.
tour-rewards = 보상
tour-locked-item = { $item } (잠김)

## Import
import-button = 채보 가져오기…
import-button-hint = StepMania .sm/.ssc와 osu!mania .osu/.osz, 또는 창에 끌어다 놓으세요
import-heading = 채보 가져오기
import-what = StepMania나 osu!mania 채보, 곡 폴더, 팩, Songs/ 폴더 전체, .osz 압축 파일. 창에 끌어다 놓아도 돼요.
import-go = 가져오기
import-where = 곡마다 데이터 폴더의 levels/에 레벨이 하나씩 생겨요.
import-new-level = 오디오로 새 레벨 만들기…: 내 곡의 템포와 첫 박을 찾아 줘요.
import-make-level = 레벨 만들기
import-progress = { $path } 가져오는 중: { $total }곡 중 { $done }곡

## Live reload
reload-errors = 저장한 레벨에 오류가 있어요. 마지막으로 괜찮았던 버전으로 계속해요.

## Record mode
record-new-chart = 새 채보 `{ $name }`
record-replacing = `{ $name }` 대신
record-heading = 녹화 · { $into } · { $lanes }레인
record-snap = 스냅 { $snap } · 점수 없음, 쓰기 전엔 아무것도 저장 안 돼요
record-presses = REC  { $count }번 누름
record-how = 곡에 맞춰 레인을 탭하세요. 롱노트는 키를 누르고 있으면 돼요.
record-take-keys = Enter 멈추고 다시 듣기 · Backspace 다시 시작 · Esc 메뉴
record-playback = ▶ 재생  노트 { $notes }개 (롱노트 { $holds }개) · { $snap } · 레벨 { $meter }
record-file-changed =
    녹화를 시작한 뒤 레벨 파일이 바뀌었어요.
    Enter: 지금 파일에 채보 쓰기 · Backspace: 쓰지 않기
record-not-written = 쓰지 않았어요: 레벨 검사를 통과하지 못해요.
record-review-keys = [ ] 스냅 · Enter 쓰기 · Backspace 다시 녹화 · Esc 메뉴

## Practice
practice-looping = { $from }–{ $to }마디 반복
practice-from = { $from }마디부터
practice-heading = 연습 · { $range } · 기록 안 됨
practice-rate = 속도 { $rate }×
practice-rate-waiting = 속도 { $rate }× · 기다리기 모드
practice-pass = { $pass }회차 · { $accuracy } % · 평균 { $mean } ms · 편차 { $spread } ms
practice-past-pass = { $pass }회차 · { $accuracy } % · 평균 { $mean } ms · 편차 { $spread } ms · { $rate }×
practice-wait = 대기 · { $lane }번 레인을 누르세요
practice-keys = - = 속도   [ ] 마디   Shift+[ ] 구간   Backspace 다시   \ 여기까지 반복   F2 기다리기

## Lesson
title-how-to-play = 플레이 방법

## Song list: chart summary
songs-chart-hover = { $difficulty } { $meter } · 노트 { $notes }개

merch-hint-or-price = { $hint }, 또는 숍에서 팬 포인트 { $price }
merch-price = 숍에서 팬 포인트 { $price }
merch-clear = { $level } 클리어
merch-clear-with-grade = { $level } { $grade } 이상 클리어
merch-full-combo = { $level } 풀 콤보
merch-all-perfect = { $level } 올 퍼펙트
merch-plays = 플레이 { $count }번 완주
merch-streak = { $count }곡 연속 클리어
merch-fan-points-earned = 팬 포인트 { $points } 모으기
merch-versus-wins = 대전 { $count }번 승리
merch-group-clears = 그룹 스테이지 { $count }번 클리어
merch-tour-stage = 페스티벌 투어에서 { $stage } 클리어
merch-and = {", 그리고 "}
merch-or = {", 또는 "}
merch-count-of = 다음 중 { $count }개: { $hints }
merch-on-a-chart-of = { $level }의 레벨 { $meter } 이상 차트
merch-on-chart = { $level } { $difficulty }
merch-on-chart-or-harder = { $level } { $difficulty } 이상

notice-level-broken = 더 이상 플레이할 수 없는 레벨이에요: { $level }. 목록에서 오류를 확인하세요
notice-level-reloaded = { $level } 다시 읽음
notice-level-reloaded-errors = { $level } 다시 읽음: 오류 { $count }개
notice-level-removed = 레벨 하나가 곡 목록에서 빠졌어요
notice-cannot-watch-levels = 곡 목록이 레벨 수정을 따라갈 수 없어요({ $reason }). 바뀐 내용을 보려면 다시 여세요
notice-raw-keyboard-unavailable = 정밀 키보드 입력을 쓸 수 없어요({ $reason }): 키 입력을 프레임 단위로 재요
notice-raw-keyboard-stopped = 정밀 키보드 입력이 멈췄어요({ $reason }): 이제 키 입력을 프레임 단위로 재요
notice-no-gamepads = 게임패드와 댄스 매트를 쓸 수 없어요: { $reason }
notice-reloaded-rendering = { $level } 다시 읽음: 곡을 다시 만드는 중이고, 준비되면 바뀌어요
notice-reloaded = { $level } 다시 읽음: 앞으로 나올 노트는 새 노트예요
notice-reload-errors = { $level }에 오류가 { $count }개 있어요: 마지막으로 잘 되던 버전이 계속 나와요
notice-render-cannot-play = 악보로 새로 만든 곡을 재생할 수 없어요({ $reason }): 이전 곡이 계속 나와요
notice-new-render-plays = 여기부터 새로 만든 곡이 나와요
notice-play-not-saved = 플레이를 저장하지 못했어요({ $file }): { $reason }
notice-chart-not-written = 채보를 쓰지 않았어요
notice-chart-would-have-errors = 채보를 쓰지 않았어요: 레벨에 오류가 생겨요
notice-chart-written = { $difficulty } 채보를 { $file }에 썼어요 (노트 { $notes }개, { $snap } 단위, 레벨 { $meter })
notice-nothing-to-play = 플레이할 곡이 없어요: 먼저 곡을 고르세요
notice-no-audio = { $reason }: 소리 없이 시스템 시계로 진행해요
notice-audio-did-not-start = 오디오가 시작되지 않았어요: 시스템 시계로 진행해요
notice-new-level-busy = 새 레벨을 만드는 중이에요. 끝나면 다시 해 보세요
notice-new-level = { $folder }에 새 레벨: { $bpm } BPM, 첫 박 { $offset }초. Easy 채보를 쓰고 플레이해서 오프셋을 확인하세요
notice-new-level-two-tempos = { $folder }에 새 레벨: { $bpm } BPM(또는 { $other }), 첫 박 { $offset }초. Easy 채보를 쓰고 플레이해서 오프셋을 확인하세요
notice-drop-during-play = 곡을 먼저 끝내세요: 곡 목록에서 다시 끌어다 놓으면 가져와요
notice-import-busy = 가져오기가 진행 중이에요. 끝나면 다시 끌어다 놓으세요: { $path }
notice-nothing-to-import = { $path }에 가져올 것이 없어요: .sm, .ssc, .osu, .osz 파일을 가져올 수 있어요
notice-imported = 곡 { $songs }개, 채보 { $charts }개를 가져왔어요 (경고 { $warnings }개, 실패 { $failed }개). 보고서는 각 레벨의 import-report.txt에 있어요
notice-record-solo = 녹화는 혼자 해요: 녹화하려면 라인업에서 나가세요
notice-practice-solo = 연습은 혼자 해요: 연습하려면 라인업에서 나가세요
notice-multiplayer-four-lanes = 멀티플레이는 4레인 채보로 해요. { $player }의 { $difficulty } 채보는 { $lanes }레인이에요
audio-not-used = 이번 실행엔 오디오가 없어요
audio-no-device = 오디오 장치가 없어요
group-part = { $members }명 그룹 중 멤버 { $member }의 파트
join-how-to-join = 키보드 배열의 레인 키나 패드의 아무 버튼을 누르면 참가해요.   G: 대결 또는 그룹   ·   Enter: 곡 고르기   ·   Esc: 뒤로
tour-set-list-over = 세트 리스트가 끝났어요
tour-level-missing = 곡 목록에 없는 레벨이에요: `{ $level }`
tour-chart-missing = `{ $level }`에 { $difficulty } 채보가 없어요
calibration-title = 오프셋 보정
notice-jacket-unreadable = { $file }: 재킷 이미지를 읽을 수 없어요: { $reason }
reload-more-errors = 그 밖에 { $count }개 더
