package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/herald-gov/herald/internal/media"
)

// runStripMetadata is `herald strip-metadata IN OUT`: it writes a copy of a
// JPEG or PNG without EXIF, XMP, IPTC and text chunks, and says on stderr
// what it removed. IN and OUT may be "-" for stdin and stdout.
func runStripMetadata(ctx context.Context, env Env, args []string) error {
	fs := newFlags("strip-metadata", env)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: herald strip-metadata IN OUT\n\n"+
			"Writes OUT, a copy of the JPEG or PNG image IN without EXIF, XMP, IPTC,\n"+
			"comments and text chunks; the pixels are untouched. '-' reads stdin or\n"+
			"writes stdout. OUT is replaced atomically and may not be IN.")
	}
	if help, err := parseFlags(fs, args, -1); help || err != nil {
		return err
	}
	if fs.NArg() != 2 {
		return usageError("want IN and OUT, got %d argument(s); see 'herald strip-metadata -h'", fs.NArg())
	}
	in, out := fs.Arg(0), fs.Arg(1)
	if out != "-" {
		if same, err := sameFile(in, out); err != nil {
			return usageError("%v", err)
		} else if same {
			return usageError("OUT %s is the same file as IN; write the copy elsewhere", out)
		}
		if st, err := os.Stat(out); err == nil && st.IsDir() {
			return usageError("OUT %s is a folder; name the file to write", out)
		}
	}

	data, err := readImage(env, in)
	if err != nil {
		return &exitError{code: 2, err: err}
	}
	info, err := media.Inspect(data)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("%s: %w", in, err)}
	}
	stripped, err := media.Strip(data)
	if err != nil {
		return &exitError{code: 2, err: fmt.Errorf("%s: %w", in, err)}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if out == "-" {
		if _, err := env.Stdout.Write(stripped); err != nil {
			return err
		}
	} else if err := writeAtomic(out, stripped); err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, describeRemoval(in, out, info, len(data), len(stripped)))
	return nil
}

// readImage reads IN, refusing more than media.MaxImageBytes.
func readImage(env Env, in string) ([]byte, error) {
	r := env.Stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, media.MaxImageBytes+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", in, err)
	}
	if len(data) > media.MaxImageBytes {
		return nil, fmt.Errorf("%s: %w", in, media.ErrTooLarge)
	}
	return data, nil
}

// sameFile reports whether OUT names IN, by path or, when both exist, as
// the same file reached through a link.
func sameFile(in, out string) (bool, error) {
	if in == "-" {
		return false, nil
	}
	a, err := filepath.Abs(in)
	if err != nil {
		return false, err
	}
	b, err := filepath.Abs(out)
	if err != nil {
		return false, err
	}
	if a == b {
		return true, nil
	}
	si, err1 := os.Stat(in)
	so, err2 := os.Stat(out)
	return err1 == nil && err2 == nil && os.SameFile(si, so), nil
}

// writeAtomic writes data to a temporary file beside path and renames it
// into place, so a reader never sees half an image. An existing file's
// permissions are kept.
func writeAtomic(path string, data []byte) (err error) {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// describeRemoval is the line printed after a copy: what was removed.
func describeRemoval(in, out string, info media.Info, before, after int) string {
	var blocks, facts []string
	for _, b := range []struct {
		present bool
		name    string
	}{{info.EXIF, "EXIF"}, {info.XMP, "XMP"}, {info.IPTC, "IPTC"}} {
		if b.present {
			blocks = append(blocks, b.name)
		}
	}
	blocks = append(blocks, info.Other...)
	if info.Camera != "" {
		facts = append(facts, "camera "+info.Camera)
	}
	if info.GPS != nil {
		facts = append(facts, fmt.Sprintf("GPS position %.5f, %.5f", info.GPS.Lat, info.GPS.Lon))
	}
	if out == "-" {
		out = "stdout"
	}
	if len(blocks) == 0 {
		return fmt.Sprintf("no metadata found in %s; wrote %s (%d bytes)", in, out, after)
	}
	removed := strings.Join(blocks, ", ")
	if len(facts) > 0 {
		removed += " (" + strings.Join(facts, "; ") + ")"
	}
	return fmt.Sprintf("removed from %s: %s\nwrote %s (%d bytes, was %d)", in, removed, out, after, before)
}
