package detect

import "testing"

func TestEmail(t *testing.T) {
	runTextCases(t, "email", nil, []textCase{
		{"Write to jane.doe@unops.org for the report", one("jane.doe@unops.org")},
		{"Contact jdoe@gmail.com or marie.dupont@wanadoo.fr", []string{"jdoe@gmail.com", "marie.dupont@wanadoo.fr"}},
		{"Escríbeme a carlos.garcia@hotmail.es.", one("carlos.garcia@hotmail.es")},
		{"Follow @UNOPS and @UNOPS_es", nil},
		{"Send questions to socialmedia@unops.org", nil},
		{"Send questions to SocialMedia@UNOPS.org", nil},
		{"Media: press@unops.org, info@example.org, prensa@unops.org, presse@unops.org", nil},
		{"Jobs: careers@unops.org or media.relations@unops.org", nil},
		{"Find me at @alice@mastodon.social", nil},
		{"Link https://user@example.org/page", nil},
		{"Not an address: a@b, x@y.z1, @home", nil},
		{"jane.doe@unops.org's report", one("jane.doe@unops.org")},
	})
	d := mustNew(t, "email", map[string]any{"functional_local_parts": []any{"team"}})
	if got := found(d, "info@unops.org and team@unops.org"); len(got) != 1 || got[0] != "info@unops.org" {
		t.Errorf("custom functional parts: got %q", got)
	}
}

func TestCoordinates(t *testing.T) {
	runTextCases(t, "coordinates", nil, []textCase{
		{"The site is at 4.8594, 31.5713 near Juba", one("4.8594, 31.5713")},
		{"Nairobi office: -1.2921,36.8219.", one("-1.2921,36.8219")},
		{"Coordenadas: 4°51'34\"N 31°34'17\"E, cerca del río", one("4°51'34\"N 31°34'17\"E")},
		{"Position 4° 51.5' N, 31° 34.2' E", one("4° 51.5' N, 31° 34.2' E")},
		{"Le camp se trouve à 4° 51.5' N", one("4° 51.5' N")},
		{"GPS N 4.8594 E 31.5713 confirmed", one("N 4.8594 E 31.5713")},
		{"at 12.345° S, 45.678° W", one("12.345° S, 45.678° W")},
		// Precision traps.
		{"Release v2.3.10, 4.5.6 and 1.2.3", nil},
		{"Scores were 3.5, 4.0 and 4.5", nil},
		{"It was 30°C today, 25° tomorrow", nil},
		{"Budgets of 1.500, 2.300 and 4.100 euros", nil},
		{"The angle is 45° and 90°", nil},
		{"Ratio 0.12, 0.45", nil},
		{"Invalid 95.1234, 31.5713", nil},
		{"Policy OI.CG.2019.02, 2019.0234", nil},
	})
	d := mustNew(t, "coordinates", map[string]any{"min_decimals": 2})
	if got := found(d, "at 4.85, 31.57 now"); len(got) != 1 {
		t.Errorf("min_decimals 2: got %q", got)
	}
	if _, err := New("coordinates", map[string]any{"min_decimals": "three"}, nil, nil); err == nil {
		t.Error("string min_decimals accepted")
	}
}

func TestStreetAddress(t *testing.T) {
	runTextCases(t, "street-address", nil, []textCase{
		{"Meet us at 221B Baker Street tomorrow", one("221B Baker Street")},
		{"Our office: 60 Balsham Road, Cambridge", one("60 Balsham Road")},
		{"She lives at 1659 Hoog St. near the park", one("1659 Hoog St.")},
		{"Rendez-vous au 12 rue de la Paix à Paris", one("12 rue de la Paix")},
		{"Au 5, avenue Foch, 75116 Paris", one("5, avenue Foch, 75116 Paris")},
		{"Vivo en Calle Mayor 5, Madrid", one("Calle Mayor 5")},
		// A day of the month after a road's name is a date.
		{"Foto: el camino de Kalehe el 24 de noviembre, tras la lluvia.", nil},
		{"The Kalehe Road on 24 November, after the rain.", nil},
		{"Vivo en Calle 5 de Mayo 120, Puebla", one("Calle 5 de Mayo 120")},
		{"La oficina está en Paseo de la Castellana 259", one("Paseo de la Castellana 259")},
		{"Avenida de la Constitución, nº 12, Sevilla", one("Avenida de la Constitución, nº 12")},
		{"Sede: Carrera 7 # 45-10, Bogotá", one("Carrera 7 # 45-10")},
		{"Headquarters: Marmorvej 51, Copenhagen", one("Marmorvej 51")},
		{"Wir sind in der Villacher Strasse 89", one("Villacher Strasse 89")},
		{"Plot 45, Kampala Road", one("Plot 45")},
		{"Send it to P.O. Box 211, Nairobi", one("P.O. Box 211")},
		{"I am in Apt. 391 of the building", one("Apt. 391")},
		// Precision traps.
		{"We rebuilt 3 roads and 5 bridges in 2023", nil},
		{"the headquarters in Copenhagen", nil},
		{"In 2019 Green Road was reopened", nil},
		{"la calle principal tiene 5 casas", nil},
		{"Plaza Mayor 2 horas de cola", nil},
		{"Top 10 Things to do", nil},
		{"5 rues et 3 avenues ont été refaites", nil},
		{"Route 66 is long", nil},
		{"SDG 11 targets safer streets", nil},
		{"We trained 1,200 people on Road Safety", nil},
	})
}

