package lookalike

import (
	"slices"
	"strconv"
	"strings"

	"github.com/herald-gov/herald/internal/model"
)

// Account is an account as the scorer sees it: a registered one or one
// found on a platform.
type Account struct {
	ID          int64 // registered accounts only
	Platform    string
	Handle      string
	DisplayName string
	Bio         string
	Avatar      *Hash // nil when unknown
}

// Imitated names the registered account a found one most resembles.
type Imitated struct {
	Platform string `json:"platform"`
	Handle   string `json:"handle"`
	ID       int64  `json:"id"`
}

// Result is how much a found account looks like the organization's.
type Result struct {
	Score    float64                 `json:"lookalike_score"` // 0–1
	Imitates *Imitated               `json:"imitates,omitempty"`
	Reasons  []model.LookalikeReason `json:"reasons"`
}

// Weights of each sign, combined as independent evidence (noisy-or:
// 1 − Π(1 − wᵢ·sᵢ)), so the score stays in 0–1 and each sign adds less as
// the others already make the case.
const (
	wHandle   = 0.9  // handle alike after folding (ramped from half alike to equal)
	wDisplay  = 0.6  // display name alike
	wCarries  = 0.5  // handle or display name carries a registered handle
	wOrgName  = 0.4  // the organization's name in handle or display name
	wOrgBio   = 0.15 // the organization's name only in the bio
	wEmblem   = 0.6  // avatar is an approved emblem or a registered account's avatar
	otherSite = 0.9  // a registered account on another platform counts this much
	minCarry  = 4    // shortest folded name looked for inside a longer one
)

type prepared struct {
	acct         Account
	handle, name string // folded
	handleShown  string
}

// Registry is the organization's side, prepared once for many found accounts.
type Registry struct {
	accounts []prepared
	names    []string // folded organization names
	shown    []string // as written, by index of names
	emblems  []Hash
}

// NewRegistry prepares the registered accounts, the organization's names
// (names, abbreviations, handles from the policy pack) and the approved
// emblems' hashes.
func NewRegistry(accounts []Account, orgNames []string, emblems []Hash) *Registry {
	r := &Registry{emblems: emblems}
	for _, a := range accounts {
		r.accounts = append(r.accounts, prepared{acct: a, handle: Fold(localPart(a.Platform, a.Handle)),
			name: Fold(a.DisplayName), handleShown: "@" + localPart(a.Platform, a.Handle)})
	}
	seen := map[string]bool{}
	for _, n := range orgNames {
		if f := Fold(n); f != "" && !seen[f] {
			seen[f] = true
			r.names = append(r.names, f)
			r.shown = append(r.shown, n)
		}
	}
	return r
}

// localPart is the part of a handle people read: without "@", the Mastodon
// instance or Bluesky's default domain.
func localPart(platform, h string) string {
	h = strings.TrimPrefix(strings.TrimSpace(h), "@")
	if i := strings.IndexByte(h, '@'); i > 0 {
		h = h[:i]
	}
	switch {
	case platform == "bluesky":
		h = strings.TrimSuffix(h, ".bsky.social")
	case strings.HasPrefix(h, "channel/"):
		return "" // a YouTube channel id says nothing to a reader
	}
	return h
}

// ramp maps a similarity of 0.5 or less to 0 and 1 to 1.
func ramp(sim float64) float64 { return max(0, (sim-0.5)/0.5) }

