package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/media/mediatest"
	"github.com/herald-gov/herald/internal/model"
)

// testPack are the flags that select the engine's test pack.
var testPack = []string{"--pack", "../../internal/policy/testdata/pack.yaml", "--overlay", "../../internal/check/testdata/builtins.yaml"}

// runCheckCmd runs `herald <args...>` in-process with stdin.
func runCheckCmd(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code = run(context.Background(), env, args)
	return code, out.String(), errOut.String()
}

func TestCheckText(t *testing.T) {
	code, out, errOut := runCheckCmd(t, "Line one.\nThis is CONFIDENTIAL, see room 412.\n", append([]string{"check", "--platform", "x"}, testPack...)...)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr %s", code, errOut)
	}
	for _, want := range []string{
		"2 findings (2 error)", "test-pack 0.1.0+builtins@1", "x 46/280",
		"     2 | This is CONFIDENTIAL, see room 412.",
		"       |         ^^^^^^^^^^^^",
		"       |                           ^^^^^^^^",
		"error  confidentiality.marking  3.4(f) Confidentiality",
		`"CONFIDENTIAL" marks material that is not public.`, "→ Remove it.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour written to something that is not a terminal")
	}
}

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	post := filepath.Join(dir, "post.txt")
	if err := os.WriteFile(post, []byte("\xff\xfe misconduct \x00"), 0o600); err != nil {
		t.Fatal(err)
	}
	badPack := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(badPack, []byte("pack: {id: x}\nrulez: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"clean", "We opened a school.", testPack, 0, "no findings"},
		{"warning only", "misconduct", testPack, 0, "1 finding (1 warning)"},
		{"error", "confidential", testPack, 1, "1 finding (1 error)"},
		{"invalid UTF-8 file is checked", "", append([]string{post}, testPack...), 0, "misconduct"},
		{"flags after the file", "", append([]string{post, "--format", "json"}, testPack...), 0, `"rule": "discretion.sensitive"`},
		{"missing file", "", append([]string{filepath.Join(dir, "nope.txt")}, testPack...), 2, ""},
		{"two files", "", append([]string{post, post}, testPack...), 2, ""},
		{"bad pack", "x", []string{"--pack", badPack}, 2, ""},
		{"unknown platform", "x", append([]string{"--platform", "myspace"}, testPack...), 2, ""},
		{"unknown kind", "x", append([]string{"--account-kind", "robot"}, testPack...), 2, ""},
		{"bad format", "x", append([]string{"--format", "xml"}, testPack...), 2, ""},
		{"bad flag", "x", []string{"--colour"}, 2, ""},
		{"project rules", "Our amazing bridge", append([]string{"--account-kind", "project", "--project", "Bridges", "--keyword", "bridge"}, testPack...), 0, "factual.opinion"},
		{"reply-to", "Thanks", append([]string{"--reply-to", "shut up, idiot"}, testPack...), 0, `in the message replied to: "shut up"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCheckCmd(t, tt.stdin, append([]string{"check"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Fatalf("exit %d (want %d), stdout %q (want %q), stderr %q", code, tt.code, out, tt.out, errOut)
			}
			if code == 2 && errOut == "" {
				t.Error("exit 2 without a message")
			}
		})
	}
}

func TestCheckJSON(t *testing.T) {
	code, out, _ := runCheckCmd(t, "Mail jane.doe@gmail.com <b>", append([]string{"check", "--format", "json", "--lang", "fr"}, testPack...)...)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	var rep model.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Lang != "fr" || len(rep.Findings) != 1 || rep.Findings[0].Rule != "safety.email" || rep.Findings[0].Start != 5 || rep.Findings[0].End != 23 ||
		rep.Findings[0].Message != "Adresse personnelle jane.doe@gmail.com." {
		t.Errorf("report %+v", rep)
	}
}

func TestCheckImage(t *testing.T) {
	img := filepath.Join(t.TempDir(), "gps.jpg")
	if err := os.WriteFile(img, mediatest.GPSJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCheckCmd(t, "A photo of the bridge", append([]string{"check", "--image", img}, testPack...)...)
	if code != 1 || !strings.Contains(out, "image 1: "+img) || !strings.Contains(out, "safety.image-gps") {
		t.Fatalf("exit %d, stdout %s, stderr %s", code, out, errOut)
	}
}

func TestCheckJSONL(t *testing.T) {
	var in strings.Builder
	const n = 1000
	for i := range n {
		switch i {
		case 10:
			in.WriteString(`{"id": "bad-type", "text": 5}` + "\n")
		case 20:
			in.WriteString("{not json\n")
		case 30:
			in.WriteString("\n") // blank: no output line
		case 40:
			in.WriteString(`{"id": "p", "text": "x", "platform": "myspace"}` + "\r\n")
		default:
			fmt.Fprintf(&in, `{"id": "d%d", "text": "post %d is confidential", "platform": "x"}`+"\n", i, i)
		}
	}
	in.WriteString(`{"id": "last", "text": "no newline at the end"}`)
	code, out, errOut := runCheckCmd(t, in.String(), append([]string{"check", "--jsonl", "-"}, testPack...)...)
	if code != 2 || !strings.Contains(errOut, "3 of 1000 lines could not be read") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != n {
		t.Fatalf("%d output lines, want %d", len(lines), n)
	}
	k := 0
	for i := range n {
		if i == 30 {
			continue
		}
		var got struct {
			ID       *string          `json:"id"`
			Error    string           `json:"error"`
			Findings []map[string]any `json:"findings"`
		}
		if err := json.Unmarshal([]byte(lines[k]), &got); err != nil {
			t.Fatalf("line %d: %v: %s", k, err, lines[k])
		}
		switch i {
		case 10:
			if got.ID == nil || *got.ID != "bad-type" || !strings.Contains(got.Error, "line 11:") {
				t.Errorf("bad line 11 gave %s", lines[k])
			}
		case 20:
			if got.ID != nil || !strings.Contains(got.Error, "line 21:") {
				t.Errorf("bad line 21 gave %s", lines[k])
			}
		case 40:
			if got.ID == nil || *got.ID != "p" || !strings.Contains(got.Error, "unknown platform") {
				t.Errorf("bad line 41 gave %s", lines[k])
			}
		default:
			if got.ID == nil || *got.ID != fmt.Sprintf("d%d", i) || len(got.Findings) != 1 {
				t.Fatalf("line %d out of order or wrong: %s", i+1, lines[k])
			}
		}
		k++
	}
	if !strings.Contains(lines[len(lines)-1], `"id":"last"`) {
		t.Errorf("last line %s", lines[len(lines)-1])
	}

	code, _, _ = runCheckCmd(t, `{"id":"a","text":"fine"}`+"\n"+`{"id":"b","text":"confidential"}`+"\n", append([]string{"check", "--jsonl", "-"}, testPack...)...)
	if code != 1 {
		t.Errorf("exit %d with an error finding, want 1", code)
	}
	code, _, _ = runCheckCmd(t, `{"id":"a","text":"fine"}`, append([]string{"check", "--jsonl", "-"}, testPack...)...)
	if code != 0 {
		t.Errorf("exit %d on a clean file, want 0", code)
	}
}

func TestReadJSONLineLong(t *testing.T) {
	long := `{"id":"big","text":"` + strings.Repeat("a ", 3<<20) + `confidential"}`
	code, out, errOut := runCheckCmd(t, long+"\n"+`{"id":"next","text":"ok"}`+"\n", append([]string{"check", "--jsonl", "-"}, testPack...)...)
	if code != 1 || !strings.Contains(out, `"id":"big"`) || !strings.Contains(out, `"start":6291456`) || !strings.Contains(out, `"id":"next"`) {
		t.Fatalf("exit %d stderr %q, output head %.300s", code, errOut, out)
	}
}
