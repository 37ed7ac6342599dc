package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/media"
	"github.com/herald-gov/herald/internal/media/mediatest"
)

// runStrip runs `herald strip-metadata args...` in-process.
func runStrip(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := Env{Stdin: bytes.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
	code = run(context.Background(), env, append([]string{"strip-metadata"}, args...))
	return code, out.String(), errOut.String()
}

func TestStripMetadataWritesCleanCopy(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "photo.jpg"), filepath.Join(dir, "clean.jpg")
	photo := mediatest.GPSJPEG(t)
	if err := os.WriteFile(in, photo, 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runStrip(t, nil, in, out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, w := range []string{"EXIF", "XMP", "IPTC", "camera Canon EOS 5D Mark IV", "GPS position 55.67628, 12.56836", "wrote " + out} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not mention %q", stderr, w)
		}
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	info, err := media.Inspect(got)
	if err != nil || info.HasMetadata() {
		t.Errorf("copy still has metadata: %+v, %v", info, err)
	}
	if orig, _ := os.ReadFile(in); !bytes.Equal(orig, photo) {
		t.Error("IN was changed")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %d files, want IN and OUT only (no temporary file left)", len(entries))
	}

	// A second run replaces OUT in place and keeps its permissions.
	if err := os.Chmod(out, 0o640); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runStrip(t, nil, in, out); code != 0 {
		t.Fatalf("second run: exit %d: %s", code, stderr)
	}
	if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("OUT mode after replacing: %v, %v; want 0640", st.Mode().Perm(), err)
	}

	// A clean image says so.
	if code, _, stderr := runStrip(t, nil, out, filepath.Join(dir, "again.jpg")); code != 0 || !strings.Contains(stderr, "no metadata found") {
		t.Errorf("clean input: exit %d, stderr %q", code, stderr)
	}
}

func TestStripMetadataStdio(t *testing.T) {
	photo := mediatest.GPSJPEG(t)
	want, err := media.Strip(photo)
	if err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runStrip(t, photo, "-", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if stdout != string(want) {
		t.Errorf("stdout is %d bytes, want the %d-byte stripped image", len(stdout), len(want))
	}
	if !strings.Contains(stderr, "wrote stdout") {
		t.Errorf("stderr %q", stderr)
	}
}

func TestStripMetadataRefuses(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "photo.jpg")
	photo := mediatest.GPSJPEG(t)
	if err := os.WriteFile(in, photo, 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.jpg")
	if err := os.Symlink(in, link); err != nil {
		t.Fatal(err)
	}
	notImage := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notImage, []byte("not an image"), 0o600); err != nil {
		t.Fatal(err)
	}
	truncated := filepath.Join(dir, "cut.jpg")
	if err := os.WriteFile(truncated, photo[:len(photo)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jpg")
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no arguments", nil, "want IN and OUT"},
		{"one argument", []string{in}, "want IN and OUT"},
		{"three arguments", []string{in, out, out}, "want IN and OUT"},
		{"unknown flag", []string{"--force", in, out}, "flag provided but not defined"},
		{"OUT is IN", []string{in, in}, "same file as IN"},
		{"OUT is IN by another path", []string{in, dir + "/./sub/../photo.jpg"}, "same file as IN"},
		{"OUT is a link to IN", []string{in, link}, "same file as IN"},
		{"OUT is a folder", []string{in, dir}, "is a folder"},
		{"IN missing", []string{filepath.Join(dir, "none.jpg"), out}, "no such file"},
		{"IN not an image", []string{notImage, out}, "not a JPEG or PNG"},
		{"IN truncated", []string{truncated, out}, "truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := runStrip(t, nil, c.args...)
			if code != 2 || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d, stderr %q; want exit 2 and %q", code, stderr, c.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("OUT was written")
			}
		})
	}
	if got, _ := os.ReadFile(in); !bytes.Equal(got, photo) {
		t.Error("IN was changed")
	}
}

func TestStripMetadataHelp(t *testing.T) {
	code, _, stderr := runStrip(t, nil, "-h")
	if code != 0 || !strings.Contains(stderr, "Usage: herald strip-metadata IN OUT") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
