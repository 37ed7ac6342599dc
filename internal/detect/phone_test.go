package detect

import (
	"testing"

	"github.com/herald-gov/herald/internal/policy"
)

func TestPhone(t *testing.T) {
	runTextCases(t, "phone", nil, []textCase{
		// International forms, any region.
		{"Call our office on +41 22 917 8000 for details.", one("+41 22 917 8000")},
		{"WhatsApp me at +254 712 345 678 anytime", one("+254 712 345 678")},
		{"Joignez-nous au +33 1 42 68 53 00.", one("+33 1 42 68 53 00")},
		{"Llame al +34 912 345 678 hoy", one("+34 912 345 678")},
		{"Contact: 0044 20 7946 0958", one("0044 20 7946 0958")},
		// Not assigned (984-182, area code 123) but written as a phone.
		{"+1-984-182-0190 is my cell", one("+1-984-182-0190")},
		{"Call me: (123) 456-7890", one("(123) 456-7890")},
		{"Appelez le 123-456-7890 poste 12", one("123-456-7890 poste 12")},
		{"Mi celular es (123) 456-7890, llámame", one("(123) 456-7890")},
		{"Mon numéro : +1 123-456-7890", one("+1 123-456-7890")},
		{"Phone: 001-987-654-3210x123", one("001-987-654-3210x123")},
		{"El código 199-111-1111 circuló", nil}, // no cue, valid nowhere
		{"+12 345 678 people reached", nil},     // an increase, in thousands
		// A count and its share.
		{"relevé 21 060 plants vivants sur 26 000 (81 %).", nil},
		{"encontró 21.060 plántulas vivas de 26.000 (81 %).", nil},
		{"Call (020) 7946 0958, 81 % of calls answered", one("(020) 7946 0958")},
		{"All references to Kosovo are in the context of UNSCR 1244 (1999).", nil}, // a resolution and its year
		{"La résolution 2231 (2015) a été adoptée.", nil},
		// A service line the public is asked to call is not a person's number.
		{"To report a broken pump, call the free line 800 00 14 14.", nil},
		{"Ligne d'assistance : appelez le 0211 250 730.", nil},
		{"Para reportar fallas, llame al 0211 250 730.", nil},
		{"The hotline was busy. Call me on 0211 250 730 instead.", one("0211 250 730")}, // the cue is in another sentence
		{"Llame al 0412 (2020) 55 66", one("0412 (2020) 55 66")},                        // a year-shaped area code inside the number
		{"ring +1 (202) 555-0147 ext. 12 after 5pm", one("+1 (202) 555-0147 ext. 12")},
		{"Office +41 (0)22 917 80 00 until Friday", one("+41 (0)22 917 80 00")},
		{"Tel +44 20 7946 0958 x123", one("+44 20 7946 0958 x123")},
		{"Tel:+41 22 917 8000 / Mob:0612345678", []string{"+41 22 917 8000", "0612345678"}},
		{"Tél.:01 42 68 53 00", one("01 42 68 53 00")},
		{"Ref:0612345678 and ISO 9001:2015 and v:0612345678", nil},
		// National forms with phone grouping.
		{"Mi número es 612 34 56 78, llámame", one("612 34 56 78")},
		{"Mon portable : 06 12 34 56 78", one("06 12 34 56 78")},
		{"Appelez le 01.42.68.53.00 pour un rendez-vous", one("01.42.68.53.00")},
		{"reach me at (212) 555-1234 or by email", one("(212) 555-1234")},
		{"reach me at (202) 456-1111 or by email", one("(202) 456-1111")},
		{"My mobile is 07700 900123.", one("07700 900123")},
		{"Call 202-456-1111 now", one("202-456-1111")},
		{"Call 202-456-1111x4587 now", one("202-456-1111x4587")},
		{"Teléfono: 91 234 56 78", one("91 234 56 78")},
		// Thousands-grouped digits need a cue.
		{"Llámame al 699 956 915", one("699 956 915")},
		{"We reached 612 345 678 people", nil},
		// Precision traps.
		{"The programme ran 2019-2020 in 12 countries.", nil},
		{"Mozart (1756-1791) wrote it; call the museum.", nil},
		{"Between 2015 and 2019, 1,234,567 people were reached.", nil},
		{"A budget of USD 2.5 million was approved.", nil},
		{"Plus de 3 000 000 personnes ont été aidées.", nil},
		{"Más de 120 000 000 personas", nil},
		{"On 15.02.2019 and 2019-02-15 and 15/02/2019 we met.", nil},
		{"Release v2.3.10 is out, and 10.2.30.4 too", nil},
		{"The meeting is at 10:30-11:30, or 10.30-11.30.", nil},
		{"Coverage rose to 45.5% and 67%", nil},
		{"IBAN FR76 3000 6000 0112 3456 7890 189", nil},
		{"IBAN GB82WEST12345698765432", nil},
		{"Card 4111 1111 1111 1111 expired", nil},
		{"Card 378282246310005 expired", nil},
		{"Position 4.8594, 31.5713 and -1.2921,36.8219", nil},
		{"See policy OI.CG.2019.02 and ISO 9001:2015 and ISO 14001", nil},
		{"Server at 192.168.100.200 went down", nil},
		{"Reference 2019 0234 5678 attached", nil},
		{"The population is 1 234 567 according to the census", nil},
		{"Costs: €1.500.000 and $ 2 500 000", nil},
		{"Order number 12345678 shipped", nil},
		{"Ganamos 3-1 y 2-0 en 2023", nil},
		{"Nous avons 12 345 678 bénéficiaires", nil},
		{"COVID-19 cases: 2020 1234567", nil},
	})
}

func TestPhoneParams(t *testing.T) {
	if _, err := New("phone", map[string]any{"regions": []any{"FR", "XX"}}, nil, nil); err == nil {
		t.Error("unknown region accepted")
	}
	if _, err := New("phone", map[string]any{"regions": 3}, nil, nil); err == nil {
		t.Error("non-list regions accepted")
	}
	if _, err := New("phone", map[string]any{"region": []any{"FR"}}, nil, nil); err == nil {
		t.Error("misspelt parameter accepted")
	}
	d := mustNew(t, "phone", map[string]any{"regions": []any{"fr"}})
	if got := found(d, "Appelez le 01 42 68 53 00"); len(got) != 1 {
		t.Errorf("FR-only detector: got %q", got)
	}
	if got := found(d, "Call 202-456-1111 now"); len(got) != 0 {
		t.Errorf("FR-only detector found a US number: %q", got)
	}
}

// The organization's own public numbers are not personal data, in either
// the international or the national form; other numbers still are.
func TestPhoneSkipsPublicNumbers(t *testing.T) {
	org := &policy.Organization{Phones: []string{"+45 4533 7500"}}
	d, err := New("phone", nil, org, &policy.Parameters{})
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{
		"Call our switchboard on +45 4533 7500 for press enquiries.": 0,
		"Call our switchboard on 0045 45 33 75 00.":                  0,
		"Ring 45 33 75 00 (Copenhagen) for the press office.":        0,
		"Call Maria on +45 2012 3456 tonight.":                       1,
	} {
		if got := len(d.Detect(&Input{Text: text})); got != want {
			t.Errorf("%q: %d matches, want %d", text, got, want)
		}
	}
	if _, err := New("phone", nil, &policy.Organization{Phones: []string{"123"}}, &policy.Parameters{}); err == nil {
		t.Error("a public number of three digits was accepted")
	}
}
