package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/store"
	"github.com/herald-gov/herald/internal/store/storetest"
)

// writeToyData writes a small labelled set as JSON Lines and as a TweetEval
// pair of files, and returns their paths.
func writeToyData(t *testing.T) (jsonl, tweeteval string) {
	t.Helper()
	dir := t.TempDir()
	var j, texts, labels strings.Builder
	bad := []string{"you idiot", "stupid moron", "shut up you idiot", "what a moron", "idiots all of you", "stupid stupid take"}
	good := []string{"the bridge opened", "thanks for the update", "the school opens in may", "water for 300 families", "the clinic is open", "see the report"}
	for round := range 3 {
		for i := range bad {
			fmt.Fprintf(&j, "{\"text\": %q, \"label\": \"offensive\"}\n{\"text\": %q, \"label\": \"not-offensive\"}\n", fmt.Sprint(bad[i], " ", round), fmt.Sprint(good[i], " ", round))
			fmt.Fprintf(&texts, "%s %d\n%s %d\n", bad[i], round, good[i], round)
			labels.WriteString("1\n0\n")
		}
	}
	jsonl = filepath.Join(dir, "toy.jsonl")
	tweeteval = filepath.Join(dir, "toy_text.txt")
	for path, s := range map[string]string{jsonl: j.String(), tweeteval: texts.String(), filepath.Join(dir, "toy_labels.txt"): labels.String()} {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return jsonl, tweeteval
}

func TestModelTrainShowEval(t *testing.T) {
	jsonl, tweeteval := writeToyData(t)
	out1 := filepath.Join(t.TempDir(), "toy-en.hmdl")
	out2 := filepath.Join(t.TempDir(), "toy-en.hmdl")
	code, out, errOut := runCheckCmd(t, "", "model", "train", "--data", jsonl, "--out", out1, "--seed", "3", "--bucket-bits", "12")
	if code != 0 || !strings.Contains(out, "36 examples") && !strings.Contains(out, "examples (") {
		t.Fatalf("train: exit %d\n%s\n%s", code, out, errOut)
	}
	// Training again gives the same file, bit for bit.
	if code, _, errOut := runCheckCmd(t, "", "model", "train", "--data", jsonl, "--out", out2, "--seed", "3", "--bucket-bits", "12"); code != 0 {
		t.Fatalf("train again: exit %d: %s", code, errOut)
	}
	a, _ := os.ReadFile(out1)
	b, _ := os.ReadFile(out2)
	if len(a) == 0 || !bytes.Equal(a, b) {
		t.Error("two trainings with the same seed differ")
	}
	// The same examples read from the TweetEval layout have the same digest.
	if code, _, errOut := runCheckCmd(t, "", "model", "train", "--data", tweeteval, "--out", out2, "--seed", "3", "--bucket-bits", "12"); code != 0 {
		t.Fatalf("train from TweetEval files: exit %d: %s", code, errOut)
	}
	_, show1, _ := runCheckCmd(t, "", "model", "show", out1)
	_, show2, _ := runCheckCmd(t, "", "model", "show", out2)
	digest := func(show string) string {
		i := strings.Index(show, `"sha256": "`)
		if i < 0 {
			return ""
		}
		return show[i : i+80]
	}
	if d := digest(show1); d == "" || d != digest(show2) {
		t.Errorf("training digests differ between JSON Lines and TweetEval files:\n%s\n%s", show1, show2)
	}

	code, out, errOut = runCheckCmd(t, "", "model", "show", out1)
	if code != 0 || !strings.Contains(out, `"name": "toy-en"`) || !strings.Contains(out, `"folding": "herald-fold-1"`) || !strings.Contains(out, `"seed": 3`) {
		t.Fatalf("show: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCheckCmd(t, "", "model", "eval", "--model", out1, "--data", jsonl, "--at-precision", "0.9", "--at-recall", "0.5")
	if code != 0 || !strings.Contains(out, "36 examples, 18 positive") || !strings.Contains(out, "the model's") || !strings.Contains(out, "0.9500") ||
		!strings.Contains(out, "most recall at precision 0.9") || !strings.Contains(out, "most precision at recall 0.5") {
		t.Fatalf("eval: exit %d\n%s\n%s", code, out, errOut)
	}

	// --created fixes the day recorded, so that go generate rebuilds the same file any day.
	out3 := filepath.Join(t.TempDir(), "toy-en.hmdl")
	if code, _, errOut := runCheckCmd(t, "", "model", "train", "--data", jsonl, "--out", out3, "--bucket-bits", "12", "--created", "2026-01-02"); code != 0 {
		t.Fatalf("train --created: exit %d: %s", code, errOut)
	}
	if _, show, _ := runCheckCmd(t, "", "model", "show", out3); !strings.Contains(show, `"created": "2026-01-02"`) {
		t.Errorf("--created not recorded:\n%s", show)
	}

	for _, args := range [][]string{
		{"model", "train", "--data", jsonl, "--out", out3, "--created", "2 January"},
		{"model", "train", "--out", out1},
		{"model", "train", "--data", filepath.Join(t.TempDir(), "none.jsonl"), "--out", out1},
		{"model", "show", filepath.Join(t.TempDir(), "none")},
		{"model", "show", jsonl},
		{"model", "eval", "--model", "offensive-en"},
	} {
		if code, _, errOut := runCheckCmd(t, "", args...); code != 2 || errOut == "" {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errOut)
		}
	}
}

func TestModelShowEmbedded(t *testing.T) {
	for _, name := range []string{"offensive-en", "subjective-en"} {
		code, out, errOut := runCheckCmd(t, "", "model", "show", name)
		if code != 0 || !strings.Contains(out, `"name": "`+name+`"`) || !strings.Contains(out, `"average_precision"`) {
			t.Errorf("show %s: exit %d\n%s\n%s", name, code, out, errOut)
		}
	}
}

func TestModelExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		url := storetest.URL(t, dialect)
		s := storetest.OpenURL(t, url)
		for _, u := range []model.User{{Email: "admin@example.org", Role: model.RoleAdmin}, {Email: "staff@example.org", Role: model.RoleStaff}} {
			u.Name = u.Email
			if err := s.CreateUser(context.Background(), model.SystemActor("test"), &u); err != nil {
				t.Fatal(err)
			}
		}
		for _, args := range [][]string{
			{"--clause", "4.4(b)"},
			{"--clause", "4.4(b)", "--consent-of", "staff@example.org"},
			{"--clause", "4.4(b)", "--consent-of", "nobody@example.org"},
			{"--clause", "9.9(z)", "--consent-of", "admin@example.org"},
		} {
			if code, _, errs := runHerald(t, nil, append([]string{"model", "export", "--db", url}, args...)...); code != 2 || errs == "" {
				t.Errorf("%v: exit %d, stderr %q; want 2 and a reason", args, code, errs)
			}
		}
		out := filepath.Join(t.TempDir(), "decisions.jsonl")
		code, _, errs := runHerald(t, nil, "model", "export", "--db", url, "--clause", "4.4(b)", "--consent-of", "Admin@example.org", "--out", out)
		if code != 0 || !strings.Contains(errs, "0 positive, 0 negative") {
			t.Fatalf("export: exit %d, stderr %q", code, errs)
		}
		if data, err := os.ReadFile(out); err != nil || len(data) != 0 {
			t.Errorf("export of no decisions wrote %q (%v)", data, err)
		}
		evs, err := s.AuditEvents(context.Background(), store.AuditFilter{ActionPrefix: "model.export"})
		if err != nil || len(evs) != 1 || evs[0].ActorEmail != "admin@example.org" || evs[0].ObjectID != "4.4(b)" {
			t.Errorf("audit of the export: %+v, %v", evs, err)
		}
	})
}
