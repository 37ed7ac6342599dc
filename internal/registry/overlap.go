package registry

import (
	"math"
	"sort"
	"strings"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

// Overlap is how close an existing account comes to a requested one (3.1:
// keep institutional accounts few).
type Overlap struct {
	AccountID int64           `json:"id"`
	Handle    string          `json:"handle"`
	Score     float64         `json:"score"` // 0 (nothing shared) to 1 (the same account)
	Reasons   []OverlapReason `json:"reasons"`
}

// OverlapReason is why an existing account comes close: the catalogs'
// overlap.<key> with its arguments, read in the reader's language (Text)
// and in English in logs and JSON (String, MarshalText).
type OverlapReason struct {
	Key  string
	Args []any // strings, and languages named in the reader's language
}

// Text is the reason in lang (T names the languages in Args in lang).
func (r OverlapReason) Text(lang string) string { return i18n.T(lang, r.Key, r.Args...) }

func (r OverlapReason) String() string { return r.Text("en") }

// MarshalText is the reason in English.
func (r OverlapReason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

func reason(key string, args ...any) OverlapReason { return OverlapReason{Key: key, Args: args} }

// Weights of the overlap components; they add up to 1. Platform and language
// weigh most: two accounts on one platform in one language split an audience
// whatever their office. Topic outweighs audience, which requests describe
// in a few generic words ("the public").
const (
	weightPlatform = 0.30
	weightLanguage = 0.20
	weightTopic    = 0.25
	weightOffice   = 0.15
	weightAudience = 0.10
)

// Thresholds above which a similarity is worth a reason.
const (
	audienceReason = 0.25
	topicReason    = 0.15
	// minScore is the least overlap listed: more than any one component can
	// give alone (the platform's 0.30), so an account is listed only when
	// two things bring it close (the same platform and language, platform
	// and topic, ...). One shared trait, such as both being on X, is not an
	// overlap a reviewer needs to read. A rule from the weights, not a tuned
	// figure: the project has no labelled overlap set to tune on.
	minScore = 0.35
)

// Overlaps scores candidate against the active and at-risk accounts of
// existing and returns the n closest (all when n <= 0), closest first, each
// with the reasons a reviewer reads. Topic and audience are compared as word
// sets, accents folded and stop words dropped, each word weighted by how rare
// it is in the registry, so "UNOPS" or "projects" count for little.
func Overlaps(candidate model.Account, existing []model.Account, n int) []Overlap {
	var live []model.Account
	for _, a := range existing {
		if a.Status != model.StatusActive && a.Status != model.StatusAtRisk {
			continue
		}
		if candidate.ID != 0 && a.ID == candidate.ID {
			continue
		}
		live = append(live, a)
	}
	docs := make([]doc, len(live))
	df := map[string]int{}
	for i, a := range live {
		docs[i] = newDoc(a)
		countDF(df, docs[i])
	}
	cand := newDoc(candidate)
	countDF(df, cand)
	idf := func(w string) float64 {
		return math.Log(float64(len(docs)+2) / (float64(df[w]) + 0.5))
	}

	var out []Overlap
	for i, a := range live {
		d := docs[i]
		samePlatform := cand.platform != "" && cand.platform == d.platform
		shared := sharedLanguages(candidate.Languages, a.Languages)
		lang := 0.0
		if len(cand.langs) > 0 {
			lang = float64(len(shared)) / float64(len(cand.langs))
		}
		audience, audWords := similarity(cand.audience, d.audience, idf)
		topic, topicWords := similarity(cand.topic, d.topic, idf)
		sameOffice := cand.office != "" && cand.office == d.office

		score := weightLanguage*lang + weightAudience*audience + weightTopic*topic
		if samePlatform {
			score += weightPlatform
		}
		if sameOffice {
			score += weightOffice
		}
		if score < minScore {
			continue
		}
		out = append(out, Overlap{
			AccountID: a.ID,
			Handle:    a.Handle,
			Score:     math.Round(score*1000) / 1000,
			Reasons:   reasons(a, samePlatform, shared, audience, audWords, sameOffice, topic, topicWords),
		})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].AccountID < out[j].AccountID
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

func reasons(a model.Account, samePlatform bool, shared []string, audience float64, audWords []string,
	sameOffice bool, topic float64, topicWords []string) []OverlapReason {
	var rs []OverlapReason
	handle := displayHandle(a.Platform, a.Handle)
	platform := platformName(a.Platform)
	similarAudience := audience >= audienceReason
	switch {
	case samePlatform && len(shared) > 0 && similarAudience:
		rs = append(rs, reason("overlap.posts_in_on_for_audience", handle, languageList(shared), platform))
	case samePlatform && len(shared) > 0:
		rs = append(rs, reason("overlap.posts_in_on", handle, languageList(shared), platform))
	case samePlatform:
		rs = append(rs, reason("overlap.already_on", handle, platform))
	case len(shared) > 0:
		rs = append(rs, reason("overlap.posts_in_elsewhere", handle, languageList(shared), platform))
	}
	if sameOffice {
		rs = append(rs, reason("overlap.same_office", a.Office))
	}
	if similarAudience {
		rs = append(rs, reason("overlap.similar_audience", strings.Join(audWords, ", ")))
	}
	if topic >= topicReason {
		rs = append(rs, reason("overlap.similar_topics", strings.Join(topicWords, ", ")))
	}
	return rs
}

// doc is an account reduced to what overlap compares.
type doc struct {
	platform, office string
	langs            map[string]bool
	audience, topic  map[string]string // stem → the word as written (folded)
}

func newDoc(a model.Account) doc {
	d := doc{
		platform: canonicalPlatform(a.Platform),
		office:   strings.Join(words(a.Office), " "),
		langs:    map[string]bool{},
		audience: bag(a.Audience),
	}
	for _, l := range a.Languages {
		d.langs[strings.ToLower(strings.TrimSpace(l))] = true
	}
	topic := []string{a.Purpose, a.Bio}
	if a.Project != nil {
		topic = append(topic, a.Project.Name)
		topic = append(topic, a.Project.Keywords...)
	}
	d.topic = bag(strings.Join(topic, " "))
	return d
}

func countDF(df map[string]int, d doc) {
	for w := range d.topic {
		df[w]++
	}
	for w := range d.audience {
		if _, ok := d.topic[w]; !ok {
			df[w]++
		}
	}
}

// bag is the set of content words of s: folded, stemmed, without stop words,
// numbers or one- and two-letter words. It maps each stem to the word as
// written, for reasons people read.
func bag(s string) map[string]string {
	m := map[string]string{}
	for _, w := range words(s) {
		if len(w) < 3 || stopWords[w] || strings.Trim(w, "0123456789") == "" {
			continue
		}
		if _, ok := m[stem(w)]; !ok {
			m[stem(w)] = w
		}
	}
	return m
}

// similarity is the cosine of two word sets, each word weighted by idf, and
// the shared words as a writes them, heaviest first (three at most, for a
// reason).
func similarity(a, b map[string]string, idf func(string) float64) (float64, []string) {
	if len(a) == 0 || len(b) == 0 {
		return 0, nil
	}
	var dot, na, nb float64
	type sw struct {
		w string
		x float64
	}
	var shared []sw
	for w, written := range a {
		x := idf(w)
		na += x * x
		if _, ok := b[w]; ok {
			dot += x * x
			shared = append(shared, sw{written, x})
		}
	}
	for w := range b {
		x := idf(w)
		nb += x * x
	}
	if dot == 0 || na == 0 || nb == 0 {
		return 0, nil
	}
	sort.Slice(shared, func(i, j int) bool {
		if shared[i].x != shared[j].x {
			return shared[i].x > shared[j].x
		}
		return shared[i].w < shared[j].w
	})
	var ws []string
	for i := 0; i < len(shared) && i < 3; i++ {
		ws = append(ws, shared[i].w)
	}
	return math.Min(1, dot/math.Sqrt(na*nb)), ws
}

func sharedLanguages(a, b []string) []string {
	in := map[string]bool{}
	for _, l := range b {
		in[strings.ToLower(strings.TrimSpace(l))] = true
	}
	var out []string
	seen := map[string]bool{}
	for _, l := range a {
		l = strings.ToLower(strings.TrimSpace(l))
		if in[l] && !seen[l] {
			out = append(out, l)
			seen[l] = true
		}
	}
	return out
}

// languageNames are the catalog keys of the languages a reason names; a
// code without one is shown as it is.
var languageNames = map[string]string{
	"en": "overlap.language.en", "fr": "overlap.language.fr", "es": "overlap.language.es", "pt": "overlap.language.pt",
	"ar": "overlap.language.ar", "ru": "overlap.language.ru", "zh": "overlap.language.zh", "sw": "overlap.language.sw",
	"uk": "overlap.language.uk", "my": "overlap.language.my", "ht": "overlap.language.ht", "fa": "overlap.language.fa",
	"ps": "overlap.language.ps", "da": "overlap.language.da", "de": "overlap.language.de", "tr": "overlap.language.tr",
	"so": "overlap.language.so", "am": "overlap.language.am",
}

// languageList is language codes a reason names, as a list in the reader's
// language ("French and Spanish", "français et espagnol").
type languageList []string

// In is the list in lang.
func (l languageList) In(lang string) string {
	names := make([]string, len(l))
	for i, c := range l {
		if key, ok := languageNames[c]; ok {
			names[i] = i18n.T(lang, key)
		} else {
			names[i] = c
		}
	}
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	key, last := "overlap.and", names[len(names)-1]
	if low := strings.ToLower(last); (strings.HasPrefix(low, "i") || strings.HasPrefix(low, "hi")) && !strings.HasPrefix(low, "hie") {
		key = "overlap.and_before_i" // Spanish writes "e", not "y", before an "i" sound: "francés e inglés"
	}
	return i18n.T(lang, key, strings.Join(names[:len(names)-1], ", "), last)
}

func (l languageList) String() string { return l.In("en") }

var platformNames = map[string]string{
	"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "threads": "Threads", "linkedin": "LinkedIn",
	"facebook": "Facebook", "instagram": "Instagram", "youtube": "YouTube", "tiktok": "TikTok",
}

func platformName(p string) string {
	p = canonicalPlatform(p)
	if n, ok := platformNames[p]; ok {
		return n
	}
	return p
}

// displayHandle writes a handle the way people quote it on its platform.
func displayHandle(platform, handle string) string {
	switch canonicalPlatform(platform) {
	case "x", "instagram", "threads", "tiktok", "bluesky", "mastodon", "youtube":
		if !strings.HasPrefix(handle, "@") {
			return "@" + handle
		}
	}
	return handle
}
