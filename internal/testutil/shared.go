// Package testutil holds helpers for the project's tests only.
package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

// SharedFile returns the path of a file under ../shared/testdata (beside the
// repository), or skips the test with a message naming the file when it is
// absent, as on a fresh clone without shared/. HERALD_SHARED overrides the
// location of the shared folder.
func SharedFile(tb testing.TB, rel string) string {
	tb.Helper()
	root := os.Getenv("HERALD_SHARED")
	if root == "" {
		root = filepath.Join(RepoRoot(tb), "..", "shared")
	}
	p := filepath.Join(root, "testdata", rel)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared test data %s is absent (%v); skipping", p, err)
	}
	return p
}

// RepoRoot returns the repository's root: the nearest folder above the
// working directory that holds go.mod.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// PostgresURL returns HERALD_TEST_POSTGRES_URL or skips the test with a message.
func PostgresURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("HERALD_TEST_POSTGRES_URL")
	if u == "" {
		tb.Skip("HERALD_TEST_POSTGRES_URL is not set; skipping the PostgreSQL run")
	}
	return u
}
