package connector

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func readFile(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }

func TestParseTime(t *testing.T) {
	u := func(y int, mo time.Month, d, h, mi, s, ms int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ms*1e6, time.UTC)
	}
	cases := []struct {
		in   string
		want time.Time
	}{
		{"2024-05-01T10:00:00Z", u(2024, 5, 1, 10, 0, 0, 0)},
		{"2024-05-01T10:00:00.123Z", u(2024, 5, 1, 10, 0, 0, 123)},
		{"2024-05-01T12:00:00+02:00", u(2024, 5, 1, 10, 0, 0, 0)},
		{"2024-05-01T10:00:00+0000", u(2024, 5, 1, 10, 0, 0, 0)},
		{"2024-05-01T05:00:00-0500", u(2024, 5, 1, 10, 0, 0, 0)},
		{"2024-05-01", u(2024, 5, 1, 0, 0, 0, 0)},
		{"1714557600", u(2024, 5, 1, 10, 0, 0, 0)},
		{"1714557600123", u(2024, 5, 1, 10, 0, 0, 123)},
		{"2019-04-28 08:31 +0000", u(2019, 4, 28, 8, 31, 0, 0)},
		{"Thu, May 02, 2024", u(2024, 5, 2, 0, 0, 0, 0)},
		{"Thu, May 2, 2024", u(2024, 5, 2, 0, 0, 0, 0)},
		{" 2024-05-01T10:00:00Z ", u(2024, 5, 1, 10, 0, 0, 0)},
	}
	for _, c := range cases {
		got, err := ParseTime(c.in)
		if err != nil || !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2024-13-01", "05/01/2024", "99999999999999999999", "2024-05-01T25:00:00Z"} {
		if _, err := ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func TestParseCount(t *testing.T) {
	cases := map[string]int64{"0": 0, "1234": 1234, "1,234": 1234, "1 234": 1234, "1\u00a0234\u00a0567": 1234567,
		"1\u202f234": 1234, "1'234": 1234, "2345.0": 2345, " 17 ": 17}
	for in, want := range cases {
		got, err := ParseCount(in)
		if err != nil || got == nil || *got != want {
			t.Errorf("ParseCount(%q) = %v, %v; want %d", in, got, err, want)
		}
	}
	for _, unknown := range []string{"", "-", " "} {
		if got, err := ParseCount(unknown); err != nil || got != nil {
			t.Errorf("ParseCount(%q) = %v, %v; want nil", unknown, got, err)
		}
	}
	for _, bad := range []string{"-5", "1.5", "1.234", "abc", ",12", "12e3", "99999999999999999999"} {
		if _, err := ParseCount(bad); err == nil {
			t.Errorf("ParseCount(%q) accepted", bad)
		}
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"2024-05-01T10:00:00Z", "2024-05-01T10:00:00+0000", "2024-05-01", "1714557600", "1714557600123", "Thu, May 02, 2024", "2019-04-28 08:31 +0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseTime(s)
		if err != nil {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("%q: not UTC", s)
		}
		if y := got.Year(); y >= 0 && y <= 9999 {
			back, err := ParseTime(got.Format(time.RFC3339Nano))
			if err != nil || !back.Equal(got) {
				t.Fatalf("%q: round trip %v -> %v, %v", s, got, back, err)
			}
		}
	})
}

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1,234", "1 234", "2345.0", "-", "12"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseCount(s)
		if err == nil && n != nil && *n < 0 {
			t.Fatalf("%q: negative %d", s, *n)
		}
	})
}
