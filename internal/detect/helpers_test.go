package detect

import (
	"reflect"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

var (
	testOrg = &policy.Organization{
		Name:          "UNOPS",
		Domains:       []string{"unops.org"},
		InternalHosts: []string{"intranet.unops.org", "*.sharepoint.com", "docs.unops.org"},
		Mailboxes:     []string{"socialmedia@unops.org", "communications@unops.org"},
	}
	testParams = &policy.Parameters{
		StaleFigureYears: 3,
		Platforms: map[string]policy.PlatformParams{
			"x":         {Limit: 280, Counter: "twitter", URLLength: 23},
			"instagram": {Limit: 2200, Counter: "characters", HashtagCap: 30},
		},
		Shorteners:    []string{"bit.ly", "t.co", "tinyurl.com", "ow.ly"},
		DeniedDomains: []string{"example-propaganda.net"},
	}
	testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

// mustNew builds a detector with the test organization and parameters.
func mustNew(tb testing.TB, name string, args map[string]any) Detector {
	tb.Helper()
	d, err := New(name, args, testOrg, testParams)
	if err != nil {
		tb.Fatalf("New(%q): %v", name, err)
	}
	return d
}

// found returns the matched excerpts of a text detector.
func found(d Detector, text string) []string {
	in := &Input{Text: text, Draft: &model.Draft{Text: text, Platform: "x"}, Org: testOrg, Params: testParams, Now: testNow}
	var out []string
	for _, m := range d.Detect(in) {
		out = append(out, text[m.Start:m.End])
	}
	return out
}

type textCase struct {
	text string
	want []string // matched excerpts, in order; nil for none
}

// runTextCases checks a text detector against a table.
func runTextCases(t *testing.T, name string, args map[string]any, cases []textCase) {
	t.Helper()
	d := mustNew(t, name, args)
	for _, c := range cases {
		got := found(d, c.text)
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s(%q) = %q, want %q", name, c.text, got, c.want)
		}
	}
}

func one(s string) []string { return []string{s} }