// Score rates a found account against the registry.
func (r *Registry) Score(f Account) Result {
	fh := Fold(localPart(f.Platform, f.Handle))
	fn := Fold(f.DisplayName)
	fb := foldN(f.Bio, 2000)

	// Signs shared by every registered account: the organization's names
	// and the emblem.
	keep := 1.0
	var reasons []model.LookalikeReason
	if i := r.nameIn(fh, fn); i >= 0 {
		keep *= 1 - wOrgName
		reasons = append(reasons, model.NewLookalikeReason("lookalike.org_name", r.shown[i]))
	} else if i := r.nameIn(fb); i >= 0 {
		keep *= 1 - wOrgBio
		reasons = append(reasons, model.NewLookalikeReason("lookalike.org_name_in_bio", r.shown[i]))
	}
	if f.Avatar != nil {
		for _, e := range r.emblems {
			if d, ok := f.Avatar.Matches(e); ok {
				keep *= 1 - wEmblem
				reasons = append(reasons, model.NewLookalikeReason("lookalike.emblem", strconv.Itoa(d)))
				break
			}
		}
	}

	// The registered account it most resembles.
	best, bestKeep := -1, 1.0
	var bestReasons []model.LookalikeReason
	for i, p := range r.accounts {
		k, why := 1.0, []model.LookalikeReason(nil)
		factor := 1.0
		if p.acct.Platform != f.Platform {
			factor = otherSite
		}
		// The handle counts once: alike after folding, or carrying the
		// registered handle, whichever says more.
		hk, ck := 1.0, 1.0
		var hWhy, cWhy *model.LookalikeReason
		if h := similarity(fh, p.handle); h > 0.5 {
			hk = 1 - wHandle*ramp(h)*factor
			if d := Distance(fh, p.handle); d == 0 {
				hWhy = ptr(model.NewLookalikeReason("lookalike.handle_reads_as", localPart(f.Platform, f.Handle), p.handleShown))
			} else {
				hWhy = ptr(model.NewLookalikeReason("lookalike.handle_edits", strconv.Itoa(d), p.handleShown))
			}
		}
		if n := len([]rune(p.handle)); n >= minCarry && (strings.Contains(fh, p.handle) || strings.Contains(fn, p.handle)) {
			// The more of the found handle the registered one fills, the
			// closer the imitation: "unopskenya-official" imitates
			// @UNOPSKenya more than @UNOPS.
			cover := float64(n) / float64(max(n, len([]rune(fh))))
			ck = 1 - wCarries*factor*(0.5+0.5*cover)
			cWhy = ptr(model.NewLookalikeReason("lookalike.carries_handle", p.handleShown))
		}
		switch {
		case hWhy != nil && hk <= ck:
			k *= hk
			why = append(why, *hWhy)
		case cWhy != nil:
			k *= ck
			why = append(why, *cWhy)
		}
		if d := similarity(fn, p.name); d > 0.5 {
			k *= 1 - wDisplay*ramp(d)*factor
			why = append(why, model.NewLookalikeReason("lookalike.display_name", p.acct.DisplayName))
		}
		if f.Avatar != nil && p.acct.Avatar != nil {
			if d, ok := f.Avatar.Matches(*p.acct.Avatar); ok {
				k *= 1 - wEmblem*factor
				why = append(why, model.NewLookalikeReason("lookalike.avatar_of", p.handleShown, strconv.Itoa(d)))
			}
		}
		if k < bestKeep || best < 0 && len(why) > 0 {
			best, bestKeep, bestReasons = i, k, why
		}
	}
	res := Result{Score: round(1 - keep*bestKeep), Reasons: append(bestReasons, reasons...)}
	if best >= 0 {
		a := r.accounts[best].acct
		res.Imitates = &Imitated{Platform: a.Platform, Handle: a.Handle, ID: a.ID}
	}
	if res.Reasons == nil {
		res.Reasons = []model.LookalikeReason{}
	}
	return res
}

// nameIn returns the index of the first organization name in any of the
// folded texts, or -1. A short name (UN, WHO) counts only as the whole text,
// not inside a longer word.
func (r *Registry) nameIn(texts ...string) int {
	for i, n := range r.names {
		if slices.ContainsFunc(texts, func(t string) bool {
			return t != "" && (t == n || len([]rune(n)) >= minCarry && strings.Contains(t, n))
		}) {
			return i
		}
	}
	return -1
}

func ptr[T any](v T) *T { return &v }

func round(x float64) float64 { return float64(int(x*1000+0.5)) / 1000 }
