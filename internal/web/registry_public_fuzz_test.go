package web

import (
	"testing"

	"github.com/herald-gov/herald/internal/registry"
)

// FuzzDirectoryCursor: any cursor either is refused as invalid or gives a
// tail of the directory, and a cursor the feed made gives what follows its
// entry.
func FuzzDirectoryCursor(f *testing.F) {
	entries := []registry.DirectoryEntry{
		{ID: 3, Platform: "bluesky", HandleKey: "unops.bsky.social"},
		{ID: 1, Platform: "x", HandleKey: "unops"},
		{ID: 2, Platform: "x", HandleKey: "unops_es"},
	}
	for _, e := range entries {
		f.Add(cursorKey(e))
	}
	f.Add("")
	f.Add("!!")
	f.Add("eAB1bm9wcwB4")
	f.Fuzz(func(t *testing.T, cursor string) {
		got, err := after(entries, cursor)
		if err != nil {
			return
		}
		if len(got) > len(entries) || (len(got) > 0 && got[0].ID != entries[len(entries)-len(got)].ID) {
			t.Fatalf("cursor %q gave %v, not a tail", cursor, got)
		}
		for i, e := range entries {
			if cursor == cursorKey(e) && len(got) != len(entries)-i-1 {
				t.Fatalf("cursor of entry %d gave %d entries", i, len(got))
			}
		}
	})
}
