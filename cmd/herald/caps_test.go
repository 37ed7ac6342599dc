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
// 462 MB report and took 2 GB of memory. The pack's finding caps bound the
// report of the longest line taken (7 MB here), and a longer line gets an
// error on its line instead of being checked.
func TestJSONLHugeLineBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("a 7 MB post")
	}
	c := checktest.Default(t)
	line, _ := json.Marshal(model.Draft{ID: "big", Text: strings.Repeat("confidential ", 7<<20/13)})
	var out bytes.Buffer
	if err := checkJSONL(context.Background(), c, bytes.NewReader(append(line, '\n')), &out); err != nil && out.Len() == 0 {
		t.Fatal(err)
	}
	if out.Len() > 256<<10 {
		t.Fatalf("%d bytes of report for one 7 MB line, want at most 256 KiB", out.Len())
	}
	var rep model.Report
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || rep.ID != "big" || rep.Truncated < 500_000 {
		t.Fatalf("report: id %q, %d findings, truncated %d, %v", rep.ID, len(rep.Findings), rep.Truncated, err)
	}

	line, _ = json.Marshal(model.Draft{ID: "huge", Text: strings.Repeat("confidential ", 50<<20/13)})
	out.Reset()
	checkJSONL(context.Background(), c, bytes.NewReader(append(line, '\n')), &out)
	var bad struct{ ID, Error string }
	if err := json.Unmarshal(out.Bytes(), &bad); err != nil || bad.Error == "" || out.Len() > 1<<10 {
		t.Fatalf("a 50 MB line: %d bytes out, %+v, %v; want one short error line", out.Len(), bad, err)
	}
}
