package audit

import (
	"strings"
	"testing"
	"time"
)

func TestCheckpointSignature(t *testing.T) {
	key, err := ParseKey(strings.Repeat("ab", 32))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	c := Sign(key, Head{Seq: 7, Hash: "h7"}, at)
	if !c.Valid(key) {
		t.Fatal("a checkpoint does not verify with its own key")
	}
	for name, edit := range map[string]func(*Checkpoint){
		"seq":  func(c *Checkpoint) { c.Seq = 8 },
		"hash": func(c *Checkpoint) { c.Hash = "h8" },
		"time": func(c *Checkpoint) { c.At = c.At.Add(time.Second) },
	} {
		d := c
		edit(&d)
		if d.Valid(key) {
			t.Errorf("a checkpoint with another %s still verifies", name)
		}
	}
	other, _ := ParseKey(strings.Repeat("cd", 32))
	if c.Valid(other) {
		t.Error("verifies with another key")
	}
	for _, bad := range []string{"", "short", strings.Repeat("ab", 16)} {
		if _, err := ParseKey(bad); err == nil || strings.Contains(err.Error(), bad) && bad != "" {
			t.Errorf("ParseKey(%q) = %v", bad, err)
		}
	}
}
