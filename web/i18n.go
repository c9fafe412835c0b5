package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"tumen"
	"tumen/approx"
)

// messages holds the interface's words in Korean and English. A key with
// no Korean falls back to English, and a missing key shows itself, so a
// gap is visible rather than silent.
var messages = map[string][2]string{ // key → {en, ko}
	"app":                 {"tumen", "tumen"},
	"tagline":             {"Documenting forced repatriation", "강제송환 기록"},
	"dashboard":           {"Dashboard", "대시보드"},
	"persons":             {"Persons", "인물"},
	"person":              {"Person", "인물"},
	"entry":               {"Record a testimony", "증언 기록"},
	"sources":             {"Sources", "출처"},
	"source":              {"Source", "출처"},
	"places":              {"Places", "장소"},
	"urgent":              {"Urgent cases", "긴급 사건"},
	"rubric":              {"rubric", "기준표"},
	"first_look":          {"your first look at the board", "처음 보는 현황판"},
	"last_look":           {"changes marked since your last look,", "마지막 확인 이후 변경 표시,"},
	"overdue":             {"overdue", "기한 경과"},
	"risk":                {"Risk", "위험도"},
	"custody":             {"Custody", "구금 상태"},
	"since":               {"Since", "이후"},
	"why":                 {"Because", "근거"},
	"interventions":       {"Interventions", "개입·청원"},
	"imminence":           {"imminence", "임박성"},
	"severity":            {"severity", "심각성"},
	"changed":             {"changed", "변경"},
	"open":                {"open", "진행 중"},
	"border":              {"Border open to returns", "송환 국경 개방"},
	"border_open":         {"open to returns", "송환 가능(개방)"},
	"border_closed":       {"closed to returns", "송환 중단(폐쇄)"},
	"border_unknown":      {"not recorded", "기록 없음"},
	"note":                {"Note", "메모"},
	"watch_dates":         {"Flagged dates", "주의 날짜"},
	"factor":              {"Factor", "요인"},
	"dimension":           {"Dimension", "차원"},
	"weight":              {"Weight", "가중치"},
	"because":             {"Fact", "사실"},
	"unweighed":           {"not in this rubric: not weighed", "기준표에 없음: 미반영"},
	"recorded_by":         {"Recorded by", "기록자"},
	"risk_facts":          {"Risk facts", "위험 사실"},
	"withdrawn":           {"withdrawn", "철회됨"},
	"withdraw":            {"Withdraw", "철회"},
	"kind":                {"Kind", "종류"},
	"to":                  {"To", "수신"},
	"reference":           {"Reference", "접수번호"},
	"follow_up":           {"Follow up", "후속 조치일"},
	"outcome":             {"Outcome", "결과"},
	"response":            {"Response", "회신"},
	"document":            {"Document sent", "보낸 문서"},
	"record_sent":         {"Record as sent", "발송 기록"},
	"prepare_appeal":      {"Prepare a UN submission", "UN 청원 작성"},
	"assessment":          {"Refugee-status assessment", "난민 지위 평가"},
	"text":                {"text", "텍스트"},
	"new_assessment":      {"New assessment", "새 평가"},
	"a_fear":              {"Well-founded fear", "박해에 대한 충분한 근거 있는 공포"},
	"a_persecution":       {"Persecution feared on return", "송환 시 우려되는 박해"},
	"a_grounds":           {"Convention grounds", "협약상 사유"},
	"a_grounds_reasoning": {"Nexus to the grounds", "사유와의 연관성"},
	"a_protection":        {"Lack of state protection", "국가 보호의 부재"},
	"a_sur_place":         {"Refugee sur place", "현지 체재 중 난민(sur place)"},
	"a_facts":             {"Facts relied on, one a line, sources in brackets", "근거 사실(한 줄에 하나, 출처는 대괄호)"},
	"a_conclusion":        {"Conclusion", "결론"},
	"cannot_prepare":      {"The document cannot be prepared", "문서를 작성할 수 없습니다"},
	"missing_elements":    {"Missing required elements", "누락된 필수 요소"},
	"mechanism":           {"Mechanism", "유엔 절차"},
	"joint":               {"Jointly with the Special Rapporteur on torture", "고문 특별보고관과 공동"},
	"submitter":           {"Submitter (kept confidential by the UN)", "제출자(유엔이 비공개로 보호)"},
	"address":             {"Address", "주소"},
	"relation":            {"Relation to the victim", "피해자와의 관계"},
	"access":              {"Access by family, lawyer or doctor", "가족·변호사·의사의 접견 여부"},
	"steps":               {"Steps taken to locate the person", "소재 파악을 위한 조치"},
	"legal_basis":         {"Legal basis claimed for the detention", "구금의 법적 근거 주장"},
	"arbitrary":           {"Why the detention is arbitrary", "구금이 자의적인 이유"},
	"withhold":            {"Leave out", "제외할 항목"},
	"left_out":            {"Left out of this document", "이 문서에서 제외된 것"},
	"format":              {"Format", "형식"},
	"appeal":              {"UN submission", "UN 청원"},
	"recent_detentions":   {"Detentions documented in the last 90 days", "최근 90일간 기록된 구금"},
	"search":              {"Search", "검색"},
	"persons_found":       {"persons found", "명 검색됨"},
	"search_help":         {"A name in any spelling (Hangul, North or South; any romanization; Hanja; pinyin), words of testimonies and narratives, \"a phrase\", and filters: sex:f stage:S5 place:CN-DAN type:detention agency:cn-psb org:NGO year:2023 from:2020 to:2023-06 level:confidential.", "어떤 표기의 이름(남·북한 한글, 로마자, 한자, 병음), 증언과 서술의 단어, \"구절\", 그리고 필터: sex:f stage:S5 place:CN-DAN type:detention agency:cn-psb org:NGO year:2023 from:2020 to:2023-06 level:confidential."},
	"search_no_identity":  {"Your role may filter and count, not search names or text.", "이 역할은 필터와 집계만 가능하며 이름과 본문은 검색할 수 없습니다."},
	"rubric_title":        {"Risk rubric", "위험도 기준표"},
	"stored_version":      {"stored version", "저장된 버전"},
	"default_rubric":      {"the default rubric shipped with tumen", "tumen 기본 기준표"},
	"versions":            {"Versions", "버전"},
	"save_version":        {"Store as a new version", "새 버전으로 저장"},
	"statistics":          {"Statistics", "통계"},
	"stats_internal":      {"Internal counts: every record you may see, small numbers shown. Not for publication.", "내부용 집계: 열람 가능한 모든 기록, 작은 수도 표시. 공개 금지."},
	"stats_public":        {"Public counts: only cases whose source consented to publication; counts below the threshold withheld.", "공개용 집계: 공개에 동의한 출처의 사건만, 기준 미만의 수는 비공개."},
	"stats_to_public":     {"Show the public version", "공개용 보기"},
	"stats_to_internal":   {"Show the internal version", "내부용 보기"},
	"downloads":           {"Downloads", "내려받기"},
	"vocab":               {"Vocabularies", "용어"},
	"users":               {"Users", "사용자"},
	"audit":               {"Audit log", "감사 기록"},
	"logout":              {"Log out", "로그아웃"},
	"login":               {"Log in", "로그인"},
	"username":            {"User name", "사용자 이름"},
	"password":            {"Password", "비밀번호"},
	"code":                {"Six-digit code", "6자리 인증 코드"},
	"totp_enrol":          {"Set up two-factor login", "2단계 인증 설정"},
	"totp_enrol_help":     {"Your role can see identities, so it needs a second factor. Add this key to an authenticator app (time-based, 6 digits, 30 seconds), then enter the code it shows.", "이 역할은 신원 정보를 볼 수 있으므로 2단계 인증이 필요합니다. 인증 앱(시간 기반, 6자리, 30초)에 이 키를 추가한 뒤 표시되는 코드를 입력하십시오."},
	"totp_enter":          {"Enter the code from your authenticator app.", "인증 앱에 표시된 코드를 입력하십시오."},
	"secret_key":          {"Key", "키"},
	"continue":            {"Continue", "계속"},
	"name":                {"Name", "이름"},
	"names":               {"Names", "이름"},
	"script":              {"Script or system", "문자·표기 체계"},
	"born":                {"Born", "출생"},
	"sex":                 {"Sex", "성별"},
	"origin":              {"Home county", "출신지"},
	"relatives":           {"Relatives", "가족"},
	"in_nk":               {"In North Korea", "북한 거주"},
	"contacts":            {"Contacts", "연락처"},
	"timeline":            {"Repatriation chain", "강제송환 경로"},
	"stage":               {"Stage", "단계"},
	"date":                {"Date", "날짜"},
	"place":               {"Place", "장소"},
	"acts":                {"Acts", "침해 행위"},
	"act_type":            {"Violation", "침해 유형"},
	"perpetrator":         {"Perpetrator", "가해 기관"},
	"involvement":         {"Involvement", "가담 정도"},
	"consents":            {"Consents", "동의"},
	"use":                 {"Use", "용도"},
	"given":               {"Given", "동의일"},
	"revoked":             {"Revoked", "철회"},
	"redacted":            {"redacted", "비공개"},
	"filter":              {"Filter", "필터"},
	"all":                 {"all", "전체"},
	"female":              {"female", "여성"},
	"male":                {"male", "남성"},
	"save":                {"Save", "저장"},
	"next":                {"Next", "다음"},
	"counts":              {"Counts", "통계"},
	"in_custody":          {"People in custody now", "현재 구금 중인 인물"},
	"recent":              {"Recent activity", "최근 활동"},
	"victim":              {"Victim", "피해자"},
	"event":               {"Event", "사건"},
	"narrative":           {"What happened", "경위"},
	"testimony":           {"Testimony", "증언"},
	"organisation":        {"Documenting organisation", "기록 단체"},
	"reliability":         {"Reliability", "신뢰도"},
	"upload":              {"Upload a document", "문서 올리기"},
	"attachments":         {"Documents", "문서"},
	"sha256":              {"SHA-256 at ingest", "수집 시 SHA-256"},
	"download":            {"Download original", "원본 내려받기"},
	"map":                 {"Border region", "국경 지역"},
	"role":                {"Role", "역할"},
	"clearance":           {"Clearance", "보안 등급"},
	"disabled":            {"Disabled", "비활성"},
	"create_user":         {"Create a user", "사용자 만들기"},
	"actor":               {"Who", "행위자"},
	"action":              {"Action", "행위"},
	"target":              {"Record", "기록"},
	"when":                {"When", "시각"},
	"verify":              {"Chain verified", "해시 체인 검증됨"},
	"broken":              {"Chain broken at entry", "해시 체인 손상 위치"},
	"export":              {"Export for", "내보내기 용도"},
	"missing_consent":     {"Refused: the consents recorded do not cover this use", "거부됨: 기록된 동의가 이 용도를 포함하지 않습니다"},
	"confidentiality":     {"Confidentiality", "기밀 등급"},
	"saved":               {"Saved.", "저장되었습니다."},
	"none":                {"none", "없음"},
	"lang_other":          {"한국어", "English"},
	"api":                 {"API", "API"},
	"tokens":              {"API token", "API 토큰"},
	"new_token":           {"Create an API token", "API 토큰 만들기"},
	"token_shown":         {"Copy this token now; it is not shown again:", "이 토큰을 지금 복사하십시오. 다시 표시되지 않습니다:"},
	"unknown":             {"unknown", "미상"},
	"estimated":           {"estimated", "추정"},
	"range":               {"range", "범위"},
	"review":              {"Duplicate review", "중복 검토"},
	"compare":             {"Compare", "비교"},
	"merge":               {"Same person: merge", "동일 인물: 병합"},
	"reject":              {"Different people", "다른 인물"},
	"unmerge":             {"Undo the merge", "병합 취소"},
	"explanation":         {"What each field contributed", "항목별 가중치"},
	"prior":               {"prior", "사전"},
}

