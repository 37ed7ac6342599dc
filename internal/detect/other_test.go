package detect

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/herald-gov/herald/internal/media/mediatest"
	"github.com/herald-gov/herald/internal/model"
	"github.com/herald-gov/herald/internal/policy"
)

func TestStaleFigure(t *testing.T) {
	// testNow is 2026 and the threshold 3 years: 2023 and before are stale.
	runTextCases(t, "stale-figure", nil, []textCase{
		{"In 2015, 3 million people lacked clean water.", one("2015, 3")},
		{"2016 figures show 40% of schools damaged", one("2016 figures show 40%")},
		{"As of 2014, 1,200 schools were rebuilt.", one("2014, 1,200")},
		{"En 2015, 300 000 personnes ont été déplacées.", one("2015, 300")},
		{"En 2015, 3 millones de personas no tenían acceso.", one("2015, 3")},
		{"40% of households were reached in 2019.", one("40% of households were reached in 2019")},
		{"In 2025, 3 million people were reached.", nil},
		{"UNOPS was founded in 1973.", nil},
		{"Since 2010, 500 bridges were built.", nil},
		{"Desde 2010, 500 puentes.", nil},
		{"Since the 2023 cyclones, 1,100 homes have been rebuilt.", nil},
		{"Desde el 2019, 40 escuelas fueron reconstruidas.", nil},
		{"On 12 May 2015 we met.", nil},
		{"The 2030 Agenda has 17 goals.", nil},
		{"In 2015 world leaders adopted SDG 6. We now reach 3 million people.", nil},
		{"Between 2015-2025, 300 clinics opened.", nil},
		{"It analyses 3,200 contracts awarded between 2023 and 2025.", nil},
		{"Entre 2023 et 2025, 3 200 contrats.", nil},
		{"De 2015 a 2025, 300 clínicas.", nil},
		{"Between 2015 and 2018, 300 clinics opened.", one("2018, 300")},
		{"COVID-19 hit in 2020.", nil},
		// Groups of longer grouped numbers are not years.
		{"IBAN FR14 2004 1010 0505 0001 3M02 606", nil},
		{"Card 4111 2015 1111 1111 expired", nil},
		{"Ref 2004 1010 0505 attached", nil},
		{"Call 2015 55 12 34 or 1999-555-1234", nil},
		{"En 2015 300 000 personnes ont été déplacées.", one("2015 300")},
		// A figure in the present, or a year dating an event, is not stale.
		{"Founded in 1974, the office now employs 300 people.", nil},
		{"Fondée en 1974, l'agence compte aujourd'hui 300 employés.", nil},
		{"Fundada en 1974, actualmente emplea a 300 personas.", nil},
		{"In 2015 we started; 300 people work here.", nil},
		{"In 2015 the project began and today 300 people work here.", nil},
		{"Now 300 staff strong, the office opened in 1974.", nil},
		{"Established in 1974 with 12 staff.", nil},
		{"In 2015 we celebrated 50 years of work.", nil},
		// A full date dates an event; a year or a month dates a figure.
		{"On 19 August 2003, 22 people were killed in the bombing.", nil},
		{"Le 19 août 2003, 22 personnes ont été tuées dans l'attentat.", nil},
		{"El 8 de octubre de 2005, 73.000 personas murieron en el terremoto.", nil},
		{"On August 19, 2003, 22 people were killed.", nil},
		{"Le 1er mars 2010, 40 écoles ont rouvert.", nil},
		{"In August 2003, 22 people were killed.", one("2003, 22")},
		{"At 19 sites in 2003, 22 people were hurt.", one("2003, 22")},
		{"En 2015 fêtions nos 25 ans.", nil},
		{"2016 figures show 40% of schools damaged; today 300 are rebuilt.", one("2016 figures show 40%")},
		// An old year beside a recent one is a baseline; a bracketed year dates a document.
		{"Births in clinics rose from 71% in 2022 to 88% in 2025.", nil},
		{"Les accouchements sont passés de 71 % en 2022 à 88 % en 2025.", nil},
		{"Births in clinics rose from 51% in 2019 to 71% in 2022.", one("2019 to 71%")},
		{"Under resolution 1244 (1999), 22 schools were handed over.", nil},
		{"Under the 1999 resolution, 22 schools were handed over.", one("1999 resolution, 22")},
	})
	for _, c := range []struct {
		text, detail string
	}{{"In 2015, 3 million people", "2015"}, {"2016 figures show 40%", "2016"}} {
		ms := mustNew(t, "stale-figure", nil).Detect(&Input{Text: c.text, Now: testNow})
		if len(ms) != 1 || ms[0].Detail != c.detail {
			t.Errorf("stale-figure(%q) = %+v, want detail %q", c.text, ms, c.detail)
		}
	}
	if _, err := New("stale-figure", nil, nil, &policy.Parameters{}); err == nil {
		t.Error("stale-figure without stale_figure_years accepted")
	}
}

