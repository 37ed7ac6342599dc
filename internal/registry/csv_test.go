package registry

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/herald-gov/herald/internal/i18n"
	"github.com/herald-gov/herald/internal/model"
)

func TestPreviewCSVHeaderNames(t *testing.T) {
	// Columns in another order, names in other cases and separators, aliases.
	file := "\ufeff Handle ,PLATFORM,Display-Name,kind,Owning Unit,Language,Project End Date,project,E_Mail,Posts Per Week\n" +
		"@UNOPS_Kenya,X,UNOPS Kenya,Country-Office,Kenya,en; sw ,,,kenya.comms@unops.org,5\n" +
		"@JubaBridges,x,UNOPS Juba Bridges,project,South Sudan,en,2027-06-30,Juba Bridges Programme,jubabridges@unops.org,2.5\n"
	accs, err := ParseCSV(strings.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	want := []model.Account{
		{Platform: "x", Handle: "@UNOPS_Kenya", DisplayName: "UNOPS Kenya", Kind: "country-office", Office: "Kenya",
			Languages: []string{"en", "sw"}, Email: "kenya.comms@unops.org", PostsPerWeek: 5, Status: "active"},
		{Platform: "x", Handle: "@JubaBridges", DisplayName: "UNOPS Juba Bridges", Kind: "project", Office: "South Sudan",
			Languages: []string{"en"}, Email: "jubabridges@unops.org", PostsPerWeek: 2.5, Status: "active",
			Project: &model.Project{Name: "Juba Bridges Programme", EndDate: "2027-06-30"}},
	}
	if !reflect.DeepEqual(accs, want) {
		t.Errorf("got  %+v\nwant %+v", accs, want)
	}
}

func TestPreviewCSVProblems(t *testing.T) {
	file := strings.Join([]string{
		"platform,handle,kind,office,languages,posts_per_week,email,managers,project_name,project_end_date,status,profile_url,id,closed_at", // 1
		"x,@UNOPS_Kenya,country-office,Kenya,en,5,kenya.comms@unops.org,,,,active,https://x.com/UNOPS_Kenya,9,",                             // 2 fine
		"x,@UNOPS_Kenya,country-office,Kenya,en,5,kenya.comms@unops.org,,,,,,,",                                                             // 3 duplicate of 2
		"myspace,unops,corporate,HQ,en,,,,,,,,,",                                                                                            // 4 platform
		"x,@unops kenya,corporate,HQ,en,,,,,,,,,",                                                                                           // 5 handle
		"x,@UNOPS_Peru,country office,Peru,es,,,,,,,,,",                                                                                     // 6 kind
		"x,@UNOPS_Haiti,country-office,,french,-3,haiti(at)unops.org,boss,,,,,,",                                                            // 7 office, languages, posts, email, managers
		"facebook,JubaBridges,project,South Sudan,en,2,,,,30/06/2027,,,,",                                                                   // 8 project name, end date
		"x,@UNOPS_fr,corporate,HQ,fr,,,,Some Project,,,,,",                                                                                  // 9 project fields on corporate
		"x,@UNOPS_es,corporate,HQ,es,,,,,,archived,javascript:alert(1),-4,2024-01-01T00:00:00Z",                                             // 10 status, url, id, closed_at
		"x,@UNOPS_CPH,corporate,HQ",                                                                                                         // 11 short row
		`x,@UNOPS_Myanmar,country-office,"Myanmar`, `Yangon",my,,,,,,,,,`,                                                                   // 12-13 multi-line cell, bad language? no: fine
		"x,,corporate,HQ,en,,,,,,,,,", // 14 missing handle
	}, "\n") + "\n"
	p := PreviewCSV(strings.NewReader(file))
	want := []string{
		"3 handle", "4 platform", "5 handle", "6 kind",
		"7 office", "7 languages", "7 posts_per_week", "7 email", "7 managers",
		"8 project_name", "8 project_end_date", "9 project_name",
		"10 id", "10 profile_url", "10 status", "10 closed_at",
		"11 ", "14 handle",
	}
	var got []string
	for _, pr := range p.Problems {
		got = append(got, fmt.Sprintf("%d %s", pr.Line, pr.Field))
		checkProblemText(t, pr)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("problems:\n got %q\nwant %q\n%v", got, want, p.Problems)
	}
	if p.OK() {
		t.Error("OK with problems")
	}
	lines := map[int]bool{}
	for _, r := range p.Rows {
		lines[r.Line] = true
	}
	if !lines[2] || !lines[12] || lines[13] || lines[11] {
		t.Errorf("row lines %v: want 2 and 12 (multi-line cell), not 11 (short row) or 13", lines)
	}
	_, err := ParseCSV(strings.NewReader(file))
	var ie *ImportError
	if !errors.As(err, &ie) || len(ie.Problems) != len(want) || !strings.Contains(err.Error(), "line 3, handle") {
		t.Errorf("ParseCSV error = %v", err)
	}
}

func TestPreviewCSVBadFiles(t *testing.T) {
	tests := []struct {
		name, file string
		line       int
		field      string
	}{
		{"empty", "", 1, ""},
		{"unknown column", "platform,handle,kind,office,colour\n", 1, "colour"},
		{"duplicate column", "platform,handle,Kind,office,KIND\n", 1, "KIND"},
		{"missing required", "platform,handle,office\nx,@UNOPS,HQ\n", 1, "kind"},
		{"nameless column", "platform,handle,kind,office,\n", 1, ""},
		{"bad quote", "platform,handle,kind,office\nx,@UNOPS,corporate,HQ\nx,\"@UNOPS_es,corporate,HQ\n", 3, ""},
		{"stray quote", "platform,handle,kind,office\nx,@UN\"OPS,corporate,HQ\n", 2, ""},
	}
	for _, tt := range tests {
		p := PreviewCSV(strings.NewReader(tt.file))
		if len(p.Problems) == 0 {
			t.Errorf("%s: no problem", tt.name)
			continue
		}
		if pr := p.Problems[0]; pr.Line != tt.line || pr.Field != tt.field {
			t.Errorf("%s: first problem %+v, want line %d field %q", tt.name, pr, tt.line, tt.field)
		}
		checkProblemText(t, p.Problems[0])
	}
}

// checkProblemText: a problem's message comes from a catalog key, reads
// the same in English and is translated into French and Spanish.
func checkProblemText(t *testing.T, pr RowProblem) {
	t.Helper()
	switch {
	case pr.Message == "" || !i18n.Has(pr.Key):
		t.Errorf("problem without a catalog message: %+v", pr)
	case pr.Text("en") != pr.Message:
		t.Errorf("problem %+v reads %q in English", pr, pr.Text("en"))
	case pr.Text("fr") == pr.Message || pr.Text("es") == pr.Message:
		t.Errorf("problem %+v is not translated: %q, %q", pr, pr.Text("fr"), pr.Text("es"))
	}
}

// tricky holds accounts whose cells test quoting and the formula guard.
func tricky() []model.Account {
	closed := time.Date(2024, 11, 30, 17, 4, 5, 123456000, time.UTC)
	return []model.Account{
		{ID: 7, Platform: "x", Handle: "@UNOPS_es", ProfileURL: "https://x.com/UNOPS_es", DisplayName: "=HYPERLINK(\"http://evil.example\",\"UNOPS\")",
			Bio: "-2+3 \"quoted\", commas,\nand a second line", Kind: "corporate", Office: "@HQ", Languages: []string{"es", "en"},
			Audience: "+público", Purpose: "'=already guarded", PostsPerWeek: 10.5, Email: "socialmedia@unops.org",
			Contacts: []string{"Lucía Ortega", "Tomás Berg"}, Managers: []string{"lucia.ortega@unops.org"}, Status: "closed",
			CreatedAt: closed.Add(-48 * time.Hour), UpdatedAt: closed, ClosedAt: &closed},
		{ID: 8, Platform: "facebook", Handle: "ecolesdusahel", DisplayName: "UNOPS Écoles du Sahel", Bio: "'Tis l'été", Kind: "project",
			Office: "Sénégal", Languages: []string{"fr"}, Purpose: "''double", Audience: "\ttab first",
			Project: &model.Project{Name: "Projet Écoles du Sahel", Keywords: []string{"écoles", "Sahel"}, EndDate: "2026-12-31"}, Status: "active"},
	}
}

func TestCSVRoundTrip(t *testing.T) {
	for name, accs := range map[string][]model.Account{"registry": loadRegistry(t), "tricky": tricky()} {
		var buf bytes.Buffer
		if err := WriteCSV(&buf, accs); err != nil {
			t.Fatal(err)
		}
		back, err := ParseCSV(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, buf.String())
		}
		if !reflect.DeepEqual(back, accs) {
			t.Errorf("%s: round trip differs\n got %+v\nwant %+v", name, back, accs)
		}
	}
}

func TestWriteCSVGuardsFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tricky()); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		for i, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s: cell %q would run as a formula", csvColumns[i], cell)
			}
		}
	}
	if !strings.Contains(out, `'=HYPERLINK`) {
		t.Error("formula not guarded with an apostrophe")
	}
}

func FuzzPreviewCSV(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteCSV(&buf, tricky()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.String())
	f.Add("platform,handle,kind,office\nx,@UNOPS,corporate,HQ\n")
	f.Add("Platform , HANDLE,kind,office,languages\nmastodon,@unops@mastodon.social,corporate,HQ,en;fr\n")
	f.Add("platform,handle,kind,office\nx,\"@UN\nOPS\",corporate,HQ\n")
	f.Fuzz(func(t *testing.T, file string) {
		p := PreviewCSV(strings.NewReader(file))
		for _, pr := range p.Problems {
			if pr.Line < 0 || pr.Message == "" {
				t.Fatalf("bad problem %+v", pr)
			}
		}
		if !p.OK() {
			return
		}
		// What imports cleanly exports and imports again unchanged.
		var out bytes.Buffer
		if err := WriteCSV(&out, p.Accounts()); err != nil {
			t.Fatal(err)
		}
		back, err := ParseCSV(&out)
		if err != nil {
			t.Fatalf("re-import: %v", err)
		}
		if !reflect.DeepEqual(back, p.Accounts()) {
			t.Fatalf("round trip differs\n got %+v\nwant %+v", back, p.Accounts())
		}
	})
}

// BenchmarkPreviewCSV10k parses and validates a 10,000-row registry file.
func BenchmarkPreviewCSV10k(b *testing.B) {
	base := loadRegistry(b)
	accs := make([]model.Account, 0, 10000)
	for i := 0; len(accs) < 10000; i++ {
		a := base[i%len(base)]
		a.ID = int64(i + 1)
		a.Handle = fmt.Sprintf("unops%d", i)
		if a.Platform == "mastodon" {
			a.Handle += "@mastodon.social"
		}
		if a.Platform == "bluesky" {
			a.Handle += ".bsky.social"
		}
		accs = append(accs, a)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, accs); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		p := PreviewCSV(bytes.NewReader(data))
		if !p.OK() || len(p.Rows) != 10000 {
			b.Fatalf("%d rows, problems %v", len(p.Rows), p.Problems[:min(3, len(p.Problems))])
		}
	}
}
