package connector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// timeLayouts are the forms the platforms and their exports use. Times
// without a zone are taken as UTC.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999-0700", // Graph API: +0000 without a colon
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04 -0700", // X legacy Tweet activity export
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02", // Mastodon last_status_at
	time.RFC1123Z,
	time.RFC1123,
	"Mon, Jan 2, 2006", // X post analytics export
	"Jan 2, 2006",
}

// ParseTime reads a platform time: RFC 3339, ISO 8601 with "+0000", date
// only, Unix seconds or milliseconds as digits, and the export forms above.
// The result is in UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty time")
	}
	if isDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || len(s) > 13 {
			return time.Time{}, fmt.Errorf("time %q out of range", clip(s))
		}
		if len(s) >= 12 { // 12+ digits: milliseconds (seconds reach 12 digits only after year 5138)
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognized time %q", clip(s))
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// clip keeps error messages short when the input is hostile.
func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// ParseCount reads a figure as the platforms and exports write it: digits
// with optional thousands separators (",", " ", no-break spaces, "'").
// A zero fraction ("2345.0", X's legacy export) is accepted. Empty and "-"
// mean unknown and give nil.
func ParseCount(s string) (*int64, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "-" || s == "--" {
		return nil, nil
	}
	if whole, frac, ok := strings.Cut(s, "."); ok && whole != "" && frac != "" && strings.Trim(frac, "0") == "" {
		s = whole
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ',' || r == ' ' || r == '\u00a0' || r == '\u202f' || r == '\'':
			if i == 0 {
				return nil, fmt.Errorf("not a count: %q", clip(s))
			}
		default:
			return nil, fmt.Errorf("not a count: %q", clip(s))
		}
	}
	n, err := strconv.ParseInt(b.String(), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("not a count: %q", clip(s))
	}
	return &n, nil
}

// count is a figure in a JSON body, given as a number or a string (YouTube
// statistics); a missing or null figure leaves the *count nil.
type count int64

func (c *count) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		p, err := ParseCount(s)
		if err != nil || p == nil {
			return fmt.Errorf("bad count %q", clip(s))
		}
		*c = count(*p)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("bad count %s", clip(string(b)))
	}
	*c = count(n)
	return nil
}

func (c *count) ptr() *int64 {
	if c == nil {
		return nil
	}
	v := int64(*c)
	return &v
}

// platformTime reads a date the platform gives about an account (its
// creation, its last post): nil when absent or unreadable, since such a
// fact is optional and must not fail the whole read.
func platformTime(s string) *time.Time {
	t, err := ParseTime(s)
	if err != nil || t.IsZero() {
		return nil
	}
	return &t
}

// later returns the later of cur and t, either of which may be unknown.
func later(cur *time.Time, t *time.Time) *time.Time {
	if t == nil || (cur != nil && !t.After(*cur)) {
		return cur
	}
	v := *t
	return &v
}