func TestProjectFocus(t *testing.T) {
	d := mustNew(t, "project-focus", nil)
	project := &model.Project{Name: "Juba Urban Water Project", Keywords: []string{"clean water", "saneamiento"}}
	wash := &model.Project{Name: "Terai Sanitation Project", Keywords: []string{"latrines", "letrina", "hand-washing", "Saptari"}}
	cases := []struct {
		text    string
		project *model.Project
		fires   bool
	}{
		{"New pipes for the Juba Urban Water Project this week", project, false},
		{"Les travaux avancent à JUBA", project, false},
		{"Access to clean water is a right", project, false},
		{"Avances en SANEAMIENTO básico", project, false},
		{"Urban planners met today", project, false}, // a distinctive word of the name
		{"Happy holidays to all our partners!", project, true},
		{"Great football match yesterday", project, true},
		{"Happy holidays to all our partners!", nil, false},
		{"Construcción de la escuela de Éducation", &model.Project{Name: "Educación Rural"}, true},
		{"La educacion llega a todos", &model.Project{Name: "Educación Rural"}, false},
		// A keyword in its singular or plural, or a word of it split by a hyphen.
		{"How a flood-resistant latrine is built, in four steps.", wash, false},
		{"Cinco letrinas nuevas en Saptari.", wash, false},
		{"Hand-washing stations at every school.", wash, false},
		{"Hand washing stations at every school.", wash, false},
		{"Three families moved in.", &model.Project{Name: "Housing Now", Keywords: []string{"family"}}, false},
		{"Les eaux de pluie sont captées.", &model.Project{Name: "Projet Pluie", Keywords: []string{"eau"}}, false},
		{"Happy new year from all of us!", wash, true},
		{"A latrineless village no more.", wash, true}, // a longer word is not a plural
		// "The project" is the account's own; "a project" is not.
		{"Diarrhoea cases in project areas fell; the project trained 40 nurses.", wash, false},
		{"Les cas signalés dans les zones du projet ont baissé.", wash, false},
		{"Congratulations to a project we admire in Peru!", wash, true},
		{"Roof done, finishing works next. #SaptariLatrines", wash, false}, // a hashtag's words
	}
	for _, c := range cases {
		draft := &model.Draft{Text: c.text, Account: model.DraftAccount{Kind: model.KindProject, Project: c.project}}
		got := len(d.Detect(&Input{Text: c.text, Draft: draft})) > 0
		if got != c.fires {
			t.Errorf("project-focus(%q, %v) = %v, want %v", c.text, c.project, got, c.fires)
		}
	}
}

