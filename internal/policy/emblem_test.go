package policy

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultEmblems(t *testing.T) {
	p, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	es, err := p.EmblemImages()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 || !bytes.HasPrefix(es[0].Data, []byte("\x89PNG")) {
		t.Fatalf("default pack emblems %v: want a PNG", len(es))
	}
}

func TestEmblemsBesidePack(t *testing.T) {
	src, err := packs.ReadFile("packs/unops.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "pack.yaml")
	text := strings.Replace(string(src), "emblems: [emblem.png]", "emblems: [mark.png]", 1)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.EmblemImages(); err == nil || !strings.Contains(err.Error(), "mark.png") {
		t.Errorf("missing emblem file: err = %v, want one naming mark.png", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "mark.png"), []byte("\x89PNG fake"), 0o644); err != nil {
		t.Fatal(err)
	}
	es, err := p.EmblemImages()
	if err != nil || len(es) != 1 || string(es[0].Data) != "\x89PNG fake" {
		t.Errorf("EmblemImages = %v, %v", es, err)
	}

	bad := strings.Replace(string(src), "emblems: [emblem.png]", "emblems: [../secret.png]", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "organization.emblems") {
		t.Errorf("an emblem path with directories: err = %v", err)
	}
}
