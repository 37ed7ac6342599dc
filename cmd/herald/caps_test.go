package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/herald-gov/herald/internal/check/checktest"
	"github.com/herald-gov/herald/internal/model"
)

// TestJSONLHugeLineBounded: one 50 MB line of "confidential " wrote a
// 462 MB report. The pack's finding caps bound it.
func TestJSONLHugeLineBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 50 MB post")
	}
	c := checktest.Default(t)
	line, _ := json.Marshal(model.Draft{ID: "big", Text: strings.Repeat("confidential ", 50<<20/13)})
	var out bytes.Buffer
	if err := checkJSONL(context.Background(), c, bytes.NewReader(append(line, '\n')), &out); err != nil && out.Len() == 0 {
		t.Fatal(err)
	}
	if out.Len() > 256<<10 {
		t.Fatalf("%d bytes of report for one 50 MB line, want at most 256 KiB", out.Len())
	}
	var rep model.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.ID != "big" || rep.Truncated < 4_000_000 {
		t.Fatalf("report: id %q, %d findings, truncated %d, %v", rep.ID, len(rep.Findings), rep.Truncated, err)
	}
}
