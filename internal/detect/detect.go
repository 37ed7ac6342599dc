// Package detect holds the built-in detectors that policy pack rules name in
// detect.builtin: personal data (phone, email, coordinates, street address,
// IBAN, payment card, national ID), stale figures, links, platform limits,
// project focus and image metadata. Each detector is built once per rule at
// pack compile time and is then pure and safe for concurrent use.
//
// Every text detector first runs a cheap byte scan and looks further only
// where that scan found something, so a post with nothing to find costs a
// few hundred nanoseconds per detector.
package detect

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/platform"
	"github.com/herald-gov/herald/internal/policy"
)

// Input is what a detector looks at. An Input belongs to one check: it
// memoizes what several detectors read (URLs, hashtags, length) and is not
// for concurrent use. Detectors themselves are.
type Input struct {
	Text   string // the text searched: the draft's text, or its reply_to
	Draft  *model.Draft
	Org    *policy.Organization
	Params *policy.Parameters
	Now    time.Time

	memo inputMemo
}

// inputMemo holds what was computed from memo.text; a copied Input whose
// Text was changed afterwards recomputes instead of reusing it.
type inputMemo struct {
	text               string
	urls, hashtags     []platform.Span
	haveURLs, haveTags bool
	length             int
	lengthFor          policy.PlatformParams
	haveLength         bool
	needles            [][]string
	haveNeedles        bool
}

func (in *Input) fresh() *inputMemo {
	if in.memo.text != in.Text {
		in.memo = inputMemo{text: in.Text}
	}
	return &in.memo
}

// URLs returns platform.URLs(in.Text), computed once per Input.
func (in *Input) URLs() []platform.Span {
	m := in.fresh()
	if !m.haveURLs {
		m.urls, m.haveURLs = platform.URLs(in.Text), true
	}
	return m.urls
}

// ProjectNeedles returns ProjectNeedles of the draft's project, computed
// once per Input: the models' masking and the project-focus rule share it.
func (in *Input) ProjectNeedles() [][]string {
	m := in.fresh()
	if !m.haveNeedles && in.Draft != nil {
		m.needles, m.haveNeedles = ProjectNeedles(in.Draft.Account.Project), true
	}
	return m.needles
}

// Hashtags returns platform.Hashtags(in.Text), computed once per Input.
func (in *Input) Hashtags() []platform.Span {
	m := in.fresh()
	if !m.haveTags {
		m.hashtags, m.haveTags = platform.HashtagsURLs(in.Text, in.URLs), true
	}
	return m.hashtags
}

// Length returns platform.Length(in.Text, pp), computed once per Input and
// platform parameters.
func (in *Input) Length(pp policy.PlatformParams) int {
	m := in.fresh()
	if !m.haveLength || m.lengthFor != pp {
		var n int
		if pp.Counter == "twitter" { // X's counter needs the URLs the link detectors read too
			n = platform.LengthURLs(in.Text, pp, in.URLs())
		} else {
			n = platform.Length(in.Text, pp)
		}
		m.length, m.lengthFor, m.haveLength = n, pp, true
	}
	return m.length
}

// Match is one finding of a detector.
type Match struct {
	Start, End int    // byte offsets into Input.Text; both 0 for a whole-post or image match
	Image      *int   // index into Draft.Images for image matches
	Detail     string // fills {detail} in the rule's message and suggestion
}

// Detector finds matches in an input. Implementations are safe for
// concurrent use.
type Detector interface {
	Detect(in *Input) []Match
}

// factory builds a detector from its rule's parameters.
type factory func(ps *params, org *policy.Organization, p *policy.Parameters) (Detector, error)

var builtins = map[string]factory{
	"phone":           newPhone,
	"email":           newEmail,
	"coordinates":     newCoordinates,
	"street-address":  newStreetAddress,
	"iban":            newIBAN,
	"payment-card":    newPaymentCard,
	"national-id":     newNationalID,
	"stale-figure":    newStaleFigure,
	"link-shortener":  newLinkShortener,
	"link-denied":     newLinkDenied,
	"link-internal":   newLinkInternal,
	"platform-length": newPlatformLength,
	"hashtag-cap":     newHashtagCap,
	"project-focus":   newProjectFocus,
	"image-gps":       newImageGPS,
	"image-metadata":  newImageMetadata,
}

// Names lists the built-in detectors, sorted.
func Names() []string {
	names := make([]string, 0, len(builtins))
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New builds the detector name for a rule with its parameters. An unknown
// detector, an unknown parameter or a parameter of the wrong type is an
// error that names it. org and p may be nil.
func New(name string, args map[string]any, org *policy.Organization, p *policy.Parameters) (Detector, error) {
	f, ok := builtins[name]
	if !ok {
		return nil, fmt.Errorf("unknown built-in detector %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	if org == nil {
		org = &policy.Organization{}
	}
	if p == nil {
		p = &policy.Parameters{}
	}
	ps := &params{detector: name, m: args, used: map[string]bool{}}
	d, err := f(ps, org, p)
	if err != nil {
		return nil, err
	}
	if err := ps.unused(); err != nil {
		return nil, err
	}
	return d, nil
}