func TestImageDetectors(t *testing.T) {
	dir := t.TempDir()
	notImage := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(notImage, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	jpg := mediatest.JPEG(t, mediatest.Photo(32, 24), 80)
	plain := filepath.Join(dir, "plain.jpg")
	camera := filepath.Join(dir, "camera.jpg")
	located := filepath.Join(dir, "located.jpg")
	noGPS := mediatest.Copenhagen
	noGPS.GPS = false
	for path, data := range map[string][]byte{
		plain:   jpg,
		camera:  mediatest.SpliceJPEG(jpg, mediatest.APP1EXIF(mediatest.EXIFTIFF(binary.LittleEndian, noGPS))),
		located: mediatest.SpliceJPEG(jpg, mediatest.APP1EXIF(mediatest.EXIFTIFF(binary.LittleEndian, mediatest.Copenhagen))),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	missing := filepath.Join(dir, "missing.jpg")
	draft := &model.Draft{Images: []string{notImage, missing, plain, camera, located}}
	gps := mustNew(t, "image-gps", nil).Detect(&Input{Draft: draft})
	var got []string
	for _, m := range gps {
		if m.Image == nil || m.Start != 0 || m.End != 0 || m.Detail == "" {
			t.Errorf("image-gps match %+v", m)
			continue
		}
		got = append(got, fmt.Sprintf("%d %s", *m.Image, m.Detail))
	}
	if len(got) != 3 || !strings.Contains(got[0], "not a JPEG or PNG") || !strings.HasPrefix(got[1], "1 ") ||
		got[2] != "4 55.67628, 12.56836" {
		t.Errorf("image-gps = %q, want the unreadable files 0 and 1 and the position of 4", got)
	}
	got = nil
	for _, m := range mustNew(t, "image-metadata", nil).Detect(&Input{Draft: draft}) {
		got = append(got, fmt.Sprintf("%d %s", *m.Image, m.Detail))
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "3 EXIF") || !strings.Contains(got[0], "Canon EOS 5D") || !strings.HasPrefix(got[1], "4 EXIF") {
		t.Errorf("image-metadata = %q, want images 3 and 4 with their camera", got)
	}
	if ms := mustNew(t, "image-gps", nil).Detect(&Input{Draft: &model.Draft{}}); len(ms) != 0 {
		t.Errorf("image-gps without images: %+v", ms)
	}
}

func TestNew(t *testing.T) {
	names := Names()
	if len(names) != 16 {
		t.Errorf("Names() = %d detectors, want 16", len(names))
	}
	for _, n := range names {
		if _, err := New(n, nil, nil, &policy.Parameters{StaleFigureYears: 3}); err != nil {
			t.Errorf("New(%q) with nil org: %v", n, err)
		}
		if _, err := New(n, map[string]any{"bogus": 1}, testOrg, testParams); err == nil || !strings.Contains(err.Error(), "bogus") {
			t.Errorf("New(%q) with an unknown parameter: err = %v", n, err)
		}
	}
	if _, err := New("nope", nil, nil, nil); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown detector: err = %v", err)
	}
}

func TestLinks(t *testing.T) {
	runTextCases(t, "link-shortener", nil, []textCase{
		{"Read more: https://bit.ly/3xYz and t.co/abc", []string{"https://bit.ly/3xYz", "t.co/abc"}},
		{"Details at https://www.unops.org/news", nil},
		{"Not a shortener: https://notbit.ly/x", nil},
	})
	runTextCases(t, "link-denied", nil, []textCase{
		{"See https://news.example-propaganda.net/story", one("https://news.example-propaganda.net/story")},
		{"See https://example.org/story", nil},
	})
	runTextCases(t, "link-internal", nil, []textCase{
		{"Slides: https://intranet.unops.org/hr/page", one("https://intranet.unops.org/hr/page")},
		{"Doc https://unops.sharepoint.com/sites/x", one("https://unops.sharepoint.com/sites/x")},
		{"Not internal: https://sharepoint.com/x and https://www.unops.org", nil},
	})
	d := mustNew(t, "link-internal", nil)
	if ms := d.Detect(&Input{Text: "x https://docs.unops.org/a y"}); len(ms) != 1 || ms[0].Detail != "docs.unops.org" {
		t.Errorf("link-internal detail: %+v", ms)
	}
}

func TestPlatformLimits(t *testing.T) {
	length := mustNew(t, "platform-length", nil)
	tags := mustNew(t, "hashtag-cap", nil)
	long := strings.Repeat("a", 300)
	cases := []struct {
		det      Detector
		text     string
		platform string
		detail   string
	}{
		{length, long, "x", "300/280"},
		{length, strings.Repeat("a", 280), "x", ""},
		{length, long, "instagram", ""},
		{length, long, "", ""},
		{length, long, "unknown", ""},
		{tags, strings.Repeat("#tag ", 31), "instagram", "31/30"},
		{tags, strings.Repeat("#tag ", 30), "instagram", ""},
		{tags, strings.Repeat("#tag ", 31), "x", ""},
	}
	for i, c := range cases {
		draft := &model.Draft{Text: c.text, Platform: c.platform}
		ms := c.det.Detect(&Input{Text: c.text, Draft: draft})
		got := ""
		if len(ms) == 1 && ms[0].Start == 0 && ms[0].End == 0 {
			got = ms[0].Detail
		} else if len(ms) > 1 {
			got = "several matches"
		}
		if got != c.detail {
			t.Errorf("case %d (%s): got %q, want %q", i, c.platform, got, c.detail)
		}
	}
}

func TestMaskProject(t *testing.T) {
	project := &model.Project{Name: "Escuelas Seguras Cusco", Keywords: []string{"escuela", "clean water"}}
	needles := ProjectNeedles(project)
	cases := []struct{ in, want string }{
		// The whole name is one run; a keyword's plural is the keyword.
		{"escuelas seguras cusco: 12 escuelas reforzadas", "qq                    : 12 qq       reforzadas"},
		// A distinctive word of the name stands alone; "clean water" is a run of two words.
		{"en cusco, clean water para todos", "en qq   , qq          para todos"},
		// Parts of words are not words: "cuscoeño" and "escuelita" stay.
		{"un cuscoeño en la escuelita", "un cuscoeño en la escuelita"},
		{"", ""},
	}
	for _, c := range cases {
		b := []byte(c.in)
		MaskProject(b, needles)
		if string(b) != c.want {
			t.Errorf("MaskProject(%q) = %q, want %q", c.in, b, c.want)
		}
	}
	if ProjectNeedles(nil) != nil || ProjectNeedles(&model.Project{Name: " "}) != nil {
		t.Error("no project, or a project without a name, has needles")
	}
	b := []byte("escuelas seguras cusco")
	MaskProject(b, nil)
	if string(b) != "escuelas seguras cusco" {
		t.Errorf("no needles changed the text to %q", b)
	}
}

// FuzzMaskProject masks any text with any project: the length stays, only
// spaces and "qq" are written, and valid UTF-8 stays valid (a needle is
// masked in whole runes).
func FuzzMaskProject(f *testing.F) {
	f.Add("escuelas seguras cusco: 12 escuelas", "Escuelas Seguras Cusco", "escuela")
	f.Add("point d'eau, points d'eau, l'eau", "Eau pour tous", "point d'eau")
	f.Add("\xff\xfe familias famille ies", "Family", "y")
	f.Fuzz(func(t *testing.T, text, name, keyword string) {
		needles := ProjectNeedles(&model.Project{Name: name, Keywords: []string{keyword}})
		b := []byte(text)
		MaskProject(b, needles)
		if len(b) != len(text) {
			t.Fatalf("length %d, want %d", len(b), len(text))
		}
		for i := range b {
			if b[i] != text[i] && b[i] != ' ' && b[i] != 'q' {
				t.Fatalf("byte %d became %q", i, b[i])
			}
		}
		if utf8.ValidString(text) && !utf8.Valid(b) {
			t.Fatalf("%q masked to invalid UTF-8 %q", text, b)
		}
	})
}