func translator(lang string) func(string) string {
	i := 0
	if lang == "ko" {
		i = 1
	}
	return func(key string) string {
		m, ok := messages[key]
		if !ok {
			return "{" + key + "}"
		}
		if m[i] == "" {
			return m[0]
		}
		return m[i]
	}
}

// dictionaries are the messages by language, for templates to index
// without a function call per word.
var dictionaries = func() map[string]map[string]string {
	d := map[string]map[string]string{"en": {}, "ko": {}}
	for lang := range d {
		t := translator(lang)
		for k := range messages {
			d[lang][k] = t(k)
		}
	}
	return d
}()

func dictionary(lang string) map[string]string {
	if d, ok := dictionaries[lang]; ok {
		return d
	}
	return dictionaries["en"]
}

// language picks Korean or English: the lang cookie, then the browser's
// Accept-Language.
func language(r *http.Request) string {
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "ko" || c.Value == "en") {
		return c.Value
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.TrimSpace(strings.SplitN(part, ";", 2)[0])
		if strings.HasPrefix(tag, "ko") {
			return "ko"
		}
		if strings.HasPrefix(tag, "en") {
			return "en"
		}
	}
	return "en"
}

// funcs are the template helpers.
var funcs = template.FuncMap{
	"date": func(d approx.Date) string {
		if !d.Known() {
			return "—"
		}
		return d.String()
	},
	"bounds":  boundsText,
	"has":     func(list []string, s string) bool { return slices.Contains(list, s) },
	"daytime": dayTime,
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
	"label":     termLabel,
	"placename": placeName,
	"redacted":  func(s string) bool { return s == Redacted },
	"svg":       func(b []byte) template.HTML { return template.HTML(b) }, // only for SVG this package generates, with every text escaped
	"inc":       func(i int) int { return i + 1 },
	"coord": func(p *tumen.Place) string {
		if p.Lat == nil || p.Lon == nil {
			return ""
		}
		return fmt.Sprintf("%.3f, %.3f", *p.Lat, *p.Lon)
	},
}

// boundsText writes the range of days an approximate date stands for,
// or nothing for a day or an unknown date.
func boundsText(d approx.Date) string {
	lo, hi := d.Bounds()
	if !d.Known() || lo == hi {
		return ""
	}
	return ymd(lo) + " – " + ymd(hi)
}

// placeName is a place's name in the page's language.
func placeName(p *tumen.Place, lang string) string {
	if p == nil {
		return ""
	}
	if lang == "ko" && p.NameKO != "" {
		return p.NameKO
	}
	return p.NameEN
}

// termLabel is a term's label in the page's language.
func termLabel(t *tumen.Term, lang string) string {
	if t == nil {
		return ""
	}
	if lang == "ko" {
		return t.LabelKO
	}
	return t.LabelEN
}

func ymd(v int) string { return fmt.Sprintf("%04d-%02d-%02d", v/10000, v/100%100, v%100) }
