package detect

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// params reads a rule's detector parameters and remembers which were read,
// so that a misspelt parameter is an error instead of being ignored.
type params struct {
	detector string
	m        map[string]any
	used     map[string]bool
}

func (ps *params) errorf(key, format string, args ...any) error {
	return fmt.Errorf("detector %s: parameter %q: %s", ps.detector, key, fmt.Sprintf(format, args...))
}

// strings returns a list of non-empty strings, or def when the key is absent.
func (ps *params) strings(key string, def []string) ([]string, error) {
	ps.used[key] = true
	v, ok := ps.m[key]
	if !ok || v == nil {
		return def, nil
	}
	var items []any
	switch t := v.(type) {
	case []any:
		items = t
	case []string:
		for _, s := range t {
			items = append(items, s)
		}
	case string:
		items = []any{t}
	default:
		return nil, ps.errorf(key, "want a list of strings, got %T", v)
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, ok := it.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return nil, ps.errorf(key, "item %d: want a non-empty string, got %v", i+1, it)
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out, nil
}

// int returns an integer in [lo, hi], or def when the key is absent.
func (ps *params) int(key string, def, lo, hi int) (int, error) {
	ps.used[key] = true
	v, ok := ps.m[key]
	if !ok || v == nil {
		return def, nil
	}
	var n int
	switch t := v.(type) {
	case int:
		n = t
	case int64:
		n = int(t)
	case uint64:
		if t > math.MaxInt32 {
			return 0, ps.errorf(key, "%d is out of range [%d, %d]", t, lo, hi)
		}
		n = int(t)
	case float64:
		if t != math.Trunc(t) || math.Abs(t) > math.MaxInt32 {
			return 0, ps.errorf(key, "want an integer, got %v", t)
		}
		n = int(t)
	default:
		return 0, ps.errorf(key, "want an integer, got %T", v)
	}
	if n < lo || n > hi {
		return 0, ps.errorf(key, "%d is out of range [%d, %d]", n, lo, hi)
	}
	return n, nil
}

// unused reports parameters that the detector does not know.
func (ps *params) unused() error {
	var bad []string
	for k := range ps.m {
		if !ps.used[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return fmt.Errorf("detector %s: unknown parameter %q", ps.detector, strings.Join(bad, `", "`))
}