func TestIBAN(t *testing.T) {
	runTextCases(t, "iban", nil, []textCase{
		{"Pay to GB82WEST12345698765432 today", one("GB82WEST12345698765432")},
		{"IBAN: GB82 WEST 1234 5698 7654 32.", one("GB82 WEST 1234 5698 7654 32")},
		{"Virement sur FR76 3000 6000 0112 3456 7890 189", one("FR76 3000 6000 0112 3456 7890 189")},
		{"Cuenta ES91 2100 0418 4502 0005 1332", one("ES91 2100 0418 4502 0005 1332")},
		{"lower case gb82west12345698765432 too", one("gb82west12345698765432")},
		{"Bad check GB83WEST12345698765432", nil},
		{"Too short GB82WEST1234569876543", nil},
		{"Unknown country QQ82WEST12345698765432", nil},
		{"Version DE12 of the plan", nil},
	})
}

func TestPaymentCard(t *testing.T) {
	runTextCases(t, "payment-card", nil, []textCase{
		{"Card 4111 1111 1111 1111 exp 12/27", one("4111 1111 1111 1111")},
		{"Amex 3782-822463-10005 please", one("3782-822463-10005")},
		{"mc 5555555555554444.", one("5555555555554444")},
		{"Tarjeta 6011111111111117", one("6011111111111117")},
		{"Ma carte Maestro 6304 1234 5674 est perdue", one("6304 1234 5674")},
		{"Maestro 6390 1234 5679 lost", one("6390 1234 5679")},
		{"my maestro card 060412345674 was stolen", one("060412345674")},
		{"Ref 060412345675 sent", nil}, // fails the Luhn check
		{"card 4111\u00a01111\u00a01111\u00a01111 lost", one("4111\u00a01111\u00a01111\u00a01111")},
		{"Pedido 5678 1234 5674 enviado", nil}, // 12 digits outside Maestro's 12-digit ranges
		{"Carte 4111 1111 1111 1111 123 (cryptogramme)", one("4111 1111 1111 1111")},
		{"card 5555555555554444 12/27", one("5555555555554444")},
		{"Tarjeta 4111-1111-1111-1111-123", nil}, // a dashed fifth group belongs to the number
		{"Luhn fails 4111 1111 1111 1112", nil},
		{"Unknown issuer 9111111111111111 (Luhn ok? no)", nil},
		{"Mixed separators 4111 1111-1111 1111", nil},
		{"Population 1234567890123", nil},
		{"IBAN GB82WEST12345698765432", nil},
		{"Too long 41111111111111111111111", nil},
	})
}

func TestNationalID(t *testing.T) {
	d := mustNew(t, "national-id", nil)
	cases := []struct {
		text, want, detail string
	}{
		{"NIR 1 85 05 78 006 084 91 au dossier", "1 85 05 78 006 084 91", detailNIR},
		{"sécu 185057800608491.", "185057800608491", detailNIR},
		{"Mi DNI es 12345678Z", "12345678Z", detailDNI},
		{"DNI 12345678-Z", "12345678-Z", detailDNI},
		{"NIE X1234567L", "X1234567L", detailNIE},
		{"CF RSSMRA85T10A562S", "RSSMRA85T10A562S", detailCF},
		{"SSN 514-69-0360", "514-69-0360", detailSSN},
		{"DNI 12345678A (wrong letter)", "", ""},
		{"NIR 1 85 05 78 006 084 37 (wrong key)", "", ""},
		{"SSN 666-12-3456 and 900-12-3456 and 123-00-4567", "", ""},
		{"CF RSSMRA85T10A562T (wrong check)", "", ""},
		{"Call 202-456-1111", "", ""},
		{"Year range 2019-2020 and ref 2019-02-1234", "", ""},
	}
	for _, c := range cases {
		ms := d.Detect(&Input{Text: c.text})
		if c.want == "" {
			if len(ms) != 0 {
				t.Errorf("national-id(%q) = %q, want none", c.text, c.text[ms[0].Start:ms[0].End])
			}
			continue
		}
		if len(ms) != 1 || c.text[ms[0].Start:ms[0].End] != c.want || ms[0].Detail != c.detail {
			t.Errorf("national-id(%q) = %+v, want %q (%s)", c.text, ms, c.want, c.detail)
		}
	}
}
